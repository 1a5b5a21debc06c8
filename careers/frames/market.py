"""ORM to frame for the labour-market insights (``careers.selectors.market``): demand in open vacancies, supply
among looking candidates, each in one query, as the frames :mod:`matching.market` documents.

*Open vacancy*: public now (open, unexpired, verified employer: ``Vacancy.objects.public()``).
*Looking candidate*: an active account that consented to data processing and has no hired application.
"""
from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When

from careers.models import (
    Application, CandidateProfile, CandidateSkill, MarketSnapshotRow, Vacancy, VacancySkill,
)

DEMAND_COLUMNS = ["vacancy_id", "skill_id", "essential", "places", "town_id"]
SUPPLY_COLUMNS = ["candidate_id", "skill_id", "town_id"]


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=columns)


def looking_candidates() -> QuerySet[CandidateProfile]:
    """Candidates counted as supply (see the module docstring)."""
    hired = Application.objects.filter(status=Application.Status.HIRED).values("candidate_id")
    return CandidateProfile.objects.filter(consent_processing=True, user__is_active=True).exclude(pk__in=hired)


def open_vacancies(*, town_ids: Collection[int] | None = None) -> QuerySet[Vacancy]:
    vacancies = Vacancy.objects.public()
    return vacancies if town_ids is None else vacancies.filter(town_id__in=list(town_ids))


def _looking(town_ids: Collection[int] | None) -> QuerySet[CandidateProfile]:
    people = looking_candidates()
    return people if town_ids is None else people.filter(town_id__in=list(town_ids))


def demand_frame(*, town_ids: Collection[int] | None = None, vacancies: QuerySet[Vacancy] | None = None) -> pd.DataFrame:
    """``vacancy_id, skill_id, essential, places, town_id``: each skill of each open vacancy (in those towns)."""
    vacancies = open_vacancies(town_ids=town_ids) if vacancies is None else vacancies
    rows = VacancySkill.objects.filter(vacancy__in=vacancies).values_list(
        "vacancy_id", "skill_id", "essential", "vacancy__places", "vacancy__town_id")
    return _frame(rows, DEMAND_COLUMNS)


def supply_frame(*, town_ids: Collection[int] | None = None, skill_ids: Collection[int] | None = None) -> pd.DataFrame:
    """``candidate_id, skill_id, town_id``: each skill of each looking candidate (living in those towns)."""
    rows = CandidateSkill.objects.filter(candidate__in=_looking(town_ids))
    if skill_ids is not None:
        rows = rows.filter(skill_id__in=list(skill_ids))
    return _frame(rows.values_list("candidate_id", "skill_id", "candidate__town_id"), SUPPLY_COLUMNS)


def vacancy_occupations_frame(*, town_ids: Collection[int] | None = None) -> pd.DataFrame:
    """``vacancy_id, occupation_id, places``: open vacancies that name an occupation."""
    rows = open_vacancies(town_ids=town_ids).filter(occupation__isnull=False).values_list(
        "id", "occupation_id", "places")
    return _frame(rows, ["vacancy_id", "occupation_id", "places"])


def targets_frame(*, town_ids: Collection[int] | None = None) -> pd.DataFrame:
    """``candidate_id, occupation_id``: the occupations looking candidates target."""
    through = CandidateProfile.target_occupations.through
    rows = through.objects.filter(candidateprofile__in=_looking(town_ids)).values_list(
        "candidateprofile_id", "occupation_id")
    return _frame(rows, ["candidate_id", "occupation_id"])


# ------------------------------------------------------------------------------------------- counts per town
# Each in one GROUP BY query: the database counts, Python never sees a row per vacancy skill. Summed over any set of
# towns by ``matching.market.counts_in_towns`` (a vacancy is offered in one town, a candidate lives in one).
SKILL_COUNT_COLUMNS = ["town_id", "skill_id", "vacancies", "demand_essential", "demand_optional", "supply"]
OCCUPATION_COUNT_COLUMNS = ["town_id", "occupation_id", "vacancies", "places", "candidates"]
TOTAL_COUNT_COLUMNS = ["town_id", "open_vacancies", "places", "looking_candidates"]


def _places_if(essential: bool) -> Sum:
    return Sum(Case(When(essential=essential, then="vacancy__places"), default=Value(0),
                    output_field=IntegerField()))


