"""Labour-market insights (issue 13): skill and occupation demand against supply, shortages with the programmes
that teach them, the monthly trend, and an employer's missing skills. Each also as CSV / XLSX (``?format=``).

Who may ask: staff and municipality analysts (everything), provider staff (the skills their programmes teach, the
occupations they lead to), employer members (their own missing-skills report only); every other role 403, no
token 401. Candidate-side counts under 10 are suppressed.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import CanReadMarketInsights, CanReadMissingSkills
from api.serializers.market import (
    MarketQuerySerializer, MissingSkillsOutputSerializer, MissingSkillsQuerySerializer,
    OccupationBalanceOutputSerializer, ShortagesOutputSerializer, ShortagesQuerySerializer,
    SkillBalanceOutputSerializer, TrendOutputSerializer, TrendQuerySerializer,
)
from api.serializers.resources_common import request_language
from api.tabular import FORMAT_PARAMETER, TabularMixin, tabular_responses
from careers.selectors.market import (
    MIN_GROUP, employer_for_insights, employer_missing_skills, market_trend, occupation_demand_supply,
    shortage_skills, skill_demand_supply,
)

TAG = ["insights"]
WHO = ("Staff and analysts read every row; provider staff the rows of the skills their institution's programmes "
       "teach (occupations: those they lead to). Candidate-side counts under 10 are null (`suppressed`). ")


def as_documented(payload: dict) -> dict:
    """The answer of the two large tables as the selector shaped it: its rows are already the documented shape
    (tests/api/test_market.py keeps them equal to the output serializers'), and shaping a thousand rows through
    nested serializers cost more than computing them."""
    return payload


def _query(serializer_class, request: Request):
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query


class SkillDemandSupplyApi(TabularMixin, APIView):
    permission_classes = [CanReadMarketInsights]
    export_name = "skills-demand-supply"

    @extend_schema(
        tags=TAG, summary="Skill demand in open vacancies against supply among looking candidates",
        description="Per skill: open vacancies asking for it and their places (essential and optional apart), "
                    "looking candidates who have it (active, processing consent, not hired), and the shortage "
                    "index; most short first. " + WHO,
        parameters=[MarketQuerySerializer, FORMAT_PARAMETER], responses=tabular_responses(SkillBalanceOutputSerializer))
    def get(self, request: Request) -> Response:
        query = _query(MarketQuerySerializer, request)
        report = skill_demand_supply(viewer=request.user, scope=query.scope(), language=request_language())
        return Response(as_documented({"scope": query.scope_shape(), "min_group": MIN_GROUP, **report}))


class OccupationDemandSupplyApi(TabularMixin, APIView):
    permission_classes = [CanReadMarketInsights]
    export_name = "occupations-demand-supply"

    @extend_schema(
        tags=TAG, summary="Occupations: open vacancies and places against the candidates who target them",
        description=WHO, parameters=[MarketQuerySerializer, FORMAT_PARAMETER],
        responses=tabular_responses(OccupationBalanceOutputSerializer))
    def get(self, request: Request) -> Response:
        query = _query(MarketQuerySerializer, request)
        report = occupation_demand_supply(viewer=request.user, scope=query.scope(), language=request_language())
        return Response(OccupationBalanceOutputSerializer(
            {"scope": query.scope_shape(), "min_group": MIN_GROUP, **report}).data)


class ShortageSkillsApi(TabularMixin, APIView):
    permission_classes = [CanReadMarketInsights]
    export_name = "shortage-skills"

    @extend_schema(
        tags=TAG, summary="Shortage skills with the local programmes that teach them and their next intakes",
        description="The `top` skills in demand with the highest shortage index, each with the active programmes "
                    "of the area's institutions that teach it and the seats of their next intake. " + WHO,
        parameters=[ShortagesQuerySerializer, FORMAT_PARAMETER], responses=tabular_responses(ShortagesOutputSerializer))
    def get(self, request: Request) -> Response:
        query = _query(ShortagesQuerySerializer, request)
        report = shortage_skills(viewer=request.user, scope=query.scope(), language=request_language(),
                                 top=query.validated_data["top"])
        return Response(as_documented({"scope": query.scope_shape(), "min_group": MIN_GROUP, **report}))


class MarketTrendApi(TabularMixin, APIView):
    permission_classes = [CanReadMarketInsights]
    export_name = "market-trend"
    tabular_rows = "months"

    @extend_schema(
        tags=TAG, summary="Month by month from the daily market snapshots",
        description="Means over each month's daily snapshots (`snapshot_market`) of one skill or, without `skill`, "
                    "of the area's totals (open vacancies, their places as `demand_essential`, looking candidates "
                    "as `supply`). Provider staff must name a skill their programmes teach (403 otherwise). " + WHO,
        parameters=[TrendQuerySerializer, FORMAT_PARAMETER], responses=tabular_responses(TrendOutputSerializer))
    def get(self, request: Request) -> Response:
        query = _query(TrendQuerySerializer, request).validated_data
        trend = market_trend(viewer=request.user, area=query["area"], skill_id=query.get("skill"),
                             language=request_language())
        return Response(TrendOutputSerializer({"min_group": MIN_GROUP, **trend}).data)


class EmployerMissingSkillsApi(TabularMixin, APIView):
    permission_classes = [CanReadMissingSkills]
    export_name = "missing-skills"

    @extend_schema(
        tags=TAG, summary="The skills your open vacancies miss most among the candidates ranked for them",
        description="For each open vacancy the recommender ranks up to 50 candidates (everyone in the match index; "
                    "only counts are shown). Per skill the vacancies ask for: how many ranked candidates lack it, "
                    "and the active programmes within 60 km of the employer's town that teach it, with their next "
                    "intake. Skills whose ranked candidates are fewer than 10 are suppressed. Employer members see "
                    "their own employer; staff and analysts name any (`employer`).",
        parameters=[MissingSkillsQuerySerializer, FORMAT_PARAMETER],
        responses=tabular_responses(MissingSkillsOutputSerializer))
    def get(self, request: Request) -> Response:
        query = _query(MissingSkillsQuerySerializer, request).validated_data
        employer = employer_for_insights(viewer=request.user, employer_id=query.get("employer"))
        report = employer_missing_skills(employer=employer, language=request_language(), top=query["top"])
        return Response(MissingSkillsOutputSerializer({"min_group": MIN_GROUP, **report}).data)
