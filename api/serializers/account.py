"""Sign-in, registration and own-data (/me) serializers: one input and one output shape per endpoint."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_simplejwt.exceptions import AuthenticationFailed, TokenError
from rest_framework_simplejwt.serializers import (
    PasswordField,
    TokenObtainPairSerializer,
    TokenRefreshSerializer,
    TokenVerifySerializer,
)
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from careers.models import (
    CandidateProfile,
    CandidateSkill,
    CefrLevel,
    Counsellor,
    EducationLevel,
    HoursKind,
    Institution,
    Language,
    Occupation,
    Sector,
    Skill,
    Town,
    User,
)
from careers.selectors.accounts import access_token_is_revoked
from careers.services.accounts import WorkItem

MAX_TOKEN_LENGTH = 2048  # a simplejwt token is ~300 characters; anything far longer is not one
MAX_PASSWORD_LENGTH = 1024
MAX_SKILLS = 200
MAX_WORK_HISTORY = 50
MAX_TARGET_OCCUPATIONS = 20
MAX_ABOUT_LENGTH = 5000
LANGUAGE_CHOICES = [("lv", "latviešu"), ("en", "English")]

UNKNOWN_SKILLS = _("Unknown skill URI: %(uris)s.")
UNKNOWN_OCCUPATIONS = _("Unknown occupation URI: %(uris)s.")
DUPLICATE_ITEMS = _("Each entry may appear only once: %(items)s.")
TOKEN_USER_INACTIVE = _("User is inactive")
TOKEN_NO_USER = _("Token contained no recognizable user identification")
TOKEN_BLACKLISTED = _("Token is blacklisted")
NO_ACTIVE_ACCOUNT = _("No active account found for the given token.")
REGISTRATION_NUMBER_FORMAT = _("A Latvian registration number has 11 digits.")
PHONE_FORMAT = _("Enter a phone number: digits, spaces, brackets and dashes, optionally starting with +.")

phone_validator = RegexValidator(r"^\+?[0-9][0-9 ()\-]{4,30}$", PHONE_FORMAT)


def request_language() -> str:
    """'en' or 'lv' (the default): what LocaleMiddleware chose from Accept-Language."""
    return "en" if (get_language() or "lv").startswith("en") else "lv"


def _duplicates(values: list) -> list:
    seen, repeated = set(), []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated


# ------------------------------------------------------------------------------------------------ tokens


class TokenObtainInputSerializer(TokenObtainPairSerializer):
    """username + password → access + refresh (simplejwt), with bounded field lengths."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.username_field] = serializers.CharField(write_only=True, max_length=150)
        self.fields["password"] = PasswordField(max_length=MAX_PASSWORD_LENGTH)


class TokenPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField(
        help_text="Access token (JWT), valid 15 minutes. Send as `Authorization: Bearer <access>`."
    )
    refresh = serializers.CharField(help_text="Refresh token (JWT), valid 7 days; each use returns a new one.")


class TokenRefreshInputSerializer(TokenRefreshSerializer):
    """Rotates the refresh token; the used one is blacklisted, under a row lock so two racing uses cannot both win."""

    refresh = serializers.CharField(max_length=MAX_TOKEN_LENGTH)

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        jti = RefreshToken(attrs["refresh"])[jwt_settings.JTI_CLAIM]  # verifies signature, expiry, type, blacklist
        with transaction.atomic():
            list(OutstandingToken.objects.select_for_update().filter(jti=jti))
            if BlacklistedToken.objects.filter(token__jti=jti).exists():
                raise TokenError(TOKEN_BLACKLISTED)
            try:
                return super().validate(attrs)
            except ObjectDoesNotExist as exc:  # the user was deleted since the token was issued
                raise AuthenticationFailed(NO_ACTIVE_ACCOUNT, "no_active_account") from exc


class TokenRefreshInputDocSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=MAX_TOKEN_LENGTH)


