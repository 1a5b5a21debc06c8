"""What every page's layout needs: the navigation for the signed-in role and the languages of the switcher."""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from careers.selectors.roles import is_admin, role_of
from web.access import candidate_for

PUBLIC_NAV = (("web:jobs", _("Jobs")), ("web:programmes", _("Programmes")), ("web:careers", _("Careers")),
              ("web:interests", _("Interests")))
CANDIDATE_NAV = (("web:me", _("My recommendations")), ("web:applications", _("My applications")),
                 ("web:skills", _("My skills")), ("web:profile", _("My profile")), ("web:my_data", _("My data")))


def _links(entries, path: str) -> list[dict]:
    links = []
    for name, label in entries:
        url = reverse(name)
        links.append({"url": url, "label": label, "current": path == url or (url != "/" and path.startswith(url))})
    return links


def site(request: HttpRequest) -> dict:
    if request.path.startswith(("/api/", "/admin/")):
        return {}
    user = getattr(request, "user", None)
    is_candidate = bool(user and user.is_authenticated and candidate_for(request) is not None)
    return {
        "nav_public": _links(PUBLIC_NAV, request.path),
        "nav_candidate": _links(CANDIDATE_NAV, request.path) if is_candidate else [],
        "is_candidate": is_candidate,
        "user_role": role_of(user),
        "is_site_admin": is_admin(user),
        "LANGUAGE_CODE": get_language(),
        "site_languages": [{"code": code, "name": {"lv": "Latviešu", "en": "English"}.get(code, name)}
                           for code, name in settings.LANGUAGES],
    }
