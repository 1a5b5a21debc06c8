"""Property-based run of schemathesis over the whole OpenAPI schema, with a token for each role.

Two runs over every operation of ``/api/schema/``, sent through the real WSGI stack (middleware, parsers,
authentication, exception handler) of this process:

* ``test_every_operation_answers_every_role_within_its_schema``: each operation × each role (anonymous, candidate,
  employer, provider, counsellor, admin) gets ``MAX_EXAMPLES`` generated requests (schemathesis' fuzzing phase:
  valid and invalid values, unknown ids).
* ``test_boundary_inputs_get_answers_within_the_schema``: each operation once, with schemathesis' deterministic
  coverage phase (boundary values, each required field missing, each property of the wrong type) and the schema's
  own examples, as the role that gets past the permission checks to the input validation (``BOUNDARY_ROLES``).

Each response must:

* not be a server error (``not_a_server_error``);
* have a status code the schema documents for that operation (``status_code_conformance``);
* carry the documented content type and headers, and a body that validates against the documented schema
  (``content_type_conformance``, ``response_headers_conformance``, ``response_schema_conformance``);
* be refused without a token, or with a bad one, when the operation needs one (``ignored_auth``); an undocumented
  method answers 405 (``unsupported_method``).

Left out, on purpose: ``positive_data_acceptance`` (schema-valid input may still name an id that does not exist, a
vacancy already applied to, a status move the workflow forbids: a 400/404 is then correct, and no schema can say
which ids exist); ``negative_data_rejection`` (the API follows the django-filter convention that an empty query
value, ``?start_before=``, means "no filter", which a strict reading of ``format: date`` calls invalid; the
bad-input table in tests/api/test_errors.py covers wrong values instead); the stateful checks (``use_after_free``,
``ensure_resource_availability``: they need a stateful run with links); ``max_response_time`` (tests never assert
on timing). Throttle counters are cleared before every request so that every case reaches the view (the rates
are tested in tests/api/test_auth.py).

Data: the actors and objects of tests/api/test_permission_matrix.World, built once per module with the factories
inside a transaction rolled back when the module ends; each test item runs in its own rolled-back savepoint.
Non-negative even ids generated for a path are mapped onto ids that exist (odd ones stay, mostly unknown), so
detail views also answer 200 with a body to validate. ``DELETE /me`` erases a throwaway user of the same role,
made for that call, so the module's actors stay usable.

Bounded and reproducible: ``derandomize=True`` (the same cases on every run, on SQLite and PostgreSQL), no example
database, no deadline. The plain tests at the end pin what this run found.
"""
from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import AccessToken

from careers import models as m
from config.wsgi import application
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from tests import factories as f
from tests.api.test_permission_matrix import ROLES, World

MAX_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
    unsupported_method,
]


def _schema_dict() -> dict:
    """The schema /api/schema/ serves, as plain JSON (lazy translations and enums rendered)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


SCHEMA = _schema_dict()
# Two runs over the same schema (each schema object has its own configuration):
# * per role, random (derandomized) fuzzing: MAX_EXAMPLES cases per (operation, role);
# * once per operation, schemathesis' deterministic coverage phase (boundary values, each required field missing,
#   each property of the wrong type, the schema's own examples) as the role that may really perform it.
by_role = schemathesis.openapi.from_dict(SCHEMA)
by_role.config.phases.update(phases=["fuzzing"])
boundaries = schemathesis.openapi.from_dict(SCHEMA)
boundaries.config.phases.update(phases=["examples", "coverage"])
for _schema in (by_role, boundaries):
    _schema.app = application  # requests go through Django's WSGI handler in this process

# Path template → the model whose existing ids a generated id may be mapped onto.
MODELS_BY_PATH = {
    "/api/v1/skills/{id}/": m.Skill,
    "/api/v1/occupations/{id}/": m.Occupation,
    "/api/v1/towns/{id}/": m.Town,
    "/api/v1/institutions/{id}/": m.Institution,
    "/api/v1/employers/{id}/": m.Employer,
    "/api/v1/programmes/{id}/": m.Programme,
    "/api/v1/intakes/{id}/": m.Intake,
    "/api/v1/vacancies/{id}/": m.Vacancy,
    "/api/v1/vacancies/{id}/status/": m.Vacancy,
    "/api/v1/candidates/{id}/": m.CandidateProfile,
    "/api/v1/applications/{id}/": m.Application,
    "/api/v1/applications/{id}/status/": m.Application,
}


def _build_world() -> dict[str, object]:
    """The actors (one user per role) and every kind of object the matrix names, with nested rows filled in."""
    world = World()
    users = {role: world.actor(role) for role in ROLES}
    for name in (
        "emp_unverified", "prog_a_inactive", "prog_b_inactive", "int_a", "int_b", "vac_a_draft", "vac_b_draft",
        "cand_private", "cand_minor", "app_a_vac", "app_a_int", "app_b_vac",
    ):
        getattr(world, name)
    for vacancy in (world.vac_a_open, world.vac_b_open, world.vac_a_draft):
        f.VacancySkillFactory(vacancy=vacancy)
        f.VacancyLanguageFactory(vacancy=vacancy)
    for candidate in (world.cand_a, world.cand_b):
        f.CandidateSkillFactory(candidate=candidate)
        f.CandidateLanguageFactory(candidate=candidate)
        f.WorkExperienceFactory(candidate=candidate)
    return users


@pytest.fixture(scope="module")
def actors(django_db_setup, django_db_blocker):
    """One user per role (None for anonymous), built once; everything is rolled back when the module ends."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)


