"""The daily market snapshot runs from Celery beat's schedule through a real worker on Redis (issue 13)."""
from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import time

import pytest
from celery import Celery
from celery.schedules import crontab

from config.celery import app
from tests.live.server import PYTHON, ROOT, ensure_redis, production_env

pytestmark = pytest.mark.slow


def test_the_schedule_runs_the_snapshot_task_daily():
    entry = app.conf.beat_schedule["market-snapshot-daily"]
    assert entry["task"] == "careers.tasks.market_snapshot"
    assert isinstance(entry["schedule"], crontab)
    # Once a day: due at 06:15, and not again within the same day.
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {15}


@pytest.mark.django_db
def test_the_task_stores_todays_snapshot():
    from careers.models import MarketSnapshot
    from careers.tasks import market_snapshot

    first = market_snapshot.apply().get()
    again = market_snapshot.apply().get()
    assert first["replaced"] is False and again["replaced"] is True
    assert MarketSnapshot.objects.count() == 1


def test_a_worker_on_redis_runs_the_task_against_the_database(demo_database_url):
    redis_url = ensure_redis() + "/14"
    env = production_env(demo_database_url, REDIS_URL=redis_url)
    worker = subprocess.Popen([PYTHON, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
                               "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        client = Celery("client", broker=redis_url, backend=redis_url)
        result = client.send_task("careers.tasks.market_snapshot")
        answer = result.get(timeout=90)
    finally:
        worker.terminate()
        _, errors = worker.communicate(timeout=30)
    assert answer["rows"] > 0, errors.decode(errors="replace")[-2000:]
    path = demo_database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        days = [row[0] for row in db.execute("SELECT day FROM careers_marketsnapshot")]
    assert answer["day"] in days
    assert dt.date.fromisoformat(answer["day"]) >= dt.date.today() - dt.timedelta(days=1)
