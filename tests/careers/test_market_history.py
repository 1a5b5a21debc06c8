"""The demo's invented year of market snapshots: a year of days, written once, seasonal, deterministic."""
from __future__ import annotations

import datetime as dt

import pytest

from careers.demo.history import DAYS, load_market_history
from careers.models import MarketSnapshot, MarketSnapshotRow
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def market():
    skill = f.SkillFactory()
    for _ in range(6):
        f.VacancySkillFactory(vacancy=f.VacancyFactory(places=4), skill=skill)
    for _ in range(30):
        f.CandidateSkillFactory(skill=skill)
    return skill


def _totals(area: str = "all") -> dict[dt.date, MarketSnapshotRow]:
    rows = MarketSnapshotRow.objects.filter(area=area, skill=None).select_related("snapshot")
    return {row.snapshot.day: row for row in rows}


def test_a_year_of_demo_days_before_today_is_written_once(market):
    assert load_market_history(today=TODAY) == DAYS
    days = sorted(MarketSnapshot.objects.values_list("day", flat=True))
    assert (days[0], days[-1], len(days)) == (TODAY - dt.timedelta(days=DAYS), TODAY - dt.timedelta(days=1), DAYS)
    assert MarketSnapshot.objects.filter(is_demo=False).count() == 0
    assert load_market_history(today=TODAY) == 0 and MarketSnapshot.objects.count() == DAYS


def test_demand_peaks_in_summer_and_job_seekers_in_winter(market):
    load_market_history(today=TODAY)
    totals = _totals()
    summer = [row for day, row in totals.items() if day.month in (6, 7)]
    winter = [row for day, row in totals.items() if day.month in (1, 2)]
    mean = lambda rows, name: sum(getattr(r, name) for r in rows) / len(rows)  # noqa: E731
    assert mean(summer, "demand_essential") > mean(winter, "demand_essential")
    assert mean(winter, "supply") > mean(summer, "supply")
    # every day, everywhere and in the Valmiera region (the factories make no Ventspils: that region is empty)
    assert MarketSnapshotRow.objects.filter(skill=market).count() == DAYS * 2


def test_the_history_is_the_same_every_time(market):
    load_market_history(today=TODAY)
    fields = ("snapshot__day", "area", "skill_id", "demand_essential", "supply")
    first = list(MarketSnapshotRow.objects.order_by(*fields).values_list(*fields))
    MarketSnapshot.objects.all().delete()
    load_market_history(today=TODAY)
    assert list(MarketSnapshotRow.objects.order_by(*fields).values_list(*fields)) == first
