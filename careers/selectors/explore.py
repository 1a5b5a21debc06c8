"""Reads for a visitor exploring without an account (the web site, issue 12): job and programme search, what a
career looks like locally, and careers ranked by interest answers alone.

Everything here is public data: open vacancies of verified employers and active programmes, the same sets the API's
public lists show (``Vacancy.objects.public()``, ``programmes_visible_to``).
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from careers.folding import Fold, fold_text
from careers.models import Intake, Occupation, Programme, Skill, Town, Vacancy, VacancySkill
from careers.models.taxonomy import RIASEC_FIELDS
from careers.results import InterestCareer
from careers.selectors.catalogue import concepts_matching
from careers.selectors.geo import town_ids_within
from careers.selectors.programmes import programmes_admitting, programmes_visible_to
from careers.selectors.vacancies import vacancies_visible_to
from matching.careers_fit import career_scores, riasec_fit

FUNDING_FIELDS = {"state_funded": "state_funded_places", "voucher": "voucher_eligible",
                  "cofinanced": "adult_learning_cofinanced"}
INTEREST_RADIUS_KM = 50.0
ADULT_AGE = 18


@dataclass(frozen=True)
class VacancyQuery:
    """What a job search asks; an empty field is no filter."""

    words: str = ""
    town: Town | None = None
    radius_km: float | None = None
    contract_kinds: Sequence[str] = ()
    hours: Sequence[str] = ()
    min_salary: int | None = None
    age: int | None = None


def _words(queryset: QuerySet, words: str, fields: Iterable[str]) -> QuerySet:
    """Every word must be in one of ``fields``, ignoring case and diacritics (``careers.folding``)."""
    folded = {f"_folded_{n}": Fold(field) for n, field in enumerate(fields)}
    queryset = queryset.alias(**folded)
    for word in words.split():
        condition = Q()
        for alias in folded:
            condition |= Q(**{f"{alias}__contains": fold_text(word)})
        queryset = queryset.filter(condition)
    return queryset


def public_vacancies(viewer) -> QuerySet[Vacancy]:
    """Open vacancies anyone may see (a visitor, a candidate); staff's drafts are not for a job search."""
    return vacancies_visible_to(user=viewer).filter(pk__in=Vacancy.objects.public().values("pk"))


def vacancy_search(*, viewer, query: VacancyQuery) -> QuerySet[Vacancy]:
    """Public vacancies matching ``query``, newest first. A town with a radius means towns within that distance."""
    found = public_vacancies(viewer)
    if query.words:
        found = _words(found, query.words, ("title", "description", "employer__name"))
    if query.town is not None and query.radius_km is not None:
        found = found.filter(town_id__in=town_ids_within(town=query.town, radius_km=float(query.radius_km)))
    elif query.town is not None:
        found = found.filter(town=query.town)
    if query.contract_kinds:
        found = found.filter(contract_kind__in=list(query.contract_kinds))
    if query.hours:
        found = found.filter(hours__in=list(query.hours))
    if query.min_salary is not None:
        found = found.filter(salary_max__gte=query.min_salary)
    if query.age is not None:
        found = found.filter(min_age__lte=query.age)
    # A list shows the title, employer, town, contract and pay: no skills or languages prefetched.
    return found.select_related("employer", "town").order_by("-published_at", "-id")


@dataclass(frozen=True)
class ProgrammeQuery:
    words: str = ""
    institution_id: int | None = None
    town: Town | None = None
    kind: str = ""
    funding: str = ""
    start_after: object = None
    start_before: object = None


def programme_search(*, viewer, query: ProgrammeQuery) -> QuerySet[Programme]:
    """Active programmes matching ``query``; a start range means one upcoming intake starts within it."""
    found = programmes_visible_to(user=viewer).filter(is_active=True)
    if query.words:
        found = _words(found, query.words, ("name_lv", "name_en", "institution__name_lv", "institution__name_en"))
    if query.institution_id is not None:
        found = found.filter(institution_id=query.institution_id)
    if query.town is not None:
        found = found.filter(institution__town=query.town)
    if query.kind:
        found = found.filter(kind=query.kind)
    if query.funding:
        found = found.filter(**{FUNDING_FIELDS[query.funding]: True})
    intakes = Intake.objects.filter(programme=OuterRef("pk"), start_date__gte=timezone.localdate())
    if query.start_after:
        intakes = intakes.filter(start_date__gte=query.start_after)
    if query.start_before:
        intakes = intakes.filter(start_date__lte=query.start_before)
    if query.start_after or query.start_before:
        found = found.filter(Exists(intakes))
    upcoming = Prefetch("intakes", queryset=Intake.objects.filter(start_date__gte=timezone.localdate()),
                        to_attr="upcoming_intakes")
    return (found.select_related("institution__town").prefetch_related(upcoming)
            .order_by("institution__name_lv", "name_lv"))


def open_intakes(programme: Programme) -> list[Intake]:
    """Upcoming intakes whose application deadline has not passed, soonest first."""
    today = timezone.localdate()
    return list(programme.intakes.filter(start_date__gte=today, application_deadline__gte=today).order_by("start_date"))


