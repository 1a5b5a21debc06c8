"""The municipality analyst's pages (journey 5) over Django's test client, on the demo world.

Rules, each with a test that fails without it: visitors sign in first, every role but analysts and staff gets 403;
each chart is an SVG a screen reader can name (role, title, desc, aria-labelledby to the table of the same
numbers) that differs by more than colour (hatches), the table and the download hold the selector's numbers, bad
input is a 400 beside the field.
"""
from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from careers.models import User
from careers.selectors.analyst import market_dashboard
from careers.selectors.insights import InsightsScope, fairness_report
from careers.tabular import csv_bytes, xlsx_bytes
from tests.web.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]

ANALYST = "analyst.valmiera"
PAGES = ("/analyst/", "/analyst/fairness/", "/analyst/outcomes/", "/analyst/download/towns/?format=csv")


def text(response) -> str:
    return response.content.decode()


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def test_visitors_are_sent_to_sign_in():
    for url in PAGES:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/signin/"), url


@pytest.mark.parametrize("username", ["welder.ventspils", "counsellor.valmiera", "provider.vtech",
                                      "employer.valmiera"])
def test_other_roles_get_403(username):
    client = signed_in(username)
    assert [client.get(url).status_code for url in PAGES] == [403] * len(PAGES)


@pytest.mark.parametrize("username", [ANALYST, "admin"])
def test_analysts_and_staff_read_every_page(username):
    client = signed_in(username)
    assert [client.get(url).status_code for url in PAGES] == [200] * len(PAGES)


@pytest.mark.parametrize("url", PAGES[:3])
def test_every_chart_is_named_for_a_screen_reader_and_points_to_its_table(url):
    html = text(signed_in(ANALYST).get(url))
    charts = svgs(html)
    assert charts
    for svg in charts:
        opening = svg[:svg.index(">")]
        assert 'role="img"' in opening
        chart_title, table = re.search(r'aria-labelledby="(\S+) (\S+)"', opening).groups()
        assert f'<title id="{chart_title}">' in svg and "<desc id=" in svg
        assert f'<table class="data" id="{table}">' in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids repeat across the charts"


def test_charts_use_the_browsers_fonts_and_patterns_not_colour_alone():
    html = text(signed_in(ANALYST).get("/analyst/"))
    for svg in svgs(html):
        assert "@font-face" not in svg and not re.search(r'(src|href)="https?://', svg)
        assert "<text" in svg  # text stays text (svg.fonttype none), so the numbers are read and scale
    towns = svgs(html)[0]
    assert "<pattern" in towns  # the second series is hatched


def test_the_town_table_holds_the_selectors_numbers():
    response = signed_in(ANALYST).get("/analyst/", {"area": "valmiera"})
    assert response.status_code == 200
    board = market_dashboard(viewer=User.objects.get(username=ANALYST), area="valmiera", language="lv")
    table = text(response).split('id="table-towns"')[1].split("</table>")[0]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td><td class="num">(\d+)</td>'
                      r'<td class="num">([^<]+)</td></tr>', table)
    expected = [(r["town"]["name"], str(r["open_vacancies"]), str(r["places"]),
                 "—" if r["looking_candidates"] is None else str(r["looking_candidates"])) for r in board.by_town]
    assert rows == expected and rows


def test_the_shortage_table_names_programmes_and_seats():
    html = text(signed_in(ANALYST).get("/analyst/"))
    table = html.split('id="table-shortages"')[1].split("</table>")[0]
    assert re.search(r'href="/programmes/\d+/"', table)
    assert re.search(r"\d+ (vieta|vietas|vietu|seats?)", table)


def test_the_csv_download_is_the_table_and_the_xlsx_the_same_cells():
    client = signed_in(ANALYST)
    board = market_dashboard(viewer=User.objects.get(username=ANALYST), area="all", language="lv")
    csv_text = client.get("/analyst/download/towns/", {"format": "csv"}).content.decode("utf-8-sig")
    lines = csv_text.strip().split("\r\n")
    assert len(lines) == 1 + len(board.by_town)
    first = board.by_town[0]
    assert lines[1].split(";")[:3] == [first["town"]["name"], str(first["open_vacancies"]), str(first["places"])]
    response = client.get("/analyst/download/towns/", {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="towns.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(cells) == len(lines) and cells[1][:3] == [first["town"]["name"], first["open_vacancies"],
                                                         first["places"]]


def test_the_fairness_download_has_a_row_per_group():
    client = signed_in(ANALYST)
    report = fairness_report(scope=InsightsScope())
    lines = client.get("/analyst/download/fairness/", {"format": "csv"}).content.decode("utf-8-sig").strip()
    assert len(lines.split("\r\n")) == 1 + sum(len(rows) for rows in report.values())


def test_spreadsheet_cells_that_look_like_formulas_are_neutralised():
    body = csv_bytes(["name"], [["=HYPERLINK(1)"], ["+371"], ["Valmiera"]]).decode("utf-8-sig")
    assert body.split("\r\n")[1:4] == ["'=HYPERLINK(1)", "'+371", "Valmiera"]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["name"], [["@SUM(A1)"]]))).active
    assert sheet["A2"].value == "'@SUM(A1)"


@pytest.mark.parametrize(("url", "params", "field"), [
    ("/analyst/", {"area": "riga"}, "area"),
    ("/analyst/fairness/", {"date_from": "2026-05-01", "date_to": "2026-01-01"}, "date_to"),
    ("/analyst/outcomes/", {"date_from": "not a date"}, "date_from"),
    ("/analyst/download/trend/", {"format": "pdf"}, "format"),
])
def test_bad_input_is_400_beside_the_field(url, params, field):
    response = signed_in(ANALYST).get(url, params)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in text(response) and 'class="error-summary"' in text(response)


def test_an_unknown_download_is_404():
    assert signed_in(ANALYST).get("/analyst/download/passwords/", {"format": "csv"}).status_code == 404


def test_the_nav_offers_the_insights_to_analysts_only():
    assert "/analyst/" in text(signed_in(ANALYST).get("/"))
    assert "/analyst/" not in text(signed_in("counsellor.valmiera").get("/"))
    assert "/counsellor/" in text(signed_in("counsellor.valmiera").get("/"))
