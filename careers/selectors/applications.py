"""Application reads: each side sees the applications that concern it."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from careers.models import Application, CandidateProfile, CandidateSkill, Role

from .listings import SKILL_REF, occupation_refs
from .programmes import programmes_managed_by
from .roles import employers_of, is_admin, role_of


def applications_managed_by(*, user) -> QuerySet[Application]:
    """Applications whose status the user may move: staff all; employers to their vacancies; providers to their intakes."""
    if is_admin(user):
        return Application.objects.all()
    if role_of(user) == Role.EMPLOYER:
        return Application.objects.filter(vacancy__employer__in=employers_of(user))
    if role_of(user) == Role.PROVIDER:
        return Application.objects.filter(intake__programme__in=programmes_managed_by(user=user))
    if role_of(user) == Role.CANDIDATE:
        return Application.objects.filter(candidate__user=user)
    return Application.objects.none()


def applications_visible_to(*, user) -> QuerySet[Application]:
    """What ``applications_managed_by`` gives, plus a counsellor's read-only view of their caseload's applications."""
    if role_of(user) == Role.COUNSELLOR and not is_admin(user):
        return Application.objects.filter(candidate__counsellor__user=user)
    return applications_managed_by(user=user)


def with_application_detail(queryset: QuerySet[Application]) -> QuerySet[Application]:
    candidates = CandidateProfile.objects.select_related("user", "town").prefetch_related(
        Prefetch("skill_links", queryset=CandidateSkill.objects.select_related("skill").only(
            "id", "candidate_id", "proficiency", *(f"skill__{name}" for name in SKILL_REF))),
        "languages",
        Prefetch("target_occupations", queryset=occupation_refs()),
    )
    return queryset.select_related(
        "vacancy__employer", "intake__programme__institution"
    ).prefetch_related(Prefetch("candidate", queryset=candidates))
