"""Spreadsheets in (/api/v1/imports/...): a template, a dry run and a commit for each kind (issue 13)."""
from django.urls import path

from api.views.spreadsheets import VIEWS

urlpatterns = [
    path(f"imports/{kind}/{step}/", VIEWS[f"{kind}-{step}"].as_view(), name=f"import-{kind}-{step}")
    for kind in ("programmes", "intakes", "vacancies") for step in ("template", "dry-run", "commit")
]
