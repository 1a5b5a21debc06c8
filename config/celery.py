"""Celery: background work on Redis, and the daily schedule (``celery -A config beat`` beside ``celery -A config worker``).

The broker is ``REDIS_URL`` (default ``redis://127.0.0.1:6379/0``). The schedule runs the same services as the
management commands, so cron (``manage.py snapshot_market``) and beat are interchangeable.
"""
from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("careers")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["careers"])

# Daily at 06:15 Riga time: today's market snapshot for the month-by-month trend (issue 13).
app.conf.beat_schedule = {
    "market-snapshot-daily": {"task": "careers.tasks.market_snapshot", "schedule": crontab(hour=6, minute=15)},
}