def occupation_search(*, words: str = "") -> QuerySet[Occupation]:
    """Occupations (careers), those with the most open local vacancies first."""
    found = concepts_matching(Occupation.objects.all(), query=words) if words else Occupation.objects.all()
    public = Vacancy.objects.public().values("pk")
    return found.annotate(open_vacancies=Count("vacancies", filter=Q(vacancies__pk__in=public))).order_by(
        "-open_vacancies", "label_en")


@dataclass(frozen=True)
class CareerOutlook:
    """What one career looks like here: open vacancies, typical pay, local programmes, openings for under-18s."""

    occupation: Occupation
    open_vacancies: int
    pay_median: float | None
    pay_p25: float | None
    pay_p75: float | None
    vacancies: Sequence[Vacancy]
    for_minors: Sequence[Vacancy]
    programmes: Sequence[tuple[Programme, Intake | None]]


def _quartiles(values: list[float]) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q2, q1, q3


def career_outlook(*, viewer, occupation: Occupation, shown: int = 10) -> CareerOutlook:
    """Pay is the midpoint of each public posting's range (gross EUR a month); programmes lead to the occupation."""
    vacancies = public_vacancies(viewer).filter(occupation=occupation).select_related("employer", "town").order_by(
        "-published_at", "-id")
    pay = [(v.salary_min + v.salary_max) / 2 for v in vacancies]
    median, p25, p75 = _quartiles(sorted(pay))
    minors = [v for v in vacancies if v.min_age < ADULT_AGE]
    programmes = programmes_visible_to(user=viewer).filter(is_active=True, leads_to=occupation).select_related(
        "institution__town").distinct()
    return CareerOutlook(
        occupation=occupation, open_vacancies=len(pay), pay_median=median, pay_p25=p25, pay_p75=p75,
        vacancies=list(vacancies[:shown]), for_minors=minors[:shown],
        programmes=[(p, next(iter(open_intakes(p)), None)) for p in programmes])


def _demand(occupations: list[Occupation], town: Town | None, radius_km: float) -> np.ndarray:
    public = Vacancy.objects.public()
    if town is not None:
        public = public.filter(town_id__in=town_ids_within(town=town, radius_km=radius_km))
    counts = dict(public.filter(occupation__in=occupations).values_list("occupation").annotate(n=Count("pk")))
    return np.array([counts.get(o.pk, 0) for o in occupations], dtype=float)


def careers_for_interests(*, riasec: Sequence[float], town: Town | None, top_k: int, language: str,
                          radius_km: float = INTEREST_RADIUS_KM) -> list[InterestCareer]:
    """Occupations ranked by interest (RIASEC) fit and local demand, for someone with no profile yet.

    The same fit and weights as a candidate's careers list (``matching.careers_fit``) with no skills held.
    """
    occupations = [o for o in Occupation.objects.order_by("pk") if None not in o.riasec]
    if not occupations:
        return []
    interest = riasec_fit(list(riasec), np.array([o.riasec for o in occupations], dtype=float))
    demand = _demand(occupations, town, radius_km)
    score, _parts = career_scores(interest, np.zeros(len(occupations)), demand, has_interests=True)
    order = np.lexsort((np.arange(len(occupations)), -score))[:top_k]
    return [InterestCareer(rank=rank, score=round(float(score[i]), 4), occupation_id=occupations[i].pk,
                           label=occupations[i].label(language), interest_fit=round(float(interest[i]), 4),
                           open_vacancies=int(demand[i]))
            for rank, i in enumerate(order, start=1)]


def riasec_of(profile_values: dict) -> tuple[float, ...] | None:
    """The six RIASEC scores from a mapping with the profile's field names, or None when any is missing."""
    values = tuple(profile_values.get(name) for name in RIASEC_FIELDS)
    return None if None in values else values


def what_if_choices(*, candidate, language: str, skills_shown: int = 40) -> tuple[list, list]:
    """What a candidate may try in the what-if view: active programmes with an open intake that admit them, and the
    essential skills open vacancies ask for most that the candidate does not hold yet (id, label pairs)."""
    today = timezone.localdate()
    open_now = Programme.objects.filter(is_active=True, intakes__start_date__gt=today,
                                        intakes__application_deadline__gte=today)
    programmes = (programmes_admitting(open_now, candidate=candidate)
                  .select_related("institution").distinct().order_by("name_lv"))
    held = candidate.skill_links.values("skill_id")
    demand = (VacancySkill.objects.filter(vacancy__in=Vacancy.objects.public(), essential=True)
              .exclude(skill_id__in=held).values("skill_id").annotate(n=Count("pk")).order_by("-n", "skill_id"))
    skill_ids = [row["skill_id"] for row in demand[:skills_shown]]
    skills = Skill.objects.in_bulk(skill_ids)

    def name(p: Programme) -> str:
        title = p.name_en if language == "en" and p.name_en else p.name_lv
        return f"{title} ({p.institution.short_name or p.institution.name_lv})"

    return ([(p.pk, name(p)) for p in programmes],
            sorted(((str(pk), skills[pk].label(language)) for pk in skill_ids if pk in skills), key=lambda c: c[1]))
