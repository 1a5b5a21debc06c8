"""Throttles for sign-in and registration: per client address and per username (rates in REST_FRAMEWORK)."""
from __future__ import annotations

import hashlib

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class SettingsRateThrottle(SimpleRateThrottle):
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
    """Counts sign-in attempts per username, whichever address they come from (slows password guessing)."""

    scope = "login_username"

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None  # nothing to count against; the serializer rejects the request anyway
        # Hashed: usernames are user input and cache backends restrict key characters and length.
        ident = hashlib.sha256(username.strip().casefold().encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class WindowedMixin:
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
        key = f"{self.key}:{window}"
        if self.cache.add(key, 1, self.duration + 1):
            return True
        try:
            count = self.cache.incr(key)
        except ValueError:  # expired between add and incr: this request opens a new counter
            self.cache.add(key, 1, self.duration + 1)
            return True
        return count <= self.num_requests

    def wait(self) -> float:
        return max(self.window_end - self.now, 1.0)


class WindowedAnonThrottle(WindowedMixin, AnonRateThrottle):
    """Anonymous requests per client address (scope ``anon``)."""


class WindowedUserThrottle(WindowedMixin, UserRateThrottle):
    """Requests per signed-in user, or per address when anonymous (scope ``user``)."""