class TokenVerifyInputSerializer(TokenVerifySerializer):
    """Valid = correctly signed, unexpired, not blacklisted, and its user still active."""

    token = serializers.CharField(write_only=True, max_length=MAX_TOKEN_LENGTH)

    def validate(self, attrs: dict[str, Any]) -> dict:
        token = UntypedToken(attrs["token"])
        jti = token.get(jwt_settings.JTI_CLAIM)
        if jti and (BlacklistedToken.objects.filter(token__jti=jti).exists() or access_token_is_revoked(jti=str(jti))):
            raise TokenError(TOKEN_BLACKLISTED)
        user_id = str(token.get(jwt_settings.USER_ID_CLAIM, ""))
        if not re.fullmatch(r"[0-9]{1,18}", user_id):
            raise TokenError(TOKEN_NO_USER)
        if not User.objects.filter(pk=int(user_id), is_active=True).exists():
            raise TokenError(TOKEN_USER_INACTIVE)
        return {}


class TokenVerifyInputDocSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=MAX_TOKEN_LENGTH)


class LogoutInputSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=MAX_TOKEN_LENGTH, help_text="The refresh token to revoke.")


# ------------------------------------------------------------------------------------------ registration


class ConsentsInputSerializer(serializers.Serializer):
    processing = serializers.BooleanField(required=False, help_text="Data processing (required to register).")
    discoverable = serializers.BooleanField(required=False, help_text="Employers may find me (adults only).")
    counsellor = serializers.BooleanField(required=False, help_text="Share my profile with a career counsellor.")


class AccountInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    password = serializers.CharField(
        write_only=True, max_length=MAX_PASSWORD_LENGTH, trim_whitespace=False, style={"input_type": "password"},
        help_text="Checked by Django's password validators (at least 10 characters, not common, not all digits).",
    )
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    preferred_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, required=False, help_text="Defaults to the request language."
    )


class CandidateRegisterInputSerializer(AccountInputSerializer):
    account_type = serializers.ChoiceField(choices=[("candidate", "candidate")])
    kind = serializers.ChoiceField(choices=CandidateProfile.Kind.choices)
    birth_year = serializers.IntegerField(min_value=1930, max_value=2100, help_text="Candidates are at least 13.")
    town = serializers.PrimaryKeyRelatedField(queryset=Town.objects.all(), help_text="Town id (see /towns/).")
    employment_status = serializers.ChoiceField(choices=CandidateProfile.EmploymentStatus.choices)
    consents = ConsentsInputSerializer()
    school = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), required=False, allow_null=True, default=None,
        help_text="The school or college you attend, if it is listed (institution id, see /institutions/): its "
                  "career counsellor becomes yours.")


class EmployerRegisterInputSerializer(AccountInputSerializer):
    account_type = serializers.ChoiceField(choices=[("employer", "employer")])
    name = serializers.CharField(max_length=200, help_text="Company name; the employer starts unverified.")
    registration_number = serializers.CharField(
        max_length=11, required=False, allow_blank=True, default="",
        validators=[RegexValidator(r"^\d{11}$", REGISTRATION_NUMBER_FORMAT)],
    )
    town = serializers.PrimaryKeyRelatedField(queryset=Town.objects.all(), help_text="Town id (see /towns/).")
    sector = serializers.ChoiceField(choices=Sector.choices)


REGISTER_INPUT_SERIALIZERS = {
    "candidate": CandidateRegisterInputSerializer, "employer": EmployerRegisterInputSerializer,
}


# ----------------------------------------------------------------------------------------------- /me in


class RiasecSerializer(serializers.Serializer):
    """Holland (RIASEC) interests on the 1–7 scale; null when unknown."""

    r = serializers.FloatField(source="riasec_r", min_value=1, max_value=7, allow_null=True, required=False)
    i = serializers.FloatField(source="riasec_i", min_value=1, max_value=7, allow_null=True, required=False)
    a = serializers.FloatField(source="riasec_a", min_value=1, max_value=7, allow_null=True, required=False)
    s = serializers.FloatField(source="riasec_s", min_value=1, max_value=7, allow_null=True, required=False)
    e = serializers.FloatField(source="riasec_e", min_value=1, max_value=7, allow_null=True, required=False)
    c = serializers.FloatField(source="riasec_c", min_value=1, max_value=7, allow_null=True, required=False)


class SkillLevelInputSerializer(serializers.Serializer):
    uri = serializers.CharField(max_length=255)
    proficiency = serializers.ChoiceField(
        choices=CandidateSkill.Proficiency.choices, help_text="1 basic, 2 intermediate, 3 advanced, 4 expert."
    )


