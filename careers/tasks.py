"""Background tasks (Celery; the schedule is in ``config/celery.py``)."""
from __future__ import annotations

from celery import shared_task

from careers.services.market import market_snapshot_take


@shared_task(name="careers.tasks.market_snapshot")
def market_snapshot() -> dict:
    """Today's labour-market snapshot (a second run the same day replaces it), as ``manage.py snapshot_market``."""
    snapshot, replaced = market_snapshot_take()
    return {"day": snapshot.day.isoformat(), "rows": snapshot.rows.count(), "replaced": replaced}
