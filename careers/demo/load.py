"""Invented demo data on top of the reference data: vacancies, candidates, staff, applications and demo logins.

`demo_load` reads what `load_reference` put in the database (towns, occupations with their ESCO skills, real
employers, institutions, intakes) and adds the demo world described by the curated files in ``fixtures/demo/``.

* Deterministic: every random draw comes from ``random.Random`` seeded per section, and every query that feeds a
  draw is ordered by a natural key (URI, name), so SQLite and PostgreSQL produce the same world.
* Dates are relative to ``today`` so the demo never goes stale: open vacancies were published in the last 30 days
  and expire 2–10 weeks ahead.
* Idempotent: rows are keyed on natural keys (users on username, vacancies on employer + title + town, applications
  on candidate + target) and brought to the planned state; a second run on the same day writes nothing new and the
  counts never change.
* A feedback history (``careers.demo.feedback``): jobs lists served to generated candidates and what they,
  employers and counsellors did with them, so that ``train_ranker`` learns in a fresh demo.
* All people are fictitious: random combinations of common Latvian names, e-mails under the reserved ``.example``
  top-level domain (RFC 2606), no phone numbers.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from careers.demo.feedback import load_feedback_history
from careers.models import (
    Application,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    CefrLevel,
    ContractKind,
    Counsellor,
    EducationLevel,
    Employer,
    FeedbackEvent,
    HoursKind,
    Institution,
    Intake,
    Occupation,
    OccupationSkill,
    ProviderStaff,
    RecommendationList,
    RelationType,
    Review,
    Role,
    Skill,
    Town,
    User,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
    WorkExperience,
)

DEMO_PASSWORD = "Demo-Parole-2026"
# ".example" is reserved (RFC 2606): no demo address can ever reach a real mailbox.
DEMO_EMAIL_DOMAIN = "demo.example"
# Generated candidates cannot log in: a password starting with "!" is unusable in Django.
NO_LOGIN_PASSWORD = "!demo-generated-no-login"
SEED = 2026
FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
# A fixed salt keeps the stored hash identical between runs (idempotence); the password is public anyway.
_PASSWORD_SALT = "nextgendemo2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    shows: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", Role.ADMIN, "Django admin (/admin/) and every API; verifies employers"),
    DemoLogin("analyst.valmiera", Role.ANALYST, "journey 5: skill demand vs supply by town, shortages, fairness report"),
    DemoLogin("counsellor.valmiera", Role.COUNSELLOR,
              "journeys 1 and 4: school counsellor at Valmieras tehnikums; releases pupils' recommendations"),
    DemoLogin("counsellor.valmiera.novads", Role.COUNSELLOR, "journey 4: municipality counsellor, Valmiera"),
    DemoLogin("counsellor.ventspils", Role.COUNSELLOR,
              "journey 4: municipality counsellor, Ventspils; caseload of registered unemployed incl. welder.ventspils"),
    DemoLogin("counsellor.ventspils.tehnikums", Role.COUNSELLOR, "journey 4: school counsellor at Ventspils tehnikums"),
    DemoLogin("provider.vtech", Role.PROVIDER, "journey 5: Valmieras tehnikums staff; programmes and intakes"),
    DemoLogin("provider.ventspils", Role.PROVIDER, "journey 5: Ventspils tehnikums staff; programmes and intakes"),
    DemoLogin("provider.via", Role.PROVIDER, "Vidzemes Augstskola staff"),
    DemoLogin("provider.vea", Role.PROVIDER, "Ventspils Augstskola staff"),
    DemoLogin("employer.valmiera", Role.EMPLOYER,
              "journey 3: member of a verified Valmiera manufacturer; posts vacancies, ranks candidates"),
    DemoLogin("employer.ventspils", Role.EMPLOYER, "member of a verified Ventspils metalworking employer"),
    DemoLogin("employer.it", Role.EMPLOYER, "member of a verified IT employer (English-language postings, hybrid/remote)"),
    DemoLogin("employer.unverified", Role.EMPLOYER,
              "member of a new, not yet verified café: its vacancies stay hidden until staff verify it"),
    DemoLogin("pupil.valmiera", Role.CANDIDATE,
              "journey 1: 16-year-old pupil in Valmiera, supervised, RIASEC answered, few skills"),
    DemoLogin("welder.ventspils", Role.CANDIDATE,
              "journey 2: 42-year-old registered-unemployed welder in Ventspils with a Latvian CV; retrains (CNC)"),
    DemoLogin("student.via", Role.CANDIDATE, "IT student at Vidzemes Augstskola looking for part-time work / internship"),
    DemoLogin("reskilling.valmiera", Role.CANDIDATE,
              "journey 6 (and reskilling): employed office worker in Valmiera moving into data analysis"),
)

# Institutions the demo needs, found by the start of their Latvian name (load_reference owns the exact names).
INSTITUTIONS = {
    "vtech": ("Valmieras tehnikums",),
    "ventech": ("Ventspils tehnikums",),
    "via": ("Vidzemes Augstskola",),
    "vea": ("Ventspils Augstskola",),
}
REQUIRED_TOWNS = ("Valmiera", "Ventspils")
KURZEME = {"Ventspils", "Kuldīga", "Talsi", "Liepāja"}
EDUCATION = {
    "none": EducationLevel.NONE, "basic": EducationLevel.BASIC, "secondary": EducationLevel.SECONDARY,
    "short_cycle": EducationLevel.SHORT_CYCLE, "bachelor": EducationLevel.BACHELOR, "master": EducationLevel.MASTER,
}
CEFR = {label: value for value, label in CefrLevel.choices}
# Latvian needs the town in the locative ("in Valmiera") and genitive ("a Valmiera company") in running text.
TOWN_LOCATIVE = {
    "Valmiera": "Valmierā", "Ventspils": "Ventspilī", "Rīga": "Rīgā", "Cēsis": "Cēsīs", "Kuldīga": "Kuldīgā",
    "Talsi": "Talsos", "Smiltene": "Smiltenē", "Limbaži": "Limbažos", "Valka": "Valkā", "Liepāja": "Liepājā",
}
TOWN_GENITIVE = {
    "Valmiera": "Valmieras", "Ventspils": "Ventspils", "Rīga": "Rīgas", "Cēsis": "Cēsu", "Kuldīga": "Kuldīgas",
    "Talsi": "Talsu", "Smiltene": "Smiltenes", "Limbaži": "Limbažu", "Valka": "Valkas", "Liepāja": "Liepājas",
}


class DemoDataMissing(Exception):
    """The reference data the demo builds on is not in the database."""


# --------------------------------------------------------------------------------------------------------------
# Fixtures and reference data


@cache
def _fixture(name: str) -> dict[str, Any]:
    with open(FIXTURES_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


@dataclass
class Reference:
    towns: dict[str, Town]
    occupations: dict[str, Occupation]  # by URI
    occupations_by_label: dict[str, Occupation]  # by English preferred label
    essential: dict[int, list[int]]  # occupation id -> skill ids (ordered by skill URI)
    optional: dict[int, list[int]]
    all_skill_ids: list[int]
    employers: list[Employer]  # reference employers, ordered by name
    institutions: dict[str, Institution]
    intakes: list[Intake]


def _reference() -> Reference:
    problems = []
    towns = {town.name: town for town in Town.objects.order_by("name")}
    missing_towns = [name for name in REQUIRED_TOWNS if name not in towns]
    if missing_towns:
        problems.append(f"towns {', '.join(missing_towns)}")
    occupations = {occ.uri: occ for occ in Occupation.objects.order_by("uri")}
    wanted = {tpl["occupation"] for tpl in _fixture("vacancy_templates.json")["jobs"]}
    found = wanted & occupations.keys()
    if len(found) < len(wanted) // 2:
        problems.append(f"curated occupations ({len(found)} of the {len(wanted)} the demo uses)")
    essential: dict[int, list[int]] = defaultdict(list)
    optional: dict[int, list[int]] = defaultdict(list)
    links = OccupationSkill.objects.order_by("occupation__uri", "skill__uri").values_list(
        "occupation_id", "skill_id", "relation"
    )
    for occupation_id, skill_id, relation in links:
        (essential if relation == RelationType.ESSENTIAL else optional)[occupation_id].append(skill_id)
    if not essential:
        problems.append("occupation–skill links (OccupationSkill)")
    employers = list(Employer.objects.select_related("town").order_by("name"))
    invented = {row["name"] for row in _fixture("employers.json")["employers"]}
    if not [e for e in employers if e.name not in invented]:
        problems.append("employers")
    institutions = {}
    for key, prefixes in INSTITUTIONS.items():
        match = None
        for prefix in prefixes:
            match = Institution.objects.filter(name_lv__istartswith=prefix).order_by("name_lv").first()
            if match:
                break
        if match is None:
            problems.append(f"institution '{prefixes[0]}'")
        else:
            institutions[key] = match
    if problems:
        raise DemoDataMissing(
            "Reference data is missing: " + "; ".join(problems) + ". Run `python manage.py load_reference` first."
        )
    intakes = list(
        Intake.objects.select_related("programme__institution__town")
        .prefetch_related("programme__leads_to")
        .order_by("programme__institution__name_lv", "programme__name_lv", "programme__kind", "programme__mode", "start_date")
    )
    return Reference(
        towns=towns,
        occupations=occupations,
        occupations_by_label={occ.label_en: occ for occ in occupations.values()},
        essential=dict(essential),
        optional=dict(optional),
        all_skill_ids=list(Skill.objects.order_by("uri").values_list("id", flat=True)),
        employers=employers,
        institutions=institutions,
        intakes=intakes,
    )


def _rng(section: str) -> random.Random:
    # One stream per section: changing the plan of one section never reshuffles another.
    return random.Random(f"{SEED}:{section}")


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _first_mostly(rng: random.Random, options: list[str], first: float = 0.65) -> str:
    if len(options) == 1 or rng.random() < first:
        return options[0]
    return rng.choice(options[1:])


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


# --------------------------------------------------------------------------------------------------------------
# Generic synchronisation: bring a table to a planned state with a few bulk queries.


def _diff_update(obj: models.Model, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _upsert(model: type[models.Model], existing: dict[Any, models.Model], planned: dict[Any, dict[str, Any]]) -> dict:
    """Create the planned rows that are missing and update the changed ones; return key -> object."""
    to_create, to_update, changed_fields = [], [], set()
    result = {}
    for key, fields in planned.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**fields)
            to_create.append(obj)
        else:
            changed = _diff_update(obj, fields)
            if changed:
                to_update.append(obj)
                changed_fields.update(changed)
        result[key] = obj
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    return result


def _sync_children(
    model: type[models.Model], parent_field: str, parent_ids: Iterable[int], key_field: str,
    planned: dict[int, dict[Any, dict[str, Any]]],
) -> None:
    """Make the children of each parent exactly the planned ones (keyed by ``key_field``)."""
    parent_ids = list(parent_ids)
    existing: dict[tuple, models.Model] = {}
    stale = []
    for obj in model.objects.filter(**{f"{parent_field}__in": parent_ids}).order_by("pk"):
        key = (getattr(obj, parent_field), getattr(obj, key_field))
        if key[1] not in planned.get(key[0], {}) or key in existing:
            stale.append(obj.pk)
        else:
            existing[key] = obj
    if stale:
        model.objects.filter(pk__in=stale).delete()
    flat = {
        (parent_id, child_key): {parent_field: parent_id, key_field: child_key, **fields}
        for parent_id, children in planned.items()
        for child_key, fields in children.items()
    }
    _upsert(model, existing, flat)


# --------------------------------------------------------------------------------------------------------------
# Users


@dataclass
class PlannedUser:
    username: str
    first_name: str
    last_name: str
    role: str
    can_log_in: bool
    is_staff: bool = False
    is_superuser: bool = False
    preferred_language: str = "lv"


def _sync_users(planned: list[PlannedUser]) -> dict[str, User]:
    demo_hash = make_password(DEMO_PASSWORD, salt=_PASSWORD_SALT)
    existing = {u.username: u for u in User.objects.filter(username__in=[p.username for p in planned])}
    rows = {
        p.username: {
            "username": p.username,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "email": f"{p.username}@{DEMO_EMAIL_DOMAIN}",
            "role": p.role,
            "is_staff": p.is_staff,
            "is_superuser": p.is_superuser,
            "is_active": True,
            "preferred_language": p.preferred_language,
            "password": demo_hash if p.can_log_in else NO_LOGIN_PASSWORD,
        }
        for p in planned
    }
    return _upsert(User, existing, rows)


class NamePicker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = _fixture("names.json")

    def pick(self, gender: str, russian: bool = False) -> tuple[str, str]:
        female = gender == "female" or (gender not in ("female", "male") and self.rng.random() < 0.5)
        suffix = "_ru" if russian else ""
        first = self.rng.choice(self.names[("first_female" if female else "first_male") + suffix])
        last = self.rng.choice(self.names["surnames" + suffix])[1 if female else 0]
        return first, last


# --------------------------------------------------------------------------------------------------------------
# Vacancies


@dataclass
class PlannedVacancy:
    employer: Employer
    title: str
    town: Town
    fields: dict[str, Any]
    skills: dict[int, bool]  # skill id -> essential
    languages: dict[str, int]


def _salary(rng: random.Random, low: int, high: int, part_time_of_full: bool) -> tuple[int, int]:
    factor = 1 + rng.uniform(-0.06, 0.08)
    low, high = low * factor, high * factor
    if part_time_of_full:
        # A part-time post of a full-time template: about half the hours, pay pro rata.
        low, high = low * 0.5, high * 0.55
    step = 10 if high < 1000 else 50
    low, high = int(round(low / step) * step), int(round(high / step) * step)
    return max(1, low), max(low, high)


def _description(
    rng: random.Random, tpl: dict, lang: str, employer: Employer, town: Town, salary: tuple[int, int],
    hours: str, sector_offers: str,
) -> str:
    data = _fixture("vacancy_templates.json")
    intro = rng.choice(data["intros"][lang]).format(
        employer=employer.name, town=town.name, town_in=TOWN_LOCATIVE.get(town.name, town.name)
    ).replace("..", ".")
    offers = [pair[0 if lang == "lv" else 1] for pair in data["offers"][sector_offers]]
    offers = rng.sample(offers, k=min(3, len(offers)))
    if sector_offers != "youth" and rng.random() < 0.5:
        offers.append(rng.choice(data["offers"]["default"])[0 if lang == "lv" else 1])
    bullet = "\n".join
    if lang == "lv":
        hours_text = {"full_time": "pilna slodze", "part_time": "nepilna slodze", "shifts": "maiņu darbs"}[hours]
        salary_line = f"Bruto alga {salary[0]}–{salary[1]} EUR mēnesī ({hours_text})."
        return (
            f"{intro}\n\n"
            "Pienākumi:\n" + bullet(f"• {line}" for line in tpl["duties_lv"]) + "\n\n"
            "Prasības:\n" + bullet(f"• {line}" for line in tpl["requirements_lv"]) + "\n\n"
            "Mēs piedāvājam:\n" + bullet(f"• {line}" for line in offers) + "\n\n"
            f"{salary_line}\nDarba vieta: {town.name}.\n"
            "CV un pieteikumu lūdzam iesniegt, izmantojot pogu «Pieteikties»."
        )
    hours_text = {"full_time": "full-time", "part_time": "part-time", "shifts": "shift work"}[hours]
    return (
        f"{intro}\n\n"
        "Responsibilities:\n" + bullet(f"• {line}" for line in tpl["duties_en"]) + "\n\n"
        "Requirements:\n" + bullet(f"• {line}" for line in tpl["requirements_en"]) + "\n\n"
        "We offer:\n" + bullet(f"• {line}" for line in offers) + "\n\n"
        f"Gross salary EUR {salary[0]}–{salary[1]} per month ({hours_text}).\nLocation: {town.name}.\n"
        "Apply with your CV through the «Apply» button."
    )


def _plan_vacancies(ref: Reference, employers: list[Employer], cafe: Employer, today: dt.date) -> tuple[list, list]:
    data = _fixture("vacancy_templates.json")
    rng = _rng("vacancies")
    by_sector: dict[str, list[Employer]] = defaultdict(list)
    for employer in employers:
        if employer.pk != cafe.pk:
            by_sector[employer.sector].append(employer)
    planned: dict[tuple, PlannedVacancy] = {}
    skipped: list[str] = []

    def status_dates() -> tuple[str, dt.date | None, dt.date | None]:
        roll = rng.random()
        if roll < 0.06:
            return Vacancy.Status.DRAFT, None, None
        if roll < 0.11:
            published = today - dt.timedelta(days=rng.randint(45, 90))
            return Vacancy.Status.CLOSED, published, published + dt.timedelta(days=30)
        return (
            Vacancy.Status.OPEN,
            today - dt.timedelta(days=rng.randint(0, 29)),
            today + dt.timedelta(days=rng.randint(14, 70)),
        )

    def add(tpl: dict, youth: bool, index: int, only: Employer | None = None) -> PlannedVacancy | None:
        occupation = ref.occupations.get(tpl["occupation"])
        if occupation is None:
            skipped.append(f"{tpl['label']}: occupation not loaded")
            return None
        essential = ref.essential.get(occupation.pk, [])
        optional = ref.optional.get(occupation.pk, [])
        if len(essential) + len(optional) < 3:
            skipped.append(f"{tpl['label']}: fewer than 3 skills")
            return None
        pool: list[tuple[Employer, float]] = [(only, 1.0)] if only else []
        if not only and tpl.get("employers"):
            # Some trades belong to particular employers (a kindergarten, a hospital), not to a whole sector.
            pool = [(e, 1.0) for e in employers if any(hint in e.name for hint in tpl["employers"])]
        for rank, sector in enumerate([] if pool else tpl["sectors"]):
            members = [e for e in by_sector.get(sector, []) if not youth or e.town.name in tpl["towns"]]
            per_town = Counter(e.town_id for e in members)
            # Weight by 1 / (employers of the sector in that town): Ventspils' ten port terminals must not
            # outvote Valmiera's two metalworkers for every metal or logistics job.
            pool += [(e, (3.0 if rank == 0 else 1.0) / per_town[e.town_id]) for e in members]
        if not pool:
            skipped.append(f"{tpl['label']}: no employer in sectors {tpl['sectors']}")
            return None
        contract = _first_mostly(rng, tpl["contracts"])
        hours = _first_mostly(rng, tpl["hours"])
        arrangement = _first_mostly(rng, tpl["arrangements"])
        for _attempt in range(6):
            employer = rng.choices([e for e, _ in pool], weights=[w for _, w in pool])[0]
            town = employer.town
            if not youth and tpl.get("also_in") and rng.random() < 0.3:
                town = ref.towns.get(rng.choice(tpl["also_in"]), town)
            english = rng.random() < {"it": 0.75, "electronics": 0.2}.get(employer.sector, 0.03 if not youth else 0.0)
            lang = "en" if english else "lv"
            titles = tpl["titles"][index % len(tpl["titles"]):] + tpl["titles"][: index % len(tpl["titles"])]
            for title_lv, title_en in titles:
                title = title_en if lang == "en" else title_lv
                key = (employer.pk, title, town.pk)
                if key not in planned:
                    break
            else:
                continue
            break
        else:
            skipped.append(f"{tpl['label']}: no free employer/title/town")
            return None
        part_time_of_full = not youth and hours == HoursKind.PART_TIME
        salary = _salary(rng, *tpl["salary"], part_time_of_full)
        if not youth and not part_time_of_full:
            salary = (max(salary[0], 780), max(salary[1], 780))
        status, published, expires = status_dates()
        chosen_essential = rng.sample(essential, k=min(len(essential), rng.randint(4, 8)))
        chosen_optional = rng.sample(optional, k=min(len(optional), rng.randint(1, 3)))
        skills = {sid: True for sid in chosen_essential}
        skills.update({sid: False for sid in chosen_optional if sid not in skills})
        for sid in optional:  # occupations with few essential skills: top up to the minimum of 3
            if len(skills) >= 3:
                break
            skills.setdefault(sid, False)
        languages = {code: CEFR[level] for code, level in tpl["languages"].items()}
        if lang == "en":
            languages["en"] = max(languages.get("en", 0), CefrLevel.B2)
        text_tpl = dict(tpl, title_lv=title_lv, title_en=title_en)
        if youth:
            offers_key = "youth" if contract in (ContractKind.SUMMER_JOB, ContractKind.APPRENTICESHIP) else "default"
        else:
            offers_key = data["sector_offers"].get(employer.sector, "default")
        planned[key] = plan = PlannedVacancy(
            employer=employer,
            title=title,
            town=town,
            fields={
                "description": _description(rng, text_tpl, lang, employer, town, salary, hours, offers_key),
                "text_language": lang,
                "occupation_id": occupation.pk,
                "work_arrangement": arrangement,
                "contract_kind": contract,
                "hours": hours,
                "salary_min": salary[0],
                "salary_max": salary[1],
                "min_education": EDUCATION[tpl["education"]],
                "min_age": tpl["min_age"],
                "places": rng.choice([1, 1, 1, 2, 2, 3, 5]) if not youth else rng.choice([2, 3, 5, 8]),
                "status": status,
                "published_at": published,
                "expires_at": expires,
            },
            skills=skills,
            languages=languages,
        )
        return plan

    for tpl in data["jobs"]:
        for index in range(tpl["weight"]):
            add(tpl, False, index)
    for tpl in data["youth"]:
        for index in range(tpl["weight"]):
            add(tpl, True, index)
    # The unverified café: a draft and an open posting; neither is public until staff verify the employer.
    for status, occupation_label in ((Vacancy.Status.DRAFT, "bartender"), (Vacancy.Status.OPEN, "waiter/waitress")):
        tpl = next(t for t in data["jobs"] if t["label"] == occupation_label)
        plan = add(tpl, False, 0, only=cafe)
        if plan is not None:
            plan.fields.update(
                status=status,
                published_at=None if status == Vacancy.Status.DRAFT else today - dt.timedelta(days=2),
                expires_at=None if status == Vacancy.Status.DRAFT else today + dt.timedelta(days=40),
            )
    return list(planned.values()), skipped


def _sync_vacancies(planned: list[PlannedVacancy]) -> dict[tuple, Vacancy]:
    employer_ids = {p.employer.pk for p in planned}
    existing = {
        (v.employer_id, v.title, v.town_id): v for v in Vacancy.objects.filter(employer_id__in=employer_ids)
    }
    rows = {
        (p.employer.pk, p.title, p.town.pk): {
            "employer_id": p.employer.pk, "title": p.title, "town_id": p.town.pk, **p.fields
        }
        for p in planned
    }
    vacancies = _upsert(Vacancy, existing, rows)
    ids = [v.pk for v in vacancies.values()]
    by_key = {(p.employer.pk, p.title, p.town.pk): p for p in planned}
    _sync_children(
        VacancySkill, "vacancy_id", ids, "skill_id",
        {vacancies[k].pk: {sid: {"essential": ess} for sid, ess in p.skills.items()} for k, p in by_key.items()},
    )
    _sync_children(
        VacancyLanguage, "vacancy_id", ids, "language",
        {vacancies[k].pk: {code: {"level": level} for code, level in p.languages.items()} for k, p in by_key.items()},
    )
    return vacancies


# --------------------------------------------------------------------------------------------------------------
# Candidates


@dataclass
class PlannedCandidate:
    user: PlannedUser
    fields: dict[str, Any]
    counsellor_key: str | None
    skills: dict[int, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    history: list[tuple[int, str, str, Decimal]] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)


_GENDER_FORM = re.compile(r"\{([^{}|]+)\|([^{}|]+)\}")


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(text: str, gender: str, values: dict[str, Any]) -> str:
    text = _GENDER_FORM.sub(lambda m: m.group(2) if gender == "female" else m.group(1), text)
    return text.format_map(_Blank(values))


def _years_text(years: Decimal, english: bool = False) -> str:
    # Latvian writes decimals with a comma: "3,5 gadi".
    text = str(int(years)) if years == int(years) else str(years)
    return text if english else text.replace(".", ",")


def _same_region(studies: str, town: str) -> bool:
    in_kurzeme = any(word in studies for word in ("Ventspil",))
    in_vidzeme = any(word in studies for word in ("Valmier", "Vidzem"))
    return not (in_kurzeme and town not in KURZEME) and not (in_vidzeme and town in KURZEME)


def _is_english(text: str) -> bool:
    return any(word in text for word in ("University", "year", "School"))


def _riasec(rng: random.Random, high: str) -> dict[str, float]:
    values = {}
    for letter in "riasec":
        base = rng.gauss(5.6, 0.7) if letter.upper() in high else rng.gauss(3.0, 0.9)
        values[f"riasec_{letter}"] = round(min(7.0, max(1.0, base)), 1)
    return values


def _skills_for(
    rng: random.Random, ref: Reference, occupations: list[Occupation], k: int, levels: tuple[int, int]
) -> dict[int, int]:
    pool: list[int] = []
    for occupation in occupations:
        pool += [sid for sid in ref.essential.get(occupation.pk, []) if sid not in pool]
    for occupation in occupations:
        pool += [sid for sid in ref.optional.get(occupation.pk, []) if sid not in pool]
    chosen = pool[: max(k * 2, k)]
    chosen = rng.sample(chosen, k=min(k, len(chosen)))
    skills = {sid: rng.randint(*levels) for sid in chosen}
    # Noise: people know things outside their trade.
    for sid in rng.sample(ref.all_skill_ids, k=min(len(ref.all_skill_ids), rng.randint(0, 2))):
        skills.setdefault(sid, rng.randint(1, 2))
    return skills


def _languages_for(rng: random.Random, age: int, russian: bool) -> dict[str, int]:
    if russian:
        languages = {"ru": CefrLevel.C2, "lv": rng.choice([CefrLevel.B1, CefrLevel.B2, CefrLevel.C1])}
    else:
        languages = {"lv": CefrLevel.C2}
        if age >= 35 and rng.random() < 0.65:
            languages["ru"] = rng.choice([CefrLevel.A2, CefrLevel.B1, CefrLevel.B2])
    if age < 30:
        languages["en"] = rng.choice([CefrLevel.B1, CefrLevel.B2, CefrLevel.B2, CefrLevel.C1])
    elif age < 46:
        languages["en"] = rng.choice([CefrLevel.A2, CefrLevel.B1, CefrLevel.B2])
    elif rng.random() < 0.6:
        languages["en"] = rng.choice([CefrLevel.A1, CefrLevel.A2, CefrLevel.B1])
    if rng.random() < 0.06:
        languages["de"] = rng.choice([CefrLevel.A2, CefrLevel.B1])
    return languages


def _counsellor_key(spec: str | None, town: str) -> str | None:
    if spec == "municipality_local":
        return "municipality_ventspils" if town in KURZEME else "municipality_valmiera"
    return spec


def _plan_candidates(ref: Reference, today: dt.date) -> list[PlannedCandidate]:
    data = _fixture("candidates.json")
    rng = _rng("candidates")
    names = NamePicker(_rng("candidate-names"))
    planned: list[PlannedCandidate] = []

    for spec in data["named"]:
        age = spec["age"]
        occupations = [ref.occupations_by_label[label] for label in spec["skill_from"] if label in ref.occupations_by_label]
        skills = _skills_for(rng, ref, occupations, spec["skills"], (spec["proficiency"], spec["proficiency"]))
        # The journey people carry no noise skills: what they have is what their story says.
        allowed = {sid for occ in occupations for sid in ref.essential.get(occ.pk, []) + ref.optional.get(occ.pk, [])}
        skills = {sid: level for sid, level in skills.items() if sid in allowed}
        counsellor = spec["counsellor"]
        consent_day = today - dt.timedelta(days=20)
        fields = {
            "kind": spec["kind"],
            "employment_status": spec["employment_status"],
            "birth_year": today.year - age,
            "gender": spec["gender"],
            "town_id": ref.towns[spec["town"]].pk if spec["town"] in ref.towns else ref.towns["Valmiera"].pk,
            "max_commute_km": spec["commute"],
            "willing_to_relocate": False,
            "highest_education": EDUCATION[spec["education"]],
            "current_studies": spec["studies"],
            "about": spec["about"],
            **{f"riasec_{k}": v for k, v in spec["riasec"].items()},
            "available_hours": spec["hours"],
            "available_from": today + dt.timedelta(days=spec["available_in_days"]),
            "consent_processing": True,
            "consent_processing_at": _at(consent_day),
            "consent_discoverable": spec["discoverable"],
            "consent_discoverable_at": _at(consent_day) if spec["discoverable"] else None,
            "consent_counsellor": counsellor is not None,
            "consent_counsellor_at": _at(consent_day) if counsellor else None,
            "supervised": spec["supervised"] or age < 18,
            "minor_visible_to_employers": spec["minor_visible"],
        }
        history = [
            (ref.occupations_by_label[label].pk, title, employer, Decimal(str(years)))
            for label, title, employer, years in spec["history"]
            if label in ref.occupations_by_label
        ]
        planned.append(PlannedCandidate(
            user=PlannedUser(spec["username"], spec["first_name"], spec["last_name"], Role.CANDIDATE, True,
                             preferred_language="en" if spec["username"] == "student.via" else "lv"),
            fields=fields,
            counsellor_key=counsellor,
            skills=skills,
            languages={code: CEFR[level] for code, level in spec["languages"].items()},
            history=history,
            targets=[ref.occupations_by_label[label].pk for label in spec["targets"] if label in ref.occupations_by_label],
        ))

    for arch in data["archetypes"]:
        towns = {name: weight for name, weight in arch["towns"].items() if name in ref.towns}
        for index in range(1, arch["count"] + 1):
            gender = _weighted(rng, arch["gender"])
            russian = rng.random() < arch["ru_speakers"]
            first, last = names.pick(gender, russian)
            age = rng.randint(*arch["age"])
            town = _weighted(rng, towns)
            english = bool(arch["about_en"]) and rng.random() < arch["en_about"]
            # English study names only in English texts: "Studijas: Vidzeme University..." would read oddly.
            studies_pool = [x for x in arch["studies"] if _is_english(x) == english] or arch["studies"]
            # A Ventspils pupil studies in Ventspils: keep the school in the person's region.
            studies_pool = [x for x in studies_pool if _same_region(x, town)] or studies_pool
            studies = rng.choice(studies_pool) if studies_pool else ""
            history_labels = (
                rng.sample(arch["history"], k=min(len(arch["history"]), rng.choice([1, 1, 2]))) if arch["history"] else []
            )
            if arch["kind"] == "student" and rng.random() < 0.4:
                history_labels = []
            history = []
            for label in history_labels:
                occupation = ref.occupations_by_label.get(label)
                if occupation is None:
                    continue
                low, high = arch["history_years"]
                years = rng.uniform(low, min(high, max(low, age - 16)))
                # People state experience in whole years, or halves when it is short.
                years = Decimal(str(max(0.2, round(years * 2) / 2 if years < 3 else round(years))))
                history.append((occupation.pk, "", "", years))
            skill_sources = [ref.occupations_by_label[l] for l in arch["skill_from"] if l in ref.occupations_by_label]
            sources = [ref.occupations_by_label[l] for l in history_labels if l in ref.occupations_by_label]
            sources += rng.sample(skill_sources, k=min(len(skill_sources), 1))
            skills = _skills_for(rng, ref, sources, rng.randint(*arch["skills"]), tuple(arch["proficiency"]))
            targets = rng.sample(arch["targets"], k=min(len(arch["targets"]), rng.randint(1, 3)))
            counsellor = _counsellor_key(arch["counsellor"], town)
            minor = age < 18
            created_days_ago = rng.randint(5, 120)
            consent_day = today - dt.timedelta(days=created_days_ago)
            discoverable = rng.random() < arch["discoverable"]
            job = ""
            if history:
                occupation = next(o for o in ref.occupations.values() if o.pk == history[0][0])
                job = occupation.label_en if english else occupation.label(language="lv")
            texts = arch["about_en"] if english else arch["about_lv"]
            texts = [t for t in texts if history or "{job}" not in t] or texts
            about = _fill(
                rng.choice(texts) if texts else "",
                gender,
                {
                    "town": town, "town_in": TOWN_LOCATIVE.get(town, town), "town_of": TOWN_GENITIVE.get(town, town),
                    "job": job or "—", "years": _years_text(history[0][3], english) if history else "1",
                    "studies": studies,
                    "age": age,
                },
            )
            riasec = _riasec(rng, arch["riasec"].upper()) if rng.random() < arch["riasec_answered"] else {
                f"riasec_{letter}": None for letter in "riasec"
            }
            fields = {
                "kind": arch["kind"],
                "employment_status": arch["employment_status"],
                "birth_year": today.year - age,
                "gender": gender,
                "town_id": ref.towns[town].pk,
                "max_commute_km": int(round(rng.randint(*arch["commute"]) / 5) * 5),
                "willing_to_relocate": (not minor) and rng.random() < arch["relocate"],
                "highest_education": EDUCATION[rng.choice(arch["education"])],
                "current_studies": studies,
                "about": about,
                **riasec,
                "available_hours": rng.choice(arch["hours"]),
                "available_from": today + dt.timedelta(days=rng.randint(*arch["available_in_days"])),
                "consent_processing": True,
                "consent_processing_at": _at(consent_day),
                "consent_discoverable": discoverable,
                "consent_discoverable_at": _at(consent_day, 11) if discoverable else None,
                "consent_counsellor": counsellor is not None,
                "consent_counsellor_at": _at(consent_day, 12) if counsellor else None,
                "supervised": minor or (counsellor is not None and rng.random() < arch["supervised"]),
                "minor_visible_to_employers": minor and rng.random() < arch["minor_visible"],
            }
            username = f"{arch['key'].replace('_', '-')}-{index:02d}"
            planned.append(PlannedCandidate(
                user=PlannedUser(username, first, last, Role.CANDIDATE, False,
                                 preferred_language="en" if english else "lv"),
                fields=fields,
                counsellor_key=counsellor,
                skills=skills,
                languages=_languages_for(rng, age, russian),
                history=history,
                targets=[ref.occupations_by_label[l].pk for l in targets if l in ref.occupations_by_label],
            ))
    return planned


# --------------------------------------------------------------------------------------------------------------
# Staff: counsellors, provider staff, employer members, analyst, admin

COUNSELLORS = {
    # key: (username, works_for, institution key, town)
    "school_valmiera": ("counsellor.valmiera", Counsellor.Employer.SCHOOL, "vtech", "Valmiera"),
    "municipality_valmiera": ("counsellor.valmiera.novads", Counsellor.Employer.MUNICIPALITY, None, "Valmiera"),
    "municipality_ventspils": ("counsellor.ventspils", Counsellor.Employer.MUNICIPALITY, None, "Ventspils"),
    "school_ventspils": ("counsellor.ventspils.tehnikums", Counsellor.Employer.SCHOOL, "ventech", "Ventspils"),
}
PROVIDERS = {"provider.vtech": "vtech", "provider.ventspils": "ventech", "provider.via": "via", "provider.vea": "vea"}
# employer login -> (town, preferred employer name fragment, sectors to fall back on in order of preference)
EMPLOYER_LOGINS = {
    "employer.valmiera": ("Valmiera", "VALPRO", ("metal", "glass_fibre", "food", "wood", "electronics")),
    "employer.ventspils": ("Ventspils", "Bucher", ("metal", "electronics", "glass_fibre")),
    "employer.it": ("Ventspils", "Accenture", ("it",)),
}
STAFF_LANGUAGE = {"employer.it": "en"}


def _pick_employer(
    employers: list[Employer], vacancy_count: Counter, town: str, hint: str, sectors: tuple[str, ...]
) -> Employer | None:
    for employer in employers:
        if hint in employer.name and employer.verified and employer.town.name == town and vacancy_count[employer.pk]:
            return employer
    for sector in sectors:
        matches = [e for e in employers if e.verified and e.town.name == town and e.sector == sector]
        if matches:
            return max(matches, key=lambda e: (vacancy_count[e.pk], e.name))
    return None


def _sync_invented_employers(ref: Reference) -> dict[str, Employer]:
    rows = _fixture("employers.json")["employers"]
    existing = {e.name: e for e in Employer.objects.filter(name__in=[r["name"] for r in rows])}
    planned = {}
    for row in rows:
        town = ref.towns.get(row["town"]) or ref.towns["Valmiera"]
        planned[row["name"]] = {
            "name": row["name"],
            "town_id": town.pk,
            "sector": row["sector"],
            "description": row["description"],
            "verified": row["verified"],
            "source": "Invented for the demo (fixtures/demo/employers.json); not a real business.",
        }
    by_name = _upsert(Employer, existing, planned)
    return {row["key"]: by_name[row["name"]] for row in rows}


# --------------------------------------------------------------------------------------------------------------
# Applications


def _plan_applications(
    candidates: list[tuple[PlannedCandidate, CandidateProfile]], vacancies: list[Vacancy], ref: Reference, today: dt.date,
) -> tuple[dict, dict]:
    rng = _rng("applications")
    journey_users = {login.username for login in DEMO_LOGINS}
    open_vacancies = sorted(
        (v for v in vacancies if v.status == Vacancy.Status.OPEN and v.employer.verified),
        key=lambda v: (v.employer.name, v.title, v.town.name),
    )
    intakes = [i for i in ref.intakes if i.application_deadline >= today - dt.timedelta(days=60)]
    vacancy_rows: dict[tuple, dict] = {}
    intake_rows: dict[tuple, dict] = {}
    job_statuses = {"submitted": 35, "viewed": 20, "shortlisted": 15, "rejected": 15, "hired": 7, "withdrawn": 8}
    intake_statuses = {"submitted": 50, "enrolled": 25, "rejected": 10, "withdrawn": 15}
    for plan, profile in candidates:
        if plan.user.username in journey_users:
            continue  # the journey logins apply during the demo itself
        age = today.year - plan.fields["birth_year"]
        town = next(t for t in ref.towns.values() if t.pk == plan.fields["town_id"]).name
        region = KURZEME if town in KURZEME else set(ref.towns) - KURZEME
        wanted = set(plan.targets) | {h[0] for h in plan.history}
        if rng.random() < (0.25 if age < 18 else 0.4):
            fitting = [
                v for v in open_vacancies
                if v.town.name in region and v.min_age <= age and (v.occupation_id in wanted or age < 18)
            ]
            for vacancy in rng.sample(fitting, k=min(len(fitting), rng.randint(1, 3))):
                vacancy_rows[(profile.pk, vacancy.pk)] = {
                    "candidate_id": profile.pk, "vacancy_id": vacancy.pk, "intake_id": None,
                    "status": _weighted(rng, job_statuses),
                    "message": "" if rng.random() < 0.5 else (
                        "Labdien! Piesakos šai vakancei, CV pievienots profilā." if rng.random() < 0.8
                        else "Hello, I am applying for this position; my CV is in my profile."),
                    "_days_ago": rng.randint(0, 20),
                }
        if intakes and rng.random() < 0.25:
            fitting = [i for i in intakes if set(o.pk for o in i.programme.leads_to.all()) & wanted]
            fitting = fitting or [i for i in intakes if i.programme.institution.town.name in region]
            if fitting:
                intake = rng.choice(fitting)
                intake_rows[(profile.pk, intake.pk)] = {
                    "candidate_id": profile.pk, "vacancy_id": None, "intake_id": intake.pk,
                    "status": _weighted(rng, intake_statuses), "message": "",
                    "_days_ago": rng.randint(0, 40),
                }
    return vacancy_rows, intake_rows


def _sync_applications(vacancy_rows: dict, intake_rows: dict, today: dt.date) -> None:
    candidate_ids = {key[0] for key in (*vacancy_rows, *intake_rows)}
    existing_v, existing_i = {}, {}
    for app in Application.objects.filter(candidate_id__in=candidate_ids):
        if app.vacancy_id:
            existing_v[(app.candidate_id, app.vacancy_id)] = app
        else:
            existing_i[(app.candidate_id, app.intake_id)] = app
    for existing, rows in ((existing_v, vacancy_rows), (existing_i, intake_rows)):
        clean = {key: {k: v for k, v in row.items() if not k.startswith("_")} for key, row in rows.items()}
        result = _upsert(Application, existing, clean)
        # created_at is auto_now_add; backdate it so outcomes spread over the last weeks like real ones.
        by_day: dict[int, list[int]] = defaultdict(list)
        for key, obj in result.items():
            by_day[rows[key]["_days_ago"]].append(obj.pk)
        for days, ids in by_day.items():
            stamp = _at(today - dt.timedelta(days=days), 9)
            Application.objects.filter(pk__in=ids).exclude(created_at=stamp).update(created_at=stamp, updated_at=stamp)


# --------------------------------------------------------------------------------------------------------------
# Entry point


@dataclass
class DemoReport:
    counts: dict[str, int]
    skipped: list[str]

    def lines(self) -> list[str]:
        out = [f"{name}: {count}" for name, count in self.counts.items()]
        if self.skipped:
            out.append(f"templates skipped ({len(self.skipped)}): " + "; ".join(self.skipped[:10]))
        return out


COUNTED = (
    ("users", User), ("employers", Employer), ("vacancies", Vacancy), ("vacancy skills", VacancySkill),
    ("vacancy languages", VacancyLanguage), ("candidates", CandidateProfile), ("candidate skills", CandidateSkill),
    ("candidate languages", CandidateLanguage), ("work experience", WorkExperience), ("counsellors", Counsellor),
    ("provider staff", ProviderStaff), ("applications", Application),
    ("served jobs lists", RecommendationList), ("feedback events", FeedbackEvent), ("reviews", Review),
)


@transaction.atomic
def demo_load(*, today: dt.date | None = None) -> DemoReport:
    """Create or refresh the demo world; raise DemoDataMissing when load_reference has not run."""
    today = today or timezone.localdate()
    ref = _reference()
    invented = _sync_invented_employers(ref)
    employers = sorted({e.pk: e for e in [*ref.employers, *invented.values()]}.values(), key=lambda e: e.name)
    for employer in employers:
        employer.town = next((t for t in ref.towns.values() if t.pk == employer.town_id), employer.town)
    cafe = invented["cafe"]

    planned_vacancies, skipped = _plan_vacancies(ref, employers, cafe, today)
    vacancies = _sync_vacancies(planned_vacancies)
    vacancy_count = Counter(p.employer.pk for p in planned_vacancies if p.fields["status"] == Vacancy.Status.OPEN)

    staff_rng = _rng("staff")
    staff_names = NamePicker(staff_rng)
    staff: list[PlannedUser] = [
        PlannedUser("admin", "Demo", "Administrators", Role.ADMIN, True, is_staff=True, is_superuser=True),
        PlannedUser("analyst.valmiera", *staff_names.pick("female"), Role.ANALYST, True),
    ]
    for username, *_rest in COUNSELLORS.values():
        staff.append(PlannedUser(username, *staff_names.pick(staff_rng.choice(["female", "female", "male"])), Role.COUNSELLOR, True))
    for username in PROVIDERS:
        staff.append(PlannedUser(username, *staff_names.pick(staff_rng.choice(["female", "male"])), Role.PROVIDER, True))
    for username in [*EMPLOYER_LOGINS, "employer.unverified"]:
        staff.append(PlannedUser(username, *staff_names.pick(staff_rng.choice(["female", "male"])), Role.EMPLOYER, True,
                                 preferred_language=STAFF_LANGUAGE.get(username, "lv")))
    planned_candidates = _plan_candidates(ref, today)
    users = _sync_users([*staff, *(c.user for c in planned_candidates)])

    counsellors = _upsert(
        Counsellor,
        {c.user.username: c for c in Counsellor.objects.select_related("user").filter(
            user__username__in=[v[0] for v in COUNSELLORS.values()])},
        {
            username: {
                "user_id": users[username].pk, "works_for": works_for,
                "institution_id": ref.institutions[inst].pk if inst else None, "town_id": ref.towns[town].pk,
            }
            for username, works_for, inst, town in COUNSELLORS.values()
        },
    )
    counsellor_by_key = {key: counsellors[spec[0]] for key, spec in COUNSELLORS.items()}
    _upsert(
        ProviderStaff,
        {p.user.username: p for p in ProviderStaff.objects.select_related("user").filter(user__username__in=list(PROVIDERS))},
        {
            username: {"user_id": users[username].pk, "institution_id": ref.institutions[key].pk}
            for username, key in PROVIDERS.items()
        },
    )
    for username, (town, hint, sectors) in EMPLOYER_LOGINS.items():
        employer = _pick_employer(employers, vacancy_count, town, hint, sectors) or _pick_employer(
            employers, vacancy_count, town, hint, tuple(sorted({e.sector for e in employers}))
        )
        if employer is not None:
            employer.members.add(users[username])
    cafe.members.add(users["employer.unverified"])

    user_ids = [users[c.user.username].pk for c in planned_candidates]
    existing_profiles = {p.user_id: p for p in CandidateProfile.objects.filter(user_id__in=user_ids)}
    profiles = _upsert(
        CandidateProfile,
        existing_profiles,
        {
            users[c.user.username].pk: {
                "user_id": users[c.user.username].pk,
                **c.fields,
                "counsellor_id": counsellor_by_key[c.counsellor_key].pk if c.counsellor_key else None,
            }
            for c in planned_candidates
        },
    )
    pairs = [(c, profiles[users[c.user.username].pk]) for c in planned_candidates]
    profile_ids = [p.pk for _, p in pairs]
    _sync_children(CandidateSkill, "candidate_id", profile_ids, "skill_id",
                   {p.pk: {sid: {"proficiency": lvl} for sid, lvl in c.skills.items()} for c, p in pairs})
    _sync_children(CandidateLanguage, "candidate_id", profile_ids, "language",
                   {p.pk: {code: {"level": lvl} for code, lvl in c.languages.items()} for c, p in pairs})
    _sync_children(WorkExperience, "candidate_id", profile_ids, "occupation_id",
                   {p.pk: {occ: {"title": title, "employer_name": emp, "years": years}
                           for occ, title, emp, years in c.history} for c, p in pairs})
    _sync_children(CandidateProfile.target_occupations.through, "candidateprofile_id", profile_ids, "occupation_id",
                   {p.pk: {occ: {} for occ in c.targets} for c, p in pairs})

    vacancy_list = list(Vacancy.objects.filter(pk__in=[v.pk for v in vacancies.values()]).select_related("employer", "town"))
    vacancy_rows, intake_rows = _plan_applications(pairs, vacancy_list, ref, today)
    _sync_applications(vacancy_rows, intake_rows, today)
    # Served jobs lists and reactions to them, so that train_ranker learns in a fresh demo (written once).
    load_feedback_history(today=today, exclude_usernames={login.username for login in DEMO_LOGINS})

    return DemoReport(counts={name: model.objects.count() for name, model in COUNTED}, skipped=skipped)


def demo_logins_table() -> str:
    """The demo logins as a plain-text table (quickstart and the README print the same list)."""
    width = max(len(login.username) for login in DEMO_LOGINS)
    lines = [
        f"Demo logins (password for all: {DEMO_PASSWORD})",
        f"{'username'.ljust(width)}  {'role'.ljust(10)}  what it shows",
    ]
    lines += [f"{login.username.ljust(width)}  {str(login.role).ljust(10)}  {login.shows}" for login in DEMO_LOGINS]
    return "\n".join(lines)
