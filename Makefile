# Two commands: `make run` (demo server) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test install quickstart serve check clean

$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

# A local .env with a random secret key, so the demo runs with DEBUG off.
.env:
	@$(PYTHON) -c "import secrets; print('DJANGO_SECRET_KEY=' + secrets.token_urlsafe(50))" > .env
	@echo "wrote .env with a new random DJANGO_SECRET_KEY"

quickstart: $(STAMP) .env
	$(PY) manage.py quickstart

# Plain HTTP on 127.0.0.1: the session and CSRF cookies are not marked Secure here (DJANGO_SECURE_COOKIES=0).
serve: $(STAMP) .env
	@echo "The web site: http://127.0.0.1:8000/  (API docs: /api/docs/, admin: /admin/)"
	DJANGO_SECURE_COOKIES=0 $(PY) manage.py runserver --insecure 127.0.0.1:8000

run: quickstart serve

# One pytest worker per core (pytest-xdist); PYTEST_ARGS= runs in one process, PYTEST_ARGS=tests/web picks a part.
PYTEST_ARGS ?= -n auto

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

check: $(STAMP)
	DJANGO_SECRET_KEY=check-only-$$(date +%s)-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm
