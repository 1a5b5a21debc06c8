"""Screenshots of the employer and school staff pages (journeys 3 and 5), Latvian and English, phone and desktop,
into docs/screenshots/.

    .venv/bin/python -m tests.web.screenshots_staff      # needs Chromium (apt-get install chromium)

A fresh demo site (``tests.web.live``) as ``employer.valmiera`` and ``provider.vtech``; the top of each page, or of
the part a page is about (the suggestions, the report).
"""
from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from careers.spreadsheets.columns import COLUMNS
from tests.web.live import REPO, live_site
from tests.web.screenshots import OUT, SIZES

DESCRIPTION = "Meklējam metinātāju ražotnē: metināšana ar MIG/MAG, rasējumu lasīšana, darbs ar CNC darbgaldu."
BUSIEST_VACANCY = """
    SELECT v.id FROM careers_vacancy v
    JOIN careers_employer_members m ON m.employer_id = v.employer_id JOIN careers_user u ON u.id = m.user_id
    JOIN careers_application a ON a.vacancy_id = v.id
    WHERE u.username = 'employer.valmiera' AND v.status = 'open' GROUP BY v.id ORDER BY COUNT(a.id) DESC LIMIT 1"""


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Demo-Parole-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def programmes_csv(language: str) -> bytes:
    keys = [c.field for c in COLUMNS["programmes"]]
    rows = [[c.header(language) for c in COLUMNS["programmes"]]]
    for code, eqf in (("S1", "3"), ("S2", "deviņi")):
        cells = {"code": code, "name_lv": f"Kurss {code}", "name_en": f"Course {code}", "kind": "continuing_course",
                 "eqf_level": eqf, "duration_months": "3", "languages": "lv", "mode": "evening"}
        rows.append([cells.get(k, "") for k in keys])
    return "\n".join(";".join(r) for r in rows).encode()


def shoot(browser, base: str, vacancy: int, language: str, size: str) -> list[Path]:
    width, height = SIZES[size]
    written = []

    def save(page, name: str, focus: str | None = None) -> None:
        if focus:
            page.locator(focus).first.scroll_into_view_if_needed()
        else:
            page.evaluate("window.scrollTo(0, 0)")
        target = OUT / f"{name}-{language}-{size}.png"
        page.screenshot(path=str(target))
        written.append(target)

    for username, steps in (("employer.valmiera", "employer"), ("provider.vtech", "school")):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page = context.new_page()
        sign_in(page, base, username)
        if steps == "employer":
            page.goto(base + "/employer/vacancies/new/")
            page.fill("#id_title", "Metinātājs")
            page.fill("#id_description", DESCRIPTION)
            page.locator("#suggestions mark").first.wait_for()
            save(page, "employer-post", "#suggestions")
            page.goto(base + f"/employer/vacancies/{vacancy}/candidates/")
            save(page, "employer-candidates")
            page.goto(base + f"/employer/vacancies/{vacancy}/applicants/")
            save(page, "employer-applicants")
            page.goto(base + "/employer/missing-skills/")
            save(page, "employer-missing-skills")
        else:
            page.goto(base + "/school/")
            save(page, "school-programmes")
            page.goto(base + "/school/upload/programmes/")
            page.set_input_files("#id_file", files=[{"name": "programmas.csv", "mimeType": "text/csv",
                                                     "buffer": programmes_csv(language)}])
            page.click("main form button[type=submit]")
            page.locator("#report").wait_for()
            save(page, "school-upload-report", "#report")
            page.goto(base + "/school/demand/")
            save(page, "school-demand")
        context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, live_site(Path(folder)) as base, sync_playwright() as playwright:
        with sqlite3.connect(Path(folder) / "site.sqlite3") as db:
            vacancy = db.execute(BUSIEST_VACANCY).fetchone()[0]
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        for language in ("lv", "en"):
            for size in SIZES:
                for path in shoot(browser, base, vacancy, language, size):
                    print(f"{path.relative_to(REPO)}  {path.stat().st_size // 1024} KB")
        browser.close()


if __name__ == "__main__":
    main()
