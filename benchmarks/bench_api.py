"""The jobs-recommendation endpoint under gunicorn, beside a trivial authenticated endpoint in the same run.

    .venv/bin/python -m benchmarks.bench_api                       # demo data + 10,000 bulk vacancies
    .venv/bin/python -m benchmarks.bench_api --vacancies 0 --seconds 5 --rounds 2

What it does, all on 127.0.0.1:

1. ``quickstart --no-esco`` into a temporary SQLite file (production settings: DEBUG off, a random secret key,
   user throttling lifted so the load generator measures the server, not the throttle); then, if ``--vacancies``
   is above the demo's count, copies of the demo's public vacancies (with their skills and languages, new titles
   and employers spread over the demo's verified employers) up to that many;
2. gunicorn (``--workers``, ``--threads``, gthread) on a free loopback port; every worker builds its index on its
   first recommendation request, so both endpoints are warmed up before measuring;
3. a load generator in this process: ``--clients`` keep-alive connections on one asyncio loop (raw HTTP/1.1, so
   the generator costs tens of microseconds a request), each with admin's token, run endpoint A (GET /api/v1/candidates/{id}/recommendations/jobs/, cycling over
   the indexed candidates) and endpoint B (GET /api/v1/me/) alternately A, B, A, B for ``--rounds`` rounds of
   ``--seconds`` each (bounded by time and by ``--max-requests``), and prints requests/s, p50/p95/p99 latency,
   errors, the server's CPU time per request (gunicorn's processes, from /proc: stable when the machine is
   shared, unlike latency) and the ratio A/B: the **closed loop**, each client sending its next request as soon
   as the last is answered, which finds the saturated rate;
4. **paced** rounds (``--paced``): the same clients, each a Poisson stream, offered rising shares of each
   endpoint's saturated rate (A, B alternating at each share), latency counted from when a request was due; the
   highest rate served with p95 ≤ ``--slo-ms`` (50), no errors and at least 95% of the offered rate is that
   endpoint's capacity within the target, and the ratio of the two capacities is printed.

Why both: in a closed loop at saturation every client waits for every other, so latency is clients / throughput
whatever the code does (16 clients at 200 requests/s: 80 ms on average; the trivial endpoint's own p95 is above
50 ms there too). Latency targets are met at an operating load below saturation, which the paced rounds measure.

Figures are printed, never asserted. Targets (issue 4): A ≥ 20% of B's requests/s, A's p95 ≤ 50 ms at 16 clients.
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.bench_matching import machine

REPO = Path(__file__).resolve().parents[1]
ADMIN, PASSWORD = "admin", "Demo-Parole-2026"

BULK = r'''
import random
from django.db import transaction
from careers.models import Employer, Vacancy, VacancySkill, VacancyLanguage
target = TARGET
rng = random.Random(7)
base = list(Vacancy.objects.public().prefetch_related("skill_links", "languages"))
employers = list(Employer.objects.filter(verified=True).values_list("id", flat=True))
have = Vacancy.objects.public().count()
fields = ["title", "description", "text_language", "occupation_id", "town_id", "work_arrangement", "contract_kind",
          "hours", "salary_min", "salary_max", "min_education", "min_age", "places", "status", "published_at",
          "expires_at"]
n = 0
with transaction.atomic():
    while have + n < target:
        batch = []
        links = []
        for _ in range(min(2000, target - have - n)):
            src = base[rng.randrange(len(base))]
            v = Vacancy(employer_id=rng.choice(employers), **{f: getattr(src, f) for f in fields})
            v.title = f"{src.title} ({n})"
            batch.append((v, src))
            n += 1
        made = Vacancy.objects.bulk_create([v for v, _ in batch])
        VacancySkill.objects.bulk_create([VacancySkill(vacancy=v, skill_id=l.skill_id, essential=l.essential)
                                          for v, (_, src) in zip(made, batch) for l in src.skill_links.all()])
        VacancyLanguage.objects.bulk_create([VacancyLanguage(vacancy=v, language=l.language, level=l.level)
                                             for v, (_, src) in zip(made, batch) for l in src.languages.all()])
from django.db import connection
with connection.cursor() as cursor:  # planner statistics, as autovacuum (or a deploy step) keeps them in production
    cursor.execute("ANALYZE")
from careers.runtime.matches import indexed_candidates
print(json.dumps({"public": Vacancy.objects.public().count(),
                  "candidates": list(indexed_candidates().values_list("id", flat=True))}))
'''


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _scratch_postgres(url: str) -> str:
    """Drop and create the database named in ``url`` (it must be a scratch database), return ``url``."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.replace("_", "").isalnum() or name in ("postgres", "template0", "template1"):
        raise SystemExit(f"refusing to recreate database {name!r}: give a scratch database name")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def _environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "THROTTLE_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
               DATABASE_URL=database_url, DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_LOG_LEVEL="WARNING",
               THROTTLE_USER="1000000000/hour", THROTTLE_ANON="1000000000/hour", PYTHONUNBUFFERED="1")
    return env


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=1800)
    if done.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def _call(conn: http.client.HTTPConnection, method: str, path: str, token: str | None = None,
          body: dict | None = None) -> tuple[int, bytes]:
    headers = {"Accept": "application/json", "Host": "127.0.0.1"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


class Load:
    """``clients`` keep-alive HTTP/1.1 connections on one asyncio loop, until ``seconds`` or ``max_requests``.

    One event loop and raw sockets keep the generator's own cost small (tens of microseconds a request), so on a
    2-core machine the server gets the CPU and the latencies measured are the server's, not the GIL's of a
    threaded client.
    """

    def __init__(self, port: int, token: str, clients: int) -> None:
        self.port, self.token, self.clients = port, token, clients

    def run(self, paths: list[str], seconds: float, max_requests: int, rate: float | None = None) -> dict:
        return asyncio.run(self._run(paths, seconds, max_requests, rate))

    async def _run(self, paths: list[str], seconds: float, max_requests: int, rate: float | None) -> dict:
        """Closed loop (``rate`` None: each client sends its next request as soon as the last is answered) or
        paced (``rate`` requests/s in all, each client a Poisson stream of ``rate / clients``; a latency runs
        from when the request was due, so a late server is not hidden by the client waiting for it)."""
        requests = [(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                     f"Authorization: Bearer {self.token}\r\n\r\n").encode() for path in paths]
        latencies: list[float] = []
        errors = [0]
        counter = iter(range(10**12))
        began = time.perf_counter()
        deadline = began + seconds

        async def client(number: int) -> None:
            # One gap drawn per request (a microsecond), not a long array up front: drawing that for every client
            # at the start would block the loop while the first requests fall due, and count as server latency.
            rng, mean_gap = np.random.default_rng(number), self.clients / rate if rate else 0.0
            due = began + (rng.exponential(mean_gap) if rate else 0.0)
            if rate:
                # Connect when the first request is due, as a browser does: gunicorn's gthread worker gives a new
                # connection a thread at once and holds it until the request arrives, so connecting early would
                # hold threads that requests on other connections are waiting for.
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                while True:
                    if rate:
                        if due >= deadline:
                            break
                        await asyncio.sleep(max(0.0, due - time.perf_counter()))
                    elif time.perf_counter() >= deadline:
                        break
                    n = next(counter)
                    if n >= max_requests:
                        break
                    t = due if rate else time.perf_counter()
                    writer.write(requests[n % len(requests)])
                    status = await _read_response(reader)
                    latencies.append(time.perf_counter() - t)
                    errors[0] += status != 200
                    if rate:
                        due += rng.exponential(mean_gap)
            finally:
                writer.close()

        cpu = _server_cpu(self.port)
        await asyncio.gather(*(client(number) for number in range(self.clients)))
        wall = time.perf_counter() - began
        cpu = _server_cpu(self.port) - cpu
        ms = np.asarray(latencies) * 1000
        return {"n": len(ms), "wall": wall, "rps": len(ms) / wall, "errors": errors[0],
                "p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95)),
                "p99": float(np.percentile(ms, 99)), "cpu_ms": 1000 * cpu / max(len(ms), 1)}


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked); return its status."""
    status = int((await reader.readline()).split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        await reader.readexactly(length)
        return status
    while (size := int((await reader.readline()).split(b";")[0], 16)):
        await reader.readexactly(size + 2)
    await reader.readline()
    return status


SERVER_PIDS: list[int] = []


def _server_cpu(port: int) -> float:
    """User + system CPU seconds of the gunicorn master and workers so far (from /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in SERVER_PIDS + _children(SERVER_PIDS):
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return total


def _children(pids: list[int]) -> list[int]:
    found = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as handle:
                found += [int(x) for x in handle.read().split()]
        except OSError:
            continue
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vacancies", type=int, default=10_000, help="Public vacancies to reach with bulk copies.")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0, help="Length of one A or B round.")
    parser.add_argument("--rounds", type=int, default=3, help="A, B pairs.")
    parser.add_argument("--max-requests", type=int, default=20_000, help="Bound per round.")
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--paced", default="0.2,0.3,0.4,0.5,0.6,0.7,0.8",
                        help="Shares of each endpoint's saturated requests/s to offer in paced rounds after the "
                             "closed-loop ones (comma-separated; empty: none).")
    parser.add_argument("--slo-ms", type=float, default=50.0, help="The p95 latency target of the paced rounds.")
    parser.add_argument("--database-url", default="",
                        help="A PostgreSQL URL of a scratch database (dropped and created anew); default: a "
                             "temporary SQLite file.")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="bench_api_") as folder:
        env = _environment(args.database_url and _scratch_postgres(args.database_url)
                           or f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        t = time.perf_counter()
        _manage(env, "quickstart", "--no-esco")
        found = json.loads(_manage(env, "shell", "--no-imports", "-c",
                                   "import json\nTARGET = %d\n" % args.vacancies + BULK).strip().splitlines()[-1])
        candidates = found["candidates"]
        print(f"database: {found['public']} public vacancies, {len(candidates)} indexed candidates "
              f"({env['DATABASE_URL'].split(':')[0]}, prepared in {time.perf_counter() - t:.0f} s)")
        port = _free_port()
        log = open(Path(folder) / "gunicorn.log", "w+")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread",
             "--timeout", "300", "--keep-alive", "30"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        SERVER_PIDS[:] = [server.pid]
        try:
            return _measure(args, port, candidates, server, log)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


def _measure(args, port: int, candidates: list[int], server, log) -> int:
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"gunicorn exited:\n{log.read()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            if _call(conn, "GET", "/api/v1/towns/")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn did not answer within 60 s")
        time.sleep(0.2)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # sign-in hashes a password; builds take time
    status, body = _call(conn, "POST", "/api/v1/auth/token/", body={"username": ADMIN, "password": PASSWORD})
    assert status == 200, (status, body)
    token = json.loads(body)["access"]
    jobs = [f"/api/v1/candidates/{c}/recommendations/jobs/?top_k={args.top_k}" for c in candidates]
    trivial = ["/api/v1/me/"]
    status, body = _call(conn, "GET", jobs[0], token)
    sample = json.loads(body)
    print(f"sample answer: {len(sample['items'])} items, {len(body):,} bytes; first: "
          f"{sample['items'][0]['vacancy']['title'] if sample['items'] else '-'}")
    load = Load(port, token, args.clients)
    t = time.perf_counter()
    # Warm-up: every worker builds its index on its first request; run until both answer fast.
    warm = load.run(jobs, seconds=max(5.0, args.seconds / 2), max_requests=10**9)
    load.run(trivial, seconds=2.0, max_requests=10**9)
    print(f"warm-up {time.perf_counter() - t:.1f} s (index builds in {args.workers} workers): "
          f"{warm['n']} requests, {warm['errors']} errors")
    print(f"{args.clients} clients, gunicorn {args.workers} workers x {args.threads} threads, "
          f"rounds of {args.seconds:.0f} s alternating A, B, A, B")
    results = {"A": [], "B": []}
    for r in range(args.rounds):
        for name, paths in (("A", jobs), ("B", trivial)):
            res = load.run(paths, seconds=args.seconds, max_requests=args.max_requests)
            results[name].append(res)
            label = "A jobs recommendations" if name == "A" else "B GET /api/v1/me/     "
            print(f"   round {r + 1} {label}: {res['rps']:7.1f} req/s  p50 {res['p50']:6.1f} ms  "
                  f"p95 {res['p95']:6.1f} ms  p99 {res['p99']:6.1f} ms  server CPU {res['cpu_ms']:5.2f} ms/req  "
                  f"n={res['n']}  errors={res['errors']}")
    total = {}
    for name, runs in results.items():
        n = sum(x["n"] for x in runs)
        wall = sum(x["wall"] for x in runs)
        total[name] = {"rps": n / wall, "p50": float(np.median([x["p50"] for x in runs])),
                       "p95": float(np.median([x["p95"] for x in runs])), "errors": sum(x["errors"] for x in runs),
                       "cpu_ms": float(np.median([x["cpu_ms"] for x in runs]))}
    a, b = total["A"], total["B"]
    print(f"A jobs recommendations (top {args.top_k}, explained): {a['rps']:.1f} req/s, p50 {a['p50']:.1f} ms, "
          f"p95 {a['p95']:.1f} ms (median of rounds), server CPU {a['cpu_ms']:.2f} ms/request, errors {a['errors']}")
    print(f"B trivial GET /api/v1/me/:                 {b['rps']:.1f} req/s, p50 {b['p50']:.1f} ms, "
          f"p95 {b['p95']:.1f} ms, server CPU {b['cpu_ms']:.2f} ms/request, errors {b['errors']}")
    print(f"ratio A/B requests/s: {a['rps'] / b['rps']:.2f} (target >= 0.20); closed-loop A p95 {a['p95']:.1f} ms "
          f"(at saturation a closed loop's latency is clients / throughput: {args.clients} / {a['rps']:.0f} = "
          f"{1000 * args.clients / a['rps']:.0f} ms on average)")
    _paced(args, load, {"A": jobs, "B": trivial}, {"A": a["rps"], "B": b["rps"]})
    return 0


