"""Sign-in with JWT: round trip, rotation, revocation, forged tokens, deactivated users, throttling, registration."""
from __future__ import annotations

import base64
import datetime as dt
import json
import warnings

import jwt
import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from careers.models import CandidateProfile, Employer, Role, User
from careers.services.accounts import CANDIDATE_TOO_YOUNG, MIN_CANDIDATE_AGE, PROCESSING_CONSENT_REQUIRED
from tests.factories import CandidateFactory, EmployerFactory, TownFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
VERIFY = "/api/v1/auth/token/verify/"
LOGOUT = "/api/v1/auth/logout/"
REGISTER = "/api/v1/auth/register/"
ME = "/api/v1/me/"
PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory's password


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(TOKEN, {"username": username, "password": password}, format="json", **extra)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


# ------------------------------------------------------------------------------------------- round trip


def test_lifetimes_are_within_the_limits():
    assert jwt_settings.ACCESS_TOKEN_LIFETIME <= dt.timedelta(minutes=15)
    assert jwt_settings.REFRESH_TOKEN_LIFETIME <= dt.timedelta(days=7)
    assert jwt_settings.ROTATE_REFRESH_TOKENS and jwt_settings.BLACKLIST_AFTER_ROTATION


def test_jwt_round_trip_with_rotation_and_blacklist(api_client):
    user = UserFactory()
    pair = sign_in(api_client, user.username)
    assert pair.status_code == 200 and set(pair.json()) == {"access", "refresh"}
    first = pair.json()

    me = api_client.get(ME, **bearer(first["access"]))
    assert me.status_code == 200 and me.json()["username"] == user.username

    rotated = api_client.post(REFRESH, {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200 and set(rotated.json()) == {"access", "refresh"}
    second = rotated.json()
    assert second["refresh"] != first["refresh"]
    assert api_client.get(ME, **bearer(second["access"])).status_code == 200

    # The used refresh token is blacklisted: reusing it fails, and so does verifying it.
    assert_error(api_client.post(REFRESH, {"refresh": first["refresh"]}, format="json"), 401, "token_not_valid")
    assert_error(api_client.post(VERIFY, {"token": first["refresh"]}, format="json"), 401, "token_not_valid")
    assert api_client.post(VERIFY, {"token": second["refresh"]}, format="json").status_code == 200
    assert api_client.post(VERIFY, {"token": second["access"]}, format="json").status_code == 200

    # Logout revokes the current refresh token.
    assert api_client.post(LOGOUT, {"refresh": second["refresh"]}, format="json").status_code == 204
    assert_error(api_client.post(REFRESH, {"refresh": second["refresh"]}, format="json"), 401, "token_not_valid")
    assert_error(api_client.post(LOGOUT, {"refresh": second["refresh"]}, format="json"), 401, "token_not_valid")


def test_logout_revokes_the_access_token_sent_with_it(api_client):
    """Issue 15, finding 6: the old access token gets 401 at once, not after its 15 minutes."""
    user = UserFactory()
    pair = sign_in(api_client, user.username).json()
    other = sign_in(api_client, user.username).json()  # another device's sign-in stays valid
    assert api_client.get(ME, **bearer(pair["access"])).status_code == 200
    response = api_client.post(LOGOUT, {"refresh": pair["refresh"]}, format="json", **bearer(pair["access"]))
    assert response.status_code == 204
    assert_error(api_client.get(ME, **bearer(pair["access"])), 401, "token_not_valid")
    assert_error(api_client.post(VERIFY, {"token": pair["access"]}, format="json"), 401, "token_not_valid")
    assert api_client.get(ME, **bearer(other["access"])).status_code == 200


def test_logout_with_an_expired_access_token_still_revokes_the_refresh(api_client):
    user = UserFactory()
    pair = sign_in(api_client, user.username).json()
    expired = AccessToken.for_user(user)
    expired.set_exp(lifetime=-dt.timedelta(seconds=1))
    response = api_client.post(LOGOUT, {"refresh": pair["refresh"]}, format="json", **bearer(str(expired)))
    assert response.status_code == 204
    assert_error(api_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json"), 401, "token_not_valid")


def test_wrong_password_is_401_in_the_envelope(api_client):
    user = UserFactory()
    error = assert_error(sign_in(api_client, user.username, "not-the-password"), 401, "no_active_account")
    assert error["fields"] == {}


def test_deactivated_user_cannot_sign_in_refresh_or_use_an_access_token(api_client):
    user = UserFactory()
    pair = sign_in(api_client, user.username).json()
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert_error(sign_in(api_client, user.username), 401)
    assert_error(api_client.get(ME, **bearer(pair["access"])), 401, "user_inactive")
    assert_error(api_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json"), 401)
    assert_error(api_client.post(VERIFY, {"token": pair["access"]}, format="json"), 401)


def test_refresh_token_of_a_deleted_user_is_401_not_500(api_client):
    user = UserFactory()
    refresh = sign_in(api_client, user.username).json()["refresh"]
    User.objects.filter(pk=user.pk).delete()
    assert_error(api_client.post(REFRESH, {"refresh": refresh}, format="json"), 401)


# ----------------------------------------------------------------------------------------- forged tokens


def _b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _payload(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _hs512(claims: dict) -> str:
    with warnings.catch_warnings():  # PyJWT warns that the test key is short for SHA-512; the point is the alg
        warnings.simplefilter("ignore")
        return jwt.encode(claims, django_settings.SECRET_KEY, algorithm="HS512")


def _forged_tokens(user: User, other: User) -> dict[str, str]:
    good = str(AccessToken.for_user(user))
    header, payload, signature = good.split(".")
    claims = _payload(good)
    expired = AccessToken.for_user(user)
    expired.set_exp(from_time=timezone.now() - dt.timedelta(hours=1), lifetime=dt.timedelta(minutes=1))
    return {
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "alg none, no dot": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}",
        "wrong key": jwt.encode(claims, "another-secret-key-" + "k" * 40, algorithm="HS256"),
        "other algorithm, right key": _hs512(claims),
        "tampered payload": f"{header}.{_b64({**claims, 'user_id': str(other.pk)})}.{signature}",
        "expired": str(expired),
        "refresh used as access": str(RefreshToken.for_user(user)),
        "garbage": "not.a.jwt",
        "empty segments": "..",
        "binary": base64.b64encode(bytes(range(256))).decode(),
        "very long": "a" * 10_000,
    }


FORGED_CASES = [
    "alg none", "alg none, no dot", "wrong key", "other algorithm, right key", "tampered payload", "expired",
    "refresh used as access", "garbage", "empty segments", "binary", "very long",
]


@pytest.mark.parametrize("case", FORGED_CASES)
def test_forged_access_tokens_are_401(api_client, case):
    user, other = UserFactory(), UserFactory(is_staff=True)
    token = _forged_tokens(user, other)[case]
    assert_error(api_client.get(ME, **bearer(token)), 401)


def test_the_forged_token_table_covers_every_case():
    user, other = UserFactory(), UserFactory()
    assert sorted(_forged_tokens(user, other)) == sorted(FORGED_CASES)


@pytest.mark.parametrize("header", [
    "Bearer", "Bearer ", "Bearer a b", "Bearer\tabc", "Basic dXNlcjpwYXNz", "bearer", "JWT", "Bearer " + "x" * 9000,
    "Bearer ÿÿÿ",
])
def test_malformed_authorization_headers_are_401(api_client, header):
    assert_error(api_client.get(ME, HTTP_AUTHORIZATION=header), 401)


def test_a_valid_token_still_works_so_the_forged_table_can_fail(api_client):
    user = UserFactory()
    assert api_client.get(ME, **bearer(str(AccessToken.for_user(user)))).status_code == 200


def test_verify_rejects_forged_and_accepts_genuine(api_client):
    user, other = UserFactory(), UserFactory()
    for case, token in _forged_tokens(user, other).items():
        if case == "refresh used as access":
            continue  # verify accepts any genuine token type
        response = api_client.post(VERIFY, {"token": token}, format="json")
        if case == "very long":  # over the field's length limit: a field error before any decoding
            assert "token" in assert_error(response, 400, "invalid")["fields"]
        else:
            assert_error(response, 401, "token_not_valid")
    assert api_client.post(VERIFY, {"token": str(AccessToken.for_user(user))}, format="json").status_code == 200


def test_an_access_token_cannot_be_refreshed_or_used_to_log_out(api_client):
    access = str(AccessToken.for_user(UserFactory()))
    assert_error(api_client.post(REFRESH, {"refresh": access}, format="json"), 401)
    assert_error(api_client.post(LOGOUT, {"refresh": access}, format="json"), 401)


# -------------------------------------------------------------------------------------------- throttling


@pytest.fixture
def small_rates(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_ip": "5/min", "login_username": "3/min",
             "register": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    return rates


def test_wrong_passwords_for_one_username_are_throttled_at_that_address_only(api_client, small_rates):
    user = UserFactory()
    for _ in range(3):
        assert sign_in(api_client, user.username, "wrong", REMOTE_ADDR="10.0.0.1").status_code == 401
    response = sign_in(api_client, user.username, REMOTE_ADDR="10.0.0.1")  # right password, the guesser's address
    error = assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["Retry-After"] in error["message"]
    # Usernames are counted case-insensitively; the real user at another address is not affected.
    assert_error(sign_in(api_client, user.username.upper(), REMOTE_ADDR="10.0.0.1"), 429)
    assert sign_in(api_client, user.username, REMOTE_ADDR="10.0.0.99").status_code == 200


@pytest.fixture
def no_rate_limits(settings):
    """Throttles out of the way, so that what refuses a sign-in is the lockout alone."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_ip": "10000/min", "login_username": "10000/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_forty_wrong_passwords_lock_that_address_out_of_the_account_but_not_the_user_elsewhere(
        api_client, no_rate_limits):
    user = UserFactory()
    for _ in range(40):
        assert sign_in(api_client, user.username, "wrong", REMOTE_ADDR="198.51.100.66").status_code in (401, 429)
    response = sign_in(api_client, user.username, REMOTE_ADDR="198.51.100.66")  # the right password
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) == django_settings.AXES_COOLOFF_TIME.total_seconds()
    assert sign_in(api_client, user.username, REMOTE_ADDR="192.0.2.10").status_code == 200


def test_sign_in_attempts_from_one_address_are_throttled_across_usernames(api_client, small_rates):
    users = UserFactory.create_batch(6)
    for user in users[:5]:
        assert sign_in(api_client, user.username, "wrong").status_code == 401
    assert_error(sign_in(api_client, users[5].username), 429, "throttled")


def test_a_forged_forwarded_for_header_does_not_reset_the_address_throttle(api_client, small_rates):
    users = UserFactory.create_batch(6)
    for n, user in enumerate(users[:5]):
        sign_in(api_client, user.username, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert_error(sign_in(api_client, users[5].username, HTTP_X_FORWARDED_FOR="198.51.100.7"), 429)


def test_registration_is_throttled_per_address(api_client, small_rates):
    town = TownFactory()
    for n in range(2):
        response = api_client.post(REGISTER, candidate_body(town, username=f"reg{n}"), format="json")
        assert response.status_code == 201, response.content
    response = api_client.post(REGISTER, candidate_body(town, username="reg9"), format="json")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert not User.objects.filter(username="reg9").exists()


# ------------------------------------------------------------------------------------------ registration


def candidate_body(town, **overrides) -> dict:
    body = {
        "account_type": "candidate", "username": "liga.ozola", "password": "Zila-Gaisma-2009-x",
        "email": "liga@example.lv", "first_name": "Līga", "last_name": "Ozola", "kind": "student",
        "birth_year": timezone.localdate().year - 19, "town": town.pk, "employment_status": "studying",
        "consents": {"processing": True, "counsellor": True},
    }
    return {**body, **overrides}


def employer_body(town, **overrides) -> dict:
    body = {
        "account_type": "employer", "username": "hr.valmiera", "password": "Stikla-Skiedra-77-x",
        "email": "hr@example.lv", "first_name": "Ilze", "last_name": "Kalniņa", "name": "SIA Stikla Meistari",
        "registration_number": "40003123456", "town": town.pk, "sector": "glass_fibre",
    }
    return {**body, **overrides}


def test_register_an_adult_candidate_then_sign_in(api_client):
    town = TownFactory()
    before = timezone.now()
    response = api_client.post(REGISTER, candidate_body(town), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["role"] == "candidate" and body["candidate"]["kind"] == "student"
    assert "password" not in body
    profile = CandidateProfile.objects.get(user__username="liga.ozola")
    assert profile.user.check_password("Zila-Gaisma-2009-x")
    assert profile.consent_processing and profile.consent_processing_at >= before
    assert profile.consent_counsellor and profile.consent_counsellor_at >= before
    assert not profile.consent_discoverable and profile.consent_discoverable_at is None
    assert not profile.supervised
    assert sign_in(api_client, "liga.ozola", "Zila-Gaisma-2009-x").status_code == 200


def test_a_minor_starts_supervised_and_hidden_from_employers_even_with_consent(api_client):
    town = TownFactory()
    body = candidate_body(town, birth_year=timezone.localdate().year - 15,
                          consents={"processing": True, "discoverable": True})
    assert api_client.post(REGISTER, body, format="json").status_code == 201
    profile = CandidateProfile.objects.get(user__username="liga.ozola")
    assert profile.is_minor and profile.is_supervised and not profile.minor_visible_to_employers
    assert not profile.supervised  # by age, not stored: it ends on their 18th birthday
    assert profile.consent_discoverable and not profile.visible_to_employers


def test_candidates_younger_than_the_digital_consent_age_are_refused(api_client):
    body = candidate_body(TownFactory(), birth_year=timezone.localdate().year - MIN_CANDIDATE_AGE + 1)
    error = assert_error(api_client.post(REGISTER, body, format="json"), 400, "invalid")
    assert error["fields"]["birth_year"] == [str(CANDIDATE_TOO_YOUNG % {"age": MIN_CANDIDATE_AGE})]
    assert not User.objects.filter(username="liga.ozola").exists()


def test_candidate_registration_needs_consent_to_processing(api_client):
    body = candidate_body(TownFactory(), consents={"processing": False})
    error = assert_error(api_client.post(REGISTER, body, format="json"), 400)
    assert error["fields"]["consents"] == [str(PROCESSING_CONSENT_REQUIRED)]
    assert not User.objects.exists()


def test_register_an_employer_creates_an_unverified_employer_with_the_user_as_member(api_client):
    response = api_client.post(REGISTER, employer_body(TownFactory()), format="json")
    assert response.status_code == 201, response.content
    user = User.objects.get(username="hr.valmiera")
    assert user.role == Role.EMPLOYER and not user.is_staff
    employer = Employer.objects.get(name="SIA Stikla Meistari")
    assert not employer.verified and list(employer.members.all()) == [user]
    assert response.json()["employer_memberships"] == [
        {"id": employer.pk, "name": "SIA Stikla Meistari", "verified": False}
    ]
    assert not CandidateProfile.objects.filter(user=user).exists()


def test_an_existing_employer_name_or_number_is_refused_and_nothing_is_created(api_client):
    EmployerFactory(name="SIA Stikla Meistari", registration_number="40003123456")
    error = assert_error(api_client.post(REGISTER, employer_body(TownFactory()), format="json"), 400)
    assert set(error["fields"]) == {"name", "registration_number"}
    assert not User.objects.filter(username="hr.valmiera").exists()


@pytest.mark.parametrize("password, needle", [
    ("short1", "too short"),
    ("password123", "too common"),
    ("1234567890123", "entirely numeric"),
    ("liga.ozola.2009", "too similar"),
])
def test_weak_passwords_get_field_errors_from_django_validators(api_client, password, needle):
    body = candidate_body(TownFactory(), password=password)
    error = assert_error(api_client.post(REGISTER, body, format="json", HTTP_ACCEPT_LANGUAGE="en"), 400, "invalid")
    assert set(error["fields"]) == {"password"}
    assert any(needle in message for message in error["fields"]["password"]), error
    assert not User.objects.exists()


def test_duplicate_username_is_refused_whatever_the_case(api_client):
    UserFactory(username="Liga.Ozola")
    error = assert_error(api_client.post(REGISTER, candidate_body(TownFactory()), format="json"), 400)
    assert set(error["fields"]) == {"username"}
    assert User.objects.filter(username__iexact="liga.ozola").count() == 1


@pytest.mark.parametrize("account_type", ["counsellor", "provider", "admin", "analyst", "", None, 7, ["employer"]])
def test_only_candidates_and_employers_can_register_themselves(api_client, account_type):
    body = candidate_body(TownFactory(), account_type=account_type)
    error = assert_error(api_client.post(REGISTER, body, format="json"), 400)
    assert "account_type" in error["fields"]
    assert not User.objects.exists()


def test_registration_ignores_privilege_fields(api_client):
    body = candidate_body(TownFactory(), role="admin", is_staff=True, is_superuser=True, supervised=False,
                          minor_visible_to_employers=True, verified=True)
    assert api_client.post(REGISTER, body, format="json").status_code == 201
    user = User.objects.get(username="liga.ozola")
    assert (user.role, user.is_staff, user.is_superuser) == (Role.CANDIDATE, False, False)
    assert not user.candidate.minor_visible_to_employers


def test_registration_default_language_follows_the_request(api_client):
    town = TownFactory()
    api_client.post(REGISTER, candidate_body(town), format="json", HTTP_ACCEPT_LANGUAGE="en")
    api_client.post(REGISTER, candidate_body(town, username="janis"), format="json")
    assert User.objects.get(username="liga.ozola").preferred_language == "en"
    assert User.objects.get(username="janis").preferred_language == "lv"


def test_signed_in_requests_to_register_do_not_need_a_token(api_client):
    """Registration ignores the Authorization header, so an expired token in a client does not block it."""
    candidate = CandidateFactory()
    expired = AccessToken.for_user(candidate.user)
    expired.set_exp(from_time=timezone.now() - dt.timedelta(hours=1), lifetime=dt.timedelta(minutes=1))
    response = api_client.post(REGISTER, candidate_body(TownFactory()), format="json", **bearer(str(expired)))
    assert response.status_code == 201
