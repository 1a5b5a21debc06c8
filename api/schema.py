"""OpenAPI (drf-spectacular): the error envelope, and an AutoSchema that documents it on every operation.

Set as REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]. Each operation gets the error statuses it can really answer
(400 when it takes input, 401 when it authenticates, 403 when a permission beyond IsAuthenticated may refuse,
404 when the path names an object or the list is paginated (a page past the end), 413/415 when it takes a body,
429 when it is throttled), unless the view documents that status itself.
"""
from __future__ import annotations

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated


class RevocableJWTScheme(SimpleJWTScheme):
    """The bearer scheme for api.authentication.RevocableJWTAuthentication (simplejwt's, plus the sign-out denylist)."""

    target_class = "api.authentication.RevocableJWTAuthentication"


class ApiErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `invalid`, `not_found`, `throttled`.")
    message = serializers.CharField(help_text="Human-readable message in the request language (lv or en).")
    fields = serializers.DictField(
        help_text=(
            "For `invalid`: field name → list of messages; nested objects give nested maps, lists give one "
            "entry per item. Empty for other errors."
        )
    )


class ApiErrorSerializer(serializers.Serializer):
    """The envelope of every 4xx (and the rare 5xx) answer."""

    error = ApiErrorBodySerializer()


ERROR_DESCRIPTIONS = {
    400: "Invalid input or query/filter value: `fields` names each bad field (malformed JSON: code `parse_error`).",
    401: "No valid access token (missing, malformed, forged, expired, revoked) or wrong credentials.",
    403: "Your role may not do this.",
    404: "Not found, or not yours (existence is not revealed).",
    413: "Request body over 1 MB.",
    415: "Unsupported Content-Type; send application/json.",
    429: "Too many requests; retry after the number of seconds in the Retry-After header.",
}
ERROR_EXAMPLES = {
    400: ("invalid", "Invalid input.", {"email": ["Enter a valid email address."], "candidate": {"max_commute_km": [
        "Ensure this value is less than or equal to 500."]}}),
    401: ("token_not_valid", "Given token not valid for any token type", {}),
    403: ("permission_denied", "You do not have permission to perform this action.", {}),
    404: ("not_found", "Not found.", {}),
    413: ("request_too_large", "The request body is larger than the limit of 1048576 bytes.", {}),
    415: ("unsupported_media_type", 'Unsupported media type "text/plain" in request.', {}),
    429: ("throttled", "Too many requests: try again in 42 seconds.", {}),
}
BODY_METHODS = ("POST", "PUT", "PATCH")
# DRF's page-number pagination answers 404 to a page that is not a positive number or lies past the last page.
PAGE_NOT_FOUND = "No such page: `page` is not a positive number or lies past the last page."


def error_response(status: int, description: str | None = None) -> OpenApiResponse:
    """An OpenApiResponse with the envelope and an example, for extend_schema(responses={...})."""
    code, message, fields = ERROR_EXAMPLES[status]
    return OpenApiResponse(
        ApiErrorSerializer,
        description=description or ERROR_DESCRIPTIONS[status],
        examples=[OpenApiExample(
            f"{status} {code}", value={"error": {"code": code, "message": message, "fields": fields}},
            response_only=True, status_codes=[str(status)],
        )],
    )


class AutoSchema(SpectacularAutoSchema):
    def _error_statuses(self) -> list[int]:
        view = self.view
        statuses = []
        has_body = self.method in BODY_METHODS
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if has_body or has_query:
            statuses.append(400)
        if view.get_authenticators():
            statuses.append(401)
        # IsAuthenticated alone answers 401, never 403 (JWT sends WWW-Authenticate).
        if any(not isinstance(p, (AllowAny, IsAuthenticated)) for p in view.get_permissions()):
            statuses.append(403)
        if "{" in self.path or self._is_paginated_list():
            statuses.append(404)
        if has_body:
            statuses += [413, 415]
        if view.get_throttles():
            statuses.append(429)
        return statuses

    def _is_paginated_list(self) -> bool:
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            if str(status) not in responses:
                description = PAGE_NOT_FOUND if status == 404 and "{" not in self.path else None
                responses[str(status)] = self._get_response_for_code(error_response(status, description),
                                                                     str(status), direction=direction)
        return responses
