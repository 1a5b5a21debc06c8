"""Demo vacancies: planned from the templates in ``fixtures/demo/vacancy_templates.json``, then synchronised.

Every draw comes from the "vacancies" stream in a fixed order (templates, then youth templates, then the café), so
the methods of ``_VacancyPlanner`` must keep drawing in the order they do.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from careers.models import CefrLevel, ContractKind, Employer, HoursKind, Town, Vacancy, VacancyLanguage, VacancySkill

from .common import CEFR, EDUCATION, TOWN_LOCATIVE, first_mostly, fixture, section_rng
from .reference import Reference
from .sync import sync_children, upsert

# The share of postings in English by employer sector; in other sectors 3 % of adult and no youth postings.
ENGLISH_SHARE = {"it": 0.75, "electronics": 0.2}
ENGLISH_SHARE_OTHER = 0.03
# Latvia's minimum monthly wage (2026): a full-time adult posting never offers less.
MIN_FULL_TIME_SALARY = 780


@dataclass
class PlannedVacancy:
    employer: Employer
    title: str
    town: Town
    fields: dict[str, Any]
    skills: dict[int, bool]  # skill id -> essential
    languages: dict[str, int]


@dataclass(frozen=True)
class _Placement:
    employer: Employer
    town: Town
    lang: str
    title: str
    title_lv: str
    title_en: str

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.employer.pk, self.title, self.town.pk)


def vacancies_plan(
    *, ref: Reference, employers: list[Employer], cafe: Employer, today: dt.date,
) -> tuple[list[PlannedVacancy], list[str]]:
    """The planned vacancies, and the templates skipped (with why) because the reference data lacks something."""
    data = fixture("vacancy_templates.json")
    by_sector: dict[str, list[Employer]] = defaultdict(list)
    for employer in employers:
        if employer.pk != cafe.pk:
            by_sector[employer.sector].append(employer)
    planner = _VacancyPlanner(ref=ref, employers=employers, by_sector=by_sector, today=today,
                              rng=section_rng("vacancies"))
    for tpl in data["jobs"]:
        for index in range(tpl["weight"]):
            planner.add(tpl=tpl, youth=False, index=index)
    for tpl in data["youth"]:
        for index in range(tpl["weight"]):
            planner.add(tpl=tpl, youth=True, index=index)
    _plan_cafe(planner=planner, data=data, cafe=cafe, today=today)
    return list(planner.planned.values()), planner.skipped


def _plan_cafe(*, planner: _VacancyPlanner, data: dict, cafe: Employer, today: dt.date) -> None:
    """The unverified café: a draft and an open posting; neither is public until staff verify the employer."""
    for status, occupation_label in ((Vacancy.Status.DRAFT, "bartender"), (Vacancy.Status.OPEN, "waiter/waitress")):
        tpl = next(t for t in data["jobs"] if t["label"] == occupation_label)
        plan = planner.add(tpl=tpl, youth=False, index=0, only=cafe)
        if plan is not None:
            plan.fields.update(
                status=status,
                published_at=None if status == Vacancy.Status.DRAFT else today - dt.timedelta(days=2),
                expires_at=None if status == Vacancy.Status.DRAFT else today + dt.timedelta(days=40),
            )


@dataclass
class _VacancyPlanner:
    ref: Reference
    employers: list[Employer]
    by_sector: dict[str, list[Employer]]
    today: dt.date
    rng: random.Random
    planned: dict[tuple, PlannedVacancy] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def add(self, *, tpl: dict, youth: bool, index: int, only: Employer | None = None) -> PlannedVacancy | None:
        """Plan one posting of ``tpl`` (the ``index``-th of its weight); None, noted in ``skipped``, if it cannot be."""
        occupation = self.ref.occupations.get(tpl["occupation"])
        if occupation is None:
            return self._skip(f"{tpl['label']}: occupation not loaded")
        essential = self.ref.essential.get(occupation.pk, [])
        optional = self.ref.optional.get(occupation.pk, [])
        if len(essential) + len(optional) < 3:
            return self._skip(f"{tpl['label']}: fewer than 3 skills")
        pool = self._employer_pool(tpl=tpl, youth=youth, only=only)
        pinned = self._pinned_town(tpl=tpl, index=index)
        if pinned and any(e.town.name == pinned for e, _ in pool):
            pool = [(e, w) for e, w in pool if e.town.name == pinned]
        if not pool:
            return self._skip(f"{tpl['label']}: no employer in sectors {tpl['sectors']}")
        contract = first_mostly(self.rng, tpl["contracts"])
        hours = first_mostly(self.rng, tpl["hours"])
        arrangement = first_mostly(self.rng, tpl["arrangements"])
        place = self._place(tpl=tpl, youth=youth, index=index, pool=pool)
        if place is None:
            return self._skip(f"{tpl['label']}: no free employer/title/town")
        part_time_of_full = not youth and hours == HoursKind.PART_TIME
        salary = _salary(self.rng, *tpl["salary"], part_time_of_full)
        if not youth and not part_time_of_full:
            salary = (max(salary[0], MIN_FULL_TIME_SALARY), max(salary[1], MIN_FULL_TIME_SALARY))
        status, published, expires = self._status_dates(open_only=pinned is not None)
        skills = self._skills(essential=essential, optional=optional, core=self.ref.taught.get(occupation.pk, set()))
        fields = {
            "occupation_id": occupation.pk, "work_arrangement": arrangement, "contract_kind": contract,
            "hours": hours, "salary_min": salary[0], "salary_max": salary[1], "status": status,
            "published_at": published, "expires_at": expires,
        }
        self.planned[place.key] = plan = PlannedVacancy(
            employer=place.employer, title=place.title, town=place.town,
            fields=self._fields(tpl=tpl, youth=youth, place=place, known=fields),
            skills=skills, languages=_languages(tpl=tpl, lang=place.lang),
        )
        return plan

    def _skip(self, reason: str) -> None:
        self.skipped.append(reason)
        return None

    def _employer_pool(self, *, tpl: dict, youth: bool, only: Employer | None) -> list[tuple[Employer, float]]:
        """Employers that may post ``tpl``, with their chance weights."""
        if only:
            return [(only, 1.0)]
        if tpl.get("employers"):
            # Some trades belong to particular employers (a kindergarten, a hospital), not to a whole sector.
            pool = [(e, 1.0) for e in self.employers if any(hint in e.name for hint in tpl["employers"])]
            if pool:
                return pool
        pool = []
        for rank, sector in enumerate(tpl["sectors"]):
            members = [e for e in self.by_sector.get(sector, []) if not youth or e.town.name in tpl["towns"]]
            per_town = Counter(e.town_id for e in members)
            # Weight by 1 / (employers of the sector in that town): Ventspils' ten port terminals must not
            # outvote Valmiera's two metalworkers for every metal or logistics job.
            pool += [(e, (3.0 if rank == 0 else 1.0) / per_town[e.town_id]) for e in members]
        return pool

    @staticmethod
    def _pinned_town(*, tpl: dict, index: int) -> str | None:
        """The town the ``index``-th posting of ``tpl`` must be in (``at_least_in``: a journey needs them there)."""
        start = 0
        for town, count in tpl.get("at_least_in", {}).items():
            if start <= index < start + count:
                return town
            start += count
        return None

    def _place(self, *, tpl: dict, youth: bool, index: int, pool: list[tuple[Employer, float]]) -> _Placement | None:
        """Draw an employer, town and language whose (employer, title, town) is still free; six tries."""
        for _attempt in range(6):
            employer = self.rng.choices([e for e, _ in pool], weights=[w for _, w in pool])[0]
            town = employer.town
            elsewhere = not youth and tpl.get("also_in") and self.rng.random() < 0.3
            if elsewhere and not self._pinned_town(tpl=tpl, index=index):
                town = self.ref.towns.get(self.rng.choice(tpl["also_in"]), town)
            share = ENGLISH_SHARE.get(employer.sector, ENGLISH_SHARE_OTHER if not youth else 0.0)
            lang = "en" if self.rng.random() < share else "lv"
            titles = self._free_title(tpl=tpl, index=index, lang=lang, key=(employer.pk, town.pk))
            if titles is not None:
                return _Placement(employer, town, lang, *titles)
        return None

    def _free_title(self, *, tpl: dict, index: int, lang: str, key: tuple[int, int]) -> tuple[str, str, str] | None:
        """(title, title_lv, title_en) of the first title not yet posted by that employer in that town."""
        # Start the rotation at the index: the n-th posting of a template tries the n-th title first.
        shift = index % len(tpl["titles"])
        for title_lv, title_en in tpl["titles"][shift:] + tpl["titles"][:shift]:
            title = title_en if lang == "en" else title_lv
            if (key[0], title, key[1]) not in self.planned:
                return title, title_lv, title_en
        return None

    def _status_dates(self, *, open_only: bool = False) -> tuple[str, dt.date | None, dt.date | None]:
        roll = 1.0 if open_only else self.rng.random()
        if roll < 0.06:
            return Vacancy.Status.DRAFT, None, None
        if roll < 0.11:
            published = self.today - dt.timedelta(days=self.rng.randint(45, 90))
            return Vacancy.Status.CLOSED, published, published + dt.timedelta(days=30)
        return (
            Vacancy.Status.OPEN,
            self.today - dt.timedelta(days=self.rng.randint(0, 29)),
            self.today + dt.timedelta(days=self.rng.randint(14, 70)),
        )

    def _skills(self, *, essential: list[int], optional: list[int], core: set[int]) -> dict[int, bool]:
        """skill id -> essential: 4–8 of the occupation's essential skills and 1–3 optional ones.

        An advert asks the core of the trade first: the essential skills the local programmes leading to the
        occupation teach (``core``), all but one or two of its essential skills when the core is large enough; the
        rest are drawn from the occupation's other essential skills. (ESCO lists 20–40 essential skills for many
        occupations; an employer names the handful the trade is trained in.)
        """
        wanted = min(len(essential), self.rng.randint(4, 8))
        taught = [sid for sid in essential if sid in core]
        from_core = self.rng.sample(taught, k=min(len(taught), max(wanted - self.rng.randint(1, 2), 0)))
        others = [sid for sid in essential if sid not in from_core]
        chosen_essential = from_core + self.rng.sample(others, k=min(len(others), wanted - len(from_core)))
        chosen_optional = self.rng.sample(optional, k=min(len(optional), self.rng.randint(1, 3)))
        skills = {sid: True for sid in chosen_essential}
        skills.update({sid: False for sid in chosen_optional if sid not in skills})
        for sid in optional:  # occupations with few essential skills: top up to the minimum of 3
            if len(skills) >= 3:
                break
            skills.setdefault(sid, False)
        return skills

    def _fields(self, *, tpl: dict, youth: bool, place: _Placement, known: dict[str, Any]) -> dict[str, Any]:
        """The vacancy's columns; the description and the places are drawn here, in this order."""
        text_tpl = dict(tpl, title_lv=place.title_lv, title_en=place.title_en)
        if youth:
            youth_offer = known["contract_kind"] in (ContractKind.SUMMER_JOB, ContractKind.APPRENTICESHIP)
            offers_key = "youth" if youth_offer else "default"
        else:
            offers_key = fixture("vacancy_templates.json")["sector_offers"].get(place.employer.sector, "default")
        salary = (known["salary_min"], known["salary_max"])
        description = _description(self.rng, text_tpl, place.lang, place.employer, place.town, salary,
                                   known["hours"], offers_key)
        places = self.rng.choice([1, 1, 1, 2, 2, 3, 5]) if not youth else self.rng.choice([2, 3, 5, 8])
        return {
            "description": description,
            "text_language": place.lang,
            "occupation_id": known["occupation_id"],
            "work_arrangement": known["work_arrangement"],
            "contract_kind": known["contract_kind"],
            "hours": known["hours"],
            "salary_min": known["salary_min"],
            "salary_max": known["salary_max"],
            "min_education": EDUCATION[tpl["education"]],
            "min_age": tpl["min_age"],
            "places": places,
            "experience_required": tpl.get("experience_required", True),
            "status": known["status"],
            "published_at": known["published_at"],
            "expires_at": known["expires_at"],
        }


