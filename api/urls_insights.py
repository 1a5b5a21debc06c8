"""Municipality insights (/api/v1/insights/...): fairness and outcomes (issue 6), the labour market (issue 13)."""
from django.urls import path

from api.views import insights, market

urlpatterns = [
    path("insights/fairness/", insights.FairnessReportApi.as_view(), name="insights-fairness"),
    path("insights/outcomes/", insights.OutcomesReportApi.as_view(), name="insights-outcomes"),
    path("insights/skills/", market.SkillDemandSupplyApi.as_view(), name="insights-skills"),
    path("insights/occupations/", market.OccupationDemandSupplyApi.as_view(), name="insights-occupations"),
    path("insights/shortages/", market.ShortageSkillsApi.as_view(), name="insights-shortages"),
    path("insights/trend/", market.MarketTrendApi.as_view(), name="insights-trend"),
    path("insights/missing-skills/", market.EmployerMissingSkillsApi.as_view(), name="insights-missing-skills"),
]