@pytest.fixture
def wsgi_keeps_connection():
    """Django's WSGI handler closes the connection after each request, which would end the test transaction.

    Django's own test client disconnects the same handler (django.test.client.ClientHandler).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _throwaway(role: str):
    """A fresh user of ``role`` for DELETE /me, so erasure never hits the module's actors."""
    world = World()
    return world.actor(role) if role not in ("candidate", "counsellor") else {
        "candidate": lambda: f.CandidateFactory(town=world.town).user,
        "counsellor": lambda: f.CounsellorFactory(town=world.town).user,
    }[role]()


def _map_id(case) -> None:
    """Half of the non-negative generated ids become ids that exist (chosen by the generated value)."""
    model = MODELS_BY_PATH.get(case.path)
    value = (case.path_parameters or {}).get("id")
    if model is None or not isinstance(value, int) or isinstance(value, bool) or value < 0 or value % 2:
        return
    ids = sorted(model.objects.values_list("pk", flat=True))
    if ids:
        case.path_parameters["id"] = ids[(value // 2) % len(ids)]


# The role that performs each operation in the boundary run: the one that gets past the permission checks to the
# input validation (anonymous for public ones). Operations not listed run as admin.
BOUNDARY_ROLES = {
    ("POST", "/api/v1/auth/token/"): "anonymous",
    ("POST", "/api/v1/auth/token/refresh/"): "anonymous",
    ("POST", "/api/v1/auth/token/verify/"): "anonymous",
    ("POST", "/api/v1/auth/logout/"): "anonymous",
    ("POST", "/api/v1/auth/register/"): "anonymous",
    ("GET", "/api/v1/me/"): "candidate",
    ("PATCH", "/api/v1/me/"): "candidate",
    ("DELETE", "/api/v1/me/"): "candidate",
    ("GET", "/api/v1/me/export/"): "candidate",
    ("POST", "/api/v1/applications/"): "candidate",
    ("POST", "/api/v1/vacancies/"): "employer",
    ("POST", "/api/v1/programmes/"): "provider",
    ("POST", "/api/v1/intakes/"): "provider",
}
HYPOTHESIS = dict(
    derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
)


def _call_and_validate(case, role: str, actors: dict) -> None:
    # Throttle counters live in the cache: without this the later cases of an operation would all get 429 and
    # test nothing. Rates are tested in tests/api/test_auth.py; here every case must reach the view.
    caches["throttle"].clear()
    user = actors[role]
    if case.method == "DELETE" and case.path == "/api/v1/me/" and user is not None:
        user = _throwaway(role)
    _map_id(case)
    headers = {"Authorization": f"Bearer {AccessToken.for_user(user)}"} if user is not None else {}
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@by_role.parametrize()
@settings(max_examples=MAX_EXAMPLES, **HYPOTHESIS)
def test_every_operation_answers_every_role_within_its_schema(case, role, actors, wsgi_keeps_connection):
    _call_and_validate(case, role, actors)


@pytest.mark.django_db
@boundaries.parametrize()
@settings(**HYPOTHESIS)
def test_boundary_inputs_get_answers_within_the_schema(case, actors, wsgi_keeps_connection):
    _call_and_validate(case, BOUNDARY_ROLES.get((case.method, case.path), "admin"), actors)


def test_boundary_roles_name_real_operations():
    operations = {(method.upper(), path) for path, methods in SCHEMA["paths"].items() for method in methods}
    assert set(BOUNDARY_ROLES) <= operations
    assert set(BOUNDARY_ROLES.values()) <= set(ROLES)


# --- Regressions: what this run found, each pinned by a plain test -------------------------------------------

LIST_OPERATIONS = [path for path, methods in SCHEMA["paths"].items()
                   if "get" in methods and "{" not in path and "page" in {p["name"] for p in methods["get"].get("parameters", [])}]


def test_the_schema_documents_404_for_a_page_past_the_end_of_every_paginated_list():
    """Found: `?page=0` answered 404, which no list operation documented (ST103 undocumented status code)."""
    assert len(LIST_OPERATIONS) >= 10
    for path in LIST_OPERATIONS:
        response = SCHEMA["paths"][path]["get"]["responses"]["404"]
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}, path


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "2", "abc"])
def test_a_page_past_the_end_is_the_documented_404_with_the_envelope(api_client, page):
    f.TownFactory()
    response = api_client.get("/api/v1/towns/", {"page": page})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["page_size=abc", "page_size=0", "page_size=-1", "page_size=null",
                                   "page_size=1.5", "page_size=5&page_size=5", "page_size=%EF%BC%95",
                                   "page_size=101", "page_size=" + "9" * 40])
