"""One error envelope for every 4xx; bad input never gives a 500; messages in Latvian by default, English on request."""
from __future__ import annotations

import io
import json

import pytest
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory, override_settings
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.views import APIView
from rest_framework.response import Response
from rest_framework_simplejwt.tokens import AccessToken

from api.exceptions import MISSING_SLASH, REQUEST_TOO_LARGE, UNKNOWN_URL, throttled_message
from api.serializers.fields import MSG_NOT_A_STRING
from api.middleware import ApiErrorMiddleware, BodySizeLimitMiddleware
from careers.models import CandidateProfile, User
from tests import factories as f
from tests.factories import CandidateFactory, TownFactory, UserFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
TOKEN = "/api/v1/auth/token/"
REGISTER = "/api/v1/auth/register/"
ME = "/api/v1/me/"


def envelope(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def authed(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


# ---------------------------------------------------------------------------------- status-code envelope


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v2/me/", "/api/", "/api/v1/me/export/extra/"])
def test_unknown_urls_under_api_get_a_json_404(api_client, method, path):
    error = envelope(getattr(api_client, method)(path), 404)
    assert error["code"] == "not_found"


@override_settings(DEBUG=True)
def test_unknown_urls_get_json_even_with_debug_on(api_client):
    envelope(api_client.get("/api/v1/nope/"), 404)


def test_a_missing_trailing_slash_is_a_404_with_a_hint_not_a_redirect(api_client):
    response = api_client.post("/api/v1/auth/token", {"username": "a", "password": "b"}, format="json",
                               HTTP_ACCEPT_LANGUAGE="en")
    error = envelope(response, 404)
    assert error["message"] == str(MISSING_SLASH % {"path": "/api/v1/auth/token/"})


def test_pages_outside_the_api_are_left_alone(api_client):
    response = api_client.get("/no-such-page/")
    assert response.status_code == 404 and not response["Content-Type"].startswith("application/json")


def test_wrong_method_is_405(api_client):
    error = envelope(api_client.get(TOKEN), 405)
    assert error["code"] == "method_not_allowed"
    error = envelope(authed(UserFactory()).put(ME, {}, format="json"), 405)
    assert error["code"] == "method_not_allowed"


def test_form_encoded_body_is_415(api_client):
    response = api_client.post(TOKEN, "username=a&password=b", content_type="application/x-www-form-urlencoded")
    assert envelope(response, 415)["code"] == "unsupported_media_type"


@pytest.mark.parametrize("raw", ['{"username": ', "{'username': 'a'}", "nul", '{"a": NaN}', '{"a": Infinity}',
                                 "\udcff", '{"username": "a"}garbage'])
def test_invalid_json_is_400_parse_error(api_client, raw):
    response = api_client.generic("POST", TOKEN, raw.encode("utf-8", "surrogateescape"),
                                  content_type="application/json")
    assert envelope(response, 400)["code"] == "parse_error"


@pytest.mark.parametrize("raw", [
    "[" * 100_000 + "]" * 100_000,  # json.loads raises RecursionError here: DRF's own parser answered 500
    '{"a":' * 65 + "1" + "}" * 65,
    '{"username": "\\ud800", "password": "x"}',  # lone surrogate: valid JSON syntax, not text
    '{"\\udfff": 1}',
])
def test_bodies_that_would_crash_later_are_400_parse_errors(api_client, raw):
    for path in (TOKEN, REGISTER, "/api/v1/auth/token/verify/"):
        response = api_client.generic("POST", path, raw, content_type="application/json")
        assert envelope(response, 400)["code"] == "parse_error", path
    response = authed(CandidateFactory().user).generic("PATCH", ME, raw, content_type="application/json")
    assert envelope(response, 400)["code"] == "parse_error"


def test_a_surrogate_inside_a_choice_is_refused_before_it_can_be_echoed(api_client):
    """DRF echoes a bad choice in its message; rendering a lone surrogate then raised UnicodeEncodeError (a 500)."""
    body = json.dumps({"account_type": "candidate", "kind": "\ud800"})  # ASCII-escaped: the six characters \ud800
    assert "\\ud800" in body
    response = api_client.generic("POST", REGISTER, body, content_type="application/json")
    assert envelope(response, 400)["code"] == "parse_error"


@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null", "true", '[{"username": "a"}]'])
def test_json_that_is_not_an_object_is_400(api_client, body):
    for path in (TOKEN, REGISTER, "/api/v1/auth/logout/", "/api/v1/auth/token/refresh/"):
        response = api_client.generic("POST", path, body, content_type="application/json")
        assert envelope(response, 400)["code"] in {"invalid", "parse_error"}, path
    response = authed(UserFactory()).generic("PATCH", ME, body, content_type="application/json")
    assert envelope(response, 400)["code"] == "invalid"


def test_a_body_over_one_megabyte_is_413_before_parsing(api_client):
    big = json.dumps({"username": "a" * (MB + 10), "password": "x"})
    error = envelope(api_client.generic("POST", TOKEN, big, content_type="application/json"), 413)
    assert error["code"] == "request_too_large"
    user = CandidateFactory().user
    big_patch = json.dumps({"candidate": {"about": "x" * (MB + 1)}})
    envelope(authed(user).generic("PATCH", ME, big_patch, content_type="application/json"), 413)
    assert CandidateProfile.objects.get(user=user).about == ""


def test_a_body_of_exactly_the_limit_is_not_refused_for_its_size(api_client):
    padding = MB - len('{"username": "", "password": "x"}')
    body = '{"username": "' + "a" * padding + '", "password": "x"}'
    assert len(body.encode()) == MB
    response = api_client.generic("POST", TOKEN, body, content_type="application/json")
    assert envelope(response, 400)["fields"]["username"]  # too long for the field, but parsed


@pytest.mark.parametrize("length", ["abc", "-5", "1e3"])
def test_a_malformed_content_length_is_400(length):
    request = RequestFactory().post(TOKEN, data=b"{}", content_type="application/json", CONTENT_LENGTH=length)
    response = BodySizeLimitMiddleware(lambda r: HttpResponse("reached the view"))(request)
    assert response.status_code == 400 and json.loads(response.content)["error"]["code"] == "bad_request"


class EchoApi(APIView):
    authentication_classes = ()
    permission_classes = ()

    def post(self, request):
        return Response({"keys": sorted(request.data)})


def test_a_body_without_content_length_is_capped_while_streaming():
    """Chunked or ASGI bodies carry no Content-Length; the stream itself stops at the limit."""
    request = RequestFactory().post("/api/v1/echo/", data=b"{}", content_type="application/json")
    request._stream = io.BytesIO(json.dumps({"a": "x" * (2 * MB)}).encode())  # more than declared, like ASGI
    request.META["CONTENT_LENGTH"] = "2"
    response = BodySizeLimitMiddleware(EchoApi.as_view())(request)
    response.render()
    assert response.status_code == 413
    assert json.loads(response.content)["error"]["message"] == str(REQUEST_TOO_LARGE % {"limit": MB})

    small = RequestFactory().post("/api/v1/echo/", data=b'{"b": 1}', content_type="application/json")
    ok = BodySizeLimitMiddleware(EchoApi.as_view())(small)
    ok.render()
    assert ok.status_code == 200 and json.loads(ok.content) == {"keys": ["b"]}


def test_an_html_server_error_under_api_becomes_the_envelope_without_details():
    request = RequestFactory().get("/api/v1/anything/")
    html = HttpResponseServerError("<h1>Traceback: secret stuff</h1>", content_type="text/html")
    response = ApiErrorMiddleware(lambda r: html)(request)
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["error"]["code"] == "server_error" and "secret" not in response.content.decode()


def test_throttled_message_translates_with_plurals():
    with translation.override("en"):
        assert throttled_message(1) == "Too many requests: try again in 1 second."
        assert throttled_message(5) == "Too many requests: try again in 5 seconds."
    with translation.override("lv"):
        assert throttled_message(1) != throttled_message(5)
        assert "5" in throttled_message(5) and "Too many" not in throttled_message(5)


# -------------------------------------------------------------------------------------------- language


@pytest.mark.parametrize("request_kwargs, expected", [
    ({}, "Netika nodrošināti autorizācijas parametri."),
    ({"HTTP_ACCEPT_LANGUAGE": "lv"}, "Netika nodrošināti autorizācijas parametri."),
    ({"HTTP_ACCEPT_LANGUAGE": "en"}, "Authentication credentials were not provided."),
    ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, "Authentication credentials were not provided."),
    ({"HTTP_ACCEPT_LANGUAGE": "de"}, "Netika nodrošināti autorizācijas parametri."),  # unsupported: the default, Latvian
])
def test_messages_are_latvian_by_default_and_english_on_request(api_client, request_kwargs, expected):
    assert envelope(api_client.get(ME, **request_kwargs), 401)["message"] == expected


def test_own_messages_and_field_errors_are_translated(api_client):
    lv = envelope(api_client.get("/api/v1/nope/"), 404)["message"]
    en = envelope(api_client.get("/api/v1/nope/", HTTP_ACCEPT_LANGUAGE="en"), 404)["message"]
    assert en == str(UNKNOWN_URL) and lv != en and lv.startswith("Šajā adresē")

    lv_error = envelope(api_client.post(TOKEN, {}, format="json"), 400)
    en_error = envelope(api_client.post(TOKEN, {}, format="json", HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert en_error["message"] == "Invalid input." and lv_error["message"] == "Nederīgi ievaddati."
    assert en_error["fields"]["username"] == ["This field is required."]
    assert lv_error["fields"]["username"] == ["Šis lauks ir obligāts."]


def test_sign_in_failure_is_translated(api_client):
    user = UserFactory()
    lv = envelope(api_client.post(TOKEN, {"username": user.username, "password": "x"}, format="json"), 401)
    assert lv["message"] == "Ar norādītajiem datiem aktīvs konts netika atrasts."
    en = envelope(api_client.post(TOKEN, {"username": user.username, "password": "x"}, format="json",
                                  HTTP_ACCEPT_LANGUAGE="en"), 401)
    assert en["message"] == "No active account found with the given credentials"


# --------------------------------------------------------------------------------------- bad-input table

NUL, LONG = "a\x00b", "x" * 300


class Raw(str):
    """A JSON token written as is (numbers json.dumps cannot produce, such as 1e400)."""


def raw_json(body) -> str:
    """JSON with ASCII escapes (so lone surrogates survive the trip) and Raw values unquoted."""
    raws = {}

    def mark(value):
        if isinstance(value, Raw):
            raws[f"__raw{len(raws)}__"] = str(value)
            return f"__raw{len(raws) - 1}__"
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(body))
    for key, value in raws.items():
        text = text.replace(f'"{key}"', value)
    return text


def register_body(town_obj, **overrides) -> dict:
    body = {"account_type": "candidate", "username": "badinput", "password": "Zila-Gaisma-2009-x",
            "email": "bad@example.lv", "kind": "reskilling", "birth_year": 1990, "town": town_obj.pk,
            "employment_status": "employed", "consents": {"processing": True}}
    return {**body, **overrides}


REGISTER_CASES = [
    ("username", {"username": LONG}), ("username", {"username": "bad name!"}), ("username", {"username": NUL}),
    ("username", {"username": {"a": 1}}), ("username", {"username": ["a"]}),
    ("username", {"username": None}), ("username", {"username": ""}),
    ("password", {"password": "x" * 5000}), ("password", {"password": {"a": 1}}),
    ("email", {"email": "not-an-email"}), ("email", {"email": "a@" + "b" * 300 + ".lv"}),
    ("first_name", {"first_name": "x" * 151}), ("first_name", {"first_name": NUL}),
    ("birth_year", {"birth_year": "nineteen"}), ("birth_year", {"birth_year": 10**30}),
    ("birth_year", {"birth_year": -1990}), ("birth_year", {"birth_year": Raw("1e400")}), ("birth_year", {"birth_year": 1.5}),
    ("birth_year", {"birth_year": True}), ("birth_year", {"birth_year": "NaN"}),
    ("town", {"town": 10**30}), ("town", {"town": -1}), ("town", {"town": "Valmiera"}), ("town", {"town": 999_999}),
    ("town", {"town": True}), ("town", {"town": [1]}), ("town", {"town": {"id": 1}}),
    ("kind", {"kind": "wizard"}), ("kind", {"kind": ["student"]}), ("employment_status", {"employment_status": 5}),
    ("consents", {"consents": "yes"}), ("consents", {"consents": {"processing": "maybe"}}),
    ("consents", {"consents": [True]}), ("preferred_language", {"preferred_language": "ru"}),
]


@pytest.mark.parametrize("field, overrides", REGISTER_CASES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(REGISTER_CASES)])
def test_register_bad_input_is_a_field_error_and_writes_nothing(api_client, field, overrides):
    body = raw_json(register_body(TownFactory(), **overrides))
    response = api_client.generic("POST", REGISTER, body, content_type="application/json")
    error = envelope(response, 400)
    assert error["code"] == "invalid" and field in error["fields"], error
    assert not User.objects.exists()


EMPLOYER_CASES = [
    ("name", {"name": "x" * 201}), ("name", {"name": ""}), ("registration_number", {"registration_number": "123"}),
    ("registration_number", {"registration_number": "4000312345a"}), ("sector", {"sector": "space"}),
    ("town", {"town": "1; DROP TABLE"}),
]


@pytest.mark.parametrize("field, overrides", EMPLOYER_CASES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(EMPLOYER_CASES)])
def test_employer_register_bad_input_is_a_field_error(api_client, field, overrides):
    town = TownFactory()
    body = {"account_type": "employer", "username": "hr", "password": "Stikla-Skiedra-77-x", "email": "hr@example.lv",
            "name": "SIA Labs", "registration_number": "40003123456", "town": town.pk, "sector": "wood", **overrides}
    error = envelope(api_client.post(REGISTER, body, format="json"), 400)
    assert field in error["fields"], error
    assert not User.objects.exists()


