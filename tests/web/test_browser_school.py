"""Journey 5, the provider's part, in a real browser: school staff upload a spreadsheet of programmes with an error,
read the report by row and column, fix the file, check it again and commit; then the demand for the skills they
teach. The harness of ``tests/web/test_browser.py`` (axe-core on every page, lv/en, 360 px and 1280 px)."""
from __future__ import annotations

import re

import pytest
from django.utils import translation

from careers.spreadsheets.columns import COLUMNS
from tests.web.test_browser import COMBOS, Visit, browser, exactly, site, visit_for  # noqa: F401
from tests.web.test_browser_employer import sign_in

pytestmark = pytest.mark.slow


def programmes_csv(code: str, eqf_second: str, language: str) -> bytes:
    headers = [c.header(language) for c in COLUMNS["programmes"]]
    keys = {c.field: c.header(language) for c in COLUMNS["programmes"]}

    def row(suffix: str, eqf: str) -> list[str]:
        cells = {"code": f"{code}-{suffix}", "name_lv": f"Kurss {code}-{suffix}", "name_en": f"Course {code}-{suffix}",
                 "kind": "continuing_course", "eqf_level": eqf, "duration_months": "3", "languages": "lv",
                 "mode": "evening", "skills_taught": "metināšana"}
        return [cells.get(field, "") for field in keys]

    lines = [headers, row("a", "3"), row("b", eqf_second)]
    return "\n".join(";".join(line) for line in lines).encode("utf-8")


def write_button(language: str) -> re.Pattern:
    with translation.override(language):
        return re.compile(re.escape(translation.ngettext("Write %(n)s row", "Write %(n)s rows", 2) % {"n": 2}))


def upload(v: Visit, data: bytes) -> None:
    page, t = v.page, v.t
    page.get_by_label(exactly(t("Spreadsheet (.xlsx or .csv)"))).set_input_files(
        files=[{"name": "programmas.csv", "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name=t("Check the file")).click()
    page.get_by_role("heading", name=t("Check report")).wait_for()


@pytest.mark.parametrize(("language", "width"), COMBOS)
def test_journey_5_school_staff_upload_programmes_fix_an_error_and_commit(visit_for, language, width):
    code = f"P{language}{width}"
    v = visit_for(width=width, language=language)
    page, t = v.page, v.t
    sign_in(v, "provider.vtech")
    page.get_by_role("link", name=t("My school")).click()
    v.check()
    page.get_by_role("navigation", name=t("School pages")).get_by_role("link", name=t("Upload programmes")).click()
    v.check()
    upload(v, programmes_csv(code, "deviņi", language))
    v.check("report with an error")
    report = page.get_by_role("table", name=t("Errors by row and column"))
    assert report.get_by_role("row").count() == 2  # the header and the one error
    assert "3" in report.get_by_role("row").nth(1).inner_text()
    assert page.get_by_role("button", name=write_button(language)).count() == 0
    upload(v, programmes_csv(code, "4", language))
    v.check("clean report")
    page.get_by_role("button", name=write_button(language)).click()
    page.wait_for_url(re.compile(r"/school/$"))
    v.check("written")
    assert page.get_by_role("heading", name=re.compile(f"{code}-a")).count() == 1
    assert page.get_by_role("heading", name=re.compile(f"{code}-b")).count() == 1
    page.get_by_role("link", name=t("Demand for your skills")).click()
    v.check("demand")
    assert page.get_by_role("table").get_by_role("row").count() >= 2
