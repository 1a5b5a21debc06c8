"""Accounts: registration, own-profile updates and erasure (the reads, /me and the export, are
``careers.selectors.accounts``). ``account_erase`` names each of its steps itself.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from careers.models import (
    Application,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Employer,
    Institution,
    Occupation,
    RevokedAccessToken,
    Review,
    ReviewLog,
    Role,
    Skill,
    Town,
    User,
    WorkExperience,
)
from careers.models.taxonomy import RIASEC_FIELDS
from careers.selectors.accounts import CONSENTS
from careers.services.caseload import counsellor_assign

# GDPR Art. 8 as adopted in Latvia (Personal Data Processing Law, s. 33): 13 is the age of digital consent.
MIN_CANDIDATE_AGE = 13
# Staff-made roles are closed by an administrator: erasing a counsellor would silently empty a caseload.
SELF_ERASABLE_ROLES = (Role.CANDIDATE, Role.EMPLOYER)
OPEN_APPLICATION_STATUSES = (
    Application.Status.SUBMITTED, Application.Status.VIEWED, Application.Status.SHORTLISTED,
)
ERASED_USERNAME_PREFIX = "erased-"

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
    school: Institution | None = None,
) -> User:
    """Create a candidate (student or reskilling) and their profile; minors are supervised by their age and get the
    counsellor who covers their school or town at once (``careers.services.caseload``)."""
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
        user=user, kind=kind, birth_year=birth_year, town=town, employment_status=employment_status, school=school,
    )
    _consents_apply(profile=profile, consents=consents, now=timezone.now())
    # ``supervised`` stays off: is_supervised covers minors by age, so they leave supervision when they turn 18.
    # visible_to_employers keeps minors hidden until a counsellor opts them in.
    profile.minor_visible_to_employers = False
    profile.full_clean(exclude=["user"])
    profile.save()
    counsellor_assign(candidate=profile)
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


# ---------------------------------------------------------------------------------------------- erasure

def account_can_self_erase(*, user: User) -> bool:
    return user.role in SELF_ERASABLE_ROLES and not (user.is_staff or user.is_superuser)


def user_tokens_revoke(*, user: User) -> int:
    """Blacklist every refresh token issued to ``user`` that is not blacklisted yet; returns how many."""
    pending = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    return len(BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in pending]))


def access_token_revoke(*, jti: str, expires_at: dt.datetime) -> None:
    """Refuse the access token ``jti`` until it expires (sign-out); forget tokens that have expired since."""
    RevokedAccessToken.objects.filter(expires_at__lt=timezone.now()).delete()
    RevokedAccessToken.objects.get_or_create(jti=jti, defaults={"expires_at": expires_at})


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


def _reviews_scrub(*, profile: CandidateProfile) -> None:
    """Counsellors' notes about the person may name them or quote contact details: empty them and their history.

    The decisions stay (anonymous, for the outcomes and fairness reports)."""
    Review.objects.filter(candidate=profile).update(note="")
    ReviewLog.objects.filter(review__candidate=profile).update(note="")


def database_files_forget() -> None:
    """Leave no copy of erased rows in SQLite's files.

    ``secure_delete`` (settings) zeroes what a delete or update frees in the database pages; the write-ahead log
    still holds the pages as they were until a checkpoint copies it back and truncates it. PostgreSQL keeps dead
    tuples until (auto)vacuum reuses them: its operators' retention rules apply there.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


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
    AccessAttempt.objects.filter(username=user.username).delete()  # failed sign-ins kept for the lockout
    if profile is not None:
        _reviews_scrub(profile=profile)
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
    transaction.on_commit(database_files_forget)
