"""Databases for the real-server checks: files in a temporary folder, built by `migrate` in a subprocess.

They never touch the suite's test database; on PostgreSQL too they run on a SQLite file, the embedded default
whose locking these checks are about (bench_concurrency.py measures PostgreSQL).
"""
from __future__ import annotations

import pytest

from tests.live.server import prepare_database


@pytest.fixture(scope="session")
def demo_database_url(tmp_path_factory) -> str:
    """A SQLite file with the reference and demo data (the demo logins, password Demo-Parole-2026)."""
    path = tmp_path_factory.mktemp("live-demo") / "db.sqlite3"
    url = f"sqlite:///{path}"
    prepare_database(url, demo=True)
    return url


@pytest.fixture
def empty_database_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    prepare_database(url, demo=False)
    return url
