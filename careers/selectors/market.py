"""Reads for the labour-market insights (issue 13): skill and occupation demand against supply, shortages with the
programmes that teach them, the monthly trend from daily snapshots, and an employer's missing skills.

Who sees what (the role rule itself is ``api.permissions.CanReadMarketInsights`` / ``CanReadMissingSkills``):
staff and analysts read everything; provider staff read the rows of the skills their institution's programmes teach
(and the occupations they lead to); an employer member reads its own employer's missing-skills report. Every
candidate-side count under :data:`MIN_GROUP` is suppressed (None), as in the fairness report.

Areas: every town (``all``), the commute region around Valmiera or Ventspils (the towns within
:data:`COMMUTE_RADIUS_KM` road kilometres of it, ``careers.selectors.geo``), or one town.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.frames.market import (
    candidate_skills_of, open_vacancies, snapshot_daily_frame, vacancy_requirements_frame,
)
from careers.models import (
    Employer, Intake, MarketArea, MarketSnapshotRow, Occupation, Programme, Role, Skill, Town, User,
)
from careers.models.taxonomy import preferred_label
from careers.runtime.market import MarketTables, market_cache
from careers.runtime.matches import match_service
from matching.market import (
    balance_of_counts, counts_in_towns, missing_skills, monthly_trend, occupation_balance_of_counts,
)

from .geo import town_ids_within
from .roles import employers_of, institution_of, is_admin, role_of

MIN_GROUP = 10
COMMUTE_RADIUS_KM = 60
REGION_HUBS = {MarketArea.VALMIERA.value: "Valmiera", MarketArea.VENTSPILS.value: "Ventspils"}
RANKED_PER_VACANCY = 50
SHORTAGE = 1.0
MSG_NOT_YOUR_SKILL = _("Your institution's programmes do not teach this skill.")
MSG_SKILL_REQUIRED = _("Name one of the skills your institution's programmes teach (skill).")
MSG_EMPLOYER_REQUIRED = _("Say which employer (employer).")
MSG_UNKNOWN_EMPLOYER = _("Unknown employer, or not one of yours.")


@dataclass(frozen=True)
class MarketScope:
    """Where to count: ``area`` (all, valmiera, ventspils) or one town (``town_id``, which wins)."""

    area: str = MarketArea.ALL.value
    town_id: int | None = None


def region_town_ids(area: str) -> list[int] | None:
    """The towns of a region (None for ``all``; empty when the hub town is not loaded)."""
    if area == MarketArea.ALL.value:
        return None
    hub = Town.objects.filter(name=REGION_HUBS[area]).first()
    return [] if hub is None else sorted(town_ids_within(town=hub, radius_km=COMMUTE_RADIUS_KM))


def scope_town_ids(scope: MarketScope) -> list[int] | None:
    return [scope.town_id] if scope.town_id is not None else region_town_ids(scope.area)


def scope_towns(scope: MarketScope) -> list[dict]:
    """The towns counted, as ``{id, name}`` (every town for ``all``)."""
    ids = scope_town_ids(scope)
    towns = Town.objects.all() if ids is None else Town.objects.filter(pk__in=ids)
    return [{"id": pk, "name": name} for pk, name in towns.order_by("name").values_list("id", "name")]


# ------------------------------------------------------------------------------------------- who sees what
def reads_whole_market(user: User) -> bool:
    return is_admin(user) or role_of(user) == Role.ANALYST


def insight_skill_ids(*, viewer: User) -> set[int] | None:
    """The skills whose rows ``viewer`` may read: None (all) for staff and analysts, else those taught by the
    programmes of the viewer's institution (none for anyone else)."""
    if reads_whole_market(viewer):
        return None
    institution = institution_of(viewer)
    if institution is None:
        return set()
    return set(Programme.skills_taught.through.objects.filter(programme__institution=institution)
               .values_list("skill_id", flat=True))


