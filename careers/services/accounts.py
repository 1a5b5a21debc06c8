"""Accounts: registration, own-profile updates, the personal-data export and erasure.

Extension point for later features: ``export_section`` registers another part of the export (reviews, feedback,
...) as a function of the user. ``account_erase`` names each of its steps itself.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.admin.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from careers.models import (
    Application,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Counsellor,
    Employer,
    Occupation,
    ProviderStaff,
    Role,
    Skill,
    Town,
    User,
    WorkExperience,
)
from careers.models.taxonomy import RIASEC_FIELDS

# GDPR Art. 8 as adopted in Latvia (Personal Data Processing Law, s. 33): 13 is the age of digital consent.
MIN_CANDIDATE_AGE = 13
CONSENTS = ("processing", "discoverable", "counsellor")
# Staff-made roles are closed by an administrator: erasing a counsellor would silently empty a caseload.
SELF_ERASABLE_ROLES = (Role.CANDIDATE, Role.EMPLOYER)
OPEN_APPLICATION_STATUSES = (
    Application.Status.SUBMITTED, Application.Status.VIEWED, Application.Status.SHORTLISTED,
)
ERASED_USERNAME_PREFIX = "erased-"
EXPORT_FORMAT_VERSION = 1

USERNAME_TAKEN = _("A user with that username already exists.")
EMPLOYER_NAME_TAKEN = _(
    "An employer with this name is already registered; ask one of its members or the staff to add you."
)
EMPLOYER_NUMBER_TAKEN = _(
    "An employer with this registration number is already registered; ask one of its members or the staff to add you."
)
PROCESSING_CONSENT_REQUIRED = _("Consent to data processing is needed to create a candidate profile.")
CANDIDATE_TOO_YOUNG = _("Candidates must be at least %(age)d years old.")
NOT_A_CANDIDATE = _("Only candidates have a candidate profile.")
ERASURE_BY_ADMINISTRATOR = _("Accounts created by staff are closed by an administrator.")

USER_EDITABLE_FIELDS = frozenset({"first_name", "last_name", "email", "preferred_language"})
PROFILE_EDITABLE_FIELDS = frozenset({
    "kind", "employment_status", "gender", "phone", "town", "max_commute_km", "willing_to_relocate",
    "highest_education", "current_studies", "about", "available_hours", "available_from", *RIASEC_FIELDS,
})


@dataclass(frozen=True)
class AccountDetails:
    """What every self-registered account gives."""

    username: str
    password: str
    email: str
    first_name: str = ""
    last_name: str = ""
    preferred_language: str = "lv"


@dataclass(frozen=True)
class WorkItem:
    occupation: Occupation
    years: Decimal
    title: str = ""
    employer_name: str = ""


@dataclass
class ProfileChanges:
    """Changes to a candidate profile; a list left as None is left unchanged, a given list replaces the old one."""

    fields: dict[str, Any] = field(default_factory=dict)
    consents: dict[str, bool] | None = None
    skills: Sequence[tuple[Skill, int]] | None = None
    languages: Sequence[tuple[str, int]] | None = None
    work_history: Sequence[WorkItem] | None = None
    target_occupations: Sequence[Occupation] | None = None


# --------------------------------------------------------------------------------------------- registration


def _account_errors(*, account: AccountDetails, user: User) -> dict[str, list]:
    errors: dict[str, list] = {}
    if User.objects.filter(username__iexact=account.username).exists():
        errors["username"] = [USERNAME_TAKEN]
    try:
        validate_password(account.password, user=user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    return errors


def _user_save(*, user: User, password: str) -> User:
    user.set_password(password)
    user.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent registration took the name between the check and the insert
        raise ValidationError({"username": [USERNAME_TAKEN]}) from exc
    return user


def _new_user(*, account: AccountDetails, role: str) -> User:
    return User(
        username=account.username,
        email=User.objects.normalize_email(account.email),
        first_name=account.first_name,
        last_name=account.last_name,
        preferred_language=account.preferred_language,
        role=role,
    )


def _consents_apply(*, profile: CandidateProfile, consents: Mapping[str, bool], now) -> None:
    """Turning a consent on stamps the time (kept while it stays on); turning it off clears both."""
    for name in CONSENTS:
        if name not in consents:
            continue
        given = bool(consents[name])
        was_given = getattr(profile, f"consent_{name}")
        setattr(profile, f"consent_{name}", given)
        if not given:
            setattr(profile, f"consent_{name}_at", None)
        elif not was_given or getattr(profile, f"consent_{name}_at") is None:
            setattr(profile, f"consent_{name}_at", now)


@transaction.atomic
def candidate_register(
    *,
    account: AccountDetails,
    kind: str,
    birth_year: int,
    town: Town,
    employment_status: str,
    consents: Mapping[str, bool],
) -> User:
    """Create a candidate (student or reskilling) and their profile; minors are supervised by their age."""
    user = _new_user(account=account, role=Role.CANDIDATE)
    errors = _account_errors(account=account, user=user)
    if timezone.localdate().year - birth_year < MIN_CANDIDATE_AGE:
        errors["birth_year"] = [CANDIDATE_TOO_YOUNG % {"age": MIN_CANDIDATE_AGE}]
    if not consents.get("processing"):
        errors["consents"] = [PROCESSING_CONSENT_REQUIRED]
    if errors:
        raise ValidationError(errors)
    _user_save(user=user, password=account.password)
    profile = CandidateProfile(
        user=user, kind=kind, birth_year=birth_year, town=town, employment_status=employment_status
    )
    _consents_apply(profile=profile, consents=consents, now=timezone.now())
    # ``supervised`` stays off: is_supervised covers minors by age, so they leave supervision when they turn 18.
    # visible_to_employers keeps minors hidden until a counsellor opts them in.
    profile.minor_visible_to_employers = False
    profile.full_clean(exclude=["user"])
    profile.save()
    return user


@transaction.atomic
def employer_register(
    *, account: AccountDetails, name: str, registration_number: str, town: Town, sector: str
) -> tuple[User, Employer]:
    """Create an employer member and a new, unverified employer (its vacancies stay private until staff verify it)."""
    user = _new_user(account=account, role=Role.EMPLOYER)
    errors = _account_errors(account=account, user=user)
    if Employer.objects.filter(name__iexact=name).exists():
        errors["name"] = [EMPLOYER_NAME_TAKEN]
    if registration_number and Employer.objects.filter(registration_number=registration_number).exists():
        errors["registration_number"] = [EMPLOYER_NUMBER_TAKEN]
    if errors:
        raise ValidationError(errors)
    _user_save(user=user, password=account.password)
    employer = Employer(name=name, registration_number=registration_number or None, town=town, sector=sector,
                        verified=False)
    employer.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError as exc:  # registered concurrently
        raise ValidationError({"name": [EMPLOYER_NAME_TAKEN]}) from exc
    employer.members.add(user)
    return user, employer


# ------------------------------------------------------------------------------------------- own profile


@dataclass
class AccountOverview:
    """What /me shows: the user and the record that goes with their role."""

    user: User
    candidate: CandidateProfile | None = None
    employer_memberships: list[Employer] = field(default_factory=list)
    provider: ProviderStaff | None = None
    counsellor: dict[str, Any] | None = None


def account_overview(*, user: User) -> AccountOverview:
    """A read for /me, in a fixed number of queries whatever the profile holds."""
    candidate = (
        CandidateProfile.objects.filter(user=user)
        .select_related("town", "counsellor__user")
        .prefetch_related("skill_links__skill", "languages", "work_history__occupation", "target_occupations")
        .first()
    )
    overview = AccountOverview(
        user=user, candidate=candidate, employer_memberships=list(user.employers.order_by("name"))
    )
    overview.provider = ProviderStaff.objects.filter(user=user).select_related("institution").first()
    counsellor = Counsellor.objects.filter(user=user).select_related("town", "institution").first()
    if counsellor is not None:
        overview.counsellor = {
            "works_for": counsellor.works_for, "town": counsellor.town, "institution": counsellor.institution,
            "caseload_size": counsellor.candidates.filter(user__is_active=True).count(),
        }
    return overview


@transaction.atomic
def account_update(
    *, user: User, user_fields: Mapping[str, Any], profile_changes: ProfileChanges | None = None
) -> User:
    """Update the user's own editable fields and, for candidates, their profile. All or nothing."""
    unknown = set(user_fields) - USER_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable by the account holder: {sorted(unknown)}")
    if user_fields:
        for name, value in user_fields.items():
            setattr(user, name, User.objects.normalize_email(value) if name == "email" else value)
        user.full_clean(exclude=["password"], validate_unique=False)
        user.save(update_fields=list(user_fields))
    if profile_changes is not None:
        profile = CandidateProfile.objects.select_for_update().filter(user=user).first()
        if profile is None or user.role != Role.CANDIDATE:
            raise ValidationError({"candidate": [NOT_A_CANDIDATE]})
        _profile_update(profile=profile, changes=profile_changes)
    return user


