"""Sign-in (JWT), registration and the account holder's own data (/me, export, erasure)."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView, TokenVerifyView

from api.parsers import JSONParser
from api.schema import error_response
from api.serializers.account import (
    REGISTER_INPUT_SERIALIZERS,
    CandidateRegisterInputSerializer,
    EmployerRegisterInputSerializer,
    LogoutInputSerializer,
    MeExportOutputSerializer,
    MeOutputSerializer,
    MePatchInputSerializer,
    SkillsFromWorkOutputSerializer,
    TokenObtainInputSerializer,
    TokenPairOutputSerializer,
    TokenRefreshInputDocSerializer,
    TokenRefreshInputSerializer,
    TokenVerifyInputDocSerializer,
    TokenVerifyInputSerializer,
    request_language,
)
from api.permissions import IsCandidate
from api.throttles import LoginIpThrottle, LoginUsernameThrottle, RegisterIpThrottle, WindowedAnonThrottle
from careers.selectors import candidate_of
from careers.selectors.accounts import account_export, account_overview, experience_credit, skills_from_work_history
from careers.services.accounts import (
    AccountDetails,
    ProfileChanges,
    access_token_revoke,
    account_erase,
    account_update,
    candidate_register,
    employer_register,
)

TAGS = ["auth"]
ME_TAGS = ["me"]
JSON_ONLY = [JSONParser]


# ------------------------------------------------------------------------------------------------ tokens

@extend_schema(
    tags=TAGS, summary="Sign in: username and password → access and refresh tokens",
    request=TokenObtainInputSerializer,
    responses={200: TokenPairOutputSerializer, 400: error_response(400),
               401: error_response(401, "Wrong username or password, or the account is deactivated."),
               429: error_response(429)},
    examples=[OpenApiExample("Sign in", value={"username": "anna.berzina", "password": "correct-horse-battery-9"},
                             request_only=True)],
)
class TokenObtainApi(TokenObtainPairView):
    """Sign-in; too many wrong passwords for one username from one address lock that pair out (django-axes)."""

    serializer_class = TokenObtainInputSerializer
    parser_classes = JSON_ONLY
    throttle_classes = [LoginIpThrottle, LoginUsernameThrottle]

    def post(self, request: Request, *args, **kwargs) -> Response:
        try:
            return super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            # careers.auth_backends.LockoutBackend refused even to check the password: say so, as a 429.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(wait=settings.AXES_COOLOFF_TIME.total_seconds()) from None
            raise


@extend_schema(
    tags=TAGS, summary="Rotate a refresh token: returns a new access and refresh token; the old refresh is revoked",
    request=TokenRefreshInputDocSerializer,
    responses={200: TokenPairOutputSerializer, 400: error_response(400),
               401: error_response(401, "Invalid, expired, already used or revoked refresh token."),
               429: error_response(429)},
)
class TokenRefreshApi(TokenRefreshView):
    serializer_class = TokenRefreshInputSerializer
    parser_classes = JSON_ONLY
    throttle_classes = [WindowedAnonThrottle]


@extend_schema(
    tags=TAGS, summary="Check a token: 200 when it is valid, 401 otherwise",
    request=TokenVerifyInputDocSerializer,
    responses={200: OpenApiResponse(description="The token is valid (empty object)."),
               400: error_response(400), 401: error_response(401), 429: error_response(429)},
)
class TokenVerifyApi(TokenVerifyView):
    serializer_class = TokenVerifyInputSerializer
    parser_classes = JSON_ONLY
    throttle_classes = [WindowedAnonThrottle]


def _revoke_presented_access_token(request: Request) -> None:
    """The access token in ``Authorization: Bearer``, if any and still valid, is refused from now on."""
    header = JWTAuthentication().get_header(request)
    raw = JWTAuthentication().get_raw_token(header) if header else None
    if raw is None:
        return
    try:
        token = AccessToken(raw)
    except TokenError:
        return  # expired or forged: nothing to revoke
    access_token_revoke(jti=str(token["jti"]), expires_at=dt.datetime.fromtimestamp(token["exp"], tz=dt.timezone.utc))


class LogoutApi(APIView):
    """Revoke (blacklist) a refresh token and the access token sent with the request, if any.

    Possessing the refresh token is the proof; the access token is optional (an expired one is ignored).
    """

    authentication_classes = ()
    permission_classes = [AllowAny]
    parser_classes = JSON_ONLY
    throttle_classes = [WindowedAnonThrottle]

    def get_authenticate_header(self, request: Request) -> str:
        # Without authenticators DRF would turn a bad token into 403; a bad token is a 401, as on the token views.
        return 'Bearer realm="api"'

    @extend_schema(
        tags=TAGS, summary="Sign out: revoke a refresh token and the access token sent in Authorization",
        request=LogoutInputSerializer,
        responses={204: OpenApiResponse(description="Revoked."), 400: error_response(400),
                   401: error_response(401, "Invalid, expired or already revoked refresh token."),
                   429: error_response(429)},
    )
    def post(self, request: Request) -> Response:
        serializer = LogoutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            RefreshToken(serializer.validated_data["refresh"]).blacklist()
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        _revoke_presented_access_token(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ------------------------------------------------------------------------------------------ registration

REGISTER_EXAMPLES = [
    OpenApiExample("Student", request_only=True, value={
        "account_type": "candidate", "username": "liga.ozola", "password": "Zila-Gaisma-2009",
        "email": "liga@example.lv",
        "first_name": "Līga", "last_name": "Ozola", "kind": "student", "birth_year": 2009, "town": 1,
        "employment_status": "studying", "consents": {"processing": True, "counsellor": True},
    }),
    OpenApiExample("Employer", request_only=True, value={
        "account_type": "employer", "username": "hr.valmiera", "password": "Stikla-Skiedra-77",
        "email": "hr@example.lv",
        "first_name": "Ilze", "last_name": "Kalniņa", "name": "SIA Piemērs", "registration_number": "40000000000",
        "town": 1, "sector": "glass_fibre",
    }),
]


class RegisterApi(APIView):
    """Self-registration for candidates and employers; counsellor, provider and admin accounts are made by staff."""

    authentication_classes = ()
    permission_classes = [AllowAny]
    parser_classes = JSON_ONLY
    throttle_classes = [RegisterIpThrottle]

    @extend_schema(
        tags=TAGS, summary="Register a candidate (student or reskilling) or an employer",
        request=PolymorphicProxySerializer(
            component_name="RegisterInput",
            serializers={"candidate": CandidateRegisterInputSerializer, "employer": EmployerRegisterInputSerializer},
            resource_type_field_name="account_type",
        ),
        responses={201: MeOutputSerializer, 400: error_response(400), 429: error_response(429)},
        examples=REGISTER_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        data = request.data
        account_type = data.get("account_type") if isinstance(data, dict) else None
        serializer_class = REGISTER_INPUT_SERIALIZERS.get(account_type if isinstance(account_type, str) else "")
        serializer = (serializer_class or CandidateRegisterInputSerializer)(data=data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        account = AccountDetails(
            username=values.pop("username"), password=values.pop("password"), email=values.pop("email"),
            first_name=values.pop("first_name"), last_name=values.pop("last_name"),
            preferred_language=values.pop("preferred_language", request_language()),
        )
        values.pop("account_type")
        if serializer_class is EmployerRegisterInputSerializer:
            user, _ = employer_register(account=account, **values)
        else:
            user = candidate_register(account=account, **values)
        return Response(MeOutputSerializer(account_overview(user=user)).data, status=status.HTTP_201_CREATED)


# ----------------------------------------------------------------------------------------------- /me


def _profile_changes(values: dict) -> ProfileChanges:
    changes = ProfileChanges(
        consents=values.pop("consents", None),
        skills=values.pop("skills", None),
        languages=values.pop("languages", None),
        work_history=values.pop("work_history", None),
        target_occupations=values.pop("target_occupations", None),
    )
    changes.fields = {**values.pop("riasec", {}), **values}  # RiasecSerializer already maps r → riasec_r
    return changes


class MeApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = JSON_ONLY

    @extend_schema(tags=ME_TAGS, summary="Your account and profile", responses={200: MeOutputSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeOutputSerializer(account_overview(user=request.user)).data)

    @extend_schema(
        tags=ME_TAGS, summary="Change your account and profile (lists given replace the stored lists)",
        description=(
            "Fields not listed in the request schema are ignored: role, is_staff, is_superuser, counsellor, "
            "supervised, minor_visible_to_employers, ids and birth year cannot be changed here. Turning a consent "
            "on records the time; turning it off clears it."
        ),
        request=MePatchInputSerializer, responses={200: MeOutputSerializer},
        examples=[OpenApiExample("Skills and consent", request_only=True, value={"candidate": {
            "skills": [{"uri": "http://data.europa.eu/esco/skill/8d3e6e6e-4c8a-4c3a-9fcb-0f4b3c2ac1c6",
                        "proficiency": 3}],
            "languages": [{"language": "lv", "level": 6}, {"language": "en", "level": 4}],
            "consents": {"discoverable": True},
        }})],
    )
    def patch(self, request: Request) -> Response:
        serializer = MePatchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        candidate = values.pop("candidate", None)
        account_update(
            user=request.user, user_fields=values,
            profile_changes=_profile_changes(dict(candidate)) if candidate is not None else None,
        )
        return Response(MeOutputSerializer(account_overview(user=request.user)).data)

    @extend_schema(
        tags=ME_TAGS, summary="Erase your account (candidates and employer members)",
        description=(
            "Deletes or anonymises your personal data: name, e-mail, phone, free texts, skills, languages, work "
            "history and cover messages. Applications stay, anonymised, for statistics (open ones are withdrawn). "
            "All your refresh tokens are revoked and the account is deactivated. Staff-made accounts (counsellors, "
            "provider staff, administrators) are closed by an administrator (403)."
        ),
        responses={204: OpenApiResponse(description="Erased."),
                   403: error_response(403, "Staff-made accounts are closed by an administrator.")},
    )
    def delete(self, request: Request) -> Response:
        account_erase(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=ME_TAGS, summary="Everything the service holds about you, as JSON",
        responses={200: MeExportOutputSerializer},
    )
    def get(self, request: Request) -> Response:
        response = Response(account_export(user=request.user))
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        response["Cache-Control"] = "no-store"
        return response


class MeSkillsFromWorkApi(APIView):
    permission_classes = [IsCandidate]

    @extend_schema(
        tags=ME_TAGS, summary="Skills your work history suggests, to confirm or leave",
        description=(
            "For each occupation in your work history (a year or more), its essential ESCO skills your profile does "
            "not list yet, with a sentence \"from your work as …\" in the request language. Until you confirm them "
            "(add them to `candidate.skills` with PATCH /me/) they count at `credit` in matching, and job "
            "explanations list them apart as `experience_skills`."),
        responses={200: SkillsFromWorkOutputSerializer})
    def get(self, request: Request) -> Response:
        candidate = candidate_of(request.user)
        suggestions = skills_from_work_history(candidate=candidate, language=request_language())
        return Response(SkillsFromWorkOutputSerializer({"credit": experience_credit(),
                                                        "suggestions": suggestions}).data)
