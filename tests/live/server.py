"""Real server processes for out-of-process checks: a prepared database and gunicorn with production settings.

Used by tests/live/ (throttles across processes, concurrent writes, schemathesis over HTTP) and by
benchmarks/bench_concurrency.py. Production settings: DEBUG off, a random secret key, the database cache for throttles.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
READY_SECONDS = 60
DEMO_PASSWORD = "Demo-Parole-2026"


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production process on ``database_url`` (DEBUG off, no REDIS_URL, a fresh secret)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "THROTTLE_", "AXES_")) and key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=database_url, DJANGO_SECRET_KEY="live-" + secrets.token_urlsafe(40),
               DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="0", DJANGO_LOG_LEVEL="WARNING")
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare_database(database_url: str, *, demo: bool) -> None:
    """Migrate (which creates the throttle cache table) and, with ``demo``, load the reference and demo data."""
    env = production_env(database_url)
    manage(env, "migrate", "--verbosity", "0")
    if demo:
        manage(env, "load_reference")
        manage(env, "load_demo", "--no-logins")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_ready(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/admin/login/", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {READY_SECONDS} s")


@contextlib.contextmanager
def gunicorn(database_url: str, *, workers: int = 2, threads: int = 8, root: Path = ROOT,
             **env_extra: str) -> Iterator[str]:
    """Serve the project in ``root`` with ``gunicorn --worker-class gthread`` on a free port; yields the base URL."""
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "config.wsgi", "--worker-class", "gthread", "--workers", str(workers),
               "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--timeout", "120",
               "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=root, env=production_env(database_url, **env_extra))
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def ensure_redis(host: str = "127.0.0.1", port: int = 6379) -> str:
    """The local Redis's URL, starting it (Debian's init script, else ``redis-server --daemonize``) if it is down."""
    def answers() -> bool:
        try:
            with socket.create_connection((host, port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False
    if not answers():
        script = Path("/etc/init.d/redis-server")
        command = [str(script), "start"] if script.exists() else ["redis-server", "--daemonize", "yes",
                                                                  "--port", str(port)]
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not answers():
            if time.monotonic() > deadline:
                raise RuntimeError(f"Redis at {host}:{port} is down and did not start")
            time.sleep(0.2)
    return f"redis://{host}:{port}"
