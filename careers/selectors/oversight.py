"""Reads for human oversight (issue 6): caseloads, reviews and what a supervised candidate may be shown."""
from __future__ import annotations

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from careers.models import (
    Application, CandidateProfile, Occupation, Programme, RecommendationItem, RecommendationList, Review, Role, User,
    Vacancy,
)

from .programmes import programmes_managed_by, programmes_visible_to
from .roles import candidate_of, is_admin, role_of
from .vacancies import vacancies_managed_by, vacancies_visible_to

RELEASED_DECISIONS = (Review.Decision.APPROVED, Review.Decision.ADDED)


def caseload_of(*, user) -> QuerySet[CandidateProfile]:
    """Candidates whose reviews the user may read and write: a counsellor's caseload; admins every candidate."""
    if is_admin(user):
        return CandidateProfile.objects.all()
    if role_of(user) == Role.COUNSELLOR:
        return CandidateProfile.objects.filter(counsellor__user=user)
    return CandidateProfile.objects.none()


CASELOAD_ORDER = {"name": ("user__last_name", "user__first_name", "user__username", "pk"),
                  "pending": ("pending_reviews", "pk"), "town": ("town__name", "pk")}


def caseload_entries(*, user: User, kind: str | None = None, town: int | None = None, pending: bool | None = None,
                     new: bool | None = None, ordering: str = "name") -> QuerySet[CandidateProfile]:
    """The caseload with ``pending_reviews`` (of ``kind``), filtered by town, by whether reviews are pending and by
    whether the entry is new (``CandidateProfile.new_in_caseload``), ordered by ``name``, ``pending`` or ``town``
    (``-`` first: descending; ties by id)."""
    rows = with_pending_counts(caseload_of(user=user).select_related("user", "town"), kind=kind)
    if town is not None:
        rows = rows.filter(town_id=town)
    if new is not None:
        is_new = Q(counsellor_assigned_at__isnull=False) & (
            Q(counsellor_seen_at__isnull=True) | Q(counsellor_seen_at__lt=F("counsellor_assigned_at")))
        rows = rows.filter(is_new) if new else rows.exclude(is_new)
    if pending is not None:
        rows = rows.filter(pending_reviews__gt=0) if pending else rows.filter(pending_reviews=0)
    descending = ordering.startswith("-")
    return rows.order_by(*[("-" + f) if descending else f for f in CASELOAD_ORDER[ordering.lstrip("-")]])


def reviews_of(*, candidate: CandidateProfile, kind: str | None = None) -> QuerySet[Review]:
    reviews = Review.objects.filter(candidate=candidate)
    return reviews if kind is None else reviews.filter(kind=kind)


def review_decisions(*, candidate: CandidateProfile, kind: str) -> dict[str, str]:
    """item key → current decision, for one candidate and kind."""
    return dict(reviews_of(candidate=candidate, kind=kind).values_list("item_key", "decision"))


def added_item_ids(*, candidate: CandidateProfile, kind: str, prefix: str) -> list[int]:
    """Ids in the keys (``{prefix}{id}``) of the items a counsellor added by hand for this candidate and kind."""
    keys = reviews_of(candidate=candidate, kind=kind).filter(decision=Review.Decision.ADDED)
    ids = (key.removeprefix(prefix) for key in keys.values_list("item_key", flat=True) if key.startswith(prefix))
    return [int(i) for i in ids if i.isdigit()]


# What the ids of an item key name: a pathway is its one to three programmes.
ITEM_MODELS = {"vacancy": Vacancy, "programme": Programme, "occupation": Occupation, "pathway": Programme}


def item_exists(item_key: str) -> bool:
    """Whether every id in a well-formed item key (``vacancy:12``, ``pathway:3+8``) names a stored object.

    A review may be about an item that has since closed (a vacancy filled, a programme withdrawn): existence, not
    visibility, is what is checked.
    """
    prefix, _, ids = item_key.partition(":")
    wanted = {int(i) for i in ids.split("+")}
    return ITEM_MODELS[prefix].objects.filter(pk__in=wanted).count() == len(wanted)


def has_released_items(*, candidate: CandidateProfile, kind: str | None = None) -> bool:
    return reviews_of(candidate=candidate, kind=kind).filter(decision__in=RELEASED_DECISIONS).exists()


def with_pending_counts(queryset: QuerySet[CandidateProfile], *, kind: str | None = None) -> QuerySet[CandidateProfile]:
    """Annotate ``pending_reviews``: items of the candidate's latest served list (of each kind) not yet reviewed.

    Only the latest list per kind counts, so the number is what the candidate would see now, not every item ever
    served.
    """
    reviewed = Review.objects.filter(candidate=OuterRef("list__candidate"), kind=OuterRef("list__kind"),
                                     item_key=OuterRef("item_key"))
    pending = (RecommendationItem.objects.filter(list__candidate=OuterRef("pk"), list_id__in=_latest_list_ids(kind))
               .exclude(Exists(reviewed)).order_by().values("list__candidate")
               .annotate(n=Count("id")).values("n")[:1])
    return queryset.annotate(pending_reviews=Coalesce(Subquery(pending, output_field=IntegerField()), 0))