def _languages(*, tpl: dict, lang: str) -> dict[str, int]:
    languages = {code: CEFR[level] for code, level in tpl["languages"].items()}
    if lang == "en":
        languages["en"] = max(languages.get("en", 0), CefrLevel.B2)
    return languages


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
    data = fixture("vacancy_templates.json")
    intro = rng.choice(data["intros"][lang]).format(
        employer=employer.name, town=town.name, town_in=TOWN_LOCATIVE.get(town.name, town.name)
    ).replace("..", ".")
    offers = [pair[0 if lang == "lv" else 1] for pair in data["offers"][sector_offers]]
    offers = rng.sample(offers, k=min(3, len(offers)))
    if sector_offers != "youth" and rng.random() < 0.5:
        offers.append(rng.choice(data["offers"]["default"])[0 if lang == "lv" else 1])
    if lang == "lv":
        return _description_lv(intro=intro, tpl=tpl, offers=offers, salary=salary, hours=hours, town=town)
    return _description_en(intro=intro, tpl=tpl, offers=offers, salary=salary, hours=hours, town=town)


NO_EXPERIENCE = {"lv": "pieredze nav nepieciešama — apmācīsim darba vietā", "en": "no experience needed — we train you on the job"}


def _requirements(tpl: dict, lang: str) -> list[str]:
    lines = list(tpl[f"requirements_{lang}"])
    return lines if tpl.get("experience_required", True) else [NO_EXPERIENCE[lang], *lines]


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def _description_lv(*, intro: str, tpl: dict, offers: list[str], salary: tuple[int, int], hours: str,
                    town: Town) -> str:
    hours_text = {"full_time": "pilna slodze", "part_time": "nepilna slodze", "shifts": "maiņu darbs"}[hours]
    return (
        f"{intro}\n\n"
        "Pienākumi:\n" + _bullets(tpl["duties_lv"]) + "\n\n"
        "Prasības:\n" + _bullets(_requirements(tpl, "lv")) + "\n\n"
        "Mēs piedāvājam:\n" + _bullets(offers) + "\n\n"
        f"Bruto alga {salary[0]}–{salary[1]} EUR mēnesī ({hours_text}).\nDarba vieta: {town.name}.\n"
        "CV un pieteikumu lūdzam iesniegt, izmantojot pogu «Pieteikties»."
    )


