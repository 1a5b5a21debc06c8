"""Screenshots of the counsellor (journey 4) and analyst (journey 5) pages, lv and en, 360 px and 1280 px.

    .venv/bin/python -m tests.web.screenshots_oversight      # needs Chromium (apt-get install chromium)

The same fresh demo site and Chromium as ``tests.web.screenshots``; the counsellor is ``counsellor.ventspils``
looking at the welder, the analyst ``analyst.valmiera``. The conflict page is made by deciding one item in a
second browser context first. The top of each page (one screen), except the print preview (the whole page).
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.web.live import REPO, live_site
from tests.web.screenshots import OUT, SIZES

PASSWORD = "Demo-Parole-2026"
WELDER = "Andris Kalniņš"


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def context_for(browser, base: str, language: str, size: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return context


def shoot(browser, base: str, language: str, size: str) -> list[Path]:
    context = context_for(browser, base, language, size)
    page = context.new_page()
    written = []

    def save(name: str, *, full: bool = False) -> None:
        target = OUT / f"{name}-{language}-{size}.png"
        page.screenshot(path=str(target), full_page=full)
        written.append(target)

    sign_in(page, base, "counsellor.ventspils")
    page.goto(base + "/counsellor/")
    save("counsellor-caseload")
    page.get_by_role("link", name=WELDER).click()
    page.wait_for_load_state("load")
    person = page.url.split("?")[0]
    page.evaluate("document.getElementById('queue-title').scrollIntoView()")
    save("counsellor-queue")
    # a rival decides the first item; this page (read before) then decides it too: the conflict
    rival = context_for(browser, base, language, size)
    other = rival.new_page()
    sign_in(other, base, "admin")
    other.goto(person)
    other.locator("ol.queue > li").first.locator("input[value=approved]").check()
    other.locator("ol.queue > li").first.locator("button[type=submit]").click()
    other.locator("ol.queue [role=status]").wait_for()
    rival.close()
    first = page.locator("ol.queue > li").first
    first.locator("input[value=rejected]").check()
    first.locator("select").select_option("location")
    first.locator("button[type=submit]").click()
    page.locator(".conflict").wait_for()
    page.evaluate("document.querySelector('.conflict').scrollIntoView()")
    save("counsellor-conflict")
    page.goto(person + "print/")
    page.emulate_media(media="print")
    save("counsellor-print", full=True)
    page.emulate_media(media="screen")
    context.close()

    context = context_for(browser, base, language, size)
    page = context.new_page()
    sign_in(page, base, "analyst.valmiera")
    for name, path, anchor in (("analyst-market", "/analyst/", None),
                               ("analyst-shortages", "/analyst/", "#h-shortages"),
                               ("analyst-fairness", "/analyst/fairness/", "#h-fair-age_band")):
        page.goto(base + path)
        if anchor:
            page.evaluate(f"document.querySelector('{anchor}').scrollIntoView()")
        save(name)
    context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, live_site(Path(folder)) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        for language in ("lv", "en"):
            for size in SIZES:
                for path in shoot(browser, base, language, size):
                    print(f"{path.relative_to(REPO)}  {path.stat().st_size // 1024} KB")
        browser.close()


if __name__ == "__main__":
    main()
