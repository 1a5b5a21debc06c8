"""Who covers a supervised person (issue 17): the counsellor the assignment rule picks, and who has none.

The rule (README, "Every supervised person has a counsellor"): the counsellors linked to the person's school
(``CandidateProfile.school``) first; else the municipality counsellors of the person's town; among those the least
loaded (fewest active people in the caseload), then the longest-serving (lowest id). A school counsellor covers the
pupils of their school only, so a pupil of another school in the same town goes to the town's municipality
counsellor. Where no counsellor covers the person they stay without one and staff see them in
:func:`unassigned_supervised`.
"""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from careers.models import CandidateProfile, Counsellor
from careers.models.people import ADULT_AGE


def supervised_profiles() -> QuerySet[CandidateProfile]:
    """Profiles whose lists a counsellor reviews: every minor (by birth year, as ``is_minor``) and adults a
    counsellor chose to supervise. Erased accounts are left out."""
    minor_born_after = timezone.localdate().year - ADULT_AGE
    return CandidateProfile.objects.filter(Q(supervised=True) | Q(birth_year__gt=minor_born_after),
                                           user__is_active=True)


def _least_loaded(counsellors: QuerySet[Counsellor]) -> Counsellor | None:
    return (counsellors.annotate(load=Count("candidates", filter=Q(candidates__user__is_active=True)))
            .order_by("load", "pk").select_related("user").first())


def covering_counsellor(*, candidate: CandidateProfile) -> Counsellor | None:
    """The counsellor the rule gives ``candidate`` (school, then town, then least loaded); None if nobody covers
    them."""
    active = Counsellor.objects.filter(user__is_active=True)
    if candidate.school_id is not None:
        found = _least_loaded(active.filter(institution_id=candidate.school_id))
        if found is not None:
            return found
    return _least_loaded(active.filter(town_id=candidate.town_id, works_for=Counsellor.Employer.MUNICIPALITY))


def unassigned_supervised() -> QuerySet[CandidateProfile]:
    """Supervised people with no counsellor, longest waiting first: staff assign them by hand."""
    return (supervised_profiles().filter(counsellor__isnull=True).select_related("user", "town", "school")
            .order_by("created_at", "pk"))
