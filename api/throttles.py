"""Throttles: per client address, per user, and for sign-in per username + address (rates in REST_FRAMEWORK).

Every counter lives in the ``throttle`` cache (settings.CACHES): Redis, or a database table, so all server
processes share one count.
"""
from __future__ import annotations

import hashlib
from contextlib import nullcontext

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import router, transaction
from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


THROTTLE_CACHE_ALIAS = "throttle"


class SharedCounterMixin:
    """Counts in the cache every server process shares (DRF's default is the ``default`` cache)."""

    @property
    def cache(self):
        return caches[THROTTLE_CACHE_ALIAS]


class SettingsRateThrottle(SharedCounterMixin, SimpleRateThrottle):
    """Reads its rate when used, not at import (DRF copies the rates once), so overridden settings apply."""

    def get_rate(self) -> str | None:
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}") from exc


class ClientAddressThrottle(SettingsRateThrottle):
    """Counts requests per client address (REMOTE_ADDR, or X-Forwarded-For only behind NUM_PROXIES proxies)."""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginIpThrottle(ClientAddressThrottle):
    scope = "login_ip"


class RegisterIpThrottle(ClientAddressThrottle):
    scope = "register"


class LoginUsernameThrottle(SettingsRateThrottle):
    """Counts sign-in attempts per username from one client address (slows guessing one account's password).

    Keyed on the address too, so that nobody can keep a user from signing in by spending their username's quota
    from elsewhere; guessing from many addresses is bounded by the lockout (careers.auth_backends) and LoginIpThrottle.
    """

    scope = "login_username"

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None  # nothing to count against; the serializer rejects the request anyway
        # Hashed: usernames are user input and cache backends restrict key characters and length.
        key = f"{self.get_ident(request)} {username.strip().casefold()}"
        ident = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class WindowedMixin(SharedCounterMixin):
    """A fixed-window counter in the cache: one ``add`` or ``incr`` a request, whatever the rate.

    DRF's throttles keep the timestamp of every request in the window and write the whole list back on each
    request, so their cost grows with the rate (6,000 an hour is a list of up to 6,000 floats pickled per
    request). A counter per window costs the same at any rate and works on a shared Redis cache. The price: a
    client may spend one window's quota at its end and the next one's at the start (at most twice the rate in a
    short burst), which is fine for the general per-user and per-address limits; sign-in keeps DRF's sliding window.
    """

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        with self._one_writer():
            return self._count(f"{self.key}:{window}") <= self.num_requests

    def _one_writer(self):
        """The database cache's ``incr`` is a read then a write: in one transaction, which SQLite (immediate mode)
        runs one at a time. Redis increments atomically by itself."""
        if isinstance(self.cache, DatabaseCache):
            return transaction.atomic(using=router.db_for_write(self.cache.cache_model_class))
        return nullcontext()

    def _count(self, key: str) -> int:
        if self.cache.add(key, 1, self.duration + 1):
            return 1
        try:
            return self.cache.incr(key)
        except ValueError:  # expired between add and incr: this request opens a new counter
            self.cache.add(key, 1, self.duration + 1)
            return 1

    def wait(self) -> float:
        return max(self.window_end - self.now, 1.0)


class WindowedAnonThrottle(WindowedMixin, AnonRateThrottle):
    """Anonymous requests per client address (scope ``anon``)."""


class WindowedUserThrottle(WindowedMixin, UserRateThrottle):
    """Requests per signed-in user, or per address when anonymous (scope ``user``)."""
