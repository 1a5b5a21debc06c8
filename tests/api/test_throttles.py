"""The general per-user and per-address throttles: a fixed-window counter, O(1) a request at any rate."""
from __future__ import annotations

import pytest
from django.core.cache import caches
from rest_framework.test import APIRequestFactory

from api.throttles import WindowedAnonThrottle, WindowedUserThrottle


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self, _throttle=None) -> float:
        return self.now


@pytest.fixture(autouse=True)
def empty_cache():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def throttle(monkeypatch, cls, rate: str, clock: Clock):
    monkeypatch.setattr(cls, "THROTTLE_RATES", {**cls.THROTTLE_RATES, cls.scope: rate})
    monkeypatch.setattr(cls, "timer", clock)
    return cls()


def anonymous_request(address: str = "192.0.2.7"):
    request = APIRequestFactory().get("/", REMOTE_ADDR=address)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    return request


def test_the_rate_holds_within_a_window_and_resets_in_the_next(monkeypatch):
    clock = Clock(120.0)  # the start of a one-minute window
    answers = [throttle(monkeypatch, WindowedAnonThrottle, "3/min", clock).allow_request(anonymous_request(), None)
               for _ in range(4)]
    assert answers == [True, True, True, False]
    refused = throttle(monkeypatch, WindowedAnonThrottle, "3/min", clock)
    clock.now = 150.0
    assert refused.allow_request(anonymous_request(), None) is False
    assert refused.wait() == 30.0  # seconds to the end of the window: the Retry-After the client gets
    clock.now = 180.0
    assert throttle(monkeypatch, WindowedAnonThrottle, "3/min", clock).allow_request(anonymous_request(), None)


def test_addresses_count_apart_and_the_cache_holds_one_counter_per_window(monkeypatch):
    clock = Clock(60.0)
    for _ in range(3):
        assert throttle(monkeypatch, WindowedAnonThrottle, "3/min", clock).allow_request(anonymous_request(), None)
    assert throttle(monkeypatch, WindowedAnonThrottle, "3/min", clock).allow_request(
        anonymous_request("198.51.100.9"), None)
    used = throttle(monkeypatch, WindowedAnonThrottle, "3/min", clock)
    assert not used.allow_request(anonymous_request(), None)
    # A counter, not DRF's list of every request's timestamp: the same cost at 3 an hour or 6,000.
    assert caches["throttle"].get(f"{used.key}:1") == 4


@pytest.mark.django_db
def test_signed_in_users_count_per_user_and_the_address_throttle_leaves_them_alone(monkeypatch, django_user_model):
    clock = Clock(0.0)
    user = django_user_model.objects.create_user(username="throttled", password="Parole-123456")
    request = APIRequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user = user
    answers = [throttle(monkeypatch, WindowedUserThrottle, "2/hour", clock).allow_request(request, None)
               for _ in range(3)]
    assert answers == [True, True, False]
    assert throttle(monkeypatch, WindowedAnonThrottle, "1/hour", clock).allow_request(request, None)
    assert throttle(monkeypatch, WindowedAnonThrottle, "1/hour", clock).allow_request(request, None)
