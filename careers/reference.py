"""Load the curated taxonomy and the sourced reference data from ``fixtures/`` (idempotent, all or nothing).

Files (all JSON, one top-level list per file next to an optional ``_meta`` block):

* ``taxonomy/skills.json`` and ``taxonomy/occupations.json``: the ESCO concepts the service curates, with the project's
  Latvian labels, RIASEC profiles and the occupation–skill links.
* ``reference/towns.json``, ``distances.json``, ``institutions.json``, ``programmes.json``, ``employers.json``: facts
  about the two towns' providers and employers; each entry names its source.

Every cross-reference is checked before anything is written, so a broken file raises :class:`ReferenceDataError`
naming the file and the entry and leaves the database as it was. Concepts already imported from the full ESCO
download (``import_esco``) are updated in place: alternative labels are merged, never dropped, and the richer ESCO
English description is kept.
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from careers.models import (
    CefrLevel,
    EducationLevel,
    Employer,
    FundingKind,
    Institution,
    Intake,
    Language,
    Occupation,
    OccupationSkill,
    Programme,
    ProgrammeKind,
    ProgrammeMode,
    RelationType,
    Sector,
    Skill,
    SkillType,
    TargetGroup,
    Town,
    TownDistance,
)
from careers.models.taxonomy import RIASEC_FIELDS

DEFAULT_DIR = Path(settings.BASE_DIR) / "fixtures"
BATCH = 500

FILES = {
    "skills": "taxonomy/skills.json",
    "occupations": "taxonomy/occupations.json",
    "towns": "reference/towns.json",
    "distances": "reference/distances.json",
    "institutions": "reference/institutions.json",
    "programmes": "reference/programmes.json",
    "employers": "reference/employers.json",
}


class ReferenceDataError(Exception):
    """A reference file is missing, malformed or points at something that does not exist."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        super().__init__(f"{file}: {entry}: {problem}")
        self.file, self.entry, self.problem = file, entry, problem


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{name}: {count}" for name, count in self.counts.items()]


# ---------------------------------------------------------------- reading and validation


def _read(base: Path, key: str) -> list[dict[str, Any]]:
    path = base / FILES[key]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ReferenceDataError(FILES[key], "-", "file not found") from exc
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(FILES[key], f"line {exc.lineno}", f"invalid JSON ({exc.msg})") from exc
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ReferenceDataError(FILES[key], "-", f'expected an object with a list of objects under "{key}"')
    return items


class _Checker:
    """Collects the first problem per file with a readable entry name."""

    def __init__(self, key: str) -> None:
        self.file = FILES[key]

    def fail(self, entry: str, problem: str) -> None:
        raise ReferenceDataError(self.file, entry, problem)

    def require(self, item: Mapping[str, Any], entry: str, *names: str) -> None:
        missing = [name for name in names if name not in item or item[name] in (None, "")]
        if missing:
            self.fail(entry, f"missing {', '.join(missing)}")

    def choice(self, entry: str, name: str, value: Any, choices: Iterable[Any]) -> None:
        if value not in set(choices):
            self.fail(entry, f"{name} {value!r} is not one of {sorted(set(choices))}")

    def refs(self, entry: str, name: str, values: Any, known: set[str], what: str) -> None:
        if not isinstance(values, list):
            self.fail(entry, f"{name} must be a list")
        unknown = [value for value in values if value not in known]
        if unknown:
            self.fail(entry, f"{name} refers to unknown {what} {unknown[0]}")


