"""Reads for the municipality's insights (issue 6): fairness of the served recommendations, and their outcomes.

Both reports read the audit trail of served lists (``RecommendationList`` / ``RecommendationItem``), the
counsellors' current reviews, the candidates and their applications in a handful of queries (no per-row query),
then aggregate in one pass of pandas. No figure is given for a group of fewer than :data:`MIN_GROUP` people.

*Recommended item*: one (candidate, kind, item key) served in the period, counted once however often the list was
asked for again, with its best rank and the time it was first served.

Fairness (:func:`fairness_report`): :func:`matching.fairness.exposure_report` by gender, age band and town.
Exposure of a person is the sum of ``1 / log2(1 + best rank)`` over the items recommended to them; a group's is the
mean over its people, people with nothing served counting 0. People are the candidates the recommender may serve
(processing consent, active account) plus anyone served a list in the period. The approval rate is approved
(counsellor decision ``approved`` or ``added``) over reviewed items.

Outcomes (:func:`outcomes_report`): of the jobs and programmes recommended, how many led to an application by that
candidate to that vacancy (jobs) or to an intake of that programme (programmes) created after the item was first
served, and how many of those reached ``hired`` (vacancy) or ``enrolled`` (intake). By month first served, the
candidate's town and the candidate's counsellor.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.db.models import QuerySet

from careers.frames.insights import (
    applications_frame, candidate_groups_frame, fairness_people_frame, fairness_served_frame, recommended_frame,
)
from careers.models import Application, RecommendationItem, RecommendationKind
from matching.fairness import exposure_report

MIN_GROUP = 10
FAIRNESS_ATTRIBUTES = ("gender", "age_band", "town")
OUTCOME_KINDS = (RecommendationKind.JOBS.value, RecommendationKind.PROGRAMMES.value)
FOUR_FIFTHS = 0.8
COUNTS = ("candidates", "recommended", "applied", "hired", "enrolled")


@dataclass(frozen=True)
class InsightsScope:
    """Which served lists a report reads: of ``kind`` (all report kinds when None), served from ``date_from`` to
    ``date_to`` (dates in the service's time zone, both inclusive), for candidates living in ``town_id``."""

    kind: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    town_id: int | None = None


def served_items(*, scope: InsightsScope, kinds: tuple[str, ...] | None = None) -> QuerySet[RecommendationItem]:
    """Served items in the scope (``kinds`` limits the kinds a report knows when the scope names none)."""
    items = RecommendationItem.objects.all()
    if scope.kind is not None:
        items = items.filter(list__kind=scope.kind)
    elif kinds is not None:
        items = items.filter(list__kind__in=kinds)
    if scope.date_from is not None:
        items = items.filter(list__created_at__date__gte=scope.date_from)
    if scope.date_to is not None:
        items = items.filter(list__created_at__date__lte=scope.date_to)
    if scope.town_id is not None:
        items = items.filter(list__candidate__town_id=scope.town_id)
    return items


# ------------------------------------------------------------------------------------------- fairness
def _group_row(row: dict) -> dict:
    ratios = [row[name] for name in ("exposure_ratio", "approval_ratio") if row[name] is not None]
    counts = {name: None if row["suppressed"] else int(row[name]) for name in ("people", "served", "reviewed")}
    return {"group": row["group"], **counts,
            **{name: row[name] for name in ("exposure", "approval_rate", "exposure_ratio", "approval_ratio")},
            "suppressed": bool(row["suppressed"]), "flagged": any(r < FOUR_FIFTHS for r in ratios)}


def fairness_report(*, scope: InsightsScope, reference: str = "best") -> dict[str, list[dict]]:
    """Exposure and approval rate by gender, age band and town: ``{attribute: [group row, ...]}``.

    A group row: ``group, people, served (items recommended), reviewed, exposure, approval_rate, exposure_ratio,
    approval_ratio, suppressed, flagged`` — counts and figures None when the group has fewer than
    :data:`MIN_GROUP` people; ``flagged`` when a ratio is under 0.8 (the four-fifths rule).
    """
    items = served_items(scope=scope)
    table = exposure_report(fairness_served_frame(items), fairness_people_frame(town_id=scope.town_id, items=items),
                            group_columns=FAIRNESS_ATTRIBUTES, min_group=MIN_GROUP, reference=reference)
    report: dict[str, list[dict]] = {attribute: [] for attribute in FAIRNESS_ATTRIBUTES}
    for row in table.to_dict("records"):
        report[row["attribute"]].append(_group_row(row))
    return report


# ------------------------------------------------------------------------------------------- outcomes
def _item_outcomes(items: QuerySet[RecommendationItem], kinds: tuple[str, ...]) -> pd.DataFrame:
    """Per recommended item: ``candidate_id, first_served, applied, hired, enrolled`` (booleans)."""
    recommended = recommended_frame(items)
    recommended["target_id"] = pd.to_numeric(recommended["item_key"].str.split(":").str[1],
                                             errors="coerce").astype("Int64")
    apps = applications_frame(items, kinds)
    joined = recommended.merge(apps, on=["candidate_id", "kind", "target_id"], how="left")
    after = joined["applied_at"].notna() & (joined["applied_at"] > joined["first_served"])
    joined["applied"] = after
    joined["hired"] = after & (joined["status"] == Application.Status.HIRED)
    joined["enrolled"] = after & (joined["status"] == Application.Status.ENROLLED)
    # An item of a programme with applications to several of its intakes joins several rows: fold them.
    return (joined.groupby(["candidate_id", "kind", "item_key"], as_index=False, sort=False)
            .agg(first_served=("first_served", "first"), applied=("applied", "any"), hired=("hired", "any"),
                 enrolled=("enrolled", "any")))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _outcome_row(group: str, group_id, part: pd.DataFrame) -> dict:
    counts = {"candidates": int(part["candidate_id"].nunique()), "recommended": int(len(part)),
              "applied": int(part["applied"].sum()), "hired": int(part["hired"].sum()),
              "enrolled": int(part["enrolled"].sum())}
    row = {"group": group, "id": None if pd.isna(group_id) else int(group_id)}
    if counts["candidates"] < MIN_GROUP:
        return {**row, **dict.fromkeys(COUNTS), "application_rate": None, "placement_rate": None,
                "conversion_rate": None, "suppressed": True}
    placed = counts["hired"] + counts["enrolled"]
    return {**row, **counts, "application_rate": _rate(counts["applied"], counts["recommended"]),
            "placement_rate": _rate(placed, counts["applied"]),
            "conversion_rate": _rate(placed, counts["recommended"]), "suppressed": False}


def _rows_by(frame: pd.DataFrame, label: str, key: str | None) -> list[dict]:
    columns = [label] if key is None else [label, key]
    groups = frame.groupby(columns, sort=True, dropna=False)
    return [_outcome_row(name[0], None if key is None else name[1], part) for name, part in groups]


def outcomes_report(*, scope: InsightsScope) -> dict:
    """Recommendation → application → hire/enrolment counts and rates: ``total``, ``by_month``, ``by_town``,
    ``by_counsellor``; each row ``group, id, candidates, recommended, applied, hired, enrolled, application_rate,
    placement_rate, conversion_rate, suppressed`` (counts and rates None under :data:`MIN_GROUP` candidates)."""
    kinds = (scope.kind,) if scope.kind is not None else OUTCOME_KINDS
    items = served_items(scope=scope, kinds=OUTCOME_KINDS)
    outcomes = _item_outcomes(items, kinds).merge(candidate_groups_frame(items), on="candidate_id", how="left")
    outcomes["month"] = outcomes["first_served"].dt.tz_convert(settings.TIME_ZONE).dt.strftime("%Y-%m")
    return {
        "total": _outcome_row("all", None, outcomes),
        "by_month": _rows_by(outcomes, "month", None),
        "by_town": _rows_by(outcomes, "town", "town_id"),
        "by_counsellor": _rows_by(outcomes, "counsellor", "counsellor_id"),
    }