def _profile_update(*, profile: CandidateProfile, changes: ProfileChanges) -> None:
    unknown = set(changes.fields) - PROFILE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable by the account holder: {sorted(unknown)}")
    for name, value in changes.fields.items():
        setattr(profile, name, value)
    if changes.consents is not None:
        _consents_apply(profile=profile, consents=changes.consents, now=timezone.now())
    profile.full_clean(exclude=["user"])
    profile.save()
    if changes.skills is not None:
        profile.skill_links.all().delete()
        CandidateSkill.objects.bulk_create(
            CandidateSkill(candidate=profile, skill=skill, proficiency=level) for skill, level in changes.skills
        )
    if changes.languages is not None:
        profile.languages.all().delete()
        CandidateLanguage.objects.bulk_create(
            CandidateLanguage(candidate=profile, language=code, level=level) for code, level in changes.languages
        )
    if changes.work_history is not None:
        profile.work_history.all().delete()
        WorkExperience.objects.bulk_create(
            WorkExperience(candidate=profile, occupation=item.occupation, years=item.years, title=item.title,
                           employer_name=item.employer_name)
            for item in changes.work_history
        )
    if changes.target_occupations is not None:
        profile.target_occupations.set(changes.target_occupations)


# ----------------------------------------------------------------------------------------------- export

