"""A live copy of the site for browser tests, screenshots and the web benchmark: ``quickstart --no-esco`` into a
temporary SQLite file, then gunicorn on a free loopback port with production settings (DEBUG off, a random secret
key). Cookies are not marked Secure (plain HTTP on 127.0.0.1), as ``make run`` does.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "THROTTLE_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
               DATABASE_URL=f"sqlite:///{database}", DJANGO_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SECURE_COOKIES="0", DJANGO_LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1", **extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def live_site(folder: Path, *, workers: int = 1, threads: int = 4, **env_extra: str) -> Iterator[str]:
    """Yield the base URL of a freshly loaded demo site; the server is stopped afterwards."""
    env = environment(folder / "site.sqlite3", **env_extra)
    manage(env, "quickstart", "--no-esco")
    port = free_port()
    log = open(folder / "server.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread", "--timeout", "120",
         "--graceful-timeout", "5"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(base + "/"):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"the site did not start:\n{log.read()[-4000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()
