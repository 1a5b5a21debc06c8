"""Who may open a candidate's own pages: the signed-in candidate, read through the careers selectors.

The same rule as the API's own-candidate endpoints: a candidate acts on their own profile only; every other role
gets 403 (there is no id in these URLs, so there is nothing of anyone else's to find).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from careers.models import CandidateProfile
from careers.selectors import candidate_of

NOT_A_CANDIDATE = _("These pages are for candidates (pupils, students, job seekers).")


def candidate_for(request: HttpRequest) -> CandidateProfile | None:
    """The signed-in user's candidate profile, read once per request."""
    if not hasattr(request, "_web_candidate"):
        request._web_candidate = candidate_of(request.user)
    return request._web_candidate


def candidate_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors are sent to sign in; a signed-in user without a candidate profile gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        candidate = candidate_for(request)
        if candidate is None:
            raise PermissionDenied(NOT_A_CANDIDATE)
        return view(request, candidate, *args, **kwargs)

    return wrapped
