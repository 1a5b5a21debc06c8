"""Municipality insights (issue 6): fairness of the served recommendations and their outcomes.

Who may ask: staff (role admin, ``is_staff``) and municipality analysts (role ``analyst``); every other role 403,
no token 401. Both reports are aggregates over groups of at least 10 people (smaller groups are suppressed), so
they name no candidate.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsAnalystOrAdmin
from api.serializers.insights import (
    FairnessOutputSerializer, FairnessQuerySerializer, OutcomesOutputSerializer, OutcomesQuerySerializer,
)
from careers.selectors.insights import MIN_GROUP, fairness_report, outcomes_report

TAG = ["insights"]
SUPPRESSION = f"Any group of fewer than {MIN_GROUP} people has `suppressed: true` and null counts and figures."


class FairnessReportApi(APIView):
    permission_classes = [IsAnalystOrAdmin]

    @extend_schema(
        tags=TAG, summary="Exposure in recommendations and approval rates by gender, age band and town",
        description="Over the recommendation lists served (audit log) in the scope: per group, the people, the "
                    "items recommended to them, the items a counsellor reviewed, exposure (mean per person of the "
                    "sum of 1 / log2(1 + rank) over their recommended items; people with none count 0), the "
                    "approval rate (approved or added / reviewed) and both as ratios to the reference group; "
                    "`flagged` when a ratio is under 0.8. An item served again counts once, at its best rank. "
                    "People: candidates the recommender may serve (processing consent, active account) and anyone "
                    "served a list in the period. " + SUPPRESSION,
        parameters=[FairnessQuerySerializer], responses={200: FairnessOutputSerializer})
    def get(self, request: Request) -> Response:
        query = FairnessQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        reference = query.validated_data["reference"]
        groups = fairness_report(scope=query.scope(), reference=reference)
        return Response(FairnessOutputSerializer({"scope": query.scope_shape(), "reference": reference,
                                                  "min_group": MIN_GROUP, "groups": groups}).data)


class OutcomesReportApi(APIView):
    permission_classes = [IsAnalystOrAdmin]

    @extend_schema(
        tags=TAG, summary="Recommendation → application → hire / enrolment, by month, town and counsellor",
        description="Of the jobs and programmes recommended in the scope (each candidate × item once, at the month "
                    "it was first served): how many the candidate applied to after it was served (that vacancy; an "
                    "intake of that programme), and how many of those applications are now hired (vacancy) or "
                    "enrolled (intake); with application, placement and conversion rates. Applications to items "
                    "never recommended do not count. Town and counsellor are the candidate's current ones. "
                    + SUPPRESSION.replace("people", "candidates"),
        parameters=[OutcomesQuerySerializer], responses={200: OutcomesOutputSerializer})
    def get(self, request: Request) -> Response:
        query = OutcomesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = outcomes_report(scope=query.scope())
        return Response(OutcomesOutputSerializer({"scope": query.scope_shape(), "min_group": MIN_GROUP,
                                                  **report}).data)
