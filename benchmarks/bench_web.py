"""Server time per page of the web site, beside a trivial page in the same run.

    .venv/bin/python -m benchmarks.bench_web                 # 60 requests per page
    .venv/bin/python -m benchmarks.bench_web --requests 20

A fresh demo site (``quickstart --no-esco`` into a temporary SQLite file, gunicorn with 1 worker and 2 threads,
production settings; ``tests.web.live``), one keep-alive client on 127.0.0.1 sending one request at a time, so each
figure is the server's time for that page plus a loopback round trip. Each page is measured interleaved with the
trivial page (the sign-in form: a template and a session, no query) — page, trivial, page, trivial … — and the
ratio of their medians is printed beside the absolute figures, so a slower or busier machine shifts both. Each
page is requested a few times first (the match index and path finder are built on the first recommendation
request of a worker; that build is reported separately). Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import http.client
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from benchmarks.bench_matching import machine
from tests.web.live import live_site

TRIVIAL = "/signin/"
PUBLIC = ("/", "/jobs/", "/jobs/?town=2&radius_km=40&contract_kind=summer_job&contract_kind=apprenticeship",
          "/programmes/?funding=voucher", "/careers/", "/careers/{career}/", "/jobs/{job}/", "/programmes/{programme}/",
          "/interests/")
SIGNED_IN = ("/me/", "/me/jobs/", "/me/programmes/", "/me/careers/", "/me/pathways/", "/me/what-if/?programme={programme}",
             "/me/applications/", "/me/data/")
WARM_UP = 3


class Browser:
    """One keep-alive connection with a cookie jar of one site (enough for Django's session and CSRF cookies)."""

    def __init__(self, base: str) -> None:
        url = urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        try:
            return self._request(method, path, body)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()  # the server closed an idle keep-alive connection: reconnect, once
            return self._request(method, path, body)

    def _request(self, method: str, path: str, body: str | None) -> tuple[int, str, float]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, elapsed

    def sign_in(self, username: str, password: str) -> None:
        _, form, _ = self.request("GET", "/signin/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        status, _, _ = self.request("POST", "/signin/", f"csrfmiddlewaretoken={token}&username={username}"
                                                        f"&password={password}")
        assert status == 302, f"sign-in failed ({status})"


def ids(browser: Browser) -> dict[str, str]:
    """A career, a job and a programme of the demo data, read from the pages themselves."""
    found = {}
    for key, path, pattern in (("career", "/careers/", r'href="/careers/(\d+)/"'),
                               ("job", "/jobs/", r'href="/jobs/(\d+)/"'),
                               ("programme", "/programmes/", r'href="/programmes/(\d+)/"')):
        found[key] = re.search(pattern, browser.request("GET", path)[1]).group(1)
    return found


def measure(browser: Browser, path: str, n: int) -> tuple[np.ndarray, np.ndarray, int]:
    """``n`` requests of ``path`` interleaved with ``n`` of the trivial page: (page ms, trivial ms, status)."""
    page, trivial, status = [], [], 0
    for _ in range(WARM_UP):
        browser.request("GET", path)
        browser.request("GET", TRIVIAL)
    for _ in range(n):
        status, _, seconds = browser.request("GET", path)
        page.append(seconds * 1000)
        trivial.append(browser.request("GET", TRIVIAL)[2] * 1000)
    return np.array(page), np.array(trivial), status


def row(path: str, page: np.ndarray, trivial: np.ndarray, status: int) -> str:
    p50, p95 = np.percentile(page, [50, 95])
    t50, t95 = np.percentile(trivial, [50, 95])
    return f"| `{path}` | {status} | {p50:.1f} | {p95:.1f} | {t50:.1f} | {t95:.1f} | {p50 / t50:.1f}× |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="measured requests per page (default 60)")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as folder, live_site(Path(folder), workers=1, threads=2) as base:
        anonymous, welder = Browser(base), Browser(base)
        welder.sign_in("welder.ventspils", "Demo-Parole-2026")
        found = ids(anonymous)
        start = time.perf_counter()
        welder.request("GET", "/me/jobs/")
        print(f"first recommendation request of the worker (builds the match index): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")
        print(f"\n{args.requests} requests per page, each followed by one of the trivial page `{TRIVIAL}`; ms\n")
        print("| page | status | p50 | p95 | trivial p50 | trivial p95 | p50 / trivial p50 |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for client, paths in ((anonymous, PUBLIC), (welder, SIGNED_IN)):
            for path in paths:
                concrete = path.format(**found)
                print(row(concrete, *measure(client, concrete, args.requests)), flush=True)


if __name__ == "__main__":
    main()
