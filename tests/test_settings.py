"""Settings come from the environment, and production settings are safe."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    # An empty .env-free environment: the real environment wins over .env, so blank the key explicitly.
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_refuses_to_start_with_debug_off_and_the_development_key():
    from config.settings import DEV_SECRET_KEY

    result = run_manage("check", DJANGO_SECRET_KEY=DEV_SECRET_KEY, DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_starts_with_debug_on_and_the_development_key():
    from config.settings import DEV_SECRET_KEY

    result = run_manage("check", DJANGO_SECRET_KEY=DEV_SECRET_KEY, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="prod-" + "k3y-Zq9" * 10,
        DJANGO_DEBUG="0",
        DJANGO_SSL_REDIRECT="1",
        DJANGO_HSTS_SECONDS="31536000",
        DJANGO_ALLOWED_HOSTS="careers.example.lv",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_database_url_selects_postgresql():
    import dj_database_url

    config = dj_database_url.parse("postgres://postgres@127.0.0.1:5432/postgres")
    assert config["ENGINE"] == "django.db.backends.postgresql"


def test_time_zone_and_languages():
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/Riga"
    assert settings.LANGUAGE_CODE == "lv"
    assert [code for code, _ in settings.LANGUAGES] == ["lv", "en"]
