"""The list endpoints under gunicorn beside the towns list, in the same run, optionally against a baseline checkout.

    .venv/bin/python -m benchmarks.bench_lists                                  # this checkout only
    .venv/bin/python -m benchmarks.bench_lists --baseline /tmp/base-scale       # A/B/A/B against another checkout

What it does, all on 127.0.0.1: ``quickstart --no-esco`` into a temporary SQLite file (production settings, the
throttles lifted as in :mod:`benchmarks.bench_api`); one gunicorn (``--workers`` x ``--threads`` gthread) per
checkout, both over that file; then ``--rounds`` rounds, each running every endpoint of ``--paths`` for
``--seconds`` on this checkout and then on the baseline (A, B, A, B ...), with ``--clients`` keep-alive
connections in a closed loop and the token of ``--user``. It prints requests/s, p50/p95, errors and the server's
CPU per request of each, each list's requests/s as a share of the towns list's on the same server in the same
round (the issue's target: at least 0.3 at 32 connections), and the new/baseline ratio. Figures are printed,
never asserted.
"""
from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.bench_api import PASSWORD, REPO, SERVER_PIDS, Load, _call, _environment, _free_port, _manage
from benchmarks.bench_matching import machine

PATHS = ("/api/v1/towns/", "/api/v1/vacancies/", "/api/v1/programmes/", "/api/v1/intakes/", "/api/v1/candidates/",
         "/api/v1/applications/", "/api/v1/employers/", "/api/v1/institutions/", "/api/v1/skills/",
         "/api/v1/occupations/")
TOWNS = PATHS[0]


def _serve(repo: Path, env: dict, workers: int, threads: int, log) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
         "--timeout", "300", "--keep-alive", "30"],
        cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT)
    return server, port


def _wait(server: subprocess.Popen, port: int, user: str) -> str:
    """Wait until the server answers; return a token of ``user``."""
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited (see its log)")
        try:
            if _call(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "GET", TOWNS)[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn did not answer within 60 s")
        time.sleep(0.2)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    status, body = _call(conn, "POST", "/api/v1/auth/token/", body={"username": user, "password": PASSWORD})
    assert status == 200, (status, body)
    return json.loads(body)["access"]


def _queries(env: dict, user: str, paths: list[str], repo: Path) -> dict[str, int]:
    """Queries per request of each path (one warm request in process, through the test client)."""
    script = ("import json\nfrom django.db import connection\nfrom django.test import Client\n"
              "from rest_framework_simplejwt.tokens import RefreshToken\nfrom careers.models import User\n"
              f"h = {{'HTTP_AUTHORIZATION': 'Bearer ' + str(RefreshToken.for_user(User.objects.get(username={user!r})).access_token)}}\n"
              "c, out = Client(), {}\n"
              f"for p in {paths!r}:\n"
              "    c.get(p, **h)\n    seen = []\n"
              "    def wrap(execute, sql, params, many, context):\n        seen.append(sql)\n"
              "        return execute(sql, params, many, context)\n"
              "    with connection.execute_wrapper(wrap):\n        c.get(p, **h)\n    out[p] = len(seen)\n"
              "print(json.dumps(out))\n")
    done = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", script], cwd=repo,
                          env={**env, "DJANGO_ALLOWED_HOSTS": "testserver"}, capture_output=True, text=True,
                          timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="", help="Another checkout of this project to measure in the same run.")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="Length of one endpoint's round.")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--user", default="admin", help="Demo login whose token every request carries.")
    parser.add_argument("--paths", default=",".join(PATHS), help="Comma-separated; the towns list is always added.")
    args = parser.parse_args(argv)
    paths = [TOWNS] + [p for p in args.paths.split(",") if p and p != TOWNS]
    print(f"machine: {machine()}")
    checkouts = {"new": REPO, **({"base": Path(args.baseline).resolve()} if args.baseline else {})}
    with tempfile.TemporaryDirectory(prefix="bench_lists_") as folder:
        env = _environment(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        _manage(env, "quickstart", "--no-esco")
        queries = {name: _queries(env, args.user, paths, repo) for name, repo in checkouts.items()}
        servers, logs = {}, []
        try:
            for name, repo in checkouts.items():
                logs.append(open(Path(folder) / f"gunicorn-{name}.log", "w+"))
                servers[name] = _serve(repo, env, args.workers, args.threads, logs[-1])
            SERVER_PIDS[:] = [server.pid for server, _ in servers.values()]
            loads = {name: Load(port, _wait(server, port, args.user), args.clients)
                     for name, (server, port) in servers.items()}
            for load in loads.values():  # warm-up: every worker imports and connects
                for path in paths:
                    load.run([path], seconds=1.0, max_requests=10**9)
            results = _rounds(args, paths, loads)
        finally:
            for server, _ in servers.values():
                server.terminate()
                server.wait(timeout=20)
            for log in logs:
                log.close()
    _report(args, paths, results, queries)
    return 0


def _rounds(args, paths: list[str], loads: dict[str, Load]) -> dict:
    results = {name: {p: [] for p in paths} for name in loads}
    for r in range(args.rounds):
        for path in paths:
            for name, load in loads.items():  # new, base, new, base ... for each endpoint in turn
                res = load.run([path], seconds=args.seconds, max_requests=10**9)
                results[name][path].append(res)
                print(f"   round {r + 1} {name:4s} {path:24s} {res['rps']:7.1f} req/s  p50 {res['p50']:6.1f} ms  "
                      f"p95 {res['p95']:6.1f} ms  CPU {res['cpu_ms']:5.2f} ms/req  errors={res['errors']}", flush=True)
    return results


def _report(args, paths: list[str], results: dict, queries: dict) -> None:
    print(f"\n{args.clients} connections, gunicorn {args.workers} workers x {args.threads} threads, user "
          f"{args.user}, {args.rounds} rounds of {args.seconds:.0f} s per endpoint (medians of rounds)")
    names = list(results)
    header = "| endpoint | " + " | ".join(f"{n} req/s | {n} p50 ms | {n} CPU ms/req | {n} queries | {n} / towns"
                                           for n in names)
    print(header + (" | new / base req/s |" if "base" in names else " |"))
    towns = {n: float(np.median([x["rps"] for x in results[n][TOWNS]])) for n in names}
    for path in paths:
        cells = []
        rps = {}
        for n in names:
            runs = results[n][path]
            rps[n] = float(np.median([x["rps"] for x in runs]))
            errors = sum(x["errors"] for x in runs)
            cells.append(f"{rps[n]:.1f}{f' ({errors} errors)' if errors else ''} | "
                         f"{np.median([x['p50'] for x in runs]):.1f} | {np.median([x['cpu_ms'] for x in runs]):.2f} | "
                         f"{queries.get(n, {}).get(path, '?')} | {rps[n] / towns[n]:.2f}")
        ratio = f" | {rps['new'] / rps['base']:.2f} |" if "base" in names else " |"
        print(f"| {path} | " + " | ".join(cells) + ratio)


if __name__ == "__main__":
    raise SystemExit(main())
