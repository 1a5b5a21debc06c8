"""Request-size limit and the JSON error envelope for what happens outside DRF views.

Order in MIDDLEWARE: after LocaleMiddleware (messages in the client's language), before CommonMiddleware (so a
missing trailing slash under /api/ answers a JSON 404 instead of a redirect that would drop a POST body).
"""
from __future__ import annotations

import io

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import is_valid_path
from rest_framework.response import Response as DrfResponse

from api.exceptions import (
    BAD_CONTENT_LENGTH,
    MISSING_SLASH,
    REQUEST_TOO_LARGE,
    RequestTooLarge,
    error_body,
    error_body_for_status,
)

API_PREFIX = "/api/"
# Headers of the original error that still mean something on the JSON version.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Content-Language")


def envelope_response(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


class CappedStream:
    """A request body stream that raises 413 once more than ``limit`` bytes have been read.

    WSGI servers already stop at Content-Length; this covers bodies without one (chunked uploads, ASGI), where
    Django would otherwise read whatever the client keeps sending.
    """

    def __init__(self, stream, limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self._remaining = limit

    def _count(self, data: bytes) -> bytes:
        self._remaining -= len(data)
        if self._remaining < 0:
            raise RequestTooLarge(self._limit)
        return data

    def _size(self, size: int | None) -> int:
        # One byte over the limit is enough to know the body is too large.
        return self._remaining + 1 if size is None or size < 0 else min(size, self._remaining + 1)

    def read(self, size: int | None = -1) -> bytes:
        return self._count(self._stream.read(self._size(size)))

    def readline(self, size: int | None = -1) -> bytes:
        return self._count(self._stream.readline(self._size(size)))

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


def body_limit(request: HttpRequest) -> int:
    """DATA_UPLOAD_MAX_MEMORY_SIZE (1 MB), or SPREADSHEET_UPLOAD_MAX_BYTES for the spreadsheet uploads."""
    if request.path_info.startswith(settings.SPREADSHEET_UPLOAD_PREFIX):
        return settings.SPREADSHEET_UPLOAD_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class BodySizeLimitMiddleware:
    """Refuse request bodies over the limit (1 MB; spreadsheet uploads 5 MB) with 413, before anything parses
    them."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0:
                return envelope_response(error_body(code="bad_request", message=BAD_CONTENT_LENGTH), 400)
            if length > limit:
                body = error_body(code="request_too_large", message=REQUEST_TOO_LARGE % {"limit": limit})
                return envelope_response(body, 413)
        elif limit is not None and self._is_chunked(request):
            if not self._read_chunked_body(request, limit):
                body = error_body(code="request_too_large", message=REQUEST_TOO_LARGE % {"limit": limit})
                return envelope_response(body, 413)
        if limit is not None and hasattr(request, "_stream"):
            request._stream = CappedStream(request._stream, limit)
        return self.get_response(request)

    @staticmethod
    def _is_chunked(request: HttpRequest) -> bool:
        return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and "wsgi.input" in request.META

    @staticmethod
    def _read_chunked_body(request: HttpRequest, limit: int) -> bool:
        """Read a chunked body (the WSGI server has removed the framing) up to the limit; False when it is larger.

        Without a Content-Length Django reads such a body as empty, and the client would get a puzzling 400.
        """
        data = request.META["wsgi.input"].read(limit + 1)
        if len(data) > limit:
            return False
        request._stream = LimitedStream(io.BytesIO(data), len(data))
        request.META["CONTENT_LENGTH"] = str(len(data))
        return True


class ApiErrorMiddleware:
    """Under /api/, turn every non-JSON error response (unknown URL, Django's 400/403/500 pages) into the envelope."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        response = self._missing_slash(request) or self.get_response(request)
        return self._as_envelope(response)

    @staticmethod
    def _missing_slash(request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if not settings.APPEND_SLASH or path.endswith("/"):
            return None
        urlconf = getattr(request, "urlconf", None)
        if is_valid_path(path, urlconf) or not is_valid_path(f"{path}/", urlconf):
            return None
        body = error_body(code="not_found", message=MISSING_SLASH % {"path": f"{request.path}/"})
        return envelope_response(body, 404)

    @staticmethod
    def _as_envelope(response: HttpResponse) -> HttpResponse:
        if (
            response.status_code < 400
            or isinstance(response, DrfResponse)  # DRF's exception handler already shaped it
            or response.streaming
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        converted = envelope_response(error_body_for_status(response.status_code), response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                converted[header] = response[header]
        return converted
