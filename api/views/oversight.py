"""Counsellors in the loop (issue 6): caseload, reviews, and the oversight applied to every served list.

Rules: a counsellor reads and writes reviews for their own caseload only, staff for everyone; another
counsellor's candidate answers 404; candidates, employers, providers and analysts 403.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import error_body
from api.schema import ApiErrorSerializer
from api.serializers.oversight import (
    MSG_ITEM_KEY, MSG_UNKNOWN_ITEM, ROLE_EVENTS, CaseloadEntrySerializer, CaseloadQuerySerializer, ExplainOutputSerializer,
    FeedbackEventSerializer, FeedbackInputSerializer, ReviewInputSerializer, ReviewSerializer, item_key_valid,
)
from api.serializers.resources_common import request_language
from careers.models import CandidateProfile, RecommendationKind, Review
from careers.selectors.oversight import recommendations_released
from careers.selectors import candidate_of, candidates_visible_to, is_admin, is_counsellor
from careers.selectors.oversight import (
    RELEASED_DECISIONS, caseload_of, feedback_subject, item_exists, latest_served_item, review_decisions,
    reviews_of, with_pending_counts,
)
from careers.selectors.roles import role_of
from careers.services.oversight import (
    FeedbackReplayMismatch, ReviewConflict, log_served_list, record_feedback, save_review,
)

TAG = ["oversight"]
NO_CONSENT = "no_processing_consent"  # the candidate is not in the index: nothing can be recommended
NOT_RELEASED = "not_released"  # a supervised candidate whose counsellor has released nothing yet
MSG_FEEDBACK_REPLAY = _("This client_event_id was already used for a different event.")
MSG_CONFLICT = _("Someone else changed this review since you read it; the current review is in `current`.")
CONFLICT_DESCRIPTION = (
    "Stale `version` (another counsellor saved first): the error envelope with code `conflict`, "
    "`fields.version`, and `error.current`: the review as stored now (candidate, kind, item_key, decision, reason, "
    "note, counsellor, version, updated_at). Nothing was written; resend with `current.version`.")
EXAMPLE_KEY = {"jobs": "vacancy:12", "programmes": "programme:3", "careers": "occupation:7",
               "pathways": "pathway:3+8"}


# ------------------------------------------------------------------------------------------- served lists
def _viewer_is_candidate(request: Request, candidate: CandidateProfile) -> bool:
    return request.user.is_authenticated and request.user.pk == candidate.user_id


def empty_list(candidate: CandidateProfile, reason: str) -> Response:
    """A recommendation list with nothing to show, and why: ``NO_CONSENT`` or ``NOT_RELEASED``."""
    return Response({"candidate": candidate.pk, "items": [], "reason": reason})


def withheld(request: Request, candidate: CandidateProfile, *,
             released=recommendations_released) -> Response | None:
    """An empty, explained answer when a supervised candidate asks before their counsellor released anything.

    Counsellors and staff always get the list: they are the ones who review it. ``released`` is the release hook
    (``careers.runtime.matches.recommendations_released``) as the calling view module holds it.
    """
    if _viewer_is_candidate(request, candidate) and not released(candidate=candidate):
        return empty_list(candidate, NOT_RELEASED)
    return None


def oversee(request: Request, *, candidate: CandidateProfile, kind: str, items: list[dict], key, features,
            added: Callable[[list[str]], list[dict]] | None = None, model_version: str | None = None) -> list[dict]:
    """Apply reviews to a ranked list, log what is served and return it.

    Items a counsellor added that the ranker did not return are appended after the ranked ones when the view can
    build them: ``added(keys)`` gives the items (without ``rank``) for those of ``keys`` it can show, in order.
    A supervised candidate asking for themself gets only approved and added items; everyone else gets every item.
    Every item carries ``review``: approved | rejected | added | null, and ranks run 1..n over what is served. The
    served list (who asked, for whom, items, scores, explanation features) is logged in one list insert and one
    bulk item insert. ``key(item)`` gives the item key, ``features(item)`` the explanation features to log;
    ``model_version`` names the scorer that ordered the list (default: the one active for ``kind`` now).
    """
    decisions = review_decisions(candidate=candidate, kind=kind)
    if added is not None:
        returned = {key(i) for i in items}
        missing = [k for k, d in decisions.items() if d == Review.Decision.ADDED and k not in returned]
        items = items + (added(missing) if missing else [])
    if _viewer_is_candidate(request, candidate) and candidate.is_supervised:
        items = [i for i in items if decisions.get(key(i)) in RELEASED_DECISIONS]
    for rank, item in enumerate(items, start=1):
        item["rank"] = rank
        item["review"] = decisions.get(key(item))
    log_served_list(requested_by=request.user, candidate=candidate, kind=kind, model_version=model_version, items=[
        {"item_key": key(i), "rank": i["rank"], "score": i["score"], "features": features(i)} for i in items])
    return items


# ------------------------------------------------------------------------------------------- permissions
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


def _caseload_candidate(request: Request, pk: int) -> CandidateProfile:
    return get_object_or_404(caseload_of(user=request.user).select_related("user"), pk=pk)


def _kind(kind: str) -> str:
    if kind not in RecommendationKind.values:
        raise NotFound()
    return kind


# ------------------------------------------------------------------------------------------- caseload
ORDER_FIELDS = {"name": ("user__last_name", "user__first_name", "user__username", "pk"),
                "pending": ("pending_reviews", "pk"), "town": ("town__name", "pk")}


class CaseloadApi(GenericAPIView):
    permission_classes = [IsCounsellorOrAdmin]
    queryset = CandidateProfile.objects.none()  # for the schema only; rows come from caseload_of
    serializer_class = CaseloadEntrySerializer

    @extend_schema(tags=TAG, summary="The counsellor's candidates with the items awaiting review (staff: all)",
                   parameters=[CaseloadQuerySerializer], responses={200: CaseloadEntrySerializer(many=True)})
    def get(self, request: Request) -> Response:
        query = CaseloadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        rows = with_pending_counts(caseload_of(user=request.user).select_related("user", "town"), kind=q.get("kind"))
        if "town" in q:
            rows = rows.filter(town_id=q["town"])
        if q["pending"] is True:
            rows = rows.filter(pending_reviews__gt=0)
        elif q["pending"] is False:
            rows = rows.filter(pending_reviews=0)
        ordering = q["ordering"]
        fields = ORDER_FIELDS[ordering.lstrip("-")]
        rows = rows.order_by(*[("-" + f) if ordering.startswith("-") else f for f in fields])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CaseloadEntrySerializer(page, many=True).data)


# ------------------------------------------------------------------------------------------- reviews
class CandidateReviewsApi(APIView):
    permission_classes = [IsCounsellorOrAdmin]

    @extend_schema(tags=TAG, summary="Every review of a candidate in the caseload",
                   responses={200: ReviewSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        candidate = _caseload_candidate(request, pk)
        return Response(ReviewSerializer(reviews_of(candidate=candidate), many=True).data)


class ReviewApi(APIView):
    permission_classes = [IsCounsellorOrAdmin]

    @extend_schema(
        tags=TAG, summary="Approve, reject (with a reason code) or add an item for a candidate",
        description="Create with `version` 0 or null; update with the `version` you read. A stale version (another "
                    "counsellor saved first) answers 409 whose body is the error envelope plus `current`, the "
                    "stored review: nothing is overwritten. Every decision is logged with who and when.",
        request=ReviewInputSerializer,
        responses={200: ReviewSerializer, 201: ReviewSerializer,
                   409: OpenApiResponse(ApiErrorSerializer, description=CONFLICT_DESCRIPTION)})
    def put(self, request: Request, pk: int, kind: str, item_key: str) -> Response:
        candidate = _caseload_candidate(request, pk)
        kind = _kind(kind)
        if not item_key_valid(kind, item_key):
            raise ValidationError({"item_key": [MSG_ITEM_KEY % {"example": EXAMPLE_KEY[kind]}]})
        if not item_exists(item_key):
            raise ValidationError({"item_key": [MSG_UNKNOWN_ITEM % {"key": item_key}]})
        body = ReviewInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            with transaction.atomic():
                result = save_review(actor=request.user, candidate=candidate, kind=kind, item_key=item_key,
                                     decision=data["decision"], reason=data["reason"], note=data["note"],
                                     version=data["version"])
        except ReviewConflict as conflict:
            payload = error_body(code="conflict", message=MSG_CONFLICT,
                                 fields={"version": [str(MSG_CONFLICT)]})
            payload["error"]["current"] = None if conflict.current is None else ReviewSerializer(conflict.current).data
            return Response(payload, status=status.HTTP_409_CONFLICT)
        return Response(ReviewSerializer(result.review).data,
                        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


# ------------------------------------------------------------------------------------------- feedback
class CanSendFeedback(BasePermission):
    """Candidates, employer members and provider staff (each only about what they may see: 404 otherwise)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and role_of(user) in ROLE_EVENTS)