def insight_occupation_ids(*, viewer: User) -> set[int] | None:
    """As :func:`insight_skill_ids`, for the occupations the institution's programmes lead to."""
    if reads_whole_market(viewer):
        return None
    institution = institution_of(viewer)
    if institution is None:
        return set()
    return set(Programme.leads_to.through.objects.filter(programme__institution=institution)
               .values_list("occupation_id", flat=True))


def _keep(frame: pd.DataFrame, column: str, ids: set[int] | None) -> pd.DataFrame:
    return frame if ids is None else frame[frame[column].isin(ids)]


# ------------------------------------------------------------------------------------------- labels
def concept_refs(model, ids: Iterable[int], *, language: str) -> dict[int, dict]:
    """id → ``{id, uri, label}`` of skills or occupations (one query)."""
    rows = model.objects.filter(pk__in=list(ids)).values_list("id", "uri", "label_lv", "label_en")
    return {pk: {"id": pk, "uri": uri, "label": preferred_label(lv, en, language)} for pk, uri, lv, en in rows}


def _records(table: pd.DataFrame, key: str, refs: dict[int, dict], name: str) -> list[dict]:
    out = []
    for row in table.to_dict("records"):
        pk = int(row.pop(key))
        out.append({name: refs.get(pk, {"id": pk, "uri": "", "label": ""}), **_plain(row)})
    return out


def _plain(row: dict) -> dict:
    """numpy scalars to Python ones (None stays None)."""
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}


# ------------------------------------------------------------------------------------------- tables
# Computed from the per-town counts of the current data version (``careers.runtime.market``), once per scope and
# language; a viewer's rows are then a filter of the shared ones (rows are shared: copy one before changing it).
def _scope_parts(tables: MarketTables, scope: MarketScope) -> tuple[list[int] | None, list[dict], dict]:
    """The scope's town ids, its towns and its totals (memoised per version: towns and distances are in it)."""
    def make():
        town_ids = scope_town_ids(scope)
        return town_ids, scope_towns(scope), _totals(tables, town_ids)
    return tables.derived(("scope", scope), make)


def _totals(tables: MarketTables, town_ids: list[int] | None) -> dict:
    totals = tables.totals if town_ids is None else tables.totals[tables.totals["town_id"].isin(town_ids)]
    looking = int(totals["looking_candidates"].sum())
    return {"open_vacancies": int(totals["open_vacancies"].sum()), "places": int(totals["places"].sum()),
            "looking_candidates": looking if looking >= MIN_GROUP else None}


def _skill_rows(tables: MarketTables, scope: MarketScope, language: str) -> list[dict]:
    def make():
        town_ids, _, _ = _scope_parts(tables, scope)
        table = balance_of_counts(counts_in_towns(tables.skills, "skill_id", town_ids), min_group=MIN_GROUP)
        table = table.assign(shortage=table["shortage_index"] >= SHORTAGE)
        return _records(table, "skill_id", concept_refs(Skill, table["skill_id"], language=language), "skill")
    return tables.derived(("skills", scope, language), make)


def _visible(rows: list[dict], name: str, ids: set[int] | None) -> list[dict]:
    return list(rows) if ids is None else [row for row in rows if row[name]["id"] in ids]


def skill_demand_supply(*, viewer: User, scope: MarketScope, language: str) -> dict:
    """Per skill: open vacancies asking for it, places (essential / optional), looking candidates holding it
    (None under :data:`MIN_GROUP`), shortage index; most short first."""
    return _skill_report(market_cache().tables(), viewer=viewer, scope=scope, language=language)


def _skill_report(tables: MarketTables, *, viewer: User, scope: MarketScope, language: str) -> dict:
    _, towns, totals = _scope_parts(tables, scope)
    rows = _visible(_skill_rows(tables, scope, language), "skill", insight_skill_ids(viewer=viewer))
    return {"towns": list(towns), "totals": dict(totals), "rows": rows}


