"""Golden answers: a fixed set of API requests over the demo data, every endpoint family and every role.

Issue 11 moves the use cases out of the API views without changing behaviour: these answers were recorded before
the move and must stay byte-identical after it (status, fields, their order, scores). The clock is frozen at one
instant for the whole module (loading and requests), so the demo's dates, ages and intakes are the same on any day;
the ids are the same on every run because the database is flushed (sequences reset) before loading.

A deliberate change of behaviour re-records them: ``UPDATE_GOLDEN=1 make test PYTEST_ARGS=tests/golden`` (on
SQLite and on PostgreSQL: each database has its own folder where they differ), then read the diff before
committing it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import zoneinfo
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from careers.models import CandidateProfile, Programme, Town, User, Vacancy
from careers.runtime.paths import PathService, set_path_service
from careers.runtime.ranker import RankerRuntime, set_ranker_runtime
from careers.runtime.matches import MatchService, set_match_service

HERE = Path(__file__).resolve().parent
FROZEN = dt.datetime(2026, 11, 16, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Riga"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

ANON = None
# (name, username or None, method, path with {placeholders}, body, Accept-Language)
CASES: list[tuple[str, str | None, str, str, dict | None, str]] = [
    # ------------------------------------------------------------------ public catalogue and taxonomy
    ("anon-skills-search", ANON, "GET", "/api/v1/skills/?search=metinasana", None, "lv"),
    ("anon-occupations", ANON, "GET", "/api/v1/occupations/?page_size=5", None, "en"),
    ("anon-occupation-detail", ANON, "GET", "/api/v1/occupations/{welder_occupation}/", None, "lv"),
    ("anon-towns", ANON, "GET", "/api/v1/towns/", None, "lv"),
    ("anon-institutions", ANON, "GET", "/api/v1/institutions/", None, "en"),
    ("anon-employers", ANON, "GET", "/api/v1/employers/?page_size=5", None, "lv"),
    ("anon-programmes", ANON, "GET", "/api/v1/programmes/?page_size=8", None, "lv"),
    ("anon-programme-detail", ANON, "GET", "/api/v1/programmes/{cnc_programme}/", None, "en"),
    ("anon-intakes", ANON, "GET", "/api/v1/intakes/?page_size=5", None, "lv"),
    ("anon-vacancies", ANON, "GET", "/api/v1/vacancies/?page_size=6&search=metinatajs", None, "lv"),
    ("anon-vacancy-detail", ANON, "GET", "/api/v1/vacancies/{valmiera_vacancy}/", None, "en"),
    ("anon-extract", ANON, "POST", "/api/v1/skills/extract/",
     {"text": "Esmu metinātājs ar 10 gadu pieredzi, protu TIG un MIG metināšanu, lasu rasējumus.", "top_k": 5},
     "lv"),
    ("anon-extract-en", ANON, "POST", "/api/v1/skills/extract/",
     {"text": "I build websites with HTML and JavaScript and fix computers.", "top_k": 5}, "en"),
    ("anon-match-title", ANON, "POST", "/api/v1/occupations/match-title/", {"title": "Metinātājs", "top_k": 3}, "lv"),
    ("anon-me-401", ANON, "GET", "/api/v1/me/", None, "lv"),
    ("anon-jobs-401", ANON, "GET", "/api/v1/candidates/{welder}/recommendations/jobs/", None, "en"),
    # ------------------------------------------------------------------ candidates: the welder (journey 2)
    ("welder-me", "welder.ventspils", "GET", "/api/v1/me/", None, "lv"),
    ("welder-export", "welder.ventspils", "GET", "/api/v1/me/export/", None, "lv"),
    ("welder-jobs", "welder.ventspils", "GET", "/api/v1/candidates/{welder}/recommendations/jobs/", None, "lv"),
    ("welder-jobs-en", "welder.ventspils", "GET", "/api/v1/candidates/{welder}/recommendations/jobs/?top_k=5",
     None, "en"),
    ("welder-programmes", "welder.ventspils", "GET", "/api/v1/candidates/{welder}/recommendations/programmes/",
     None, "lv"),
    ("welder-careers", "welder.ventspils", "GET", "/api/v1/candidates/{welder}/recommendations/careers/", None, "en"),
    ("welder-pathways", "welder.ventspils", "GET", "/api/v1/candidates/{welder}/recommendations/pathways/",
     None, "lv"),
    ("welder-what-if-programme", "welder.ventspils", "POST", "/api/v1/candidates/{welder}/recommendations/what-if/",
     {"programme": "{cnc_programme}"}, "lv"),
    ("welder-explain-job", "welder.ventspils", "GET",
     "/api/v1/candidates/{welder}/recommendations/jobs/vacancy:{welder_top_job}/explain/", None, "lv"),
    ("welder-applications", "welder.ventspils", "GET", "/api/v1/applications/", None, "lv"),
    ("welder-others-jobs-404", "welder.ventspils", "GET", "/api/v1/candidates/{student}/recommendations/jobs/",
     None, "lv"),
    ("welder-top-k-400", "welder.ventspils", "GET", "/api/v1/candidates/{welder}/recommendations/jobs/?top_k=999",
     None, "lv"),
    ("welder-caseload-403", "welder.ventspils", "GET", "/api/v1/counsellor/caseload/", None, "en"),
    # ------------------------------------------------------------------ the IT student, the reskilling adult
    ("student-jobs", "student.via", "GET", "/api/v1/candidates/{student}/recommendations/jobs/", None, "en"),
    ("student-programmes", "student.via", "GET", "/api/v1/candidates/{student}/recommendations/programmes/",
     None, "en"),
    ("reskilling-jobs", "reskilling.valmiera", "GET", "/api/v1/candidates/{reskilling}/recommendations/jobs/",
     None, "lv"),
    ("reskilling-programmes", "reskilling.valmiera", "GET",
     "/api/v1/candidates/{reskilling}/recommendations/programmes/", None, "lv"),
    ("reskilling-careers", "reskilling.valmiera", "GET", "/api/v1/candidates/{reskilling}/recommendations/careers/",
     None, "lv"),
    ("reskilling-pathways", "reskilling.valmiera", "GET",
     "/api/v1/candidates/{reskilling}/recommendations/pathways/", None, "en"),
    ("reskilling-what-if-skills", "reskilling.valmiera", "POST",
     "/api/v1/candidates/{reskilling}/recommendations/what-if/", {"skills": ["{some_skill_uri}"], "top_k": 5}, "en"),
    # ------------------------------------------------------------------ the supervised pupil (journey 1)
    ("pupil-me", "pupil.valmiera", "GET", "/api/v1/me/", None, "lv"),
    ("pupil-jobs", "pupil.valmiera", "GET", "/api/v1/candidates/{pupil}/recommendations/jobs/", None, "lv"),
    ("pupil-careers", "pupil.valmiera", "GET", "/api/v1/candidates/{pupil}/recommendations/careers/", None, "lv"),
    ("pupil-programmes", "pupil.valmiera", "GET", "/api/v1/candidates/{pupil}/recommendations/programmes/",
     None, "en"),
    ("pupil-pathways", "pupil.valmiera", "GET", "/api/v1/candidates/{pupil}/recommendations/pathways/", None, "lv"),
    ("pupil-what-if", "pupil.valmiera", "POST", "/api/v1/candidates/{pupil}/recommendations/what-if/",
     {"programme": "{cnc_programme}"}, "lv"),
    # ------------------------------------------------------------------ counsellors (journey 4)
    ("counsellor-caseload", "counsellor.valmiera", "GET", "/api/v1/counsellor/caseload/?page_size=10", None, "lv"),
    ("counsellor-caseload-pending", "counsellor.valmiera", "GET",
     "/api/v1/counsellor/caseload/?pending=true&ordering=-pending", None, "en"),
    ("counsellor-pupil-jobs", "counsellor.valmiera", "GET", "/api/v1/candidates/{pupil}/recommendations/jobs/",
     None, "lv"),
    ("counsellor-pupil-programmes", "counsellor.valmiera", "GET",
     "/api/v1/candidates/{pupil}/recommendations/programmes/", None, "lv"),
    ("counsellor-pupil-careers", "counsellor.valmiera", "GET",
     "/api/v1/candidates/{pupil}/recommendations/careers/", None, "en"),
    ("counsellor-pupil-pathways", "counsellor.valmiera", "GET",
     "/api/v1/candidates/{pupil}/recommendations/pathways/", None, "lv"),
    ("counsellor-pupil-reviews", "counsellor.valmiera", "GET", "/api/v1/candidates/{pupil}/reviews/", None, "lv"),
    ("counsellor-pupil-candidate", "counsellor.valmiera", "GET", "/api/v1/candidates/{pupil}/", None, "lv"),
    ("counsellor-candidates", "counsellor.valmiera", "GET", "/api/v1/candidates/?page_size=5", None, "lv"),
    ("counsellor-review-approve", "counsellor.valmiera", "PUT",
     "/api/v1/candidates/{pupil}/reviews/jobs/vacancy:{pupil_top_job}/",
     {"decision": "approved", "version": 0, "note": "Labs sākums"}, "lv"),
    ("counsellor-review-bad-key", "counsellor.valmiera", "PUT",
     "/api/v1/candidates/{pupil}/reviews/jobs/vacancy:999999/", {"decision": "approved", "version": 0}, "lv"),
    ("counsellor-explain", "counsellor.valmiera", "GET",
     "/api/v1/candidates/{pupil}/recommendations/jobs/vacancy:{pupil_top_job}/explain/", None, "en"),
    ("counsellor-other-caseload-404", "counsellor.valmiera", "GET",
     "/api/v1/candidates/{welder}/recommendations/jobs/", None, "lv"),
    ("counsellor-vacancy-candidates", "counsellor.valmiera", "GET",
     "/api/v1/vacancies/{pupil_top_job}/recommendations/candidates/", None, "lv"),
    ("counsellor-ventspils-welder-pathways", "counsellor.ventspils", "GET",
     "/api/v1/candidates/{welder}/recommendations/pathways/", None, "lv"),
    # ------------------------------------------------------------------ employers (journey 3)
    ("employer-me", "employer.valmiera", "GET", "/api/v1/me/", None, "lv"),
    ("employer-vacancies", "employer.valmiera", "GET", "/api/v1/vacancies/?page_size=5&ordering=-published_at",
     None, "lv"),
    ("employer-vacancy-candidates", "employer.valmiera", "GET",
     "/api/v1/vacancies/{valmiera_vacancy}/recommendations/candidates/", None, "lv"),
    ("employer-vacancy-candidates-en", "employer.valmiera", "GET",
     "/api/v1/vacancies/{valmiera_vacancy}/recommendations/candidates/?top_k=3", None, "en"),
    ("employer-candidates", "employer.valmiera", "GET", "/api/v1/candidates/?page_size=5&town={valmiera_town}", None,
     "lv"),
    ("employer-applications", "employer.valmiera", "GET", "/api/v1/applications/?page_size=5", None, "lv"),
    ("employer-others-vacancy-404", "employer.valmiera", "GET",
     "/api/v1/vacancies/{ventspils_vacancy}/recommendations/candidates/", None, "lv"),
    ("employer-jobs-403", "employer.valmiera", "GET", "/api/v1/candidates/{welder}/recommendations/jobs/", None, "lv"),
    ("employer-ventspils-candidates", "employer.ventspils", "GET",
     "/api/v1/vacancies/{ventspils_vacancy}/recommendations/candidates/?top_k=5", None, "lv"),
    ("employer-unverified-candidates", "employer.unverified", "GET", "/api/v1/candidates/?page_size=3", None, "lv"),
    # ------------------------------------------------------------------ providers, analyst, admin (journey 5)
    ("provider-me", "provider.vtech", "GET", "/api/v1/me/", None, "lv"),
    ("provider-applications", "provider.vtech", "GET", "/api/v1/applications/?page_size=5", None, "lv"),
    ("provider-intakes", "provider.vtech", "GET", "/api/v1/intakes/?page_size=5", None, "en"),
    ("analyst-fairness", "analyst.valmiera", "GET", "/api/v1/insights/fairness/", None, "lv"),
    ("analyst-outcomes", "analyst.valmiera", "GET", "/api/v1/insights/outcomes/", None, "en"),
    ("analyst-jobs-403", "analyst.valmiera", "GET", "/api/v1/candidates/{welder}/recommendations/jobs/", None, "lv"),
    ("admin-candidates", "admin", "GET", "/api/v1/candidates/?page_size=5", None, "lv"),
    ("admin-welder-jobs", "admin", "GET", "/api/v1/candidates/{welder}/recommendations/jobs/?top_k=20", None, "lv"),
    ("admin-vacancy-candidates", "admin", "GET",
     "/api/v1/vacancies/{ventspils_vacancy}/recommendations/candidates/", None, "en"),
    ("admin-caseload", "admin", "GET", "/api/v1/counsellor/caseload/?page_size=5&ordering=town", None, "lv"),
]


def _vendor_dir() -> Path:
    return HERE / "data" / connection.vendor


def _file_for(name: str) -> Path:
    """The vendor's own answer where it differs, else the shared one (recorded on SQLite)."""
    own = _vendor_dir() / f"{name}.json"
    return own if own.exists() else HERE / "data" / "sqlite" / f"{name}.json"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    traveller = time_machine.travel(FROZEN, tick=False)
    traveller.start()
    previous = (set_match_service(MatchService(background=False)), set_path_service(PathService(background=False)),
                set_ranker_runtime(RankerRuntime()))
    try:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)  # sequences reset: the same ids every run
            for name in ("load_reference", "load_demo", "train_ranker"):
                call_command(name, stdout=StringIO())
            yield _placeholders()
            call_command("flush", interactive=False, verbosity=0)
    finally:
        set_match_service(previous[0])
        set_path_service(previous[1])
        set_ranker_runtime(previous[2])
        traveller.stop()


