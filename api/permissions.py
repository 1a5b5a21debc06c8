"""Function-level permissions (which role may call an action). Object scoping is done by selectors → 404."""
from __future__ import annotations

from rest_framework.permissions import BasePermission

from api.serializers.oversight import ROLE_EVENTS
from careers.models import Role
from careers.selectors import candidate_of, is_admin, is_counsellor, is_employer_member, is_provider_staff
from careers.selectors.roles import role_of


class IsAdmin(BasePermission):
    """Staff: role admin, is_staff or is_superuser."""

    def has_permission(self, request, view) -> bool:
        return is_admin(request.user)


class IsEmployerMemberOrAdmin(BasePermission):
    """A member of at least one employer (with the employer role), or staff."""

    def has_permission(self, request, view) -> bool:
        return is_admin(request.user) or (request.user.is_authenticated and is_employer_member(request.user))


class IsProviderStaffOrAdmin(BasePermission):
    """Staff of an education provider (with the provider role), or staff."""

    def has_permission(self, request, view) -> bool:
        return is_admin(request.user) or (request.user.is_authenticated and is_provider_staff(request.user))


class IsCandidate(BasePermission):
    """A user with the candidate role and a candidate profile."""

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and candidate_of(request.user) is not None


class CanSeeCandidates(BasePermission):
    """Candidates (themself), counsellors (caseload), employer members (discoverable) and staff."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        if is_admin(user) or (role_of(user) == Role.CANDIDATE and candidate_of(user) is not None):
            return True
        return is_counsellor(user) or is_employer_member(user)


class CanSeeApplications(BasePermission):
    """Candidates, employer members, provider staff, counsellors and staff; analysts have no applications."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return (
            is_admin(user)
            or candidate_of(user) is not None
            or is_employer_member(user)
            or is_provider_staff(user)
            or is_counsellor(user)
        )


class CanMoveApplications(BasePermission):
    """The parties to an application: the candidate, the employer or provider, staff. Counsellors only read."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return is_admin(user) or candidate_of(user) is not None or is_employer_member(user) or is_provider_staff(user)


class CanGetJobRecommendations(BasePermission):
    """A candidate (for themself), a counsellor (their caseload) or staff; the object check is the selector's."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return is_admin(user) or candidate_of(user) is not None or is_counsellor(user)


class CanGetCandidateRecommendations(BasePermission):
    """An employer member (own vacancies), a counsellor (their caseload, any public vacancy) or staff."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return is_admin(user) or is_counsellor(user) or is_employer_member(user)


class IsCounsellorOrAdmin(BasePermission):
    """A counsellor (with their counsellor record) or staff; the caseload check is the selector's (404)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (is_admin(user) or is_counsellor(user)))


class IsCandidateCounsellorOrAdmin(BasePermission):
    """The recommendation lists' rule: a candidate (themself), a counsellor (caseload) or staff."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated
                    and (is_admin(user) or is_counsellor(user) or candidate_of(user) is not None))


class CanSendFeedback(BasePermission):
    """Candidates, employer members and provider staff (each only about what they may see: 404 otherwise)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and role_of(user) in ROLE_EVENTS)


class IsAnalystOrAdmin(BasePermission):
    """Staff or a municipality analyst (role ``analyst``)."""

    def has_permission(self, request, view) -> bool:
        return is_admin(request.user) or role_of(request.user) == Role.ANALYST


class CanReadMarketInsights(BasePermission):
    """Staff, municipality analysts and provider staff (the rows of their programmes' skills: the selectors')."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return is_admin(user) or role_of(user) == Role.ANALYST or bool(user and user.is_authenticated
                                                                         and is_provider_staff(user))


class CanReadMissingSkills(BasePermission):
    """Staff, municipality analysts and employer members (their own employer's report: the selector's)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return is_admin(user) or role_of(user) == Role.ANALYST or bool(user and user.is_authenticated
                                                                         and is_employer_member(user))