def _outer(left: pd.DataFrame, right: pd.DataFrame, on: list[str], columns: list[str]) -> pd.DataFrame:
    table = left.merge(right, on=on, how="outer").fillna(0)
    return table.astype("int64")[columns].sort_values(on, ignore_index=True)


def skill_counts_by_town() -> pd.DataFrame:
    """``town_id, skill_id, vacancies, demand_essential, demand_optional, supply``: per town and skill, the open
    vacancies asking for it, their places (essential / optional) and the looking candidates holding it."""
    demand = (VacancySkill.objects.filter(vacancy__in=open_vacancies()).order_by()
              .values("vacancy__town_id", "skill_id")
              .annotate(n=Count("vacancy_id", distinct=True), e=_places_if(True), o=_places_if(False))
              .values_list("vacancy__town_id", "skill_id", "n", "e", "o"))
    supply = (CandidateSkill.objects.filter(candidate__in=looking_candidates()).order_by()
              .values("candidate__town_id", "skill_id").annotate(n=Count("candidate_id", distinct=True))
              .values_list("candidate__town_id", "skill_id", "n"))
    return _outer(_frame(demand, ["town_id", "skill_id", "vacancies", "demand_essential", "demand_optional"]),
                  _frame(supply, ["town_id", "skill_id", "supply"]), ["town_id", "skill_id"], SKILL_COUNT_COLUMNS)


def occupation_counts_by_town() -> pd.DataFrame:
    """``town_id, occupation_id, vacancies, places, candidates``: open vacancies naming the occupation and their
    places, and the looking candidates who target it, per town."""
    open_ = (open_vacancies().filter(occupation__isnull=False).order_by().values("town_id", "occupation_id")
             .annotate(n=Count("id"), p=Sum("places")).values_list("town_id", "occupation_id", "n", "p"))
    through = CandidateProfile.target_occupations.through
    wanted = (through.objects.filter(candidateprofile__in=looking_candidates()).order_by()
              .values("candidateprofile__town_id", "occupation_id")
              .annotate(n=Count("candidateprofile_id", distinct=True))
              .values_list("candidateprofile__town_id", "occupation_id", "n"))
    return _outer(_frame(open_, ["town_id", "occupation_id", "vacancies", "places"]),
                  _frame(wanted, ["town_id", "occupation_id", "candidates"]), ["town_id", "occupation_id"],
                  OCCUPATION_COUNT_COLUMNS)


def totals_by_town() -> pd.DataFrame:
    """``town_id, open_vacancies, places, looking_candidates`` per town."""
    open_ = (open_vacancies().order_by().values("town_id").annotate(n=Count("id"), p=Sum("places"))
             .values_list("town_id", "n", "p"))
    looking = (looking_candidates().order_by().values("town_id").annotate(n=Count("id"))
               .values_list("town_id", "n"))
    return _outer(_frame(open_, ["town_id", "open_vacancies", "places"]),
                  _frame(looking, ["town_id", "looking_candidates"]), ["town_id"], TOTAL_COUNT_COLUMNS)


def looking_count(*, town_ids: Collection[int] | None = None) -> int:
    return _looking(town_ids).count()


def candidate_skills_of(*, candidate_ids: Collection[int]) -> pd.DataFrame:
    """``candidate_id, skill_id`` of the given candidates."""
    rows = CandidateSkill.objects.filter(candidate_id__in=list(candidate_ids)).values_list("candidate_id", "skill_id")
    return _frame(rows, ["candidate_id", "skill_id"])


def vacancy_requirements_frame(*, vacancy_ids: Collection[int]) -> pd.DataFrame:
    """``vacancy_id, skill_id, essential`` of the given vacancies."""
    rows = VacancySkill.objects.filter(vacancy_id__in=list(vacancy_ids)).values_list(
        "vacancy_id", "skill_id", "essential")
    return _frame(rows, ["vacancy_id", "skill_id", "essential"])


def snapshot_daily_frame(rows: QuerySet[MarketSnapshotRow]) -> pd.DataFrame:
    """``day, vacancies, demand_essential, demand_optional, supply`` of snapshot rows (one per day)."""
    values = rows.order_by("snapshot__day").values_list(
        "snapshot__day", "vacancies", "demand_essential", "demand_optional", "supply")
    return _frame(values, ["day", "vacancies", "demand_essential", "demand_optional", "supply"])
