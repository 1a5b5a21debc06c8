"""The site speaks Latvian until the visitor picks English with the switcher (a cookie that is kept for a year).

Django's LocaleMiddleware would otherwise follow the browser's Accept-Language; the API keeps doing so (its
clients choose with the header), the pages do not: a Latvian public service opens in Latvian.
"""
from __future__ import annotations

from django.conf import settings
from django.utils import translation

API_PREFIXES = ("/api/", "/admin/")


class SiteLanguageMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        known = {code for code, _name in settings.LANGUAGES}
        if not request.path.startswith(API_PREFIXES) and chosen not in known:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
