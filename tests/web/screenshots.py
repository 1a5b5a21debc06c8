"""Screenshots of the main pages, Latvian and English, phone (360 px) and desktop (1280 px), into docs/screenshots/.

    .venv/bin/python -m tests.web.screenshots            # needs Chromium (apt-get install chromium)

A fresh demo site (``tests.web.live``), Debian's Chromium through Playwright; the top of each page (one screen), so
the files stay small. Signed-in pages are the journey-2 welder's (``welder.ventspils``).
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.web.live import REPO, live_site

OUT = REPO / "docs" / "screenshots"
SIZES = {"phone": (360, 740), "desktop": (1280, 800)}
PAGES = (  # name, path, signed in
    ("home", "/", False),
    ("jobs", "/jobs/?contract_kind=summer_job&contract_kind=apprenticeship", False),
    ("interests", "/interests/", False),
    ("career", None, False),
    ("my-jobs", "/me/jobs/", True),
    ("my-skills", "/me/skills/", True),
    ("my-data", "/me/data/", True),
)
CV = "Strādāju par metinātāju 15 gadus, protu lasīt rasējumus un strādāt ar CNC darbgaldu."


def sign_in(page, base: str) -> None:
    page.goto(base + "/signin/")
    page.fill("#id_username", "welder.ventspils")
    page.fill("#id_password", "Demo-Parole-2026")
    page.click("button[type=submit]:not([name])")
    page.wait_for_url(base + "/")


def shoot(browser, base: str, language: str, size: str) -> list[Path]:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.goto(base + "/careers/")
    career = page.locator("#results a").first.get_attribute("href")
    written = []
    for name, path, signed in PAGES:
        if signed and not written[-1].name.startswith("my"):
            sign_in(page, base)
        page.goto(base + (path or career))
        if name == "my-skills":
            page.fill("#id_text", CV)
            page.click("text=" + ("Ieteikt prasmes" if language == "lv" else "Suggest skills"))
            page.locator("mark").first.wait_for()
            page.locator("#skill-choice").scroll_into_view_if_needed()
        else:
            page.evaluate("window.scrollTo(0, 0)")
        target = OUT / f"{name}-{language}-{size}.png"
        page.screenshot(path=str(target))
        written.append(target)
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
