"""One error envelope for every 4xx: ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.

``exception_handler`` shapes the errors raised inside DRF views; ``api.middleware.ApiErrorMiddleware`` shapes the
rest (unknown URLs, errors Django raises before a view runs), so a client of /api/ never sees an HTML error page.
"""
from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, UnreadablePostError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

INVALID_INPUT = _("Invalid input.")
BAD_REQUEST = _("Bad request.")
NOT_FOUND = _("Not found.")
UNKNOWN_URL = _("There is no API endpoint at this address.")
MISSING_SLASH = _("There is no API endpoint at this address; did you mean %(path)s (with the trailing slash)?")
METHOD_NOT_ALLOWED = _("This method is not allowed here.")
REQUEST_TOO_LARGE = _("The request body is larger than the limit of %(limit)s bytes.")
BAD_CONTENT_LENGTH = _("The Content-Length header is not a valid number.")
SERVER_ERROR = _("Something went wrong on our side; the error has been logged.")
PERMISSION_DENIED = _("You do not have permission to perform this action.")


def throttled_message(wait: int) -> str:
    return ngettext(
        "Too many requests: try again in %(wait)d second.",
        "Too many requests: try again in %(wait)d seconds.",
        wait,
    ) % {"wait": wait}


# Messages of libraries without a complete Latvian catalogue (simplejwt has none; DRF's lv lacks some). Listed so
# `makemessages` keeps them in locale/lv/LC_MESSAGES/django.po, whose translations then win (LOCALE_PATHS first).
LIBRARY_MESSAGES = [
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Not a valid string."),
    gettext_noop("No active account found with the given credentials"),
    gettext_noop("No active account found for the given token."),
    gettext_noop("Given token not valid for any token type"),
    gettext_noop("Token is invalid"),
    gettext_noop("Token is expired"),
    gettext_noop("Token is invalid or expired"),
    gettext_noop("Token has wrong type"),
    gettext_noop("Token has no type"),
    gettext_noop("Token has no id"),
    gettext_noop("Token is blacklisted"),
    gettext_noop("Token contained no recognizable user identification"),
    gettext_noop("Authorization header must contain two space-delimited values"),
    gettext_noop("User not found"),
    gettext_noop("User is inactive"),
    gettext_noop("The user's password has been changed."),
]


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(REQUEST_TOO_LARGE % {"limit": limit})


STATUS_CODES = {
    400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 413: "request_too_large", 415: "unsupported_media_type",
    429: "throttled", 500: "server_error",
}
STATUS_MESSAGES = {400: BAD_REQUEST, 403: PERMISSION_DENIED, 404: UNKNOWN_URL, 405: METHOD_NOT_ALLOWED,
                   500: SERVER_ERROR}


def error_body(*, code: str, message: Any, fields: dict | None = None) -> dict:
    """The envelope every error response carries."""
    return {"error": {"code": str(code), "message": str(message), "fields": fields or {}}}


def error_body_for_status(status_code: int) -> dict:
    """The envelope for an error Django produced outside a DRF view."""
    return error_body(
        code=STATUS_CODES.get(status_code, "error"),
        message=STATUS_MESSAGES.get(status_code, BAD_REQUEST if status_code < 500 else SERVER_ERROR),
    )


def _as_api_exception(exc: Exception) -> Exception:
    """Map Django's exceptions that a client can trigger onto DRF ones, so none becomes a 500."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent, UnreadablePostError)):
        return exceptions.ParseError()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, Http404):
        # Django's message names the model ("No Vacancy matches the given query."): keep it generic.
        return exceptions.NotFound()
    if isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        # DRF formats the number into the msgid before translating, so its text never translates.
        throttled = exceptions.Throttled(wait=None, detail=throttled_message(wait) if wait else None)
        throttled.wait = wait
        return throttled
    return exc


def _code_and_message(exc: exceptions.APIException, detail: Any) -> tuple[str, str]:
    if isinstance(detail, dict) and "detail" in detail:  # simplejwt: {"detail", "code", "messages"}
        return str(detail.get("code") or exc.default_code), str(detail["detail"])
    if isinstance(detail, exceptions.ErrorDetail):
        return str(detail.code or exc.default_code), str(detail)
    return exc.default_code, str(exc.default_detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django logs it and answers 500 (the middleware wraps it)
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(detail, dict):
            response.data = error_body(code="invalid", message=INVALID_INPUT, fields=detail)
        else:  # raised without a field: the first message says what is wrong
            message = detail[0] if len(detail) == 1 and isinstance(detail[0], str) else INVALID_INPUT
            response.data = error_body(code="invalid", message=message, fields={"non_field_errors": detail})
    else:
        code, message = _code_and_message(exc, detail)
        response.data = error_body(code=code, message=message)
    return response
