"""Throttle counters are shared by every server process (issue 15, finding 4): two gunicorn servers on one
database count one limit, so a client cannot double its quota by landing on another worker."""
from __future__ import annotations

import requests

from tests.live.server import gunicorn

RATE = 5


def statuses(url: str, n: int) -> list[int]:
    return [requests.get(f"{url}/api/v1/towns/", timeout=30).status_code for _ in range(n)]


def test_two_server_processes_share_one_anonymous_limit(empty_database_url):
    rates = {"THROTTLE_ANON": f"{RATE}/day"}
    with gunicorn(empty_database_url, workers=1, threads=2, **rates) as first, \
            gunicorn(empty_database_url, workers=1, threads=2, **rates) as second:
        assert statuses(first, RATE) == [200] * RATE
        assert statuses(second, 2) == [429, 429]
        assert statuses(first, 1) == [429]