def _latest_list_ids(kind: str | None) -> QuerySet:
    lists = RecommendationList.objects.all() if kind is None else RecommendationList.objects.filter(kind=kind)
    newer = RecommendationList.objects.filter(candidate=OuterRef("candidate"), kind=OuterRef("kind"),
                                              created_at__gt=OuterRef("created_at"))
    return lists.exclude(Exists(newer)).values("id")


# ------------------------------------------------------------------------------------------- feedback
def _item_ids(item_key: str) -> list[int]:
    return [int(part) for part in item_key.split(":", 1)[1].split("+")]


def feedback_subject(*, user, kind: str, item_key: str, candidate_id: int | None) -> CandidateProfile | None:
    """The candidate a feedback event is about, if ``user`` may report on that item for them; else None (404).

    A candidate: their own profile and an item they may see (a public vacancy, an active programme, any
    occupation). An employer member: a candidate who applied to one of their vacancies (the item). Provider staff:
    a candidate who applied to an intake of one of their programmes (the item).
    """
    ids = _item_ids(item_key)
    role = role_of(user)
    if role == Role.CANDIDATE:
        candidate = candidate_of(user)
        if candidate is None or (candidate_id is not None and candidate_id != candidate.pk):
            return None
        visible = {
            "jobs": lambda: vacancies_visible_to(user=user).filter(pk__in=ids),
            "programmes": lambda: programmes_visible_to(user=user).filter(pk__in=ids),
            "pathways": lambda: programmes_visible_to(user=user).filter(pk__in=ids),
            "careers": lambda: Occupation.objects.filter(pk__in=ids),
        }[kind]()
        return candidate if visible.count() == len(set(ids)) else None
    if candidate_id is None:
        return None
    if role == Role.EMPLOYER and kind == "jobs":
        applied = Application.objects.filter(candidate_id=candidate_id, vacancy__in=vacancies_managed_by(user=user),
                                             vacancy_id=ids[0])
    elif role == Role.PROVIDER and kind == "programmes":
        applied = Application.objects.filter(candidate_id=candidate_id, intake__programme_id=ids[0],
                                             intake__programme__in=programmes_managed_by(user=user))
    else:
        return None
    applied = applied.exclude(status=Application.Status.WITHDRAWN)
    return CandidateProfile.objects.filter(pk=candidate_id).first() if applied.exists() else None


def latest_served_item(*, candidate: CandidateProfile, kind: str, item_key: str) -> RecommendationItem | None:
    """The item as last served to anyone for this candidate (its logged rank, score and features)."""
    return (RecommendationItem.objects.filter(list__candidate=candidate, list__kind=kind, item_key=item_key)
            .select_related("list").order_by("-list__created_at", "-list_id").first())


def recommendations_released(*, candidate: CandidateProfile, kind: str | None = None) -> bool:
    """Whether a candidate may see their recommendations (of ``kind``, or of any kind) themself.

    Issue 6: a supervised candidate (every minor; adults their counsellor chose) sees a list only once their
    counsellor has approved or added at least one item of it, and then only those items (``serve_list`` filters
    the list). Counsellors and staff always see the whole list, to review it.
    """
    return not candidate.is_supervised or has_released_items(candidate=candidate, kind=kind)


# Issue 17: careers and programmes name no employer, so a supervised person sees them at once, each not yet
# reviewed marked ``awaiting_review`` (a counsellor's rejection still hides an item); jobs and pathways name
# employers and stay held until the counsellor releases them.
SHOWN_BEFORE_REVIEW = ("careers", "programmes")


def viewer_is_candidate(*, viewer: User | None, candidate: CandidateProfile) -> bool:
    return viewer is not None and viewer.is_authenticated and viewer.pk == candidate.user_id


def list_withheld(*, viewer: User | None, candidate: CandidateProfile, kind: str | None = None) -> bool:
    """A supervised candidate asking for their own list of ``kind`` (jobs or pathways; None: any list held until
    release) before their counsellor released anything. Careers and programmes are never withheld
    (``SHOWN_BEFORE_REVIEW``).

    Counsellors and staff always get the list: they are the ones who review it.
    """
    if kind in SHOWN_BEFORE_REVIEW:
        return False
    return viewer_is_candidate(viewer=viewer, candidate=candidate) and not recommendations_released(
        candidate=candidate)
