"""One error envelope for every 4xx: {"error": {"code", "message", "fields"}}."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = detail if isinstance(detail, dict) and "detail" not in detail else {}
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
    message = detail.get("detail") if isinstance(detail, dict) and "detail" in detail else str(getattr(exc, "default_detail", ""))
    if response.status_code == status.HTTP_400_BAD_REQUEST and isinstance(detail, list):
        fields = {"non_field_errors": detail}
    response.data = {"error": {"code": code, "message": str(message), "fields": fields}}
    return response
