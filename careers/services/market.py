"""The daily market snapshot: today's demand and supply per skill and area, stored for the monthly trend."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from careers.frames.market import demand_frame, looking_count, open_vacancies, supply_frame
from careers.models import MarketArea, MarketSnapshot, MarketSnapshotRow
from careers.selectors.market import region_town_ids
from matching.market import skill_counts


def _area_rows(snapshot: MarketSnapshot, area: str) -> list[MarketSnapshotRow]:
    town_ids = region_town_ids(area)
    counts = skill_counts(demand_frame(town_ids=town_ids), supply_frame(town_ids=town_ids))
    vacancies = open_vacancies(town_ids=town_ids)
    total = MarketSnapshotRow(snapshot=snapshot, area=area, skill=None, vacancies=vacancies.count(),
                              demand_essential=sum(vacancies.values_list("places", flat=True)),
                              supply=looking_count(town_ids=town_ids))
    return [total, *(MarketSnapshotRow(snapshot=snapshot, area=area, skill_id=int(row.skill_id),
                                       vacancies=int(row.vacancies), demand_essential=int(row.demand_essential),
                                       demand_optional=int(row.demand_optional), supply=int(row.supply))
                     for row in counts.itertuples())]


@transaction.atomic
def market_snapshot_take(*, day: dt.date | None = None) -> tuple[MarketSnapshot, bool]:
    """Write the snapshot of ``day`` (today) from the current data; a second run the same day replaces that day's
    rows, so there is never more than one per day. Returns the snapshot and whether it replaced one.

    The totals row (``skill`` null) holds the open vacancies, their places (``demand_essential``) and the looking
    candidates (``supply``) of the area.
    """
    day = day or timezone.localdate()
    snapshot, created = MarketSnapshot.objects.select_for_update().get_or_create(day=day)
    if not created:
        snapshot.rows.all().delete()
        snapshot.taken_at, snapshot.is_demo = timezone.now(), False
        snapshot.save(update_fields=["taken_at", "is_demo"])
    rows = [row for area in MarketArea.values for row in _area_rows(snapshot, area)]
    MarketSnapshotRow.objects.bulk_create(rows, batch_size=2000)
    return snapshot, not created
