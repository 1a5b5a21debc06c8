"""Journey 5, the municipality analyst's part, in a real browser: the labour market, fairness and outcomes.

Same harness as journey 1 (``tests.web.test_browser``): a live site, axe-core on every page (0 serious or
critical), no sideways scrolling at 360 px, Latvian and English. Each chart must be an image with a name that points
to the table of its numbers, and each table downloads as CSV.
"""
from __future__ import annotations

import re

import pytest

from tests.web.test_browser import COMBOS, PASSWORD, Visit, browser, site, visit_for  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def sign_in(v: Visit, username: str) -> None:
    page = v.page
    page.goto(v.site + "/signin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=v.t("Sign in")).click()
    page.wait_for_url(v.site + "/")
    v.check("signed in")


def charts_point_to_tables(v: Visit) -> int:
    charts = v.page.locator("figure.chart svg[role=img]")
    for n in range(charts.count()):
        chart_title, table = charts.nth(n).get_attribute("aria-labelledby").split()
        assert v.page.locator(f"#{table}").evaluate("e => e.tagName") == "TABLE"
        assert v.page.locator(f"#{table} tbody tr").count() >= 1
    return charts.count()


@pytest.mark.parametrize(("language", "width"), COMBOS)
def test_journey_5_the_analyst_reads_the_market_fairness_and_outcomes(visit_for, language, width):  # noqa: F811
    v = visit_for(width=width, language=language)
    page, t = v.page, v.t
    v.go("/")
    v.choose_language()
    sign_in(v, "analyst.valmiera")
    page.get_by_role("navigation", name=t("Main")).get_by_role("link", name=t("Municipality insights")).click()
    page.wait_for_url(re.compile(r"/analyst/$"))
    v.check("labour market")
    assert charts_point_to_tables(v) == 3
    page.get_by_label(t("Area"), exact=True).select_option("ventspils")
    page.get_by_role("button", name=t("Show")).click()
    page.wait_for_url(re.compile(r"area=ventspils"))
    v.check("Ventspils region")
    towns = page.locator("#table-towns tbody th").all_inner_texts()
    assert "Ventspils" in towns and "Valmiera" not in towns
    shortages = page.locator("#table-shortages")
    assert shortages.locator("tbody tr").count() >= 3
    assert shortages.get_by_role("link").count() >= 1  # the programmes that teach them
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^CSV")).nth(1).click()
    csv_text = open(download.value.path(), encoding="utf-8-sig").read()
    assert download.value.suggested_filename == "shortages.csv"
    assert len(csv_text.strip().split("\n")) == 1 + shortages.locator("tbody tr").count()
    page.get_by_role("navigation", name=t("Municipality insights")).get_by_role("link", name=t("Fairness")).click()
    page.wait_for_url(re.compile(r"/analyst/fairness/$"))
    v.check("fairness")
    assert charts_point_to_tables(v) == 3
    assert page.get_by_text(re.compile(re.escape(t("hidden: fewer than %(n)s people").split("%")[0]))).count() >= 1
    page.get_by_role("navigation", name=t("Municipality insights")).get_by_role("link", name=t("Outcomes")).click()
    page.wait_for_url(re.compile(r"/analyst/outcomes/$"))
    v.check("outcomes")
    assert charts_point_to_tables(v) == 1
    page.get_by_label(t("Served from")).fill("2026-12-31")
    page.get_by_label(t("Served until")).fill("2026-01-01")
    page.get_by_role("button", name=t("Show")).click()
    page.get_by_role("alert").wait_for()
    v.check("an empty period: the message beside the field")
