"""The municipality analyst's pages (journey 5), included into the ``web`` namespace."""
from django.urls import path

from web.views import analyst

urlpatterns = [
    path("analyst/", analyst.market, name="analyst_market"),
    path("analyst/fairness/", analyst.fairness, name="analyst_fairness"),
    path("analyst/outcomes/", analyst.outcomes, name="analyst_outcomes"),
    path("analyst/download/<slug:name>/", analyst.download, name="analyst_download"),
]