class WorkItemInputSerializer(serializers.Serializer):
    occupation = serializers.CharField(max_length=255, help_text="ESCO occupation URI.")
    years = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal(60))
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LanguageLevelInputSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    level = serializers.ChoiceField(choices=CefrLevel.choices, help_text="CEFR: 1 = A1 … 6 = C2.")


def _by_uri(model, uris: list[str], message) -> dict[str, Any]:
    found = model.objects.in_bulk(uris, field_name="uri")
    missing = [uri for uri in uris if uri not in found]
    if missing:
        raise serializers.ValidationError(message % {"uris": ", ".join(missing[:10])})
    return found


class CandidatePatchInputSerializer(serializers.Serializer):
    """Every field optional; a list given replaces the stored list. Counsellor-set fields are not accepted."""

    kind = serializers.ChoiceField(choices=CandidateProfile.Kind.choices, required=False)
    employment_status = serializers.ChoiceField(choices=CandidateProfile.EmploymentStatus.choices, required=False)
    gender = serializers.ChoiceField(choices=CandidateProfile.Gender.choices, required=False)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, validators=[phone_validator])
    town = serializers.PrimaryKeyRelatedField(queryset=Town.objects.all(), required=False)
    max_commute_km = serializers.IntegerField(min_value=0, max_value=500, required=False)
    willing_to_relocate = serializers.BooleanField(required=False)
    highest_education = serializers.ChoiceField(choices=EducationLevel.choices, required=False)
    current_studies = serializers.CharField(max_length=200, required=False, allow_blank=True)
    about = serializers.CharField(max_length=MAX_ABOUT_LENGTH, required=False, allow_blank=True)
    riasec = RiasecSerializer(required=False)
    target_occupations = serializers.ListField(
        child=serializers.CharField(max_length=255), max_length=MAX_TARGET_OCCUPATIONS, required=False,
        help_text="ESCO occupation URIs.",
    )
    available_hours = serializers.ListField(
        child=serializers.ChoiceField(choices=HoursKind.choices), max_length=len(HoursKind.choices), required=False
    )
    available_from = serializers.DateField(allow_null=True, required=False)
    skills = SkillLevelInputSerializer(many=True, required=False, max_length=MAX_SKILLS)
    work_history = WorkItemInputSerializer(many=True, required=False, max_length=MAX_WORK_HISTORY)
    languages = LanguageLevelInputSerializer(many=True, required=False, max_length=len(Language.choices))
    consents = ConsentsInputSerializer(required=False)

    def validate_skills(self, value: list[dict]) -> list[tuple[Skill, int]]:
        uris = [item["uri"] for item in value]
        if repeated := _duplicates(uris):
            raise serializers.ValidationError(DUPLICATE_ITEMS % {"items": ", ".join(repeated[:10])})
        found = _by_uri(Skill, uris, UNKNOWN_SKILLS)
        return [(found[item["uri"]], int(item["proficiency"])) for item in value]

    def validate_languages(self, value: list[dict]) -> list[tuple[str, int]]:
        codes = [item["language"] for item in value]
        if repeated := _duplicates(codes):
            raise serializers.ValidationError(DUPLICATE_ITEMS % {"items": ", ".join(repeated)})
        return [(item["language"], int(item["level"])) for item in value]

    def validate_work_history(self, value: list[dict]) -> list[WorkItem]:
        found = _by_uri(Occupation, list(dict.fromkeys(item["occupation"] for item in value)), UNKNOWN_OCCUPATIONS)
        return [WorkItem(occupation=found[item["occupation"]], years=item["years"], title=item["title"],
                         employer_name=item["employer_name"]) for item in value]

    def validate_target_occupations(self, value: list[str]) -> list[Occupation]:
        if repeated := _duplicates(value):
            raise serializers.ValidationError(DUPLICATE_ITEMS % {"items": ", ".join(repeated[:10])})
        found = _by_uri(Occupation, value, UNKNOWN_OCCUPATIONS)
        return [found[uri] for uri in value]

    def validate_available_hours(self, value: list[str]) -> list[str]:
        if repeated := _duplicates(value):
            raise serializers.ValidationError(DUPLICATE_ITEMS % {"items": ", ".join(repeated)})
        return value


class MePatchInputSerializer(serializers.Serializer):
    """Only these fields can be changed; anything else in the body (role, is_staff, ids, …) is ignored."""

    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False)
    preferred_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    candidate = CandidatePatchInputSerializer(required=False, help_text="Candidates only.")