def market_totals(*, town_ids: Collection[int] | None) -> dict:
    """Open vacancies, their places and the looking candidates (None under :data:`MIN_GROUP`) in those towns."""
    return _totals(market_cache().tables(), None if town_ids is None else list(town_ids))


def occupation_demand_supply(*, viewer: User, scope: MarketScope, language: str) -> dict:
    """Per occupation: open vacancies and places against the looking candidates who target it."""
    tables = market_cache().tables()

    def make():
        town_ids, _, _ = _scope_parts(tables, scope)
        table = occupation_balance_of_counts(counts_in_towns(tables.occupations, "occupation_id", town_ids),
                                             min_group=MIN_GROUP)
        refs = concept_refs(Occupation, table["occupation_id"], language=language)
        return _records(table, "occupation_id", refs, "occupation")
    rows = tables.derived(("occupations", scope, language), make)
    _, towns, _ = _scope_parts(tables, scope)
    return {"towns": list(towns), "rows": _visible(rows, "occupation", insight_occupation_ids(viewer=viewer))}


def shortage_skills(*, viewer: User, scope: MarketScope, language: str, top: int) -> dict:
    """The ``top`` skills with the highest shortage index (some essential or optional demand), each with the active
    programmes in the area that teach it and their next intake."""
    tables = market_cache().tables()
    report = _skill_report(tables, viewer=viewer, scope=scope, language=language)
    rows = [row for row in report["rows"] if row["demand_essential"] + row["demand_optional"] > 0][:top]
    town_ids, _, _ = _scope_parts(tables, scope)
    teaching = programmes_teaching([row["skill"]["id"] for row in rows], town_ids=town_ids, language=language)
    return {**report, "rows": [{**row, "programmes": teaching.get(row["skill"]["id"], [])} for row in rows]}


def _next_intakes(programme_ids: list[int]) -> dict[int, dict]:
    today = timezone.localdate()
    upcoming = (Intake.objects.filter(programme_id__in=programme_ids, start_date__gte=today)
                .order_by("programme_id", "start_date")
                .values_list("programme_id", "id", "start_date", "application_deadline", "seats", "funded_seats"))
    found: dict[int, dict] = {}
    for programme_id, pk, start, deadline, seats, funded in upcoming:
        found.setdefault(programme_id, {"id": pk, "start_date": start, "application_deadline": deadline,
                                        "seats": seats, "funded_seats": funded})
    return found


def programmes_teaching(skill_ids: list[int], *, town_ids: Collection[int] | None, language: str) -> dict[int, list]:
    """skill id → the active programmes (of institutions in those towns) teaching it, each with its next intake."""
    links = Programme.skills_taught.through.objects.filter(skill_id__in=skill_ids, programme__is_active=True)
    if town_ids is not None:
        links = links.filter(programme__institution__town_id__in=list(town_ids))
    rows = list(links.order_by("programme__institution__name_lv", "programme__name_lv").values_list(
        "skill_id", "programme_id", "programme__name_lv", "programme__name_en", "programme__institution_id",
        "programme__institution__name_lv", "programme__institution__town__name"))
    intakes = _next_intakes(sorted({row[1] for row in rows}))
    out: dict[int, list] = {}
    for skill_id, pk, name_lv, name_en, institution_id, institution, town in rows:
        out.setdefault(skill_id, []).append({
            "id": pk, "name": preferred_label(name_lv, name_en, language),
            "institution": {"id": institution_id, "name": institution}, "town": town,
            "next_intake": intakes.get(pk)})
    return out


