"""Labour-market balance: demand in open vacancies against supply among candidates who are looking.

Demand of a skill is counted in *places* (a vacancy for three welders needs the skill three times), essential and
optional apart; supply is the number of looking candidates who hold it. The shortage index is

    (essential places + OPTIONAL_WEIGHT × optional places) / max(supply, min_group)

so 2.0 reads "two places for every candidate who has the skill". A supply under ``min_group`` is suppressed (None)
and counts as ``min_group`` in the index: the index then never reveals the suppressed count and reads as a lower
bound of the shortage. Occupations compare open vacancies (and their places) with the candidates who target them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["OPTIONAL_WEIGHT", "occupation_balance", "skill_balance", "skill_counts", "missing_skills", "monthly_trend"]

OPTIONAL_WEIGHT = 0.5
SKILL_COLUMNS = ["skill_id", "vacancies", "demand_essential", "demand_optional", "supply", "shortage_index",
                 "suppressed"]
OCCUPATION_COLUMNS = ["occupation_id", "vacancies", "places", "candidates", "places_per_candidate", "suppressed"]
MISSING_COLUMNS = ["skill_id", "vacancies", "essential", "ranked", "missing", "missing_share", "suppressed"]
TREND_COLUMNS = ["month", "days", "vacancies", "demand_essential", "demand_optional", "supply", "shortage_index",
                 "suppressed"]
ERR_COLUMNS = "{name} lacks columns: {missing}"


def _require(frame: pd.DataFrame, columns, name: str) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise ValueError(ERR_COLUMNS.format(name=name, missing=", ".join(missing)))


def shortage_index(essential, optional, supply, *, min_group: int):
    """The index of the module docstring, elementwise (numbers or arrays)."""
    demand = np.asarray(essential, dtype=float) + OPTIONAL_WEIGHT * np.asarray(optional, dtype=float)
    return np.round(demand / np.maximum(np.asarray(supply, dtype=float), float(min_group)), 4)


def skill_counts(demand: pd.DataFrame, supply: pd.DataFrame) -> pd.DataFrame:
    """The raw counts of :func:`skill_balance` (nothing suppressed): ``skill_id, vacancies, demand_essential,
    demand_optional, supply`` (int), one row per skill in demand or in supply, by skill id."""
    _require(demand, ("vacancy_id", "skill_id", "essential", "places"), "demand")
    _require(supply, ("candidate_id", "skill_id"), "supply")
    essential = demand["essential"].astype(bool)
    rows = demand.assign(essential_places=demand["places"].where(essential, 0),
                         optional_places=demand["places"].where(~essential, 0))
    wanted = rows.groupby("skill_id").agg(vacancies=("vacancy_id", "nunique"),
                                          demand_essential=("essential_places", "sum"),
                                          demand_optional=("optional_places", "sum"))
    held = supply.drop_duplicates(["candidate_id", "skill_id"]).groupby("skill_id").size().rename("supply")
    table = wanted.join(held, how="outer").fillna(0).astype("int64").reset_index()
    table["skill_id"] = table["skill_id"].astype("int64")  # an empty frame's ids come back as objects
    return table[["skill_id", "vacancies", "demand_essential", "demand_optional", "supply"]]


def skill_balance(demand: pd.DataFrame, supply: pd.DataFrame, *, min_group: int = 10) -> pd.DataFrame:
    """Demand against supply per skill, most short first.

    Parameters
    ----------
    demand : DataFrame
        One row per skill of an open vacancy: ``vacancy_id, skill_id, essential`` (bool), ``places`` (int ≥ 1).
    supply : DataFrame
        One row per skill of a looking candidate: ``candidate_id, skill_id``.
    min_group : int, default 10
        A supply under this is suppressed.

    Returns
    -------
    DataFrame
        ``skill_id, vacancies, demand_essential, demand_optional, supply, shortage_index, suppressed``: one row per
        skill that is in demand or in supply; ``supply`` is None (object column) where suppressed. Sorted by
        shortage index (descending), then essential demand, then skill id.
    """
    table = skill_counts(demand, supply)
    table["shortage_index"] = shortage_index(table["demand_essential"], table["demand_optional"], table["supply"],
                                             min_group=min_group)
    table["suppressed"] = table["supply"] < min_group
    table = table.sort_values(["shortage_index", "demand_essential", "skill_id"], ascending=[False, False, True])
    table["supply"] = table["supply"].astype(object).where(~table["suppressed"], None)
    return table[SKILL_COLUMNS].reset_index(drop=True)


def occupation_balance(vacancies: pd.DataFrame, targets: pd.DataFrame, *, min_group: int = 10) -> pd.DataFrame:
    """Open vacancies of each occupation against the looking candidates who target it.

    Parameters
    ----------
    vacancies : DataFrame
        ``vacancy_id, occupation_id, places``: open vacancies with an occupation.
    targets : DataFrame
        ``candidate_id, occupation_id``: the occupations looking candidates target.

    Returns
    -------
    DataFrame
        ``occupation_id, vacancies, places, candidates, places_per_candidate, suppressed``; ``candidates`` None
        where under ``min_group`` (and the ratio then divides by ``min_group``, as the shortage index does).
        Sorted by places per candidate (descending), then places.
    """
    _require(vacancies, ("vacancy_id", "occupation_id", "places"), "vacancies")
    _require(targets, ("candidate_id", "occupation_id"), "targets")
    open_ = vacancies.groupby("occupation_id").agg(vacancies=("vacancy_id", "nunique"), places=("places", "sum"))
    wanted = (targets.drop_duplicates(["candidate_id", "occupation_id"]).groupby("occupation_id").size()
              .rename("candidates"))
    table = open_.join(wanted, how="outer").fillna(0).astype("int64").reset_index()
    table["places_per_candidate"] = np.round(
        table["places"] / np.maximum(table["candidates"], min_group).astype(float), 4)
    table["suppressed"] = table["candidates"] < min_group
    table = table.sort_values(["places_per_candidate", "places", "occupation_id"], ascending=[False, False, True])
    table["candidates"] = table["candidates"].astype(object).where(~table["suppressed"], None)
    return table[OCCUPATION_COLUMNS].reset_index(drop=True)


def missing_skills(required: pd.DataFrame, ranked: pd.DataFrame, held: pd.DataFrame, *,
                   min_group: int = 10) -> pd.DataFrame:
    """Which required skills the candidates ranked for the vacancies lack, most missed first.

    Parameters
    ----------
    required : DataFrame
        ``vacancy_id, skill_id, essential``: the skills the vacancies ask for.
    ranked : DataFrame
        ``vacancy_id, candidate_id``: the candidates ranked for each vacancy.
    held : DataFrame
        ``candidate_id, skill_id``: the skills those candidates hold.

    Returns
    -------
    DataFrame
        ``skill_id, vacancies, essential (bool: essential in any), ranked, missing, missing_share, suppressed``:
        ``ranked`` counts the distinct candidates ranked for a vacancy asking for the skill and ``missing`` those of
        them who lack it; both None (and the share too) when ``ranked`` is under ``min_group``.
    """
    _require(required, ("vacancy_id", "skill_id", "essential"), "required")
    _require(ranked, ("vacancy_id", "candidate_id"), "ranked")
    _require(held, ("candidate_id", "skill_id"), "held")
    pairs = required.merge(ranked, on="vacancy_id")
    have = held.drop_duplicates().assign(has=True)
    pairs = pairs.merge(have, on=["candidate_id", "skill_id"], how="left")
    pairs["has"] = pairs["has"].astype("boolean").fillna(False).astype(bool)
    per_candidate = pairs.groupby(["skill_id", "candidate_id"]).agg(has=("has", "any")).reset_index()
    counts = per_candidate.groupby("skill_id").agg(ranked=("candidate_id", "size"),
                                                  missing=("has", lambda s: int((~s).sum())))
    asks = required.groupby("skill_id").agg(vacancies=("vacancy_id", "nunique"), essential=("essential", "any"))
    table = asks.join(counts, how="left").fillna({"ranked": 0, "missing": 0}).reset_index()
    table[["ranked", "missing"]] = table[["ranked", "missing"]].astype("int64")
    table["missing_share"] = np.where(table["ranked"] > 0, table["missing"] / table["ranked"].clip(lower=1), 0.0)
    table["missing_share"] = table["missing_share"].round(4)
    table["suppressed"] = table["ranked"] < min_group
    table = table.sort_values(["suppressed", "missing", "missing_share", "skill_id"],
                              ascending=[True, False, False, True])
    for column in ("ranked", "missing", "missing_share"):
        table[column] = table[column].astype(object).where(~table["suppressed"], None)
    table["essential"] = table["essential"].astype(bool)
    return table[MISSING_COLUMNS].reset_index(drop=True)


def monthly_trend(daily: pd.DataFrame, *, min_group: int = 10) -> pd.DataFrame:
    """Month by month from daily snapshots: the mean over the month's snapshot days.

    Parameters
    ----------
    daily : DataFrame
        ``day`` (date), ``vacancies, demand_essential, demand_optional, supply``: one row per snapshot day.

    Returns
    -------
    DataFrame
        ``month`` (YYYY-MM), ``days``, the four means (rounded to 0.1), ``shortage_index`` (of the means) and
        ``suppressed`` (mean supply under ``min_group``: supply None).
    """
    _require(daily, ("day", "vacancies", "demand_essential", "demand_optional", "supply"), "daily")
    if daily.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    frame = daily.assign(month=pd.to_datetime(daily["day"]).dt.strftime("%Y-%m"))
    means = frame.groupby("month", sort=True).agg(
        days=("day", "nunique"), vacancies=("vacancies", "mean"), demand_essential=("demand_essential", "mean"),
        demand_optional=("demand_optional", "mean"), supply=("supply", "mean")).reset_index()
    means["shortage_index"] = shortage_index(means["demand_essential"], means["demand_optional"], means["supply"],
                                             min_group=min_group)
    for column in ("vacancies", "demand_essential", "demand_optional", "supply"):
        means[column] = means[column].round(1)
    means["suppressed"] = means["supply"] < min_group
    means["supply"] = means["supply"].astype(object).where(~means["suppressed"], None)
    return means[TREND_COLUMNS]
