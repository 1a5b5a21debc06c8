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
from api.tabular import FORMAT_PARAMETER, TabularMixin, tabular_responses
from api.serializers.insights import (
    FairnessOutputSerializer, FairnessQuerySerializer, OutcomesOutputSerializer, OutcomesQuerySerializer,
)
from careers.selectors.insights import MIN_GROUP, fairness_report, outcomes_report

TAG = ["insights"]
SUPPRESSION = f"Any group of fewer than {MIN_GROUP} people has `suppressed: true` and null counts and figures."


class FairnessReportApi(TabularMixin, APIView):
    permission_classes = [IsAnalystOrAdmin]
    export_name = "fairness"

    def table_rows(self, data: dict) -> list[dict]:
        """One spreadsheet row per attribute and group."""
        return [{"attribute": attribute, **row} for attribute, rows in data.get("groups", {}).items() for row in rows]

    @extend_schema(
        tags=TAG, summary="Exposure in recommendations and approval rates by gender, age band and town",
        description="Over the recommendation lists served (audit log) in the scope: per group, the people, the "
                    "items recommended to them, the items a counsellor reviewed, exposure (mean per person of the "
                    "sum of 1 / log2(1 + rank) over their recommended items; people with none count 0), the "
                    "approval rate (approved or added / reviewed) and both as ratios to the reference group; "
                    "`flagged` when a ratio is under 0.8. An item served again counts once, at its best rank. "
                    "People: candidates the recommender may serve (processing consent, active account) and anyone "
                    "served a list in the period. " + SUPPRESSION,
        parameters=[FairnessQuerySerializer, FORMAT_PARAMETER], responses=tabular_responses(FairnessOutputSerializer))
    def get(self, request: Request) -> Response:
        query = FairnessQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        reference = query.validated_data["reference"]
        groups = fairness_report(scope=query.scope(), reference=reference)
        return Response(FairnessOutputSerializer({"scope": query.scope_shape(), "reference": reference,
                                                  "min_group": MIN_GROUP, "groups": groups}).data)


class OutcomesReportApi(TabularMixin, APIView):
    permission_classes = [IsAnalystOrAdmin]
    export_name = "outcomes"

    def table_rows(self, data: dict) -> list[dict]:
        """The total, then the rows by month, town and counsellor, each named in a ``table`` column."""
        tables = [("total", [data["total"]])] if "total" in data else []
        tables += [(name, data.get(name, [])) for name in ("by_month", "by_town", "by_counsellor")]
        return [{"table": name, **row} for name, rows in tables for row in rows]

    @extend_schema(
        tags=TAG, summary="Recommendation → application → hire / enrolment, by month, town and counsellor",
        description="Of the jobs and programmes recommended in the scope (each candidate × item once, at the month "
                    "it was first served): how many the candidate applied to after it was served (that vacancy; an "
                    "intake of that programme), and how many of those applications are now hired (vacancy) or "
                    "enrolled (intake); with application, placement and conversion rates. Applications to items "
                    "never recommended do not count. Town and counsellor are the candidate's current ones. "
                    + SUPPRESSION.replace("people", "candidates"),
        parameters=[OutcomesQuerySerializer, FORMAT_PARAMETER], responses=tabular_responses(OutcomesOutputSerializer))
    def get(self, request: Request) -> Response:
        query = OutcomesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = outcomes_report(scope=query.scope())
        return Response(OutcomesOutputSerializer({"scope": query.scope_shape(), "min_group": MIN_GROUP,
                                                  **report}).data)