PATCH_CASES = [
    (("first_name",), {"first_name": "x" * 151}), (("email",), {"email": "nav-epasts"}),
    (("preferred_language",), {"preferred_language": "xx"}), (("candidate",), {"candidate": "text"}),
    (("candidate", "about"), {"candidate": {"about": "x" * 5001}}),
    (("candidate", "about"), {"candidate": {"about": NUL}}),
    (("candidate", "phone"), {"candidate": {"phone": "call me maybe"}}),
    (("candidate", "max_commute_km"), {"candidate": {"max_commute_km": 10**9}}),
    (("candidate", "max_commute_km"), {"candidate": {"max_commute_km": -1}}),
    (("candidate", "max_commute_km"), {"candidate": {"max_commute_km": "far"}}),
    (("candidate", "riasec"), {"candidate": {"riasec": {"r": 8}}}),
    (("candidate", "riasec"), {"candidate": {"riasec": {"r": "nan"}}}),
    (("candidate", "riasec"), {"candidate": {"riasec": {"r": "inf"}}}),
    (("candidate", "riasec"), {"candidate": {"riasec": {"r": "1e400"}}}),
    (("candidate", "riasec"), {"candidate": {"riasec": [1, 2]}}),
    (("candidate", "skills"), {"candidate": {"skills": [{"uri": "u", "proficiency": 9}]}}),
    (("candidate", "skills"), {"candidate": {"skills": [{"uri": "http://x/unknown", "proficiency": 2}]}}),
    (("candidate", "skills"), {"candidate": {"skills": "welding"}}),
    (("candidate", "skills"), {"candidate": {"skills": [{"uri": str(i), "proficiency": 2} for i in range(201)]}}),
    (("candidate", "skills"), {"candidate": {"skills": [None]}}),
    (("candidate", "work_history"), {"candidate": {"work_history": [{"occupation": "x", "years": 100}]}}),
    (("candidate", "work_history"), {"candidate": {"work_history": [{"occupation": "x", "years": "NaN"}]}}),
    (("candidate", "work_history"), {"candidate": {"work_history": [{"occupation": "x", "years": 0}]}}),
    (("candidate", "work_history"), {"candidate": {"work_history": [{"occupation": "x", "years": 1.25}]}}),
    (("candidate", "languages"), {"candidate": {"languages": [{"language": "lv", "level": 7}]}}),
    (("candidate", "languages"), {"candidate": {"languages": [{"language": "lv", "level": 3},
                                                              {"language": "lv", "level": 4}]}}),
    (("candidate", "languages"), {"candidate": {"languages": [{"language": "klingon", "level": 3}]}}),
    (("candidate", "target_occupations"), {"candidate": {"target_occupations": ["http://x/none"]}}),
    (("candidate", "target_occupations"), {"candidate": {"target_occupations": ["u"] * 21}}),
    (("candidate", "available_hours"), {"candidate": {"available_hours": ["night"]}}),
    (("candidate", "available_hours"), {"candidate": {"available_hours": ["shifts", "shifts"]}}),
    (("candidate", "available_from"), {"candidate": {"available_from": "31.12.2030"}}),
    (("candidate", "available_from"), {"candidate": {"available_from": "2030-02-30"}}),
    (("candidate", "town"), {"candidate": {"town": 10**30}}),
    (("candidate", "consents"), {"candidate": {"consents": {"discoverable": "perhaps"}}}),
    (("candidate", "kind"), {"candidate": {"kind": None}}),
]