def _description_en(*, intro: str, tpl: dict, offers: list[str], salary: tuple[int, int], hours: str,
                    town: Town) -> str:
    hours_text = {"full_time": "full-time", "part_time": "part-time", "shifts": "shift work"}[hours]
    return (
        f"{intro}\n\n"
        "Responsibilities:\n" + _bullets(tpl["duties_en"]) + "\n\n"
        "Requirements:\n" + _bullets(_requirements(tpl, "en")) + "\n\n"
        "We offer:\n" + _bullets(offers) + "\n\n"
        f"Gross salary EUR {salary[0]}–{salary[1]} per month ({hours_text}).\nLocation: {town.name}.\n"
        "Apply with your CV through the «Apply» button."
    )


def vacancies_sync(*, planned: list[PlannedVacancy]) -> dict[tuple, Vacancy]:
    """Bring the planned vacancies and their skills and languages to the database; (employer, title, town) -> row."""
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
    vacancies = upsert(Vacancy, existing, rows)
    ids = [v.pk for v in vacancies.values()]
    by_key = {(p.employer.pk, p.title, p.town.pk): p for p in planned}
    sync_children(
        VacancySkill, "vacancy_id", ids, "skill_id",
        {vacancies[k].pk: {sid: {"essential": ess} for sid, ess in p.skills.items()} for k, p in by_key.items()},
    )
    sync_children(
        VacancyLanguage, "vacancy_id", ids, "language",
        {vacancies[k].pk: {code: {"level": level} for code, level in p.languages.items()} for k, p in by_key.items()},
    )
    return vacancies


def login_drafts_ensure(*, employers: list[Employer]) -> None:
    """Every verified employer a demo login belongs to has a draft to publish (journey 3) and keeps an open one: the
    latest of its open postings becomes the draft when it has none and at least two open."""
    for employer in employers:
        if not employer.verified or not employer.members.exists():
            continue
        postings = Vacancy.objects.filter(employer=employer)
        open_ones = list(postings.filter(status=Vacancy.Status.OPEN).order_by("-pk").values_list("pk", flat=True))
        if postings.filter(status=Vacancy.Status.DRAFT).exists() or len(open_ones) < 2:
            continue
        postings.filter(pk=open_ones[0]).update(status=Vacancy.Status.DRAFT, published_at=None, expires_at=None)