# ------------------------------------------------------------------------------------------- trend
def market_trend(*, viewer: User, area: str, skill_id: int | None, language: str) -> dict:
    """Month by month (mean over the month's daily snapshots) for one skill, or the area's totals (``skill_id``
    None; staff and analysts only: a provider names one of its skills)."""
    allowed = insight_skill_ids(viewer=viewer)
    if allowed is not None and skill_id is None:
        raise ValidationError({"skill": [MSG_SKILL_REQUIRED]})
    if allowed is not None and skill_id not in allowed:
        raise PermissionDenied(MSG_NOT_YOUR_SKILL)
    rows = MarketSnapshotRow.objects.filter(area=area, skill_id=skill_id)
    trend = monthly_trend(snapshot_daily_frame(rows), min_group=MIN_GROUP)
    skill = concept_refs(Skill, [skill_id], language=language).get(skill_id) if skill_id is not None else None
    return {"area": area, "skill": skill, "months": [_plain(row) for row in trend.to_dict("records")]}


# ------------------------------------------------------------------------------------------- employers
def employer_for_insights(*, viewer: User, employer_id: int | None) -> Employer:
    """The employer a missing-skills report is about: staff and analysts name any; a member its own (its only one
    when it names none)."""
    pool = Employer.objects.all() if reads_whole_market(viewer) else employers_of(viewer)
    if employer_id is not None:
        employer = pool.filter(pk=employer_id).first()
        if employer is None:
            raise ValidationError({"employer": [MSG_UNKNOWN_EMPLOYER]})
        return employer
    own = list(employers_of(viewer)[:2])
    if len(own) != 1:
        raise ValidationError({"employer": [MSG_EMPLOYER_REQUIRED]})
    return own[0]


def _ranked_frame(vacancy_ids: list[int], per_vacancy: int) -> pd.DataFrame:
    """``vacancy_id, candidate_id``: the candidates the recommender ranks first for each vacancy.

    Everyone in the match index counts (processing consent), not only those discoverable by employers: the report
    gives the employer counts of at least :data:`MIN_GROUP` people, never a person.
    """
    service, rows = match_service(), []
    for vacancy in open_vacancies().filter(pk__in=vacancy_ids):
        frame = service.candidates_for(vacancy=vacancy, k=per_vacancy, among=None)
        if frame is not None:
            rows.extend((vacancy.pk, int(c)) for c in frame["candidate_id"])
    return pd.DataFrame(rows, columns=["vacancy_id", "candidate_id"])


def _missing_table(tables: MarketTables, *, employer_id: int, per_vacancy: int) -> tuple[list[int], pd.DataFrame]:
    """The employer's open vacancy ids and its missing-skills table, ranked once per data version (the ranking
    reads the same vacancies, candidates and skills the version fingerprints) and per match index."""
    def make():
        vacancy_ids = list(open_vacancies().filter(employer_id=employer_id).values_list("pk", flat=True))
        ranked = _ranked_frame(vacancy_ids, per_vacancy)
        table = missing_skills(vacancy_requirements_frame(vacancy_ids=vacancy_ids), ranked,
                               candidate_skills_of(candidate_ids=set(ranked["candidate_id"])), min_group=MIN_GROUP)
        return vacancy_ids, table
    return tables.derived(("missing_skills", employer_id, per_vacancy, id(match_service().state())), make)


def employer_missing_skills(*, employer: Employer, language: str, top: int,
                            per_vacancy: int = RANKED_PER_VACANCY) -> dict:
    """The skills the employer's open vacancies ask for that the candidates ranked for them lack most, each with
    the local programmes (within the commute radius of the employer's town) that teach it and their next intake."""
    vacancy_ids, table = _missing_table(market_cache().tables(), employer_id=employer.pk, per_vacancy=per_vacancy)
    table = table.head(top)
    towns = town_ids_within(town=employer.town, radius_km=COMMUTE_RADIUS_KM)
    teaching = programmes_teaching(table["skill_id"].tolist(), town_ids=towns, language=language)
    rows = _records(table, "skill_id", concept_refs(Skill, table["skill_id"], language=language), "skill")
    for row in rows:
        row["programmes"] = teaching.get(row["skill"]["id"], [])
    return {"employer": {"id": employer.pk, "name": employer.name}, "open_vacancies": len(vacancy_ids),
            "ranked_per_vacancy": per_vacancy, "rows": rows}