@pytest.mark.parametrize("path, body", PATCH_CASES, ids=[".".join(p) + f"-{i}" for i, (p, _) in enumerate(PATCH_CASES)])
def test_me_patch_bad_input_is_a_field_error_and_changes_nothing(path, body):
    candidate = CandidateFactory(about="sākotnējais")
    before = (User.objects.filter(pk=candidate.user.pk).values().get(),
              CandidateProfile.objects.filter(pk=candidate.pk).values().get())
    error = envelope(authed(candidate.user).patch(ME, {**body, "last_name": "Mainīts"}, format="json"), 400)
    node = error["fields"]
    for key in path:
        assert key in node, error
        node = node[key]
    after = (User.objects.filter(pk=candidate.user.pk).values().get(),
             CandidateProfile.objects.filter(pk=candidate.pk).values().get())
    assert after == before


TOKEN_CASES = [
    (TOKEN, {"username": ["a"], "password": "x"}, "username"), (TOKEN, {"username": "a"}, "password"),
    (TOKEN, {"username": "a" * 151, "password": "x"}, "username"), (TOKEN, {"username": NUL, "password": "x"}, "username"),
    (TOKEN, {"username": "a", "password": "x" * 2000}, "password"),
    ("/api/v1/auth/token/refresh/", {"refresh": 12}, None), ("/api/v1/auth/token/refresh/", {}, "refresh"),
    ("/api/v1/auth/token/refresh/", {"refresh": "x" * 5000}, "refresh"),
    ("/api/v1/auth/token/verify/", {"token": None}, "token"), ("/api/v1/auth/logout/", {"refresh": ""}, "refresh"),
    ("/api/v1/auth/logout/", {"refresh": {"jti": "x"}}, "refresh"),
]


