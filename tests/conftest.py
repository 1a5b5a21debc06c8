"""Shared fixtures: API clients and the path to the official ESCO files."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture(scope="session")
def esco_dir() -> Path:
    """The official ESCO download (ESCO_DIR). CI sets it; a run without it fails loudly, never skips."""
    value = os.environ.get("ESCO_DIR")
    if not value:
        guess = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco"
        if guess.is_dir():
            return guess
        pytest.fail("ESCO_DIR is not set: point it at the folder with the official ESCO CSV ZIPs")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"ESCO_DIR={value} is not a folder")
    return path
