"""Shared fixtures: API clients and the path to the official ESCO files."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


ESCO_SKIPS: list[str] = []


@pytest.fixture(scope="session")
def esco_dir() -> Path:
    """The official ESCO download (ESCO_DIR; ../shared/data/esco beside the checkout is found too).

    CI (CI=true or REQUIRE_ESCO=1) fails without it; a developer's run skips those tests with a banner
    at the end of the run, never silently.
    """
    value = os.environ.get("ESCO_DIR")
    path = Path(value) if value else Path(__file__).resolve().parents[2] / "shared" / "data" / "esco"
    if path.is_dir():
        return path
    reason = f"ESCO_DIR={value!r} is not a folder" if value else "ESCO_DIR is not set"
    if os.environ.get("CI") or os.environ.get("REQUIRE_ESCO"):
        pytest.fail(f"{reason}: point it at the folder with the official ESCO CSV ZIPs")
    ESCO_SKIPS.append(reason)
    pytest.skip(f"{reason}: tests on the official ESCO files not run")


def pytest_terminal_summary(terminalreporter) -> None:
    if ESCO_SKIPS:
        terminalreporter.write_sep("!", "ESCO_DIR missing: the tests on the official ESCO files were SKIPPED", red=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters live in the cache: every test starts with none, so sign-ins in one never throttle another."""
    from django.core.cache import caches

    for alias in ("default", "throttle"):
        caches[alias].clear()
    yield
    for alias in ("default", "throttle"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fresh_skill_search():
    """The skill label index is process-wide (careers.runtime.skill_search): each test's taxonomy is its own, and
    ids repeat after a rollback, so every test starts without one."""
    from careers.runtime.skill_search import skill_search_reset

    skill_search_reset()
    yield
    skill_search_reset()
