"""Spreadsheets out (issue 13): every list as CSV and XLSX, formula cells neutralised, same filters and
permissions as the JSON list, every row rather than one page, up to the cap."""
from __future__ import annotations

import csv
import io

import openpyxl
from django.utils import timezone
import pytest
from rest_framework.test import APIClient

from api import tabular
from tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_a_cell_that_would_run_as_a_formula_gets_an_apostrophe():
    assert [tabular.neutralise(v) for v in ("=1+1", "+371", "-2", "@SUM(A1)", "\t=x", "Metinātājs", 5, -5, None)] == [
        "'=1+1", "'+371", "'-2", "'@SUM(A1)", "'\t=x", "Metinātājs", 5, -5, None]


def test_a_vacancy_list_exports_every_row_not_one_page_with_formulas_neutralised():
    employer = f.EmployerFactory()
    for n in range(25):
        f.VacancyFactory(employer=employer, title=f"=HYPERLINK(\"http://evil\") {n}" if n == 0 else f"Darbs {n}")
    rows = csv_rows(client_for().get("/api/v1/vacancies/", {"format": "csv"}))
    assert len(rows) == 25  # the JSON list shows 20 on a page
    evil = next(row for row in rows if "HYPERLINK" in row["title"])
    assert evil["title"].startswith("'=") and rows[0]["employer.name"] == employer.name
    book = openpyxl.load_workbook(io.BytesIO(client_for().get("/api/v1/vacancies/", {"format": "xlsx"}).content))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in cells)
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)


def test_an_export_keeps_the_lists_filters_and_the_accept_header_works_too():
    valmiera, cesis = f.TownFactory(name="Valmiera"), f.TownFactory(name="Cēsis", latitude=57.3, longitude=25.3)
    f.VacancyFactory(employer=f.EmployerFactory(town=valmiera))
    f.VacancyFactory(employer=f.EmployerFactory(town=cesis))
    rows = csv_rows(client_for().get("/api/v1/vacancies/", {"format": "csv", "town": cesis.pk}))
    assert [row["town.name"] for row in rows] == ["Cēsis"]
    accepted = client_for().get("/api/v1/vacancies/", HTTP_ACCEPT="text/csv")
    assert len(csv_rows(accepted)) == 2 and accepted["Content-Disposition"] == 'attachment; filename="vacancies.csv"'


def test_an_export_shows_only_what_the_json_list_shows():
    draft = f.VacancyFactory(status="draft", published_at=None, title="Melnraksts")
    f.VacancyFactory(title="Publiska")
    assert [r["title"] for r in csv_rows(client_for().get("/api/v1/vacancies/", {"format": "csv"}))] == ["Publiska"]
    member = f.EmployerMemberFactory(employer=draft.employer)
    titles = {r["title"] for r in csv_rows(client_for(member).get("/api/v1/vacancies/", {"format": "csv"}))}
    assert titles == {"Publiska", "Melnraksts"}


def test_applications_and_the_caseload_export_for_those_who_may_list_them():
    counsellor = f.CounsellorFactory()
    candidate = f.CandidateFactory(counsellor=counsellor, consent_counsellor=True, consent_counsellor_at=timezone.now())
    application = f.ApplicationFactory(candidate=candidate)
    member = f.EmployerMemberFactory(employer=application.vacancy.employer)
    assert [int(r["id"]) for r in csv_rows(client_for(member).get("/api/v1/applications/", {"format": "csv"}))] == [
        application.pk]
    assert csv_rows(client_for(f.EmployerMemberFactory(employer=f.EmployerFactory())).get(
        "/api/v1/applications/", {"format": "csv"})) == []
    caseload = client_for(counsellor.user).get("/api/v1/counsellor/caseload/", {"format": "xlsx"})
    assert caseload.status_code == 200 and caseload.content.startswith(b"PK")
    assert client_for(candidate.user).get("/api/v1/counsellor/caseload/", {"format": "csv"}).status_code == 403
    assert client_for().get("/api/v1/applications/", {"format": "csv"}).status_code == 401


def test_programmes_and_intakes_export_as_xlsx():
    intake = f.IntakeFactory()
    for path, expected in (("/api/v1/programmes/", intake.programme.name_lv), ("/api/v1/intakes/", intake.pk)):
        book = openpyxl.load_workbook(io.BytesIO(client_for().get(path, {"format": "xlsx"}).content))
        header, first = list(book.active.iter_rows(values_only=True))[:2]
        assert expected in first, (path, header, first)


def test_more_rows_than_the_cap_is_a_400_in_json(monkeypatch):
    monkeypatch.setattr(tabular, "EXPORT_CAP", 2)
    for _ in range(3):
        f.VacancyFactory()
    response = client_for().get("/api/v1/vacancies/", {"format": "csv"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "format" in response.json()["error"]["fields"]
    assert client_for().get("/api/v1/vacancies/", {"format": "json"}).status_code == 200


def test_an_unknown_format_is_a_400_naming_the_field():
    response = client_for().get("/api/v1/vacancies/", {"format": "pdf"})
    assert response.status_code == 400 and "format" in response.json()["error"]["fields"]


def test_options_and_writes_answer_json_whatever_format_was_asked_for():
    assert client_for().options("/api/v1/vacancies/", {"format": "csv"})["Content-Type"] == "application/json"
    admin = f.AdminUserFactory()
    response = client_for(admin).options("/api/v1/imports/intakes/template/?format=xlsx")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
