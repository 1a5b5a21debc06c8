"""Who sees which candidate, and how much of them: the one place this is decided.

Later features (recommendations for a candidate, ranked candidates for an employer, counsellor review)
must start from ``candidates_visible_to`` and ``candidate_access_for`` rather than re-deriving the rules.
"""
from __future__ import annotations

import enum

from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils import timezone

from careers.models import Application, CandidateProfile, CandidateSkill, Role, WorkExperience
from careers.models.people import ADULT_AGE

from .listings import OCCUPATION_REF, SKILL_REF, occupation_refs
from .roles import employers_of, is_admin, role_of


class CandidateAccess(str, enum.Enum):
    """How much of a candidate a viewer may read."""

    FULL = "full"  # the candidate, their counsellor, staff
    APPLICANT = "applicant"  # an employer the candidate applied to: recruiter fields + name and contact
    RECRUITER = "recruiter"  # any other employer member: recruiter fields only


def candidates_discoverable() -> QuerySet[CandidateProfile]:
    """Candidates who consented to be found by employers: adults, and minors only if their counsellor allows it."""
    latest_adult_birth_year = timezone.localdate().year - ADULT_AGE
    return CandidateProfile.objects.filter(
        Q(birth_year__lte=latest_adult_birth_year) | Q(minor_visible_to_employers=True),
        consent_discoverable=True,
        user__is_active=True,
    )


def candidates_visible_to(*, user) -> QuerySet[CandidateProfile]:
    """Staff: all; candidate: themself; counsellor: their caseload; else none.

    Employer members: only discoverable candidates who applied (not withdrawn) to a vacancy of a verified employer
    of theirs. Everyone else an employer may see arrives through the rankings of its own vacancies
    (``careers.selectors.recommendations``), never by listing or by guessing ids.
    """
    if not (user and user.is_authenticated):
        return CandidateProfile.objects.none()
    if is_admin(user):
        return CandidateProfile.objects.all()
    if role_of(user) == Role.CANDIDATE:
        return CandidateProfile.objects.filter(user=user)
    if role_of(user) == Role.COUNSELLOR:
        return CandidateProfile.objects.filter(counsellor__user=user)
    if role_of(user) == Role.EMPLOYER:
        return candidates_discoverable().filter(_applied_to_employers_of(user, verified_only=True))
    return CandidateProfile.objects.none()


def _applied_to_employers_of(user, *, verified_only: bool = False) -> Exists:
    """An application (not withdrawn) from the candidate to a vacancy of one of the user's employers."""
    employers = employers_of(user).filter(verified=True) if verified_only else employers_of(user)
    return Exists(
        Application.objects.filter(candidate=OuterRef("pk"), vacancy__employer__in=employers).exclude(
            status=Application.Status.WITHDRAWN
        )
    )


def with_candidate_access(queryset: QuerySet[CandidateProfile], *, user) -> QuerySet[CandidateProfile]:
    """Annotate ``applied_to_viewer`` so ``candidate_access_for`` needs no query per row."""
    if role_of(user) == Role.EMPLOYER and not is_admin(user):
        return queryset.annotate(applied_to_viewer=_applied_to_employers_of(user))
    return queryset.annotate(applied_to_viewer=Value(False, output_field=BooleanField()))


def candidate_access_for(*, user, candidate: CandidateProfile) -> CandidateAccess:
    """The access level of ``user`` to a candidate already known to be in ``candidates_visible_to(user)``."""
    if is_admin(user) or role_of(user) in (Role.CANDIDATE, Role.COUNSELLOR):
        return CandidateAccess.FULL
    applied = getattr(candidate, "applied_to_viewer", None)
    if applied is None:
        applied = CandidateProfile.objects.filter(pk=candidate.pk).filter(_applied_to_employers_of(user)).exists()
    return CandidateAccess.APPLICANT if applied else CandidateAccess.RECRUITER


def with_candidate_profile(queryset: QuerySet[CandidateProfile]) -> QuerySet[CandidateProfile]:
    """Everything the candidate serializers read, in a fixed number of queries."""
    skills = CandidateSkill.objects.select_related("skill").only(
        "id", "candidate_id", "proficiency", *(f"skill__{name}" for name in SKILL_REF))
    history = WorkExperience.objects.select_related("occupation").only(
        "id", "candidate_id", "title", "employer_name", "years", *(f"occupation__{name}" for name in OCCUPATION_REF))
    return queryset.select_related("user", "town").prefetch_related(
        Prefetch("skill_links", queryset=skills.order_by("-proficiency", "skill__label_en")),
        "languages",
        Prefetch("target_occupations", queryset=occupation_refs()),
        Prefetch("work_history", queryset=history),
    )
