"""Throttles for sign-in and registration: per client address and per username (rates in REST_FRAMEWORK)."""
from __future__ import annotations

import hashlib

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


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
