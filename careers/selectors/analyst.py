"""Reads for the municipality analyst's pages (journey 5): the market dashboard's three tables in one place.

Who may read is the market insights' rule (:func:`careers.selectors.market.reads_whole_market`): staff and
analysts; :func:`analyst_may_read` is what the pages check. Candidate counts under ``MIN_GROUP`` stay suppressed.
"""
from __future__ import annotations

from dataclasses import dataclass

from careers.models import User

from .market import MIN_GROUP, MarketScope, market_totals, market_trend, reads_whole_market, scope_towns, shortage_skills

SHORTAGE_TOP = 10


def analyst_may_read(user: User) -> bool:
    return bool(user and user.is_authenticated and reads_whole_market(user))


def market_by_town(*, scope: MarketScope) -> list[dict]:
    """Per town of the scope: open vacancies, places in them, and the candidates looking for work there
    (None when fewer than ``MIN_GROUP``)."""
    return [{"town": town, **market_totals(town_ids=[town["id"]])} for town in scope_towns(scope)]


@dataclass(frozen=True)
class MarketDashboard:
    area: str
    totals: dict
    by_town: list[dict]
    shortages: list[dict]
    trend: list[dict]
    min_group: int = MIN_GROUP


def market_dashboard(*, viewer: User, area: str, language: str) -> MarketDashboard:
    """Demand against supply by town, the shortage skills with the programmes (and seats) that teach them, and the
    monthly trend of the area's totals."""
    scope = MarketScope(area=area)
    shortages = shortage_skills(viewer=viewer, scope=scope, language=language, top=SHORTAGE_TOP)
    trend = market_trend(viewer=viewer, area=area, skill_id=None, language=language)
    return MarketDashboard(area=area, totals=shortages["totals"], by_town=market_by_town(scope=scope),
                           shortages=shortages["rows"], trend=trend["months"])
