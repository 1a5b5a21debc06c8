"""Sign-in lockout (django-axes) for every password sign-in that passes a request: the admin's and the API's."""
from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The address the API's throttles use too: REMOTE_ADDR, or X-Forwarded-For only behind NUM_PROXIES proxies."""
    return BaseThrottle().get_ident(request)


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in while its username + client address is locked out; authenticates nobody itself.

    A sign-in without a request (``manage.py`` code, the test client's ``login``) is not an attempt from anywhere and
    is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
