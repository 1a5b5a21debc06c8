"""Take today's labour-market snapshot (idempotent per day: a second run the same day replaces it)."""
from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from careers.services.market import market_snapshot_take


class Command(BaseCommand):
    help = ("Store today's demand (open vacancies) and supply (looking candidates) per skill and area for the "
            "monthly trend; run daily (cron or Celery beat). A second run the same day replaces that day's figures.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--day", help="YYYY-MM-DD instead of today (e.g. to redo a missed day from today's data).")

    def handle(self, *args, day: str | None = None, **options) -> None:
        try:
            when = dt.date.fromisoformat(day) if day else None
        except ValueError:
            raise CommandError(f"--day must be YYYY-MM-DD, not {day!r}.") from None
        snapshot, replaced = market_snapshot_take(day=when)
        verb = "replaced" if replaced else "stored"
        self.stdout.write(f"market snapshot {snapshot.day:%Y-%m-%d} {verb}: {snapshot.rows.count()} rows")
