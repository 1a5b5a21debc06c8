"""A believable, invented year of daily market snapshots for the demo (``MarketSnapshot.is_demo``), so the monthly
trend has something to show in a fresh demo.

Each area's figures start from the demo's current demand and supply (as ``snapshot_market`` would count them
today) and are bent back in time by a season (vacancies peak in late spring and summer: seasonal work, summer jobs;
job seekers peak in autumn and winter), a slow drift (demand grew about 15 % over the year, supply eased by 5 %) and
a little day-to-day noise. Only the busiest :data:`SKILLS_PER_AREA` skills of each area get daily rows, beside the
area totals. Deterministic (one seeded ``numpy`` generator; skills ordered by URI), and written once: when any demo
snapshot exists nothing is written again.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from careers.frames.market import demand_frame, looking_count, open_vacancies, supply_frame
from careers.models import MarketArea, MarketSnapshot, MarketSnapshotRow, Skill
from careers.selectors.market import region_town_ids
from matching.market import skill_counts

DAYS = 365
SKILLS_PER_AREA = 60
SEED = 2026
COUNTS = ("vacancies", "demand_essential", "demand_optional", "supply")


def _area_base(area: str) -> pd.DataFrame:
    """Today's counts of the area: the totals row (skill_id 0) and its busiest skills, ordered by skill URI."""
    town_ids = region_town_ids(area)
    counts = skill_counts(demand_frame(town_ids=town_ids), supply_frame(town_ids=town_ids))
    counts = counts.assign(busy=counts["demand_essential"] + counts["demand_optional"] + counts["supply"])
    busiest = counts.nlargest(SKILLS_PER_AREA, ["busy", "skill_id"])
    uris = dict(Skill.objects.filter(pk__in=busiest["skill_id"].tolist()).values_list("id", "uri"))
    busiest = busiest.assign(uri=busiest["skill_id"].map(uris)).sort_values("uri")
    vacancies = open_vacancies(town_ids=town_ids)
    total = {"skill_id": 0, "vacancies": vacancies.count(), "supply": looking_count(town_ids=town_ids),
             "demand_essential": sum(vacancies.values_list("places", flat=True)), "demand_optional": 0}
    return pd.concat([pd.DataFrame([total]), busiest[["skill_id", *COUNTS]]], ignore_index=True)


def _factors(days: list[dt.date]) -> tuple[np.ndarray, np.ndarray]:
    """Demand and supply multipliers per day (season × drift), 1.0 on the last day's trend line."""
    doy = np.array([d.timetuple().tm_yday for d in days], dtype=float)
    progress = np.linspace(0.0, 1.0, len(days))
    demand = (1 + 0.2 * np.sin(2 * np.pi * (doy - 80) / 365)) * (0.87 + 0.13 * progress)
    supply = (1 + 0.12 * np.sin(2 * np.pi * (doy - 260) / 365)) * (1.05 - 0.05 * progress)
    return demand, supply


def _rows(snapshot: MarketSnapshot, area: str, base: pd.DataFrame, demand: float, supply: float,
          rng: np.random.Generator) -> list[MarketSnapshotRow]:
    noise = rng.normal(1.0, 0.04, size=(len(base), 2)).clip(0.8, 1.2)
    rows = []
    for (skill_id, vacancies, essential, optional, held), (n_demand, n_supply) in zip(
            base[["skill_id", *COUNTS]].itertuples(index=False), noise):
        scale = demand * n_demand
        rows.append(MarketSnapshotRow(
            snapshot=snapshot, area=area, skill_id=int(skill_id) or None, vacancies=round(vacancies * scale),
            demand_essential=round(essential * scale), demand_optional=round(optional * scale),
            supply=round(held * supply * n_supply)))
    return rows


def load_market_history(*, today: dt.date) -> int:
    """Write the demo year (the :data:`DAYS` days before ``today``) unless a demo snapshot exists; returns the
    number of snapshot days written."""
    if MarketSnapshot.objects.filter(is_demo=True).exists():
        return 0
    days = [today - dt.timedelta(days=n) for n in range(DAYS, 0, -1)]
    taken = set(MarketSnapshot.objects.filter(day__in=days).values_list("day", flat=True))
    bases = {area: _area_base(area) for area in MarketArea.values}
    demand, supply = _factors(days)
    rng = np.random.default_rng(SEED)
    snapshots = MarketSnapshot.objects.bulk_create(
        [MarketSnapshot(day=day, taken_at=dt.datetime.combine(day, dt.time(6), tzinfo=dt.timezone.utc), is_demo=True)
         for day in days if day not in taken])
    by_day = {s.day: s for s in snapshots}
    rows = []
    for i, day in enumerate(days):
        for area, base in bases.items():
            area_rows = _rows(by_day.get(day), area, base, demand[i], supply[i], rng)
            if day in by_day:
                rows.extend(area_rows)
    MarketSnapshotRow.objects.bulk_create(rows, batch_size=5000)
    return len(snapshots)