def _paced(args, load: "Load", paths: dict[str, list[str]], saturated: dict[str, float]) -> None:
    """Capacity within the latency target: each endpoint offered rising shares of its own saturated rate by the
    same clients (A, B alternating at each share); the highest rate it serves with p95 <= ``--slo-ms``, no
    errors and at least 95% of the offered rate is its capacity. A closed loop cannot show this: at saturation
    every client always waits for every other, so its p95 is set by clients / throughput, whatever the server."""
    fractions = [float(x) for x in args.paced.split(",") if x.strip()]
    if not fractions:
        return
    print(f"paced: {args.clients} clients, Poisson arrivals at shares of each endpoint's saturated rate (A "
          f"{saturated['A']:.0f}, B {saturated['B']:.0f} req/s), latency from when each request was due; rounds of "
          f"{args.seconds:.0f} s alternating A, B")
    capacity = {"A": 0.0, "B": 0.0}
    for fraction in fractions:
        line = [f"   {fraction:4.0%}:"]
        for name in ("A", "B"):
            rate = fraction * saturated[name]
            res = load.run(paths[name], seconds=args.seconds, max_requests=args.max_requests, rate=rate)
            ok = res["p95"] <= args.slo_ms and not res["errors"] and res["rps"] >= 0.95 * rate
            if ok:
                capacity[name] = max(capacity[name], res["rps"])
            line.append(f"{name} offered {rate:6.1f} served {res['rps']:6.1f} req/s p50 {res['p50']:5.1f} "
                        f"p95 {res['p95']:6.1f} p99 {res['p99']:6.1f} ms errors={res['errors']}{'' if ok else ' (over)'}")
        print("  ".join(line))
    a, b = capacity["A"], capacity["B"]
    print(f"capacity at p95 <= {args.slo_ms:.0f} ms with {args.clients} clients: A {a:.1f} req/s, B {b:.1f} req/s; "
          f"ratio A/B {a / b if b else float('nan'):.2f} (target >= 0.20); A against B's saturated rate "
          f"{a / saturated['B']:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