def _label_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _validate(data: dict[str, list[dict[str, Any]]]) -> None:
    skills = _Checker("skills")
    skill_uris: set[str] = set()
    for item in data["skills"]:
        entry = str(item.get("uri") or item.get("label_en") or "?")
        skills.require(item, entry, "uri", "label_en", "label_lv", "skill_type")
        skills.choice(entry, "skill_type", item["skill_type"], SkillType.values)
        if item["uri"] in skill_uris:
            skills.fail(entry, "duplicate uri")
        skill_uris.add(item["uri"])
    for item in data["skills"]:
        skills.refs(item["uri"], "broader", item.get("broader", []), skill_uris, "skill")
        skills.refs(item["uri"], "related", item.get("related", []), skill_uris, "skill")

    occupations = _Checker("occupations")
    occupation_uris: set[str] = set()
    for item in data["occupations"]:
        entry = str(item.get("uri") or item.get("label_en") or "?")
        occupations.require(item, entry, "uri", "label_en", "isco_code")
        if item["uri"] in occupation_uris:
            occupations.fail(entry, "duplicate uri")
        occupation_uris.add(item["uri"])
        occupations.refs(entry, "essential_skills", item.get("essential_skills", []), skill_uris, "skill")
        occupations.refs(entry, "optional_skills", item.get("optional_skills", []), skill_uris, "skill")
        riasec = item.get("riasec") or {}
        for letter in "riasec":
            value = riasec.get(letter)
            if value is not None and not (isinstance(value, (int, float)) and 1 <= value <= 7):
                occupations.fail(entry, f"riasec.{letter} must be between 1 and 7")

    towns = _Checker("towns")
    town_names: set[str] = set()
    for item in data["towns"]:
        towns.require(item, str(item.get("name", "?")), "name", "latitude", "longitude")
        town_names.add(item["name"])

    distances = _Checker("distances")
    for item in data["distances"]:
        entry = f"{item.get('from')}–{item.get('to')}"
        distances.require(item, entry, "from", "to", "road_km")
        distances.refs(entry, "from/to", [item["from"], item["to"]], town_names, "town")
        if item["from"] == item["to"] or not (isinstance(item["road_km"], int) and 0 < item["road_km"] < 5000):
            distances.fail(entry, "needs two different towns and 0 < road_km < 5000")

    institutions = _Checker("institutions")
    institution_names: set[str] = set()
    for item in data["institutions"]:
        entry = str(item.get("name_lv", "?"))
        institutions.require(item, entry, "name_lv", "name_en", "kind", "town")
        institutions.choice(entry, "kind", item["kind"], Institution.Kind.values)
        institutions.refs(entry, "town", [item["town"]], town_names, "town")
        institution_names.add(item["name_lv"])

    programmes = _Checker("programmes")
    for item in data["programmes"]:
        entry = f"{item.get('institution')} / {item.get('name_lv')} ({item.get('kind')}, {item.get('mode')})"
        programmes.require(item, entry, "institution", "name_lv", "name_en", "kind", "mode", "eqf_level", "duration_months")
        programmes.refs(entry, "institution", [item["institution"]], institution_names, "institution")
        programmes.choice(entry, "kind", item["kind"], ProgrammeKind.values)
        programmes.choice(entry, "mode", item["mode"], ProgrammeMode.values)
        programmes.choice(entry, "cost_period", item.get("cost_period", "total"), Programme.CostPeriod.values)
        programmes.choice(entry, "min_education", item.get("min_education", EducationLevel.BASIC), EducationLevel.values)
        programmes.choice(entry, "eqf_level", item["eqf_level"], range(1, 9))
        programmes.choice(entry, "duration_months", item["duration_months"], range(1, 97))
        programmes.refs(entry, "languages", item.get("languages", []), set(Language.values), "language")
        programmes.refs(entry, "skills_taught", item.get("skills_taught", []), skill_uris, "skill")
        programmes.refs(entry, "leads_to", item.get("leads_to", []), occupation_uris, "occupation")
        programmes.refs(entry, "target_groups", item.get("target_groups", []), set(TargetGroup.values), "target group")
        for kind, groups in (item.get("funding_groups") or {}).items():
            programmes.choice(entry, "funding_groups", kind, set(FundingKind.values) - {FundingKind.NONE})
            programmes.refs(entry, f"funding_groups.{kind}", groups, set(TargetGroup.values), "target group")
        ages = [item.get("min_age"), item.get("max_age")]
        if any(a is not None and (not isinstance(a, int) or not 13 <= a <= 99) for a in ages) or (
                None not in ages and ages[0] > ages[1]):
            programmes.fail(entry, "min_age / max_age must be whole years 13–99, min_age <= max_age")
        rules = item.get("intake_rules")
        if rules is not None:
            months = rules.get("months")
            if not isinstance(months, list) or not months or not set(months) <= set(range(1, 13)):
                programmes.fail(entry, "intake_rules.months must be a non-empty list of months 1–12")
            seats, funded = rules.get("seats"), rules.get("funded_seats", 0)
            if not (isinstance(seats, int) and 1 <= seats <= 10000 and isinstance(funded, int) and 0 <= funded <= seats):
                programmes.fail(entry, "intake_rules needs 1 <= seats <= 10000 and 0 <= funded_seats <= seats")
            if not (isinstance(rules.get("deadline_days", 0), int) and rules.get("deadline_days", 0) >= 0):
                programmes.fail(entry, "intake_rules.deadline_days must be a non-negative integer")
            if not (isinstance(rules.get("day", 1), int) and 1 <= rules.get("day", 1) <= 31):
                programmes.fail(entry, "intake_rules.day must be 1–31")
        _check_language_course(programmes, entry, item)

    employers = _Checker("employers")
    for item in data["employers"]:
        entry = str(item.get("name", "?"))
        employers.require(item, entry, "name", "town", "sector")
        employers.refs(entry, "town", [item["town"]], town_names, "town")
        employers.choice(entry, "sector", item["sector"], Sector.values)


