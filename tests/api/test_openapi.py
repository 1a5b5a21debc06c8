"""The OpenAPI schema: valid, warning-free, complete (every URL under /api/ documented, nothing extra)."""
from __future__ import annotations

import io
import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from tests.api.test_schemathesis import SCHEMA as SCHEMATHESIS_SCHEMA

pytestmark = pytest.mark.django_db

# The schema and its viewer are not API operations (SERVE_INCLUDE_SCHEMA is off).
NOT_OPERATIONS = {"/api/schema/", "/api/docs/"}
ACCOUNT_PATHS = {
    "/api/v1/auth/token/", "/api/v1/auth/token/refresh/", "/api/v1/auth/token/verify/", "/api/v1/auth/logout/",
    "/api/v1/auth/register/", "/api/v1/me/", "/api/v1/me/export/",
}


def _routes(patterns, prefix: str = "") -> set[str]:
    """Every URL the project serves, as an OpenAPI path template, walked from the resolver (not from spectacular)."""
    found = set()
    for pattern in patterns:
        route = prefix + _route_text(pattern)
        if isinstance(pattern, URLResolver):
            found |= _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            found.add(route)
    return found


def _route_text(pattern) -> str:
    text = str(pattern.pattern)
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)  # path converters: <int:pk> → {pk}
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text)  # router regexes: (?P<pk>[^/.]+) → {pk}
    return text.replace("^", "").replace("$", "").replace("\\.", ".")


def _api_urls() -> set[str]:
    urls = {"/" + route for route in _routes(get_resolver().url_patterns)}
    # DRF routers also add format-suffix variants (.json) — the same operations.
    return {url for url in urls if url.startswith("/api/") and "{format}" not in url} - NOT_OPERATIONS


def _shape(path: str) -> str:
    """Parameter names differ (spectacular calls pk "id"); the shape of the path is what must match."""
    return re.sub(r"\{\w+\}", "{}", path)


def test_spectacular_validates_and_fails_on_warnings():
    GENERATOR_STATS.reset()  # earlier schema generations in this process must not count
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out, stderr=out)
    assert not GENERATOR_STATS, out.getvalue()


def test_every_api_url_is_in_the_schema_and_the_schema_has_no_other():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = {_shape(path) for path in schema["paths"]}
    served = {_shape(path) for path in _api_urls()}
    assert ACCOUNT_PATHS <= served  # the walk works: it finds the endpoints this module knows exist
    assert served - documented == set(), "served but not documented"
    assert documented - served == set(), "documented but not served"


def test_schema_has_the_jwt_scheme_and_the_error_envelope():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["components"]["securitySchemes"]["jwtAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    me = schema["paths"]["/api/v1/me/"]
    assert me["get"]["security"] == [{"jwtAuth": []}]
    for status in ("400", "401", "413", "415"):
        assert me["patch"]["responses"][status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ApiError"}
    assert "403" in me["delete"]["responses"]
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert {"200", "400", "401", "429"} <= set(token["responses"])
    assert token.get("security", [{}]) == [{}]  # sign-in needs no token
    register = schema["components"]["schemas"]["RegisterInputRequest"]
    assert register["discriminator"]["propertyName"] == "account_type"


def test_every_operation_documents_its_errors_with_the_envelope():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {code: r for code, r in operation["responses"].items() if code.startswith("4")}
            assert errors, f"{method.upper()} {path} documents no error"
            for code, response in errors.items():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[-1] in {"ApiError", "ErrorEnvelope"}, (method, path, code)


def test_schema_endpoint_serves_yaml(api_client):
    response = api_client.get("/api/schema/")
    assert response.status_code == 200
    assert "/api/v1/me/" in yaml.safe_load(response.content)["paths"]


def test_page_size_page_and_top_k_declare_their_bounds():
    """Issue 15, finding 7: clients (and schemathesis) learn the accepted range from the schema."""
    seen = {}
    for path, operations in SCHEMATHESIS_SCHEMA["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in ("page_size", "top_k", "page"):
                    seen.setdefault(parameter["name"], set()).add(
                        (parameter["schema"].get("minimum"), parameter["schema"].get("maximum")))
    assert seen == {"page": {(1, None)}, "page_size": {(1, 100)}, "top_k": {(1, 50)}}