def _candidate(username: str) -> int:
    return CandidateProfile.objects.get(user__username=username).pk


def _employer_vacancy(username: str) -> int:
    return Vacancy.objects.public().filter(employer__members__username=username).order_by("pk").first().pk


def _placeholders() -> dict[str, str]:
    from careers.runtime.matches import match_service

    welder = CandidateProfile.objects.get(user__username="welder.ventspils")
    top = match_service().jobs_for(candidate=welder, k=1)
    pupil_top = match_service().jobs_for(candidate=CandidateProfile.objects.get(user__username="pupil.valmiera"), k=1)
    cnc = Programme.objects.filter(name_en__icontains="CNC").order_by("pk").first()
    welding = Vacancy.objects.public().filter(title__icontains="metin").order_by("pk").first()
    values = {
        "welder": welder.pk, "pupil": _candidate("pupil.valmiera"), "student": _candidate("student.via"),
        "reskilling": _candidate("reskilling.valmiera"),
        "valmiera_vacancy": _employer_vacancy("employer.valmiera"),
        "ventspils_vacancy": _employer_vacancy("employer.ventspils"),
        "welder_top_job": int(top["vacancy_id"].iloc[0]), "pupil_top_job": int(pupil_top["vacancy_id"].iloc[0]),
        "valmiera_town": Town.objects.get(name="Valmiera").pk,
        "cnc_programme": cnc.pk, "welder_occupation": welding.occupation_id,
        "some_skill_uri": cnc.skills_taught.order_by("pk").first().uri,
    }
    return {key: str(value) for key, value in values.items()}