def test_a_page_size_that_is_not_one_positive_whole_number_is_a_400(api_client, query):
    """Found: `?page_size=null&page_size=null` was silently read as the default (a schema-violating request accepted)."""
    response = api_client.get(f"/api/v1/towns/?{query}")
    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["fields"]) == ["page_size"]


@pytest.mark.django_db
@pytest.mark.parametrize("query,expected", [("", 20), ("page_size=", 20), ("page_size=3", 3), ("page_size=007", 7),
                                            ("page_size=100", 100)])
def test_a_valid_page_size_is_used(api_client, query, expected):
    for index in range(101):
        f.TownFactory(name=f"Town {index:03d}")
    response = api_client.get(f"/api/v1/towns/?{query}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected


def test_each_candidate_shape_allows_only_its_own_access_value():
    """Found: a full candidate matched all three branches of the `Candidate` oneOf (ST108), as every branch allowed
    every `access` value; now the discriminator value selects exactly one branch."""
    schemas = SCHEMA["components"]["schemas"]
    mapping = schemas["Candidate"]["discriminator"]["mapping"]
    assert set(mapping) == {"full", "applicant", "recruiter"}
    for access, ref in mapping.items():
        access_property = schemas[ref.rsplit("/", 1)[-1]]["properties"]["access"]
        enum = schemas[access_property["allOf"][0]["$ref"].rsplit("/", 1)[-1]]["enum"]
        assert enum == [access], (access, enum)


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema for the validator: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") else converted


@pytest.mark.django_db
def test_a_full_candidate_body_validates_against_exactly_one_branch_of_the_schema(api_client):
    import jsonschema  # schemathesis' own dependency

    candidate = f.CandidateFactory()
    f.CandidateSkillFactory(candidate=candidate)
    api_client.force_authenticate(candidate.user)
    body = api_client.get(f"/api/v1/candidates/{candidate.pk}/").json()
    assert body["access"] == "full"
    schemas = SCHEMA["components"]["schemas"]
    matches = [
        name for name in ("CandidateFullOutput", "CandidateApplicantOutput", "CandidateRecruiterOutput")
        if jsonschema.Draft4Validator(
            {"$ref": f"#/components/schemas/{name}", "components": _json_schema(SCHEMA["components"])}).is_valid(body)
    ]
    assert matches == ["CandidateFullOutput"]


@pytest.mark.django_db
@pytest.mark.parametrize("body,field,item_field", [
    ({"skills": [{}]}, "skills", "uri"),
    ({"skills": [{"essential": False}]}, "skills", "uri"),
    ({"languages": [{"language": "lv"}]}, "languages", "level"),
])
def test_patching_a_vacancy_with_an_incomplete_list_item_is_a_400_not_a_500(body, field, item_field):
    """Found (a 500, KeyError 'uri'): under PATCH DRF skipped the required fields of nested list items too."""
    from rest_framework.test import APIClient

    member = f.EmployerMemberFactory()
    vacancy = f.VacancyFactory(employer=member.employers.get(), status="draft", published_at=None)
    client = APIClient()
    client.force_authenticate(member)
    response = client.patch(f"/api/v1/vacancies/{vacancy.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert item_field in response.json()["error"]["fields"][field]["0"]
    # A whole item still works, and an omitted optional field gets its default as on create.
    skill = f.SkillFactory()
    response = client.patch(f"/api/v1/vacancies/{vacancy.pk}/", {"skills": [{"uri": skill.uri}]}, format="json")
    assert response.status_code == 200, response.content
    assert [(s["skill"]["uri"], s["essential"]) for s in response.json()["skills"]] == [(skill.uri, True)]


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    {"leads_to": ["a\x00b"]}, {"skills_taught": ["\x00"]},
])
def test_a_nul_character_in_a_concept_uri_is_a_field_400_also_on_postgresql(body):
    """Found on PostgreSQL (a 500, DataError): a URI with a NUL character reached the database lookup."""
    from rest_framework.test import APIClient

    staff = f.ProviderStaffFactory()
    programme = f.ProgrammeFactory(institution=staff.institution)
    client = APIClient()
    client.force_authenticate(staff.user)
    response = client.patch(f"/api/v1/programmes/{programme.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["fields"]) == list(body)
    # Bodies are JSON only (issue 15): a form encoding is refused before any lookup.
    response = client.patch(f"/api/v1/programmes/{programme.pk}/", body, format="multipart")
    assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.django_db
def test_a_nul_character_in_a_vacancy_skill_or_occupation_uri_is_a_field_400():
    from rest_framework.test import APIClient

    member = f.EmployerMemberFactory()
    vacancy = f.VacancyFactory(employer=member.employers.get(), status="draft", published_at=None)
    client = APIClient()
    client.force_authenticate(member)
    response = client.patch(f"/api/v1/vacancies/{vacancy.pk}/", {"occupation": "x\x00", "skills": [{"uri": "\x00"}]},
                            format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]["fields"]) == {"occupation", "skills"}