Section = Callable[[User], Any]
S = TypeVar("S", bound=Section)
EXPORT_SECTIONS: dict[str, Section] = {}


def export_section(name: str) -> Callable[[S], S]:
    """Register ``func(user)`` as the ``name`` part of the personal-data export (JSON-ready values only)."""
    def register(func: S) -> S:
        EXPORT_SECTIONS[name] = func
        return func
    return register


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


@export_section("user")
def _export_user(user: User) -> dict:
    return {
        "id": user.pk, "username": user.username, "email": user.email, "first_name": user.first_name,
        "last_name": user.last_name, "role": user.role, "preferred_language": user.preferred_language,
        "is_active": user.is_active, "date_joined": _iso(user.date_joined), "last_login": _iso(user.last_login),
    }


@export_section("profile")
def _export_profile(user: User) -> dict | None:
    profile = CandidateProfile.objects.filter(user=user).select_related("town", "counsellor__user").first()
    if profile is None:
        return None
    counsellor = profile.counsellor
    return {
        "kind": profile.kind, "employment_status": profile.employment_status, "birth_year": profile.birth_year,
        "gender": profile.gender, "phone": profile.phone, "town": profile.town.name,
        "max_commute_km": profile.max_commute_km, "willing_to_relocate": profile.willing_to_relocate,
        "highest_education": profile.highest_education, "current_studies": profile.current_studies,
        "about": profile.about, "riasec": {name[-1]: getattr(profile, name) for name in RIASEC_FIELDS},
        "available_hours": profile.available_hours, "available_from": _iso(profile.available_from),
        "counsellor": (counsellor.user.get_full_name() or counsellor.user.username) if counsellor else None,
        "supervised": profile.is_supervised, "minor_visible_to_employers": profile.minor_visible_to_employers,
        "created_at": _iso(profile.created_at), "updated_at": _iso(profile.updated_at),
    }


@export_section("consents")
def _export_consents(user: User) -> dict:
    profile = CandidateProfile.objects.filter(user=user).first()
    if profile is None:
        return {}
    return {
        name: {"given": getattr(profile, f"consent_{name}"), "at": _iso(getattr(profile, f"consent_{name}_at"))}
        for name in CONSENTS
    }


@export_section("skills")
def _export_skills(user: User) -> list[dict]:
    links = CandidateSkill.objects.filter(candidate__user=user).select_related("skill").order_by("skill__uri")
    return [{"uri": link.skill.uri, "label_en": link.skill.label_en, "label_lv": link.skill.label_lv,
             "proficiency": link.proficiency} for link in links]


@export_section("languages")
def _export_languages(user: User) -> list[dict]:
    rows = CandidateLanguage.objects.filter(candidate__user=user).order_by("language")
    return [{"language": row.language, "level": row.level} for row in rows]


@export_section("work_history")
def _export_work_history(user: User) -> list[dict]:
    rows = WorkExperience.objects.filter(candidate__user=user).select_related("occupation").order_by("pk")
    return [{"occupation": row.occupation.uri, "occupation_label_en": row.occupation.label_en,
             "years": str(row.years), "title": row.title, "employer_name": row.employer_name} for row in rows]


@export_section("target_occupations")
def _export_targets(user: User) -> list[dict]:
    rows = Occupation.objects.filter(targeted_by__user=user).order_by("uri")
    return [{"uri": row.uri, "label_en": row.label_en, "label_lv": row.label_lv} for row in rows]


