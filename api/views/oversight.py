"""Counsellors in the loop (issue 6): caseload, reviews, and the oversight applied to every served list.

Rules: a counsellor reads and writes reviews for their own caseload only, staff for everyone; another
counsellor's candidate answers 404; candidates, employers, providers and analysts 403.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import error_body
from api.permissions import CanSendFeedback, IsCandidateCounsellorOrAdmin, IsCounsellorOrAdmin
from api.schema import ApiErrorSerializer
from api.tabular import FORMAT_PARAMETER, TabularListMixin, tabular_responses
from api.serializers.oversight import (
    MSG_ITEM_KEY, MSG_UNKNOWN_ITEM, CaseloadEntrySerializer, CaseloadQuerySerializer, ExplainOutputSerializer,
    FeedbackEventSerializer, FeedbackInputSerializer, ReviewInputSerializer, ReviewSerializer,
    UnassignedEntrySerializer, item_key_valid,
)
from api.serializers.resources_common import request_language
from careers.models import CandidateProfile, RecommendationKind
from careers.selectors import candidates_visible_to
from careers.selectors.caseload import unassigned_supervised
from careers.selectors.explanations import served_item_explanation
from careers.selectors.oversight import caseload_entries, caseload_of, feedback_subject, item_exists, reviews_of
from careers.selectors.roles import role_of
from careers.services.caseload import caseload_entry_open
from careers.services.oversight import FeedbackReplayMismatch, ReviewConflict, record_feedback, save_review

TAG = ["oversight"]
MSG_FEEDBACK_REPLAY = _("This client_event_id was already used for a different event.")
MSG_CONFLICT = _("Someone else changed this review since you read it; the current review is in `current`.")
CONFLICT_DESCRIPTION = (
    "Stale `version` (another counsellor saved first): the error envelope with code `conflict`, "
    "`fields.version`, and `error.current`: the review as stored now (candidate, kind, item_key, decision, reason, "
    "note, counsellor, version, updated_at). Nothing was written; resend with `current.version`.")
EXAMPLE_KEY = {"jobs": "vacancy:12", "programmes": "programme:3", "careers": "occupation:7",
               "pathways": "pathway:3+8"}


# ------------------------------------------------------------------------------------------- lookups
def _caseload_candidate(request: Request, pk: int) -> CandidateProfile:
    return get_object_or_404(caseload_of(user=request.user).select_related("user"), pk=pk)


def _kind(kind: str) -> str:
    if kind not in RecommendationKind.values:
        raise NotFound()
    return kind


# ------------------------------------------------------------------------------------------- caseload
class CaseloadApi(TabularListMixin, GenericAPIView):
    export_name = "caseload"
    permission_classes = [IsCounsellorOrAdmin]
    queryset = CandidateProfile.objects.none()  # for the schema only; rows come from caseload_of
    serializer_class = CaseloadEntrySerializer

    @extend_schema(tags=TAG, summary="The counsellor's candidates with the items awaiting review (staff: all)",
                   parameters=[CaseloadQuerySerializer, FORMAT_PARAMETER],
                   responses=tabular_responses(CaseloadEntrySerializer(many=True)))
    def get(self, request: Request) -> Response:
        query = CaseloadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        rows = caseload_entries(user=request.user, kind=q.get("kind"), town=q.get("town"), pending=q["pending"],
                                new=q["new"], ordering=q["ordering"])
        page = self.paginate_queryset(rows)
        if page is None:  # a spreadsheet: every row
            return Response(CaseloadEntrySerializer(rows, many=True).data)
        return self.get_paginated_response(CaseloadEntrySerializer(page, many=True).data)


class UnassignedApi(TabularListMixin, GenericAPIView):
    export_name = "unassigned"
    permission_classes = [IsCounsellorOrAdmin]
    queryset = CandidateProfile.objects.none()  # for the schema only; rows come from unassigned_supervised
    serializer_class = UnassignedEntrySerializer

    @extend_schema(tags=TAG, summary="Supervised people no counsellor covers yet (counsellors and staff)",
                   description="Minors and supervised adults whose school and town no counsellor covers, longest "
                               "waiting first. Staff assign them a counsellor by hand.",
                   parameters=[FORMAT_PARAMETER], responses=tabular_responses(UnassignedEntrySerializer(many=True)))
    def get(self, request: Request) -> Response:
        rows = unassigned_supervised()
        page = self.paginate_queryset(rows)
        if page is None:  # a spreadsheet: every row
            return Response(UnassignedEntrySerializer(rows, many=True).data)
        return self.get_paginated_response(UnassignedEntrySerializer(page, many=True).data)


# ------------------------------------------------------------------------------------------- reviews
class CandidateReviewsApi(APIView):
    permission_classes = [IsCounsellorOrAdmin]

    @extend_schema(tags=TAG, summary="Every review of a candidate in the caseload (opens a new entry)",
                   responses={200: ReviewSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        candidate = _caseload_candidate(request, pk)
        caseload_entry_open(user=request.user, candidate=candidate)
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
        try:  # save_review is its own transaction (on SQLite an immediate one: writers take turns)
            result = save_review(actor=request.user, candidate=candidate, kind=kind, item_key=item_key,
                                 decision=data["decision"], reason=data["reason"], note=data["note"],
                                 version=data["version"])
            caseload_entry_open(user=request.user, candidate=candidate)
        except ReviewConflict as conflict:
            payload = error_body(code="conflict", message=MSG_CONFLICT,
                                 fields={"version": [str(MSG_CONFLICT)]})
            payload["error"]["current"] = None if conflict.current is None else ReviewSerializer(conflict.current).data
            return Response(payload, status=status.HTTP_409_CONFLICT)
        return Response(ReviewSerializer(result.review).data,
                        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


# ------------------------------------------------------------------------------------------- feedback
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
        explained = served_item_explanation(viewer=request.user, candidate=candidate, kind=kind, item_key=item_key,
                                            language=request_language())
        if explained is None:
            raise NotFound()
        return Response(ExplainOutputSerializer(explained).data)