def _check_language_course(programmes: "_Checker", entry: str, item: dict[str, Any]) -> None:
    """A language course names its language and the CEFR levels it leads from (optional) and to."""
    course = item.get("language_course")
    if course is None:
        return
    levels = set(CefrLevel.values)
    if course.get("language") not in Language.values or course.get("level_to") not in levels or (
            course.get("level_from") is not None and (course["level_from"] not in levels
                                                      or course["level_from"] >= course["level_to"])):
        programmes.fail(entry, "language_course needs a known language, level_to 1–6 and level_from below it")
    for name in ("hours", "duration_weeks"):
        value = item.get(name)
        if value is not None and not (isinstance(value, int) and 1 <= value <= 5000):
            programmes.fail(entry, f"{name} must be a whole number 1–5000")


# ---------------------------------------------------------------- writing


def _merge(existing: Iterable[str], ours: Iterable[str], *, drop: Iterable[str] = ()) -> list[str]:
    """Union of label lists in order, without duplicates or the preferred labels."""
    skip = {label for label in drop if label}
    merged: list[str] = []
    for label in [*existing, *ours]:
        if label and label not in skip and label not in merged:
            merged.append(label)
    return merged


def _upsert_concepts(model: type, items: list[dict[str, Any]], apply: Any) -> dict[str, Any]:
    """Create or update concepts by URI in bulk; ``apply(obj, item)`` copies the fixture values onto ``obj``."""
    existing = {obj.uri: obj for obj in model.objects.filter(uri__in=[item["uri"] for item in items])}
    fields = ["label_en", "label_lv", "alt_labels_en", "alt_labels_lv", "description_en", "description_lv", "search_text"]
    fields += [f for f in apply.fields]
    new, changed = [], []
    for item in items:
        obj = existing.get(item["uri"]) or model(uri=item["uri"])
        before = [getattr(obj, name) for name in fields]
        obj.label_en = item["label_en"]
        obj.label_lv = item.get("label_lv") or obj.label_lv
        obj.alt_labels_en = _merge(obj.alt_labels_en or [], _label_list(item.get("alt_labels_en")), drop=[obj.label_en])
        obj.alt_labels_lv = _merge(obj.alt_labels_lv or [], _label_list(item.get("alt_labels_lv")), drop=[obj.label_lv])
        # ESCO's own English description (import_esco) is richer than our one-liner; ours fills the gap.
        obj.description_en = obj.description_en or item.get("description_en", "")
        obj.description_lv = item.get("description_lv") or obj.description_lv
        apply(obj, item)
        obj.refresh_search_text()  # bulk writes skip save(), which normally does this
        if obj.pk is None:
            new.append(obj)
        elif [getattr(obj, name) for name in fields] != before:
            changed.append(obj)  # only rows that differ: a re-run rewrites nothing
    model.objects.bulk_create(new, batch_size=BATCH)
    model.objects.bulk_update(changed, fields, batch_size=BATCH)
    return {obj.uri: obj.pk for obj in model.objects.filter(uri__in=[item["uri"] for item in items]).only("uri")}


def _apply_skill(obj: Skill, item: dict[str, Any]) -> None:
    obj.skill_type = item["skill_type"]
    obj.reuse_level = item.get("reuse_level", "") or obj.reuse_level


_apply_skill.fields = ["skill_type", "reuse_level"]  # type: ignore[attr-defined]


