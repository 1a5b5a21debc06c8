"""Schemathesis from outside, over HTTP, against gunicorn with production settings (issue 15).

gunicorn (DEBUG off, 2 workers × 4 threads) serves a SQLite file with the reference and demo data; schemathesis'
CLI runs every operation of ``/api/schema/`` once per role (anonymous and a demo login of each role), with its
examples, coverage and fuzzing phases, deterministic and bounded by ``LIVE_SCHEMATHESIS_EXAMPLES`` (3 per operation:
about 5,000 cases per role, under a minute each on two cores). ``DELETE /me`` is left out (it would erase the demo
login; tests/api/test_schemathesis.py runs it in process on throwaway users). Throttles and the sign-in lockout are
raised out of the way (their rules are tested in tests/api/test_auth.py and tests/live/test_shared_throttles.py).

Checks: every one schemathesis has except the stateful ones (no links in the schema) and response time, with
``positive_data_acceptance`` in the form of tests/live/schemathesis_hooks.py (a 400 that names only stored data is
not a refusal of valid data). Asserted: no server error and no response outside the schema (ST1xx), for any role;
for ``negative_data_rejection`` / positive data acceptance, nothing beyond ``KNOWN_INPUT_GAPS`` (still open, listed
in the README under "Holding under load and abuse").
"""
from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
import requests

from tests.live.server import DEMO_PASSWORD, PYTHON, ROOT, gunicorn

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("LIVE_SCHEMATHESIS_EXAMPLES", "3"))
ROLES = {"anonymous": None, "candidate": "welder.ventspils", "employer": "employer.valmiera",
         "provider": "provider.vtech", "counsellor": "counsellor.ventspils", "admin": "admin"}
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
          "response_schema_conformance,negative_data_rejection,positive_data_acceptance_of_stored_data,"
          "missing_required_header,unsupported_method,allow_header_conformance,ignored_auth")
NO_LIMITS = {"THROTTLE_ANON": "1000000/hour", "THROTTLE_USER": "1000000/hour", "THROTTLE_LOGIN_IP": "1000000/min",
             "THROTTLE_LOGIN_USERNAME": "1000000/min", "THROTTLE_REGISTER": "1000000/hour",
             "THROTTLE_APPLICATIONS": "1000000/hour", "AXES_FAILURE_LIMIT": "1000000"}
