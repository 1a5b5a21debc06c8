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

__all__ = ["OPTIONAL_WEIGHT", "balance_of_counts", "counts_in_towns", "occupation_balance",
           "occupation_balance_of_counts", "skill_balance", "skill_counts", "missing_skills", "monthly_trend"]

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
    return balance_of_counts(skill_counts(demand, supply), min_group=min_group)


def balance_of_counts(counts: pd.DataFrame, *, min_group: int = 10) -> pd.DataFrame:
    """:func:`skill_balance` from counts already made: ``skill_id, vacancies, demand_essential, demand_optional,
    supply`` (one row per skill, as :func:`skill_counts` or :func:`counts_in_towns` give them)."""
    _require(counts, ("skill_id", "vacancies", "demand_essential", "demand_optional", "supply"), "counts")
    table = counts.copy()
    table["shortage_index"] = shortage_index(table["demand_essential"], table["demand_optional"], table["supply"],
                                             min_group=min_group)
    table["suppressed"] = table["supply"] < min_group
    table = table.sort_values(["shortage_index", "demand_essential", "skill_id"], ascending=[False, False, True])
    table["supply"] = table["supply"].astype(object).where(~table["suppressed"], None)
    return table[SKILL_COLUMNS].reset_index(drop=True)


def counts_in_towns(by_town: pd.DataFrame, key: str, town_ids=None) -> pd.DataFrame:
    """Counts kept per town (``town_id``, ``key`` and count columns) summed over ``town_ids`` (None: every town).

    The sum is exact for counts of people or vacancies because each lives in (is offered in) one town only: the
    distinct vacancies asking for a skill in two towns are the two towns' distinct vacancies added up.
    """
    _require(by_town, ("town_id", key), "by_town")
    rows = by_town if town_ids is None else by_town[by_town["town_id"].isin(list(town_ids))]
    columns = [c for c in by_town.columns if c not in ("town_id", key)]
    table = rows.groupby(key, sort=True)[columns].sum().reset_index()
    table[key] = table[key].astype("int64")
    return table.astype({c: "int64" for c in columns})


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
    return occupation_balance_of_counts(table, min_group=min_group)


def occupation_balance_of_counts(counts: pd.DataFrame, *, min_group: int = 10) -> pd.DataFrame:
    """:func:`occupation_balance` from counts already made: ``occupation_id, vacancies, places, candidates``."""
    _require(counts, ("occupation_id", "vacancies", "places", "candidates"), "counts")
    table = counts.copy()
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
    # Each (skill, candidate) once: a candidate ranked for two vacancies asking for the skill counts once.
    pairs = (required[["vacancy_id", "skill_id"]].merge(ranked[["vacancy_id", "candidate_id"]], on="vacancy_id")
             [["skill_id", "candidate_id"]].drop_duplicates())
    holds = pd.MultiIndex.from_frame(held[["candidate_id", "skill_id"]])
    pairs["has"] = pd.MultiIndex.from_frame(pairs[["candidate_id", "skill_id"]]).isin(holds)
    counts = pairs.groupby("skill_id").agg(ranked=("candidate_id", "size"), held=("has", "sum"))
    counts["missing"] = counts["ranked"] - counts["held"]
    asks = required.groupby("skill_id").agg(vacancies=("vacancy_id", "nunique"), essential=("essential", "any"))
    table = asks.join(counts[["ranked", "missing"]], how="left").fillna({"ranked": 0, "missing": 0}).reset_index()
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