# ---------------------------------------------------------------------------------------------- /me out


class ConsentOutputSerializer(serializers.Serializer):
    given = serializers.BooleanField()
    at = serializers.DateTimeField(allow_null=True, help_text="When it was given; null when not given.")


def _consent(profile: CandidateProfile, name: str) -> dict:
    return ConsentOutputSerializer(
        {"given": getattr(profile, f"consent_{name}"), "at": getattr(profile, f"consent_{name}_at")}
    ).data


class ConsentsOutputSerializer(serializers.Serializer):
    processing = serializers.SerializerMethodField()
    discoverable = serializers.SerializerMethodField()
    counsellor = serializers.SerializerMethodField()

    @extend_schema_field(ConsentOutputSerializer)
    def get_processing(self, profile: CandidateProfile) -> dict:
        return _consent(profile, "processing")

    @extend_schema_field(ConsentOutputSerializer)
    def get_discoverable(self, profile: CandidateProfile) -> dict:
        return _consent(profile, "discoverable")

    @extend_schema_field(ConsentOutputSerializer)
    def get_counsellor(self, profile: CandidateProfile) -> dict:
        return _consent(profile, "counsellor")



class SkillLevelOutputSerializer(serializers.Serializer):
    uri = serializers.CharField(source="skill.uri")
    label = serializers.SerializerMethodField()
    proficiency = serializers.IntegerField()

    @extend_schema_field(serializers.CharField())
    def get_label(self, link) -> str:
        return link.skill.label(request_language())


class WorkItemOutputSerializer(serializers.Serializer):
    occupation = serializers.CharField(source="occupation.uri")
    occupation_label = serializers.SerializerMethodField()
    years = serializers.DecimalField(max_digits=4, decimal_places=1)
    title = serializers.CharField()
    employer_name = serializers.CharField()

    @extend_schema_field(serializers.CharField())
    def get_occupation_label(self, item) -> str:
        return item.occupation.label(request_language())


class LanguageLevelOutputSerializer(serializers.Serializer):
    language = serializers.CharField()
    level = serializers.IntegerField(help_text="CEFR: 1 = A1 … 6 = C2.")


class NamedRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class YourCounsellorOutputSerializer(serializers.Serializer):
    """Who reviews a supervised person's lists (null: nobody yet; staff see the person in the unassigned list)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    works_for = serializers.ChoiceField(choices=Counsellor.Employer.choices)
    town = serializers.CharField()
    institution = serializers.CharField(allow_null=True, help_text="A school counsellor's school.")
    assigned_at = serializers.DateTimeField(allow_null=True, help_text="Null when assigned by hand.")


class CandidateProfileOutputSerializer(serializers.Serializer):
    # The profile id: what /candidates/{id}/ and its recommendation endpoints take.
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField()
    employment_status = serializers.CharField()
    birth_year = serializers.IntegerField()
    is_minor = serializers.BooleanField()
    gender = serializers.CharField()
    phone = serializers.CharField()
    town = NamedRefOutputSerializer()
    school = serializers.SerializerMethodField()
    max_commute_km = serializers.IntegerField()
    willing_to_relocate = serializers.BooleanField()
    highest_education = serializers.IntegerField()
    current_studies = serializers.CharField()
    about = serializers.CharField()
    riasec = RiasecSerializer(source="*")
    target_occupations = serializers.SerializerMethodField()
    available_hours = serializers.ListField(child=serializers.CharField())
    available_from = serializers.DateField(allow_null=True)
    skills = SkillLevelOutputSerializer(source="skill_links.all", many=True)
    work_history = WorkItemOutputSerializer(source="work_history.all", many=True)
    languages = LanguageLevelOutputSerializer(source="languages.all", many=True)
    consents = ConsentsOutputSerializer(source="*")
    supervised = serializers.BooleanField(
        source="is_supervised", help_text="Always on for minors; for adults, set by the counsellor.")
    minor_visible_to_employers = serializers.BooleanField(help_text="Set by the counsellor.")
    visible_to_employers = serializers.BooleanField()
    counsellor = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_target_occupations(self, profile: CandidateProfile) -> list[str]:
        return sorted(occupation.uri for occupation in profile.target_occupations.all())

    @extend_schema_field(NamedRefOutputSerializer(allow_null=True))
    def get_school(self, profile: CandidateProfile) -> dict | None:
        school = profile.school
        return None if school is None else {"id": school.pk, "name": school.name_lv}

    @extend_schema_field(YourCounsellorOutputSerializer(allow_null=True))
    def get_counsellor(self, profile: CandidateProfile) -> dict | None:
        counsellor = profile.counsellor
        if counsellor is None:
            return None
        institution = counsellor.institution
        return {"id": counsellor.pk, "name": counsellor.user.get_full_name() or counsellor.user.username,
                "works_for": counsellor.works_for, "town": counsellor.town.name,
                "institution": None if institution is None else institution.name_lv,
                "assigned_at": profile.counsellor_assigned_at}


class EmployerMembershipOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    verified = serializers.BooleanField(help_text="Vacancies of unverified employers are not public.")


class InstitutionSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_lv = serializers.CharField()
    name_en = serializers.CharField()


class ProviderSummaryOutputSerializer(serializers.Serializer):
    institution = InstitutionSummaryOutputSerializer()


class CounsellorSummaryOutputSerializer(serializers.Serializer):
    works_for = serializers.CharField()
    town = NamedRefOutputSerializer()
    institution = InstitutionSummaryOutputSerializer(allow_null=True)
    caseload_size = serializers.IntegerField(help_text="Candidates assigned to you.")


class MeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    email = serializers.CharField(source="user.email", help_text="Empty when none is on record.")
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    role = serializers.CharField(source="user.role")
    preferred_language = serializers.CharField(source="user.preferred_language")
    date_joined = serializers.DateTimeField(source="user.date_joined")
    candidate = CandidateProfileOutputSerializer(allow_null=True, help_text="Candidates only; null otherwise.")
    employer_memberships = EmployerMembershipOutputSerializer(many=True, help_text="Employer members only.")
    provider = ProviderSummaryOutputSerializer(allow_null=True, help_text="Provider staff only.")
    counsellor = CounsellorSummaryOutputSerializer(allow_null=True, help_text="Counsellors only.")


# ------------------------------------------------------------------------------------------------ export


class MeExportOutputSerializer(serializers.Serializer):
    """Documents the export; the view returns the service's data as is (a test keeps both key sets equal)."""

    format_version = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    user = serializers.DictField(help_text="Account: username, e-mail, names, role, language, dates.")
    profile = serializers.DictField(allow_null=True, help_text="Candidate profile with every stored field.")
    consents = serializers.DictField(help_text="Each consent: given, and when.")
    skills = serializers.ListField(child=serializers.DictField())
    languages = serializers.ListField(child=serializers.DictField())
    work_history = serializers.ListField(child=serializers.DictField())
    target_occupations = serializers.ListField(child=serializers.DictField())
    applications = serializers.ListField(child=serializers.DictField(), help_text="With your cover messages.")
    employer_memberships = serializers.ListField(child=serializers.DictField())
    staff_roles = serializers.DictField(help_text="Provider-staff or counsellor records, if any.")
    sign_ins = serializers.ListField(child=serializers.DictField(), help_text="Refresh tokens issued, and revoked.")
    recommendation_lists = serializers.ListField(child=serializers.DictField(), help_text=(
        "Every recommendation list served for you: kind, model version, when, and each item with its rank, score "
        "and explanation features."))
    reviews = serializers.ListField(child=serializers.DictField(), help_text=(
        "Counsellors' reviews of your recommendations, with every earlier decision and note."))
    feedback = serializers.ListField(child=serializers.DictField(), help_text="Feedback events recorded about you.")



class WorkSkillRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField()
    label = serializers.CharField(help_text=_("Preferred label in the request language."))


class WorkSkillSuggestionSerializer(serializers.Serializer):
    occupation = WorkSkillRefSerializer(help_text=_("An occupation of the work history (a year or more)."))
    years = serializers.FloatField()
    message = serializers.CharField(help_text=_('"From your work as …" in the request language.'))
    skills = WorkSkillRefSerializer(many=True, help_text=_(
        "Its essential skills the profile does not list: confirm them by adding them to `candidate.skills` "
        "(PATCH /me/)."))


class SkillsFromWorkOutputSerializer(serializers.Serializer):
    credit = serializers.FloatField(help_text=_(
        "The weight each unconfirmed skill counts at in matching (a confirmed skill counts 1)."))
    suggestions = WorkSkillSuggestionSerializer(many=True)