# Open input gaps (operation, failure code): an empty query value (`?start_before=`) is read as "no filter"
# (django-filter's convention) where the schema's `format: date` / enum calls it invalid; a schema-valid body that
# the service refuses for a reason the schema cannot state. Anything else found fails the test.
KNOWN_INPUT_GAPS = {
    # Issue 17: what-if takes exactly one of `skills`, `programme` or `languages` (400 naming the field otherwise),
    # a rule the schema does not state (no oneOf).
    ("POST /api/v1/candidates/{id}/recommendations/what-if/", "ST202"),
    ("GET /api/v1/intakes/", "ST201"), ("GET /api/v1/programmes/", "ST201"), ("GET /api/v1/skills/", "ST201"),
    ("GET /api/v1/counsellor/caseload/", "ST201"), ("GET /api/v1/insights/fairness/", "ST201"),
    ("GET /api/v1/insights/outcomes/", "ST201"), ("GET /api/v1/candidates/", "ST201"),
    ("GET /api/v1/vacancies/", "ST201"), ("GET /api/v1/candidates/{id}/recommendations/careers/", "ST201"),
    ("GET /api/v1/candidates/{id}/recommendations/programmes/", "ST201"),
    ("GET /api/v1/candidates/{id}/recommendations/pathways/", "ST201"),
    ("GET /api/v1/candidates/{id}/recommendations/jobs/", "ST201"),
    ("GET /api/v1/vacancies/{id}/recommendations/candidates/", "ST201"),
    ("POST /api/v1/auth/register/", "ST202"), ("PATCH /api/v1/me/", "ST202"), ("POST /api/v1/programmes/", "ST202"),
    ("PATCH /api/v1/programmes/{id}/", "ST202"), ("POST /api/v1/intakes/", "ST202"),
    ("PATCH /api/v1/intakes/{id}/", "ST202"),
    # Booleans: DRF reads 0/1 as false/true where the schema says boolean (`{"is_active": 0}` accepted).
    ("POST /api/v1/programmes/", "ST201"), ("PATCH /api/v1/programmes/{id}/", "ST201"),
    # Rules the schema does not state: a language listed twice, a cost over 1,000,000, salary_min > salary_max.
    ("POST /api/v1/vacancies/", "ST202"), ("PATCH /api/v1/vacancies/{id}/", "ST202"),
    # Found after the merges of issues 10 and 13, still open: `?eligible_for=me` is refused for anyone who is not a
    # signed-in candidate (a rule the schema cannot state); a spreadsheet body the schema calls valid is refused for
    # its content; the template download ignores an unknown `?format=` value where the schema says enum.
    ("GET /api/v1/programmes/", "ST202"), ("POST /api/v1/imports/vacancies/dry-run/", "ST202"),
    ("POST /api/v1/imports/vacancies/commit/", "ST202"), ("POST /api/v1/imports/programmes/dry-run/", "ST202"),
    ("POST /api/v1/imports/programmes/commit/", "ST202"), ("POST /api/v1/imports/intakes/dry-run/", "ST202"),
    ("POST /api/v1/imports/intakes/commit/", "ST202"), ("GET /api/v1/imports/vacancies/template/", "ST201"),
    ("GET /api/v1/imports/programmes/template/", "ST201"), ("GET /api/v1/imports/intakes/template/", "ST201"),
    # The market insights read an empty query value as "no filter", as the other lists do (first group above).
    *{(f"GET /api/v1/insights/{name}/", "ST201") for name in ("skills", "occupations", "shortages", "trend",
                                                              "missing-skills")},
}
FAILURE = re.compile(r"^_+ (?P<operation>[A-Z]+ \S+) _+$|^- (?P<code>ST\d+) ", re.MULTILINE)


def access_token(url: str, username: str) -> str:
    response = requests.post(f"{url}/api/v1/auth/token/", json={"username": username, "password": DEMO_PASSWORD},
                             timeout=30)
    response.raise_for_status()
    return response.json()["access"]


def failures(output: str) -> set[tuple[str, str]]:
    """(operation, code) of every failure in schemathesis' report."""
    found, operation = set(), None
    for match in FAILURE.finditer(output):
        if match["operation"]:
            operation = match["operation"]
        elif operation is not None:
            found.add((operation, match["code"]))
    return found


def run_schemathesis(url: str, token: str | None) -> tuple[int, str]:
    command = [PYTHON, "-m", "schemathesis.cli", "run", f"{url}/api/schema/", "--url", url, "--checks", CHECKS,
               "--max-examples", str(EXAMPLES), "--generation-deterministic", "--exclude-method", "DELETE",
               "--phases", "examples,coverage,fuzzing", "--max-failures", "1000", "--no-color"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.live.schemathesis_hooks", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def live_url(demo_database_url):
    with gunicorn(demo_database_url, workers=2, threads=4, **NO_LIMITS) as url:
        yield url


@pytest.mark.parametrize("role", list(ROLES))
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(live_url, role):
    token = access_token(live_url, ROLES[role]) if ROLES[role] else None
    code, output = run_schemathesis(live_url, token)
    assert "generated" in output, output[-3000:]
    found = failures(output)
    assert not {f for f in found if f[1].startswith("ST1") or f[1] == "ST000"}, output[-6000:]
    assert "Server error" not in output, output[-6000:]
    assert found <= KNOWN_INPUT_GAPS, json.dumps(sorted(found - KNOWN_INPUT_GAPS)) + output[-6000:]
    assert code == 0 or found, output[-3000:]