def _fill(value, names: dict[str, str]):
    if isinstance(value, str):
        filled = value.format(**names)
        return int(filled) if value.startswith("{") and value.endswith("}") and filled.isdigit() else filled
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    return value


def _answer(world, username, method, path, body, language) -> str:
    client = APIClient()
    if username is not None:
        client.force_authenticate(User.objects.get(username=username))
    if "/explain/" in path:  # an item is explained as it was served: serve its list first (rolled back after)
        listed = path.split("/recommendations/")[0] + "/recommendations/" + path.split("/")[6] + "/"
        assert client.get(listed.format(**world)).status_code == 200
    call = getattr(client, method.lower())
    kwargs = {"HTTP_ACCEPT_LANGUAGE": language}
    if body is not None:
        kwargs.update(data=_fill(body, world), format="json")
    response = call(path.format(**world), **kwargs)
    content = response.json() if response.get("Content-Type", "").startswith("application/json") else \
        response.content.decode()
    return json.dumps({"status": response.status_code, "body": content}, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "username", "method", "path", "body", "language"), CASES,
                         ids=[case[0] for case in CASES])
def test_answer_is_golden(world, name, username, method, path, body, language):
    answer = _answer(world, username, method, path, body, language)
    if UPDATE:
        target = _vendor_dir() / f"{name}.json"
        shared = HERE / "data" / "sqlite" / f"{name}.json"
        if connection.vendor == "sqlite" or not shared.exists() or shared.read_text() != answer:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(answer)
        elif target.exists():
            target.unlink()
        return
    golden = _file_for(name)
    assert golden.exists(), f"no golden answer for {name}: record with UPDATE_GOLDEN=1"
    assert answer == golden.read_text(), f"{name}: the answer differs from {golden.relative_to(HERE)}"


def test_every_case_is_named_once():
    names = [case[0] for case in CASES]
    assert len(names) == len(set(names))