def _apply_occupation(obj: Occupation, item: dict[str, Any]) -> None:
    obj.isco_code = item["isco_code"]
    obj.lv_classifier_code = item.get("lv_classifier_code") or obj.lv_classifier_code
    riasec = item.get("riasec") or {}
    for name in RIASEC_FIELDS:
        value = riasec.get(name[-1])
        if value is not None:
            setattr(obj, name, float(value))


_apply_occupation.fields = ["isco_code", "lv_classifier_code", *RIASEC_FIELDS]  # type: ignore[attr-defined]


def _add_m2m(through: type, pairs: set[tuple[int, int]], from_field: str, to_field: str) -> None:
    """Add the (from, to) rows of a many-to-many table that are missing; never delete richer ESCO relations."""
    if not pairs:
        return
    from_ids = {a for a, _ in pairs}
    present = set(
        through.objects.filter(**{f"{from_field}__in": from_ids}).values_list(from_field, to_field)
    )
    through.objects.bulk_create(
        [through(**{from_field: a, to_field: b}) for a, b in sorted(pairs - present)], batch_size=BATCH
    )


def _load_taxonomy(data: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, int], dict[str, int]]:
    skill_ids = _upsert_concepts(Skill, data["skills"], _apply_skill)
    broader, related = set(), set()
    for item in data["skills"]:
        broader |= {(skill_ids[item["uri"]], skill_ids[uri]) for uri in item.get("broader", [])}
        related |= {(skill_ids[item["uri"]], skill_ids[uri]) for uri in item.get("related", [])}
    _add_m2m(Skill.broader.through, broader, "from_skill_id", "to_skill_id")
    _add_m2m(Skill.related.through, related, "from_skill_id", "to_skill_id")

    occupation_ids = _upsert_concepts(Occupation, data["occupations"], _apply_occupation)
    wanted: dict[tuple[int, int], str] = {}
    for item in data["occupations"]:
        occupation_id = occupation_ids[item["uri"]]
        for uri in item.get("optional_skills", []):
            wanted[(occupation_id, skill_ids[uri])] = RelationType.OPTIONAL
        for uri in item.get("essential_skills", []):
            wanted[(occupation_id, skill_ids[uri])] = RelationType.ESSENTIAL
    links = {
        (link.occupation_id, link.skill_id): link
        for link in OccupationSkill.objects.filter(occupation_id__in=set(occupation_ids.values()))
    }
    new, changed = [], []
    for (occupation_id, skill_id), relation in wanted.items():
        link = links.get((occupation_id, skill_id))
        if link is None:
            new.append(OccupationSkill(occupation_id=occupation_id, skill_id=skill_id, relation=relation))
        elif link.relation != relation:
            link.relation = relation
            changed.append(link)
    OccupationSkill.objects.bulk_create(new, batch_size=BATCH)
    OccupationSkill.objects.bulk_update(changed, ["relation"], batch_size=BATCH)
    return skill_ids, occupation_ids