class FeedbackApi(APIView):
    permission_classes = [CanSendFeedback]

    @extend_schema(
        tags=TAG, summary="Report what happened to a recommended item (idempotent by client_event_id)",
        description="Candidates: viewed, saved, dismissed, applied (their own items they may see). Employers: "
                    "shortlisted, rejected, hired (a candidate who applied to one of their vacancies). Providers: "
                    "enrolled (an applicant to an intake of their programme). Anything else the actor may not see "
                    "answers 404. The first send answers 201; sending the same event again answers 200 with the "
                    "same body; reusing the id for a different event answers 409.",
        request=FeedbackInputSerializer,
        responses={201: FeedbackEventSerializer, 200: FeedbackEventSerializer,
                   409: OpenApiResponse(ApiErrorSerializer, description="client_event_id reused for another event.")})
    def post(self, request: Request) -> Response:
        body = FeedbackInputSerializer(data=request.data, context={"role": role_of(request.user)})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        candidate = feedback_subject(user=request.user, kind=data["kind"], item_key=data["item_key"],
                                     candidate_id=data["candidate"])
        if candidate is None:
            raise NotFound()
        try:
            result = record_feedback(actor=request.user, candidate=candidate, kind=data["kind"],
                                     item_key=data["item_key"], event=data["event"],
                                     client_event_id=data["client_event_id"])
        except FeedbackReplayMismatch:
            return Response(error_body(code="conflict", message=MSG_FEEDBACK_REPLAY,
                                       fields={"client_event_id": [str(MSG_FEEDBACK_REPLAY)]}),
                            status=status.HTTP_409_CONFLICT)
        return Response(FeedbackEventSerializer(result.event).data,
                        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


# ------------------------------------------------------------------------------------------- explain
SENTENCES = {
    "rank": {"en": "Recommended as number {rank} of the list (match score {score:.2f}).",
             "lv": "Ieteikts kā {rank}. sarakstā (atbilstības novērtējums {score:.2f})."},
    "matched": {"en": "You have {n} of the skills it asks for: {skills}.",
                "lv": "Tev ir {n} no prasītajām prasmēm: {skills}."},
    "no_match": {"en": "None of your listed skills is asked for yet.",
                 "lv": "Neviena no tavām norādītajām prasmēm vēl netiek prasīta."},
    "missing": {"en": "Essential skills you do not have yet: {skills}.",
                "lv": "Būtiskas prasmes, kuru tev vēl nav: {skills}."},
    "distance": {"en": "It is {km:.0f} km from your town.", "lv": "Tas ir {km:.0f} km no tavas dzīvesvietas."},
    "remote": {"en": "The work can be done remotely.", "lv": "Darbu var veikt attālināti."},
    "teaches": {"en": "It teaches skills you are missing: {skills}.",
                "lv": "Tajā māca prasmes, kuru tev trūkst: {skills}."},
    "unlocks": {"en": "It would bring {n} local vacancies within reach.",
                "lv": "Tā tev pavērtu {n} vietējās vakances."},
    "cost": {"en": "It costs {cost:.0f} EUR; with funding ({funding}) you would pay {after:.0f} EUR.",
             "lv": "Tā maksā {cost:.0f} EUR; ar finansējumu ({funding}) tev būtu jāmaksā {after:.0f} EUR."},
    "interest": {"en": "It fits your interests ({fit:.0%}) and your skills ({skills:.0%}).",
                 "lv": "Tā atbilst tavām interesēm ({fit:.0%}) un prasmēm ({skills:.0%})."},
    "open": {"en": "There are {n} open vacancies in this occupation.",
             "lv": "Šajā profesijā ir {n} brīvas vakances."},
    "pathway": {"en": "This pathway takes {months} months, costs {after:.0f} EUR after funding and opens {n} "
                      "vacancies.",
                "lv": "Šis ceļš ilgst {months} mēnešus, pēc finansējuma maksā {after:.0f} EUR un paver {n} "
                      "vakances."},
}


def _skill_names(ids: list, language: str) -> str:
    from careers.models import Skill

    skills = Skill.objects.filter(pk__in=ids).in_bulk()
    return ", ".join(skills[i].label(language) for i in ids if i in skills)


def explain_sentences(item, *, kind: str, language: str) -> list[str]:
    """Plain-language reasons from the logged features of one served item."""
    features = item.features or {}
    say = []

    def add(name: str, **values) -> None:
        say.append(SENTENCES[name][language].format(**values))

    add("rank", rank=item.rank, score=item.score)
    if kind == "jobs":
        matched = features.get("matched_skills") or []
        add("matched", n=len(matched), skills=_skill_names(matched, language)) if matched else add("no_match")
        if features.get("missing_essential"):
            add("missing", skills=_skill_names(features["missing_essential"], language))
        if features.get("remote"):
            add("remote")
        elif features.get("distance_km") is not None:
            add("distance", km=features["distance_km"])
    elif kind == "programmes":
        if features.get("missing_skills_taught"):
            add("teaches", skills=_skill_names(features["missing_skills_taught"], language))
        if features.get("vacancies_unlocked"):
            add("unlocks", n=features["vacancies_unlocked"])
        if features.get("distance_km") is not None:
            add("distance", km=features["distance_km"])
        if features.get("cost_eur") is not None and features.get("cost_after_funding_eur") is not None:
            add("cost", cost=features["cost_eur"], after=features["cost_after_funding_eur"],
                funding=features.get("funding") or "—")
    elif kind == "careers":
        add("interest", fit=features.get("interest_fit") or 0, skills=features.get("skill_fit") or 0)
        add("open", n=features.get("open_vacancies") or 0)
    elif kind == "pathways":
        add("pathway", months=features.get("total_duration_months"), after=features.get("cost_after_funding_eur") or 0,
            n=features.get("vacancies_unlocked") or 0)
    return say


class ExplainApi(APIView):
    """Who may ask is the recommendation lists' rule: the candidate, their counsellor, staff (others 403/404)."""

    permission_classes = [IsCandidateCounsellorOrAdmin]

    @extend_schema(
        tags=TAG, summary="Why an item was recommended, in plain Latvian or English (Accept-Language)",
        description="Built from the explanation logged when the item was last served to this candidate (404 when "
                    "it never was, or, for a supervised candidate asking themself, when it was not released).",
        responses={200: ExplainOutputSerializer})
    def get(self, request: Request, pk: int, kind: str, item_key: str) -> Response:
        candidate = get_object_or_404(candidates_visible_to(user=request.user).select_related("user"), pk=pk)
        kind = _kind(kind)
        if not item_key_valid(kind, item_key):
            raise NotFound()
        if _viewer_is_candidate(request, candidate) and candidate.is_supervised and \
                review_decisions(candidate=candidate, kind=kind).get(item_key) not in RELEASED_DECISIONS:
            raise NotFound()
        item = latest_served_item(candidate=candidate, kind=kind, item_key=item_key)
        if item is None:
            raise NotFound()
        language = request_language()
        return Response({"candidate": candidate.pk, "kind": kind, "item_key": item_key, "language": language,
                         "served_at": item.list.created_at, "model_version": item.list.model_version,
                         "sentences": explain_sentences(item, kind=kind, language=language)})