@pytest.mark.parametrize("path, body, field", TOKEN_CASES)
def test_token_endpoints_bad_input_is_4xx_never_500(api_client, path, body, field):
    response = api_client.post(path, body, format="json")
    if field is None:  # a number is accepted as text, and then is not a token
        assert envelope(response, 401)["code"] == "token_not_valid"
    else:
        assert field in envelope(response, 400)["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("path,body,field", [
    ("/api/v1/occupations/match-title/", {"title": 0}, "title"),
    ("/api/v1/skills/extract/", {"text": 0}, "text"),
    ("/api/v1/skills/extract/", {"text": True}, "text"),
    ("/api/v1/skills/extract/", {"text": 1.5}, "text"),
])
def test_text_fields_take_strings_only(api_client, path, body, field):
    """Issue 15, finding 7: DRF would read 0 as "0"; a number where text belongs is a 400 naming the field."""
    response = api_client.post(path, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: [str(MSG_NOT_A_STRING)]}


@pytest.mark.django_db
@pytest.mark.parametrize("query,field", [
    ("/api/v1/vacancies/?min_salary=abc", "min_salary"), ("/api/v1/vacancies/?min_salary=1e999", "min_salary"),
    ("/api/v1/intakes/?start_after=2026-02-30", "start_after"), ("/api/v1/intakes/?start_before=soon", "start_before"),
    ("/api/v1/programmes/?intake_start_after=x", "intake_start_after"),
    ("/api/v1/candidates/?min_education=abc", "min_education"), ("/api/v1/candidates/?min_education=9", "min_education"),
    ("/api/v1/candidates/?available_by=tomorrow", "available_by"),
])
def test_badly_typed_filters_are_a_400_naming_the_filter(query, field):
    """Issue 15, finding 7 (as a counsellor, who may list candidates)."""
    client = APIClient()
    client.force_authenticate(f.CounsellorFactory().user)
    response = client.get(query)
    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["fields"]) == [field]
