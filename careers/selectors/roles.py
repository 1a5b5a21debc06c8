"""Which role a user acts in: User.role AND the matching row (membership, staff record, profile).

Both must agree, so a role flag without its row (or a stale row after a role change) grants nothing.
"""
from __future__ import annotations

from django.db.models import QuerySet

from careers.models import CandidateProfile, Counsellor, Employer, Institution, Role


def role_of(user) -> str | None:
    """The user's role, or None for anonymous users."""
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_staff or user.is_superuser or user.role == Role.ADMIN))


def employers_of(user) -> QuerySet[Employer]:
    """Employers the user is a member of (lazy: usable as a subquery)."""
    if not (user and user.is_authenticated and user.role == Role.EMPLOYER):
        return Employer.objects.none()
    return Employer.objects.filter(members=user)


def is_employer_member(user) -> bool:
    return employers_of(user).exists()


def institution_of(user) -> Institution | None:
    if not (user and user.is_authenticated and user.role == Role.PROVIDER):
        return None
    return Institution.objects.filter(staff__user=user).first()


def is_provider_staff(user) -> bool:
    return institution_of(user) is not None


def counsellor_of(user) -> Counsellor | None:
    if not (user and user.is_authenticated and user.role == Role.COUNSELLOR):
        return None
    return Counsellor.objects.filter(user=user).first()


def is_counsellor(user) -> bool:
    return counsellor_of(user) is not None


def candidate_of(user) -> CandidateProfile | None:
    if not (user and user.is_authenticated and user.role == Role.CANDIDATE):
        return None
    return CandidateProfile.objects.filter(user=user).select_related("user").first()
