"""Walks the README's "Permission matrix" table cell by cell with real requests.

The table is the specification: this module parses it, builds fresh data for every cell and compares the status.
Removing a rule from the code (or a row from the table) fails a test.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from django.core.cache import caches
from django.urls import URLPattern
from django.utils import timezone
from rest_framework.test import APIClient

from api import urls_insights, urls_matching, urls_oversight, urls_paths, urls_resources, urls_spreadsheets
from tests import factories as f

README = Path(__file__).resolve().parents[2] / "README.md"
ROLES = ("anonymous", "candidate", "employer", "provider", "counsellor", "admin")
HEADER = ("Endpoint", "Method", "Object", "Body", *ROLES)
NOT_APPLICABLE = "—"


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    obj: str
    body: str
    expected: dict[str, str]

    def cell_id(self, role: str) -> str:
        return f"{self.method} {self.endpoint} [{self.obj}|{self.body}] as {role}"


def parse_matrix(text: str) -> list[Row]:
    """The first markdown table under the '## Permission matrix' heading."""
    match = re.search(r"^## Permission matrix\s*$(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, "README.md has no '## Permission matrix' section"
    lines = [line.strip() for line in match.group(1).splitlines() if line.strip().startswith("|")]
    assert len(lines) > 2, "the Permission matrix section has no table"
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    assert tuple(cells[0]) == HEADER, f"matrix header is {cells[0]}, expected {HEADER}"
    rows = []
    for values in cells[2:]:
        assert len(values) == len(HEADER), f"row has {len(values)} cells: {values}"
        endpoint, method, obj, body, *statuses = values
        rows.append(Row(endpoint, method, obj, body, dict(zip(ROLES, statuses))))
    return rows


ROWS = parse_matrix(README.read_text(encoding="utf-8"))


class World:
    """Actors on side A, strangers on side B; everything built on first use, fresh for every cell."""

    @cached_property
    def town(self):
        return f.TownFactory(name="Valmiera")

    def _employer(self, verified=True):
        return f.EmployerFactory(town=self.town, verified=verified)

    @cached_property
    def emp_a(self):
        return self._employer()

    @cached_property
    def emp_b(self):
        return self._employer()

    @cached_property
    def emp_unverified(self):
        return self._employer(verified=False)

    @cached_property
    def inst_a(self):
        return f.InstitutionFactory(town=self.town)

    @cached_property
    def inst_b(self):
        return f.InstitutionFactory(town=self.town)

    @cached_property
    def couns_a(self):
        return f.CounsellorFactory(town=self.town)

    @cached_property
    def couns_b(self):
        return f.CounsellorFactory(town=self.town)

    def _candidate(self, *, counsellor=None, age=35, discoverable=True):
        return f.CandidateFactory(
            town=self.town, counsellor=counsellor, birth_year=timezone.localdate().year - age,
            consent_discoverable=discoverable, consent_discoverable_at=timezone.now() if discoverable else None,
        )

    @cached_property
    def cand_a(self):
        return self._candidate(counsellor=self.couns_a)

    @cached_property
    def cand_b(self):
        return self._candidate(counsellor=self.couns_b)

    @cached_property
    def cand_private(self):
        return self._candidate(discoverable=False)

    @cached_property
    def cand_minor(self):
        return self._candidate(age=16)

    def _vacancy(self, employer, status):
        if status == "draft":
            return f.VacancyFactory(employer=employer, status="draft", published_at=None)
        return f.VacancyFactory(employer=employer)

    @cached_property
    def vac_a_open(self):
        return self._vacancy(self.emp_a, "open")

    @cached_property
    def vac_a_draft(self):
        return self._vacancy(self.emp_a, "draft")

    @cached_property
    def vac_b_open(self):
        return self._vacancy(self.emp_b, "open")

    @cached_property
    def vac_b_draft(self):
        return self._vacancy(self.emp_b, "draft")

    @cached_property
    def prog_a(self):
        return f.ProgrammeFactory(institution=self.inst_a)

    @cached_property
    def prog_a_inactive(self):
        return f.ProgrammeFactory(institution=self.inst_a, is_active=False)

    @cached_property
    def prog_b(self):
        return f.ProgrammeFactory(institution=self.inst_b)

    @cached_property
    def prog_b_inactive(self):
        return f.ProgrammeFactory(institution=self.inst_b, is_active=False)

    @cached_property
    def int_a(self):
        return f.IntakeFactory(programme=self.prog_a)

    @cached_property
    def int_b(self):
        return f.IntakeFactory(programme=self.prog_b)

    @cached_property
    def app_a_vac(self):
        return f.ApplicationFactory(candidate=self.cand_a, vacancy=self.vac_a_open)

    @cached_property
    def app_a_int(self):
        return f.ApplicationFactory(candidate=self.cand_a, vacancy=None, intake=self.int_a)

    @cached_property
    def app_b_vac(self):
        return f.ApplicationFactory(candidate=self.cand_b, vacancy=self.vac_b_open)

    def actor(self, role: str):
        return {
            "anonymous": lambda: None,
            "candidate": lambda: self.cand_a.user,
            "employer": lambda: f.EmployerMemberFactory(employer=self.emp_a),
            "provider": lambda: f.ProviderStaffFactory(institution=self.inst_a).user,
            "counsellor": lambda: self.couns_a.user,
            "admin": lambda: f.AdminUserFactory(),
        }[role]()


def same_for_all(attribute):
    return {role: attribute for role in ROLES}


# Object name → {role: World attribute}. A role missing from the map cannot own such an object ("—" in the table).
OBJECTS: dict[str, dict[str, str]] = {
    "—": same_for_all(None),
    "skill": same_for_all("skill"),
    "occupation": same_for_all("occupation"),
    "town": same_for_all("town"),
    "institution, another's": same_for_all("inst_b"),
    "verified employer, another's": same_for_all("emp_b"),
    "unverified employer, another's": same_for_all("emp_unverified"),
    "programme, own": {"provider": "prog_a"},
    "programme, another's": same_for_all("prog_b"),
    "inactive programme, own": {"provider": "prog_a_inactive"},
    "inactive programme, another's": same_for_all("prog_b_inactive"),
    "intake, own": {"provider": "int_a"},
    "intake, another's": same_for_all("int_b"),
    "open vacancy, another's": same_for_all("vac_b_open"),
    "open vacancy, own": {"employer": "vac_a_open"},
    "draft vacancy, own": {"employer": "vac_a_draft"},
    "draft vacancy, another's": same_for_all("vac_b_draft"),
    "candidate, own": {"candidate": "cand_a", "counsellor": "cand_a"},
    "discoverable adult, another's": same_for_all("cand_b"),
    "private adult, another's": same_for_all("cand_private"),
    "discoverable minor, another's": same_for_all("cand_minor"),
    "application, own": {"candidate": "app_a_vac", "employer": "app_a_vac", "provider": "app_a_int", "counsellor": "app_a_vac"},
    "application, another's": same_for_all("app_b_vac"),
}


def _new_vacancy(world: World, role: str) -> dict:
    body = {
        "title": "Noliktavas darbinieks", "description": "Preču pieņemšana un izsniegšana.", "town": world.town.id,
        "contract_kind": "permanent", "hours": "shifts", "salary_min": 1100, "salary_max": 1300,
    }
    return {**body, "employer": world.emp_b.id} if role == "admin" else body


def _new_programme(world: World, role: str) -> dict:
    body = {"name_lv": "CNC operators", "name_en": "CNC operator", "kind": "continuing_course", "eqf_level": 3,
            "duration_months": 3, "languages": ["lv"], "mode": "evening"}
    return {**body, "institution": world.inst_b.id} if role == "admin" else body


def _new_intake(world: World, role: str) -> dict:
    programme = world.prog_a if role == "provider" else world.prog_b
    start = timezone.localdate().replace(day=1).replace(year=timezone.localdate().year + 1)
    return {"programme": programme.id, "start_date": start.isoformat(), "application_deadline": start.isoformat(), "seats": 12}


def _programme_rows(world: World, role: str) -> list[dict]:
    # Not the name and start of the JSON rows above: the live walk makes both on one database.
    return [{"code": f"M-{role}", "name_lv": "CNC operators (tabula)", "name_en": "CNC operator",
             "kind": "continuing_course", "eqf_level": 3, "duration_months": 3, "languages": "lv", "mode": "evening"}]


def _intake_rows(world: World, role: str) -> list[dict]:
    programme = world.prog_a if role == "provider" else world.prog_b
    start = timezone.localdate().replace(day=2).replace(year=timezone.localdate().year + 1)
    return [{"code": f"M-{role}", "programme": programme.id, "start_date": start.strftime("%d.%m.%Y"),
             "application_deadline": start.strftime("%d.%m.%Y"), "seats": 12}]


def _vacancy_rows(world: World, role: str) -> list[dict]:
    return [{"code": f"M-{role}", "title": "Noliktavas darbinieks", "description": "Preču pieņemšana.",
             "town": world.town.id, "contract_kind": "permanent", "hours": "shifts", "salary_min": 1100,
             "salary_max": 1300}]


BODIES = {
    "—": lambda world, role: None,
    "new vacancy": _new_vacancy,
    "edit vacancy": lambda world, role: {"title": "Edited title"},
    "open": lambda world, role: {"status": "open"},
    "new programme": _new_programme,
    "edit programme": lambda world, role: {"name_en": "Edited name"},
    "new intake": _new_intake,
    "edit intake": lambda world, role: {"seats": 30},
    "apply to vacancy": lambda world, role: {"vacancy": world.vac_b_open.id},
    "viewed": lambda world, role: {"status": "viewed"},
    "withdrawn": lambda world, role: {"status": "withdrawn"},
    "extract text": lambda world, role: {"text": "Pieredze metināšanā un darbā ar Excel.", "top_k": 5},
    "match title": lambda world, role: {"title": "metinātāja", "top_k": 5},
    "what-if programme": lambda world, role: {"programme": world.prog_b.id},
    "approve": lambda world, role: {"decision": "approved", "version": 0},
    "programme rows": _programme_rows,
    "intake rows": _intake_rows,
    "vacancy rows": _vacancy_rows,
    "viewed a vacancy": lambda world, role: {"client_event_id": f"matrix-{role}", "kind": "jobs",
                                             "item_key": f"vacancy:{world.vac_b_open.id}", "event": "viewed"},
}


def _world_attribute(world: World, name: str):
    if name == "skill":
        return f.SkillFactory()
    if name == "occupation":
        return f.OccupationFactory()
    return getattr(world, name)


CELLS = [(row, role) for row in ROWS for role in ROLES if row.expected[role] != NOT_APPLICABLE]


@pytest.mark.django_db
@pytest.mark.parametrize("row,role", CELLS, ids=[row.cell_id(role) for row, role in CELLS])
def test_permission_matrix_cell(row: Row, role: str):
    caches["throttle"].clear()  # throttle counters must not leak between cells
    assert row.obj in OBJECTS, f"unknown object {row.obj!r}: add it to OBJECTS"
    assert row.body in BODIES, f"unknown body {row.body!r}: add it to BODIES"
    world = World()
    client = APIClient()
    user = world.actor(role)
    if user is not None:
        client.force_authenticate(user)
    attribute = OBJECTS[row.obj].get(role)
    assert attribute is not None or row.obj == "—", f"{role} cannot own {row.obj!r}: the cell should be '—'"
    url = row.endpoint.replace("{town}", str(world.town.id)).replace("{vacancy}", str(world.vac_b_open.id))
    if "{id}" in url:
        url = url.replace("{id}", str(_world_attribute(world, attribute).pk))
    body = BODIES[row.body](world, role)
    response = getattr(client, row.method.lower())(url, body, format="json") if body is not None else getattr(client, row.method.lower())(url)
    assert str(response.status_code) == row.expected[role], response.content[:500]


def test_dashes_mark_exactly_the_objects_a_role_cannot_own():
    for row in ROWS:
        for role in ROLES:
            ownable = OBJECTS[row.obj].get(role) is not None or row.obj == "—"
            assert (row.expected[role] == NOT_APPLICABLE) == (not ownable), row.cell_id(role)


def _routes() -> set[tuple[str, str]]:
    """(path, method) of every resource endpoint, read from the URLconf and the views' handlers."""
    found = set()
    for pattern in [*urls_resources.urlpatterns, *urls_matching.urlpatterns, *urls_paths.urlpatterns,
                    *urls_oversight.urlpatterns, *urls_insights.urlpatterns, *urls_spreadsheets.urlpatterns]:
        assert isinstance(pattern, URLPattern)
        path = "/api/v1/" + re.sub(r"<int:pk>", "{id}", str(pattern.pattern))
        # A review or explanation names its item: a review one that exists and nobody has reviewed ({vacancy}; an
        # unknown item is a 400), an explanation one that was never served (no explanation: 404).
        item = "vacancy:999999999" if "explain" in path else "vacancy:{vacancy}"
        path = path.replace("<str:kind>/<str:item_key>", f"jobs/{item}")
        view = pattern.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                found.add((path, method.upper()))
    return found


def test_every_resource_endpoint_and_method_is_in_the_matrix():
    in_table = {(row.endpoint.split("?")[0], row.method) for row in ROWS}
    assert _routes() - in_table == set()
    assert in_table - _routes() == set()


def test_matrix_walks_every_role_on_every_row():
    assert len(ROWS) >= 40
    for row in ROWS:
        assert all(row.expected[role] for role in ROLES)
        assert set(row.expected.values()) <= {"200", "201", "204", "400", "401", "403", "404", NOT_APPLICABLE}
