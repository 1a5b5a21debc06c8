"""Fixtures of the web site's tests: the demo world (loaded once per module) and fresh inline match services."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from django.test import Client

from careers.models import User
from careers.runtime.matches import MatchService, set_match_service
from careers.runtime.paths import PathService, set_path_service
from tests.careers.conftest import demo_world  # noqa: F401  (the same module-scoped demo data)

DEMO_PASSWORD = "Demo-Parole-2026"




@pytest.fixture(autouse=True, scope="module")
def services():
    """A match index and path finder of this module's own (its data is the module's), probing inline."""
    matches = MatchService(background=False)
    previous_matches = set_match_service(matches)
    previous_paths = set_path_service(PathService(matches=lambda: matches, background=False))
    yield matches
    set_match_service(previous_matches)
    set_path_service(previous_paths)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


# ------------------------------------------------------------------------------------------- browser tests
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRED_ENV = "REQUIRE_BROWSER_TESTS"  # .ci/run sets it: a missing browser fails the run instead of skipping
BROWSER_SKIPS: list[str] = []


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None or importlib.util.find_spec("axe_playwright_python") is None:
        return "the playwright / axe-playwright-python packages are not installed"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    reason = browser_missing()
    if reason is None:
        return CHROMIUM
    if os.environ.get(REQUIRED_ENV) == "1":
        pytest.fail(f"browser tests are required ({REQUIRED_ENV}=1) but {reason}")
    BROWSER_SKIPS.append(reason)
    pytest.skip(f"browser tests not run: {reason}")


def pytest_runtest_logreport(report) -> None:
    if report.skipped and "tests/web/test_browser" in report.nodeid and report.when == "setup":
        BROWSER_SKIPS.append(report.nodeid)


def pytest_terminal_summary(terminalreporter) -> None:
    skipped = [s for s in BROWSER_SKIPS if "::" in s]
    if skipped:
        reasons = sorted({s for s in BROWSER_SKIPS if "::" not in s})
        terminalreporter.write_sep("!", f"BROWSER TESTS SKIPPED ({len(skipped)}): {'; '.join(reasons)}", red=True)
        for nodeid in skipped:
            terminalreporter.write_line(f"  skipped: {nodeid}")
