"""Reads for a counsellor's own pages (journey 4): the caseload with its filters, the reviews of one person, the
items a counsellor may add by hand, and the caseload's outcomes.

Who may read is one rule, :func:`careers.selectors.oversight.caseload_of`: a counsellor their own caseload, staff
everyone, anyone else nobody. Every read here starts from it.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from careers.models import Application, CandidateProfile, Review, User
from careers.models.taxonomy import preferred_label

from .explore import public_vacancies
from .geo import town_ids_within
from .oversight import caseload_entries, caseload_of, reviews_of
from .programmes import programmes_visible_to

HAND_PICK_LIMIT = 200  # choices offered in the "add by hand" lists (nearest first)
OUTCOME_STATUSES = (Application.Status.HIRED, Application.Status.ENROLLED)


@dataclass(frozen=True)
class CaseloadFilter:
    """``kind`` a candidate kind (student / reskilling), ``school`` the school the person's studies name first
    (:func:`school_of`), ``pending`` only people with items waiting (or none); ``town`` a town id."""

    kind: str | None = None
    school: str | None = None
    town: int | None = None
    pending: bool | None = None


def school_of(studies: str) -> str:
    """The school a profile's free-text studies name first ("Valmieras tehnikums, mehatronika, 1. kurss")."""
    return studies.split(",", 1)[0].strip()


def caseload_schools(*, user: User) -> list[str]:
    """The schools people in the user's caseload study at, as their studies name them (for the school filter)."""
    studies = caseload_of(user=user).exclude(current_studies="").values_list("current_studies", flat=True)
    return sorted({school_of(s) for s in studies if school_of(s)}, key=str.lower)


def caseload_dashboard(*, user: User, filters: CaseloadFilter) -> QuerySet[CandidateProfile]:
    """The caseload with ``pending_reviews``, people with items waiting first, then by name."""
    rows = caseload_entries(user=user, town=filters.town, pending=filters.pending, ordering="name")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.school:
        rows = rows.filter(Q(current_studies__iexact=filters.school) |
                           Q(current_studies__istartswith=filters.school + ","))
    return rows.order_by("-pending_reviews", "user__last_name", "user__first_name", "user__username", "pk")


def caseload_person(*, user: User, pk: int) -> CandidateProfile | None:
    """One person of the user's caseload, or None (not there: the caller answers 404)."""
    return caseload_of(user=user).select_related("user", "town", "counsellor__user").filter(pk=pk).first()


def reviews_by_key(*, candidate: CandidateProfile, kind: str) -> dict[str, Review]:
    """item key → the stored review (with its version and who decided), for one person and kind."""
    return {r.item_key: r for r in reviews_of(candidate=candidate, kind=kind).select_related("counsellor")}


def hand_pick_vacancies(*, viewer: User, candidate: CandidateProfile, language: str) -> list[tuple[int, str]]:
    """Open public vacancies a counsellor may add for the person: in towns within their commute first."""
    near = town_ids_within(town=candidate.town, radius_km=max(candidate.max_commute_km, 1))
    rows = (public_vacancies(viewer).select_related("employer", "town")
            .order_by("title", "pk")[:HAND_PICK_LIMIT * 2])
    ordered = sorted(rows, key=lambda v: (v.town_id not in near, v.title.lower(), v.pk))[:HAND_PICK_LIMIT]
    return [(v.pk, f"{v.title} — {v.employer.name}, {v.town.name}") for v in ordered]


def hand_pick_programmes(*, viewer: User, language: str) -> list[tuple[int, str]]:
    """Active programmes a counsellor may add for the person, by institution and name."""
    rows = (programmes_visible_to(user=viewer).filter(is_active=True).select_related("institution")
            .order_by("institution__name_lv", "name_lv", "pk")[:HAND_PICK_LIMIT])
    return [(p.pk, f"{preferred_label(p.name_lv, p.name_en, language)} — "
                   f"{preferred_label(p.institution.name_lv, p.institution.name_en, language)}") for p in rows]


def vacancy_pickable(*, viewer: User, pk: int) -> bool:
    return public_vacancies(viewer).filter(pk=pk).exists()


def programme_pickable(*, viewer: User, pk: int) -> bool:
    return programmes_visible_to(user=viewer).filter(pk=pk, is_active=True).exists()


@dataclass(frozen=True)
class CaseloadOutcomes:
    totals: dict
    people: list[dict]


def caseload_outcomes(*, user: User) -> CaseloadOutcomes:
    """Per person of the caseload and in all: applications sent (not withdrawn), jobs got (hired), courses
    entered (enrolled), and the items their counsellors approved or added. One query for the counts."""
    sent = ~Q(applications__status=Application.Status.WITHDRAWN)
    people = (caseload_of(user=user).select_related("user", "town")
              .annotate(applications_sent=Count("applications", filter=sent, distinct=True),
                        hired=Count("applications", filter=Q(applications__status=Application.Status.HIRED),
                                    distinct=True),
                        enrolled=Count("applications", filter=Q(applications__status=Application.Status.ENROLLED),
                                       distinct=True),
                        job_applications=Count("applications", filter=sent & Q(applications__vacancy__isnull=False),
                                               distinct=True))
              .order_by("user__last_name", "user__first_name", "user__username", "pk"))
    rows = [{"candidate": p, "applications": p.applications_sent, "job_applications": p.job_applications,
             "hired": p.hired, "enrolled": p.enrolled} for p in people]
    totals = {name: sum(r[name] for r in rows) for name in ("applications", "job_applications", "hired",
                                                             "enrolled")}
    totals["people"] = len(rows)
    totals["placed_people"] = sum(1 for r in rows if r["hired"] or r["enrolled"])
    return CaseloadOutcomes(totals=totals, people=rows)