@export_section("applications")
def _export_applications(user: User) -> list[dict]:
    rows = (Application.objects.filter(candidate__user=user)
            .select_related("vacancy__employer", "intake__programme__institution").order_by("pk"))
    result = []
    for row in rows:
        if row.vacancy_id:
            target = {"type": "vacancy", "id": row.vacancy_id, "title": row.vacancy.title,
                      "organisation": row.vacancy.employer.name}
        else:
            target = {"type": "intake", "id": row.intake_id, "title": row.intake.programme.name_lv,
                      "organisation": row.intake.programme.institution.name_lv,
                      "start_date": _iso(row.intake.start_date)}
        result.append({"id": row.pk, "target": target, "status": row.status, "message": row.message,
                       "created_at": _iso(row.created_at), "updated_at": _iso(row.updated_at)})
    return result


@export_section("employer_memberships")
def _export_memberships(user: User) -> list[dict]:
    return [{"id": e.pk, "name": e.name, "registration_number": e.registration_number, "verified": e.verified}
            for e in user.employers.order_by("pk")]


@export_section("staff_roles")
def _export_staff_roles(user: User) -> dict:
    roles: dict[str, Any] = {}
    provider = getattr(user, "provider_staff", None)
    if provider is not None:
        roles["provider_staff"] = {"institution": provider.institution.name_lv}
    counsellor = getattr(user, "counsellor", None)
    if counsellor is not None:
        roles["counsellor"] = {"works_for": counsellor.works_for, "town": counsellor.town.name,
                               "institution": counsellor.institution.name_lv if counsellor.institution else None,
                               "caseload": counsellor.candidates.count()}
    return roles


@export_section("sign_ins")
def _export_tokens(user: User) -> list[dict]:
    rows = OutstandingToken.objects.filter(user=user).select_related("blacklistedtoken").order_by("created_at")
    return [{"issued_at": _iso(row.created_at), "expires_at": _iso(row.expires_at),
             "revoked": hasattr(row, "blacklistedtoken")} for row in rows]


def account_export(*, user: User) -> dict[str, Any]:
    """Everything the service holds about ``user``, as JSON-ready data (the GDPR Art. 15/20 copy)."""
    data: dict[str, Any] = {"format_version": EXPORT_FORMAT_VERSION, "generated_at": timezone.now().isoformat()}
    for name, section in EXPORT_SECTIONS.items():
        data[name] = section(user)
    return data


# ---------------------------------------------------------------------------------------------- erasure

def account_can_self_erase(*, user: User) -> bool:
    return user.role in SELF_ERASABLE_ROLES and not (user.is_staff or user.is_superuser)


def user_tokens_revoke(*, user: User) -> int:
    """Blacklist every refresh token issued to ``user`` that is not blacklisted yet; returns how many."""
    pending = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    return len(BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in pending]))


def _log_entries_scrub(*, user: User, profile: CandidateProfile | None, placeholder: str) -> None:
    """Admin history keeps str(object) — a person's name for profiles and applications — so replace it."""
    targets = [(User, [user.pk])]
    if profile is not None:
        targets.append((CandidateProfile, [profile.pk]))
        targets.append((Application, list(profile.applications.values_list("pk", flat=True))))
    for model, pks in targets:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks]
        ).update(object_repr=placeholder, change_message="")


def _profile_anonymise(*, profile: CandidateProfile) -> None:
    """Keep what aggregate statistics need (kind, birth year, town, education, status); drop the rest."""
    profile.skill_links.all().delete()
    profile.languages.all().delete()
    profile.work_history.all().delete()
    profile.target_occupations.clear()
    profile.applications.update(message="")
    profile.applications.filter(status__in=OPEN_APPLICATION_STATUSES).update(
        status=Application.Status.WITHDRAWN, updated_at=timezone.now()
    )
    for name in RIASEC_FIELDS:
        setattr(profile, name, None)
    for name in CONSENTS:
        setattr(profile, f"consent_{name}", False)
        setattr(profile, f"consent_{name}_at", None)
    profile.phone = profile.about = profile.current_studies = ""
    profile.gender = CandidateProfile.Gender.UNDISCLOSED
    profile.available_hours = []
    profile.available_from = None
    profile.counsellor = None
    profile.minor_visible_to_employers = False
    profile.save()


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Erase the account holder's personal data (GDPR Art. 17), keep aggregate statistics, revoke all tokens."""
    if not account_can_self_erase(user=user):
        raise PermissionDenied(ERASURE_BY_ADMINISTRATOR)
    user = User.objects.select_for_update().get(pk=user.pk)
    placeholder = f"{ERASED_USERNAME_PREFIX}{uuid.uuid4().hex[:16]}"
    profile = CandidateProfile.objects.filter(user=user).first()
    _log_entries_scrub(user=user, profile=profile, placeholder=placeholder)
    if profile is not None:
        _profile_anonymise(profile=profile)
    user.employers.clear()
    user.username = placeholder
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    user_tokens_revoke(user=user)
