"""Learning paths for a candidate (issue 5): programmes, careers, pathways and what-if.

Each view parses its input, calls one use case (``careers.services.learning_paths``,
``careers.selectors.learning_paths``) and serializes the record it returns. Who may ask is the jobs endpoint's rule:
the candidate themself, their counsellor and staff; another user's candidate answers 404, employers and providers
403.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import CanGetJobRecommendations
from api.serializers.paths import (
    PATHWAY_EXAMPLES, WHAT_IF_EXAMPLES, CareerRecommendationsOutputSerializer, PathQuerySerializer,
    PathwayQuerySerializer, PathwayRecommendationsOutputSerializer, ProgrammeRecommendationsOutputSerializer,
    WhatIfInputSerializer, WhatIfOutputSerializer,
)
from api.serializers.resources_common import request_language
from careers.models import CandidateProfile
from careers.selectors import candidates_visible_to
from careers.selectors.learning_paths import WhatIfInputInvalid, candidate_what_if
from careers.services.learning_paths import (
    candidate_career_recommendations, candidate_pathway_recommendations, candidate_programme_recommendations,
)

TAG = ["learning paths"]


def _top_k(description: str, default: int) -> OpenApiParameter:
    return OpenApiParameter("top_k", {"type": "integer", "minimum": 1, "maximum": 50, "default": default},
                            description=f"{description} (1–50, default {default}).")


def _candidate(request: Request, pk: int) -> CandidateProfile:
    return get_object_or_404(candidates_visible_to(user=request.user).select_related("user"), pk=pk)


def _query(serializer_class, request: Request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


# ------------------------------------------------------------------------------------------- programmes
class CandidateProgrammeRecommendationsApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(
        tags=TAG, summary="Programmes with upcoming intakes that close the candidate's skill gap, best first",
        description="Ranked by how much of the gap toward near-miss vacancies and target occupations they close, "
                    "then distance, mode, cost after funding and start date. Programmes the candidate cannot "
                    "enter (education) are listed after every enrolable one, with the reason.",
        parameters=[_top_k("How many programmes at most", 10)],
        responses={200: ProgrammeRecommendationsOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        query = _query(PathQuerySerializer, request)
        programmes = candidate_programme_recommendations(viewer=request.user, candidate=_candidate(request, pk),
                                                         top_k=query["top_k"], language=request_language())
        return Response(ProgrammeRecommendationsOutputSerializer(programmes).data)


# ------------------------------------------------------------------------------------------- careers
class CandidateCareerRecommendationsApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(
        tags=TAG, summary="Occupations for the candidate by interest (RIASEC), skill fit and local demand",
        description="Works with no skills at all (a pupil who has only answered the interest questions). Each "
                    "occupation has its open vacancies within reach, typical pay from local postings and the local "
                    "programmes leading there with their next intake.",
        parameters=[_top_k("How many occupations at most", 10)],
        responses={200: CareerRecommendationsOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        query = _query(PathQuerySerializer, request)
        careers = candidate_career_recommendations(viewer=request.user, candidate=_candidate(request, pk),
                                                   top_k=query["top_k"], language=request_language())
        return Response(CareerRecommendationsOutputSerializer(careers).data)


# ------------------------------------------------------------------------------------------- pathways
class CandidatePathwayRecommendationsApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(
        tags=TAG, summary="Pathways of one to three programmes that unlock local vacancies, best first",
        description="A bounded weighted set cover over the missing essential skills of near-miss vacancies, from "
                    "real intakes the candidate can enter. `summary` is in the request language (Latvian by "
                    "default); both languages are given too.",
        parameters=[_top_k("How many pathways at most", 5)],
        responses={200: PathwayRecommendationsOutputSerializer}, examples=PATHWAY_EXAMPLES)
    def get(self, request: Request, pk: int) -> Response:
        query = _query(PathwayQuerySerializer, request)
        pathways = candidate_pathway_recommendations(viewer=request.user, candidate=_candidate(request, pk),
                                                     top_k=query["top_k"], language=request_language())
        return Response(PathwayRecommendationsOutputSerializer(pathways).data)


# ------------------------------------------------------------------------------------------- what-if
class CandidateWhatIfApi(APIView):
    permission_classes = [CanGetJobRecommendations]

    @extend_schema(
        tags=TAG, summary="How the candidate's job list would change with added skills or a finished programme",
        description="Give `skills` (ESCO skill URIs, at most 50) or `programme` (an active programme id: its "
                    "skills taught are added), not both; or `languages` alone ([{\"language\": \"lv\", \"level\": "
                    "\"B1\"}]: what if I had Latvian B1 — the language-blocked vacancies those levels open). Nothing "
                    "is saved; the index is not changed.",
        request=WhatIfInputSerializer, responses={200: WhatIfOutputSerializer}, examples=WHAT_IF_EXAMPLES)
    def post(self, request: Request, pk: int) -> Response:
        candidate = _candidate(request, pk)  # 404 before validating: another's id reveals nothing
        body = WhatIfInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            answer = candidate_what_if(viewer=request.user, candidate=candidate, skill_ids=data.get("skills", ()),
                                       programme_id=data.get("programme"), top_k=data["top_k"],
                                       language=request_language(), languages=data.get("languages"))
        except WhatIfInputInvalid as exc:  # not open to the candidate, or changed since the last refit
            raise serializers.ValidationError({"programme" if "programme" in data else "skills": [str(exc)]}) from None
        return Response(WhatIfOutputSerializer(answer).data)
