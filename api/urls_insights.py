"""Municipality insights (/api/v1/insights/...): fairness and outcomes reports (issue 6)."""
from django.urls import path

from api.views import insights

urlpatterns = [
    path("insights/fairness/", insights.FairnessReportApi.as_view(), name="insights-fairness"),
    path("insights/outcomes/", insights.OutcomesReportApi.as_view(), name="insights-outcomes"),
]
