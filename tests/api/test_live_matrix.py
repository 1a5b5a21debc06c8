"""The issue's acceptance check, over real HTTP: every demo login gets a token, and a live server answers the
README's permission matrix cell for cell.

A real server process (gunicorn, production settings: DEBUG off, a random DJANGO_SECRET_KEY, bound to 127.0.0.1
only) serves a temporary SQLite file that ``quickstart --no-esco`` filled with the demo data in a subprocess.
The test ALWAYS uses its own SQLite file, whatever DATABASE_URL says (CI runs the suite on SQLite and on
PostgreSQL; the live server must not touch the test run's database, and the demo data is the same on both).

The matrix rows are parsed from README.md by tests/api/test_permission_matrix.py (its parser, object map and
request bodies are reused). The actors are demo logins that fit the README's actor definitions (checked before
the walk): candidate ``welder.ventspils`` (adult, discoverable, on counsellor A's caseload), employer
``employer.it`` (verified employer A, which has a draft), provider ``provider.vtech`` (institution A, which has an
inactive programme), counsellor ``counsellor.ventspils`` (counsellor A) and ``admin``. "Own" and "another's"
objects are demo objects picked by their attributes (see ``FIND_OBJECTS``); the demo logins have no applications,
so the two "own" applications are made over HTTP before the walk (the candidate applies to a vacancy of employer A
and to an intake of institution A). All GET cells run first, then the writing cells, each in README order with the
roles left to right: no read sees a write's effect, and the application status moves run in the order the rows
are written in (viewed before withdrawn), each on the status the previous cells left.

Not walked, with the reason: cells marked "—" (the role cannot own such an object; the matrix test checks that the
dashes are exactly those), and the demo login ``analyst.valmiera`` (role analyst has no column in the matrix; it
is signed in like every other demo login).
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from careers.demo import DEMO_LOGINS, DEMO_PASSWORD
from tests.api.test_permission_matrix import BODIES, NOT_APPLICABLE, OBJECTS, ROLES, ROWS

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ACTORS = {
    "candidate": "welder.ventspils",
    "employer": "employer.it",
    "provider": "provider.vtech",
    "counsellor": "counsellor.ventspils",
    "admin": "admin",
}
NOT_IN_MATRIX = {"analyst.valmiera": "role analyst has no column in the README permission matrix"}
START_TIMEOUT_S = 60

# Runs in `manage.py shell` against the live database: the actors' facts and the demo objects for each matrix
# object name (World attribute names of test_permission_matrix), chosen by attributes, not by the API's selectors.
FIND_OBJECTS = r'''
import json
from django.utils import timezone
from careers.models import *

today = timezone.localdate()
adult_by = today.year - 18
users = {role: User.objects.get(username=name) for role, name in json.loads(ACTORS).items()}
cand_a = CandidateProfile.objects.get(user=users["candidate"])
couns_a = Counsellor.objects.get(user=users["counsellor"])
emp_a = Employer.objects.get(members=users["employer"])
inst_a = ProviderStaff.objects.get(user=users["provider"]).institution
others = CandidateProfile.objects.exclude(pk=cand_a.pk).exclude(counsellor=couns_a).filter(
    user__is_active=True, consent_processing=True).order_by("pk")
public = Vacancy.objects.public().exclude(employer=emp_a).order_by("pk")
vac_b_open = public.first()
upcoming_a = Intake.objects.filter(programme__institution=inst_a, programme__is_active=True,
    application_deadline__gte=today, start_date__gte=today).order_by("start_date", "pk")
ids = dict(
    skill=Skill.objects.order_by("uri").first(),
    occupation=Occupation.objects.order_by("uri").first(),
    town=cand_a.town,
    inst_b=Institution.objects.exclude(pk=inst_a.pk).order_by("pk").first(),
    emp_b=vac_b_open.employer,
    emp_unverified=Employer.objects.filter(verified=False).order_by("pk").first(),
    prog_a=Programme.objects.filter(institution=inst_a, is_active=True).order_by("pk").first(),
    prog_a_inactive=Programme.objects.filter(institution=inst_a, is_active=False).order_by("pk").first(),
    prog_b=Programme.objects.exclude(institution=inst_a).filter(is_active=True).order_by("pk").first(),
    prog_b_inactive=Programme.objects.exclude(institution=inst_a).filter(is_active=False).order_by("pk").first(),
    int_a=Intake.objects.filter(programme__institution=inst_a).order_by("pk").first(),
    int_b=Intake.objects.exclude(programme__institution=inst_a).order_by("pk").first(),
    vac_b_open=vac_b_open,
    # The README's {vacancy}: a public vacancy no counsellor has reviewed for anyone (the demo has reviews; a new
    # review of an existing one would be a 409, not the 201 the matrix shows).
    vac_unreviewed=Vacancy.objects.public().exclude(pk__in=[int(key.split(":")[1]) for key in
        Review.objects.filter(kind="jobs").values_list("item_key", flat=True)]).order_by("pk").first(),
    vac_a_open=Vacancy.objects.public().filter(employer=emp_a).order_by("pk").first(),
    vac_a_draft=Vacancy.objects.filter(employer=emp_a, status="draft").order_by("pk").first(),
    vac_b_draft=Vacancy.objects.filter(status="draft", employer__verified=True).exclude(employer=emp_a).order_by("pk").first(),
    int_a_open=upcoming_a.first(),
    cand_a=cand_a,
    cand_b=others.filter(consent_discoverable=True, birth_year__lt=adult_by).first(),
    cand_private=others.filter(consent_discoverable=False, birth_year__lt=adult_by).first(),
    cand_minor=others.filter(consent_discoverable=True, minor_visible_to_employers=False,
                             birth_year__gt=adult_by).first(),
    app_b_vac=Application.objects.filter(status="submitted", vacancy__isnull=False).exclude(candidate=cand_a)
        .exclude(candidate__counsellor=couns_a).exclude(vacancy__employer=emp_a).order_by("pk").first(),
)
facts = dict(
    candidate_adult=cand_a.birth_year < adult_by,
    candidate_discoverable=cand_a.consent_discoverable,
    candidate_on_counsellor_a=cand_a.counsellor_id == couns_a.pk,
    candidate_has_no_applications=not cand_a.applications.exists(),
    employer_a_verified=emp_a.verified,
    emp_b_not_a=ids["emp_b"].pk != emp_a.pk,
)
print(json.dumps({"ids": {k: (v.pk if v is not None else None) for k, v in ids.items()}, "facts": facts}))
'''


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(database: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "THROTTLE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",  # production settings: DEBUG off
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{database}",  # always its own SQLite file, whatever the test run uses
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


class Live:
    """A JSON client for the live server (standard library only: what any API client would do)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.tokens: dict[str, str] = {}

    def call(self, method: str, path: str, *, token: str | None = None, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, content = error.code, error.read()
        return status, (json.loads(content) if content else None)

    def as_role(self, role: str, method: str, path: str, body: dict | None = None):
        return self.call(method, path, token=self.tokens.get(ACTORS.get(role, "")), body=body)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """quickstart --no-esco into a fresh SQLite file, then gunicorn on a free loopback port; stopped at the end."""
    folder = tmp_path_factory.mktemp("live")
    env = _environment(folder / "live.sqlite3")
    _manage(env, "quickstart", "--no-esco")
    found = json.loads(_manage(env, "shell", "--no-imports", "-c", f"ACTORS = {json.dumps(json.dumps(ACTORS))}\n"
                               + FIND_OBJECTS).strip().splitlines()[-1])
    port = _free_port()
    log = open(folder / "server.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "60", "--graceful-timeout", "5"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    client = Live(f"http://127.0.0.1:{port}")
    client.found = found
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert server.poll() is None, f"the server exited ({server.returncode}):\n{_tail(log)}"
            try:
                if client.call("GET", "/api/v1/towns/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"the server did not answer within {START_TIMEOUT_S} s:\n{_tail(log)}"
            time.sleep(0.2)
        yield client
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()


def _tail(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-4000:]


@pytest.fixture(scope="module")
def signed_in(live):
    """Every demo login signs in over HTTP; the tokens are kept for the walk."""
    for login in DEMO_LOGINS:
        status, body = live.call("POST", "/api/v1/auth/token/",
                                 body={"username": login.username, "password": DEMO_PASSWORD})
        assert status == 200, (login.username, status, body)
        assert body["access"] and body["refresh"], login.username
        live.tokens[login.username] = body["access"]
    return live


def test_every_demo_login_gets_a_token_that_the_api_accepts(signed_in):
    assert set(signed_in.tokens) == {login.username for login in DEMO_LOGINS}
    for login in DEMO_LOGINS:
        status, me = signed_in.call("GET", "/api/v1/me/", token=signed_in.tokens[login.username])
        assert status == 200, (login.username, status, me)
        assert (me["username"], me["role"]) == (login.username, login.role)
    # A wrong password is refused over the wire too (the walk below would pass with any token otherwise).
    status, body = signed_in.call("POST", "/api/v1/auth/token/", body={"username": "admin", "password": "wrong"})
    assert status == 401 and body["error"]["code"], body


def test_every_matrix_actor_is_a_demo_login_and_every_other_login_is_accounted_for():
    logins = {login.username: login.role for login in DEMO_LOGINS}
    assert {role: logins[name] for role, name in ACTORS.items()} == {role: role for role in ACTORS}
    assert set(ROLES) == {"anonymous", *ACTORS}
    assert set(NOT_IN_MATRIX) <= set(logins)
    assert {logins[name] for name in NOT_IN_MATRIX}.isdisjoint(ROLES)


def _own_applications(live: Live, ids: dict) -> dict[str, int]:
    """The demo logins have no applications: the candidate applies over HTTP (the API under test makes them)."""
    made = {}
    for name, body in (("app_a_vac", {"vacancy": ids["vac_a_open"]}), ("app_a_int", {"intake": ids["int_a_open"]})):
        status, application = live.as_role("candidate", "POST", "/api/v1/applications/", body)
        assert status == 201, (name, status, application)
        assert application["status"] == "submitted"
        made[name] = application["id"]
    return made


def test_live_server_answers_the_readme_permission_matrix_cell_for_cell(signed_in):
    live = signed_in
    facts, ids = live.found["facts"], dict(live.found["ids"])
    assert all(facts.values()), f"the demo actors no longer fit the README's actor definitions: {facts}"
    missing = sorted(name for name, pk in ids.items() if pk is None)
    assert not missing, f"the demo data has no object for {missing}"
    ids.update(_own_applications(live, ids))
    world = SimpleNamespace(**{name: SimpleNamespace(id=pk, pk=pk) for name, pk in ids.items()})

    walked, mismatches = 0, []
    # Reads first, then writes, each in README order: a write (opening another's draft, moving an application)
    # changes the state later rows start from, and the matrix gives every cell the state before any write.
    ordered = [row for row in ROWS if row.method == "GET"] + [row for row in ROWS if row.method != "GET"]
    for row in ordered:
        for role in ROLES:
            if row.expected[role] == NOT_APPLICABLE:
                continue  # the role cannot own such an object (see the module docstring)
            attribute = OBJECTS[row.obj].get(role)
            path = row.endpoint.replace("{town}", str(ids["town"])).replace("{vacancy}", str(ids["vac_unreviewed"]))
            if "{id}" in path:
                path = path.replace("{id}", str(ids[attribute]))
            status, body = live.as_role(role, row.method, path, BODIES[row.body](world, role))
            walked += 1
            if str(status) != row.expected[role]:
                mismatches.append(f"{row.cell_id(role)}: expected {row.expected[role]}, got {status} {body}")
            elif status >= 400:
                assert set(body) == {"error"}, (row.cell_id(role), body)  # the one error envelope, over the wire
    assert not mismatches, "\n".join(mismatches)
    assert walked == sum(1 for row in ROWS for role in ROLES if row.expected[role] != NOT_APPLICABLE)
