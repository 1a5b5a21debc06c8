"""JSON parsing that turns every malformed body into a 400, including the two cases DRF's parser lets through."""
from __future__ import annotations

import codecs

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

INVALID_JSON = _("The body is not valid JSON: %(detail)s")
TOO_DEEP = _("The JSON body is nested too deeply.")
NOT_TEXT = _("The JSON body contains an invalid character (a lone UTF-16 surrogate escape such as \\ud800).")
MAX_DEPTH = 64  # far beyond any request of this API; a deeper body is an attack or a bug


def _check(data) -> None:
    """Walk without recursion: the depth bound and the text check must not themselves overflow the stack."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # would crash the response renderer or PostgreSQL later: a 500
                raise ParseError(NOT_TEXT) from None
        elif isinstance(value, dict):
            stack.extend((key, depth) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, plus: nesting bounded (deep arrays raised RecursionError, a 500) and text that cannot be
    encoded as UTF-8 refused (lone surrogate escapes are legal JSON syntax but not text)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            reader = codecs.getreader(encoding)(stream)
            data = json.load(reader, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        except ValueError as exc:
            raise ParseError(INVALID_JSON % {"detail": exc}) from None
        _check(data)
        return data
