"""Skill extraction, title → occupation, jobs for a candidate and candidates for a vacancy.

Each view parses its input, calls one use case of careers (``careers.selectors.recommendations``,
``careers.services.recommendations``) and serializes the record it returns. Who may ask is decided by the candidate
and vacancy selectors: another user's object answers 404, a role that may never ask 403 (``api.permissions``).
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import CanGetCandidateRecommendations, CanGetJobRecommendations
from api.serializers.matching import (
    EXTRACT_EXAMPLES, TITLE_EXAMPLES, CandidateRecommendationsOutputSerializer, JobRecommendationsOutputSerializer,
    RecommendationQuerySerializer, SkillExtractInputSerializer, SkillExtractOutputSerializer,
    TitleMatchInputSerializer, TitleMatchOutputSerializer,
)
from api.serializers.resources_common import request_language
from api.throttles import WindowedAnonThrottle, WindowedUserThrottle
from careers.selectors import candidates_visible_to
from careers.selectors.recommendations import (
    occupations_for_title, suggestions_in_text, vacancies_for_candidate_search, vacancy_candidate_recommendations,
)
from careers.services.recommendations import candidate_job_recommendations

TAG = ["matching"]
TOP_K_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}
TOP_K_PARAMETER = OpenApiParameter("top_k", TOP_K_SCHEMA, description="How many results at most (1–50, default 10).")


# ------------------------------------------------------------------------------------------- taxonomy
class SkillExtractApi(APIView):
    """Public (anyone may try it on a CV or an ad), throttled per address / per user like every public endpoint."""

    permission_classes = [AllowAny]
    throttle_classes = [WindowedAnonThrottle, WindowedUserThrottle]

    @extend_schema(tags=TAG, summary="Skills found in free Latvian or English text, best first",
                   request=SkillExtractInputSerializer, responses={200: SkillExtractOutputSerializer},
                   examples=EXTRACT_EXAMPLES)
    def post(self, request: Request) -> Response:
        body = SkillExtractInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        found = suggestions_in_text(text=body.validated_data["text"], top_k=body.validated_data["top_k"],
                                    language=request_language())
        return Response(SkillExtractOutputSerializer(found).data)


class TitleMatchApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [WindowedAnonThrottle, WindowedUserThrottle]

    @extend_schema(tags=TAG, summary="Occupations for a job title (Latvian or English), best first",
                   request=TitleMatchInputSerializer, responses={200: TitleMatchOutputSerializer},
                   examples=TITLE_EXAMPLES)
    def post(self, request: Request) -> Response:
        body = TitleMatchInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        found = occupations_for_title(title=body.validated_data["title"], top_k=body.validated_data["top_k"],
                                      language=request_language())
        return Response(TitleMatchOutputSerializer({"occupations": found}).data)


# ------------------------------------------------------------------------------------------- lists
class CandidateJobRecommendationsApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(tags=TAG, summary="Open vacancies for a candidate, best first, each explained",
                   parameters=[TOP_K_PARAMETER], responses={200: JobRecommendationsOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        candidate = get_object_or_404(candidates_visible_to(user=request.user).select_related("user"), pk=pk)
        jobs = candidate_job_recommendations(viewer=request.user, candidate=candidate,
                                             top_k=query.validated_data["top_k"], language=request_language())
        return Response(JobRecommendationsOutputSerializer(jobs).data)


class VacancyCandidateRecommendationsApi(APIView):
    permission_classes = [CanGetCandidateRecommendations]

    @extend_schema(
        tags=TAG, summary="Candidates for a vacancy, best first, each explained (employers: discoverable adults, "
                          "recruiter fields; counsellors: their caseload)",
        parameters=[TOP_K_PARAMETER], responses={200: CandidateRecommendationsOutputSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        vacancy = get_object_or_404(vacancies_for_candidate_search(viewer=request.user), pk=pk)
        candidates = vacancy_candidate_recommendations(viewer=request.user, vacancy=vacancy,
                                                       top_k=query.validated_data["top_k"],
                                                       language=request_language())
        return Response(CandidateRecommendationsOutputSerializer(candidates).data)