def upcoming_intakes(rules: Mapping[str, Any], *, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(start, deadline) for each month in ``rules``: the first such start date after ``today``, so within 12 months."""
    day = int(rules.get("day", 1))
    dates = []
    for month in sorted(set(rules["months"])):
        year = today.year
        start = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if start <= today:
            year += 1
            start = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
        dates.append((start, start - dt.timedelta(days=int(rules.get("deadline_days", 0)))))
    return dates


def _load_reference(
    data: dict[str, list[dict[str, Any]]], skill_ids: dict[str, int], occupation_ids: dict[str, int], today: dt.date
) -> None:
    towns = {}
    for item in data["towns"]:
        towns[item["name"]], _ = Town.objects.update_or_create(
            name=item["name"],
            defaults={"name_en": item.get("name_en", ""), "latitude": item["latitude"], "longitude": item["longitude"],
                      "source": item.get("source", "")},
        )
    for item in data["distances"]:
        a, b = sorted((towns[item["from"]], towns[item["to"]]), key=lambda town: town.pk)
        TownDistance.objects.update_or_create(
            from_town=a, to_town=b,
            defaults={"road_km": item["road_km"], "is_estimate": bool(item.get("is_estimate")), "source": item.get("source", "")},
        )
    institutions = {}
    for item in data["institutions"]:
        institutions[item["name_lv"]], _ = Institution.objects.update_or_create(
            name_lv=item["name_lv"],
            defaults={"name_en": item["name_en"], "short_name": item.get("short_name", ""), "kind": item["kind"],
                      "town": towns[item["town"]], "website": item.get("website", ""),
                      "has_dormitory": bool(item.get("has_dormitory")), "source": item.get("source", "")},
        )
    for item in data["programmes"]:
        programme, _ = Programme.objects.update_or_create(
            institution=institutions[item["institution"]], name_lv=item["name_lv"], kind=item["kind"], mode=item["mode"],
            defaults={
                "name_en": item["name_en"],
                "description_lv": item.get("description_lv", ""),
                "description_en": item.get("description_en", ""),
                "eqf_level": item["eqf_level"],
                "duration_months": item["duration_months"],
                "languages": item.get("languages", []),
                "cost_eur": Decimal(str(item.get("cost_eur", 0))),
                "cost_period": item.get("cost_period", Programme.CostPeriod.TOTAL),
                "state_funded_places": bool(item.get("state_funded_places")),
                "voucher_eligible": bool(item.get("voucher_eligible")),
                "adult_learning_cofinanced": bool(item.get("adult_learning_cofinanced")),
                "min_education": item.get("min_education", EducationLevel.BASIC),
                "target_groups": list(item.get("target_groups", [])),
                "min_age": item.get("min_age"), "max_age": item.get("max_age"),
                "funding_groups": dict(item.get("funding_groups") or {}),
                "source": item.get("source", ""),
                "is_demo": bool(item.get("is_demo")),
                "is_active": item.get("is_active", True),
                **_language_course_fields(item),
            },
        )
        programme.skills_taught.set([skill_ids[uri] for uri in item.get("skills_taught", [])])
        programme.leads_to.set([occupation_ids[uri] for uri in item.get("leads_to", [])])
        rules = item.get("intake_rules")
        if rules and programme.is_active:
            for start, deadline in upcoming_intakes(rules, today=today):
                Intake.objects.update_or_create(
                    programme=programme, start_date=start,
                    defaults={"application_deadline": deadline, "seats": rules["seats"],
                              "funded_seats": rules.get("funded_seats", 0),
                              "is_demo": bool(item.get("is_demo") or rules.get("is_demo"))},
                )
    for item in data["employers"]:
        Employer.objects.update_or_create(
            name=item["name"],
            defaults={"town": towns[item["town"]], "sector": item["sector"], "description": item.get("description", ""),
                      "website": item.get("website", ""), "verified": bool(item.get("verified", True)),
                      "source": item.get("source", "")},
        )


def _language_course_fields(item: dict[str, Any]) -> dict[str, Any]:
    course = item.get("language_course") or {}
    stipend = item.get("stipend") or {}
    return {"teaches_language": course.get("language", ""), "language_level_from": course.get("level_from"),
            "language_level_to": course.get("level_to"), "hours": item.get("hours"),
            "duration_weeks": item.get("duration_weeks"),
            "stipend_eur_per_day": (Decimal(str(stipend["eur_per_day"])) if stipend.get("eur_per_day") is not None
                                    else None),
            "stipend_for_lv": stipend.get("for_lv", ""), "stipend_for_en": stipend.get("for_en", "")}


def load_reference(*, fixtures_dir: Path | None = None, today: dt.date | None = None) -> LoadReport:
    """Validate every file, then load taxonomy and reference data in one transaction; returns table counts."""
    base = Path(fixtures_dir) if fixtures_dir else DEFAULT_DIR
    data = {key: _read(base, key) for key in FILES}
    _validate(data)
    today = today or timezone.localdate()
    with transaction.atomic():
        skill_ids, occupation_ids = _load_taxonomy(data)
        _load_reference(data, skill_ids, occupation_ids, today)
    return LoadReport(counts={
        "skills": Skill.objects.count(),
        "occupations": Occupation.objects.count(),
        "occupation skills": OccupationSkill.objects.count(),
        "towns": Town.objects.count(),
        "distances": TownDistance.objects.count(),
        "institutions": Institution.objects.count(),
        "programmes": Programme.objects.count(),
        "intakes": Intake.objects.count(),
        "employers": Employer.objects.count(),
    })
