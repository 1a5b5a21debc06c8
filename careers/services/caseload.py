"""Writes of the counsellor assignment (issue 17): a supervised person gets the counsellor who covers them, and the
counsellor sees them as new until they open the profile. The rule is ``careers.selectors.caseload``."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from careers.models import CandidateProfile, Counsellor, User
from careers.selectors.caseload import covering_counsellor, supervised_profiles
from careers.selectors.roles import counsellor_of


@transaction.atomic
def counsellor_assign(*, candidate: CandidateProfile) -> Counsellor | None:
    """Give a supervised ``candidate`` without a counsellor the one who covers them, marked new; returns the
    counsellor (None: nobody covers them, or they are not supervised). A counsellor already set is kept."""
    if candidate.counsellor_id is not None:
        return candidate.counsellor
    if not candidate.is_supervised:
        return None
    counsellor = covering_counsellor(candidate=candidate)
    if counsellor is None:
        return None
    candidate.counsellor = counsellor
    candidate.counsellor_assigned_at = timezone.now()
    candidate.counsellor_seen_at = None
    candidate.save(update_fields=["counsellor", "counsellor_assigned_at", "counsellor_seen_at", "updated_at"])
    return counsellor


@dataclass(frozen=True)
class AssignmentReport:
    assigned: int  # given a counsellor now
    unassigned: int  # supervised, and nobody covers them: in the staff's unassigned list
    supervised: int  # every supervised profile


def counsellors_assign_missing() -> AssignmentReport:
    """Assign every supervised profile that has no counsellor (``manage.py assign_counsellors``; idempotent)."""
    assigned = unassigned = 0
    waiting = supervised_profiles().filter(counsellor__isnull=True).select_related("user").order_by("created_at", "pk")
    for candidate in waiting:
        if counsellor_assign(candidate=candidate) is None:
            unassigned += 1
        else:
            assigned += 1
    return AssignmentReport(assigned=assigned, unassigned=unassigned, supervised=supervised_profiles().count())


def caseload_entry_open(*, user: User, candidate: CandidateProfile) -> None:
    """``user`` opened ``candidate``'s profile or reviews: when it is their own counsellor, it is no longer new.

    Staff opening it leave it new: the counsellor has still to see it."""
    counsellor = counsellor_of(user)
    if counsellor is None or candidate.counsellor_id != counsellor.pk or not candidate.new_in_caseload:
        return
    candidate.counsellor_seen_at = timezone.now()
    CandidateProfile.objects.filter(pk=candidate.pk).update(counsellor_seen_at=candidate.counsellor_seen_at)
