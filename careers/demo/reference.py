"""The reference data the demo builds on (what ``load_reference`` put in the database), read once and checked."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from careers.models import (
    Employer, Institution, Intake, Occupation, OccupationSkill, Programme, RelationType, Skill, Town,
)

from .common import fixture

# Institutions the demo needs, found by the start of their Latvian name (load_reference owns the exact names).
INSTITUTIONS = {
    "vtech": ("Valmieras tehnikums",),
    "ventech": ("Ventspils tehnikums",),
    "via": ("Vidzemes Augstskola",),
    "vea": ("Ventspils Augstskola",),
}
REQUIRED_TOWNS = ("Valmiera", "Ventspils")


class DemoDataMissing(Exception):
    """The reference data the demo builds on is not in the database."""


@dataclass
class Reference:
    towns: dict[str, Town]
    occupations: dict[str, Occupation]  # by URI
    occupations_by_label: dict[str, Occupation]  # by English preferred label
    essential: dict[int, list[int]]  # occupation id -> skill ids (ordered by skill URI)
    optional: dict[int, list[int]]
    taught: dict[int, set[int]]  # occupation id -> skill ids taught by active programmes that lead to it
    all_skill_ids: list[int]
    employers: list[Employer]  # reference employers, ordered by name
    institutions: dict[str, Institution]
    intakes: list[Intake]


def reference_load() -> Reference:
    """Read the reference data; raise DemoDataMissing naming every missing part when load_reference has not run."""
    problems: list[str] = []
    towns = _towns(problems)
    occupations = _occupations(problems)
    essential, optional = _skill_links(problems)
    employers = _employers(problems)
    institutions = _institutions(problems)
    if problems:
        raise DemoDataMissing(
            "Reference data is missing: " + "; ".join(problems) + ". Run `python manage.py load_reference` first."
        )
    return Reference(
        towns=towns,
        occupations=occupations,
        occupations_by_label={occ.label_en: occ for occ in occupations.values()},
        essential=essential,
        optional=optional,
        taught=_taught(),
        all_skill_ids=list(Skill.objects.order_by("uri").values_list("id", flat=True)),
        employers=employers,
        institutions=institutions,
        intakes=_intakes(),
    )


def _towns(problems: list[str]) -> dict[str, Town]:
    towns = {town.name: town for town in Town.objects.order_by("name")}
    missing_towns = [name for name in REQUIRED_TOWNS if name not in towns]
    if missing_towns:
        problems.append(f"towns {', '.join(missing_towns)}")
    return towns


def _occupations(problems: list[str]) -> dict[str, Occupation]:
    occupations = {occ.uri: occ for occ in Occupation.objects.order_by("uri")}
    wanted = {tpl["occupation"] for tpl in fixture("vacancy_templates.json")["jobs"]}
    found = wanted & occupations.keys()
    if len(found) < len(wanted) // 2:
        problems.append(f"curated occupations ({len(found)} of the {len(wanted)} the demo uses)")
    return occupations


def _skill_links(problems: list[str]) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """occupation id -> essential skill ids, and -> optional ones (both ordered by skill URI)."""
    essential: dict[int, list[int]] = defaultdict(list)
    optional: dict[int, list[int]] = defaultdict(list)
    links = OccupationSkill.objects.order_by("occupation__uri", "skill__uri").values_list(
        "occupation_id", "skill_id", "relation"
    )
    for occupation_id, skill_id, relation in links:
        (essential if relation == RelationType.ESSENTIAL else optional)[occupation_id].append(skill_id)
    if not essential:
        problems.append("occupation–skill links (OccupationSkill)")
    return dict(essential), dict(optional)


def _taught() -> dict[int, set[int]]:
    """occupation id -> the skills the active programmes leading to it teach (the trade's core, as local schools
    teach it)."""
    taught: dict[int, set[int]] = defaultdict(set)
    links = Programme.leads_to.through.objects.filter(programme__is_active=True).values_list(
        "occupation_id", "programme_id")
    skills: dict[int, set[int]] = defaultdict(set)
    for programme_id, skill_id in Programme.skills_taught.through.objects.values_list("programme_id", "skill_id"):
        skills[programme_id].add(skill_id)
    for occupation_id, programme_id in links:
        taught[occupation_id] |= skills[programme_id]
    return dict(taught)


def _employers(problems: list[str]) -> list[Employer]:
    employers = list(Employer.objects.select_related("town").order_by("name"))
    invented = {row["name"] for row in fixture("employers.json")["employers"]}
    if not [e for e in employers if e.name not in invented]:
        problems.append("employers")
    return employers


def _institutions(problems: list[str]) -> dict[str, Institution]:
    institutions = {}
    for key, prefixes in INSTITUTIONS.items():
        match = _institution(prefixes)
        if match is None:
            problems.append(f"institution '{prefixes[0]}'")
        else:
            institutions[key] = match
    return institutions


def _institution(prefixes: tuple[str, ...]) -> Institution | None:
    for prefix in prefixes:
        match = Institution.objects.filter(name_lv__istartswith=prefix).order_by("name_lv").first()
        if match:
            return match
    return None


def _intakes() -> list[Intake]:
    return list(
        Intake.objects.select_related("programme__institution__town")
        .prefetch_related("programme__leads_to")
        .order_by("programme__institution__name_lv", "programme__name_lv", "programme__kind", "programme__mode", "start_date")
    )
