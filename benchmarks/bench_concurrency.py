"""Writers and readers at once through gunicorn (issue 15): requests, errors, p50/p95, and the rows checked after.

    .venv/bin/python -m benchmarks.bench_concurrency                         # SQLite file, 60 s
    .venv/bin/python -m benchmarks.bench_concurrency --database-url postgres://postgres@127.0.0.1:5432/wt_sec
    .venv/bin/python -m benchmarks.bench_concurrency --seconds 20 --baseline /tmp/base-sec   # A/B/A/B

gunicorn runs with production settings (DEBUG off, ``--workers 2 --threads 8``) over a database prepared with the
reference and demo data (`migrate`, `load_reference`, `load_demo`); throttles are raised out of the way. Writers:
each owns one vacancy of employer.valmiera and PATCHes it in a loop, the title carrying its own counter, and posts
feedback events with its own ``client_event_id`` sequence as welder.ventspils (rows appended). Readers: the vacancy
list and the welder's jobs recommendations. Afterwards, from the database: each vacancy's title is its writer's last
acknowledged counter (no lost update) and every acknowledged feedback row exists once (nothing lost). Figures are
printed, never asserted. ``--baseline PATH`` alternates this tree and another checkout (e.g. a worktree of the
starting commit) on the same database, each run ``--seconds`` long.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.live.server import DEMO_PASSWORD, PYTHON, ROOT, gunicorn, prepare_database, production_env

NO_LIMITS = {"THROTTLE_ANON": "100000000/hour", "THROTTLE_USER": "100000000/hour", "THROTTLE_LOGIN_IP": "1000000/min",
             "THROTTLE_LOGIN_USERNAME": "1000000/min", "THROTTLE_APPLICATIONS": "100000000/hour"}


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1


def token(url: str, username: str) -> str:
    response = requests.post(f"{url}/api/v1/auth/token/", json={"username": username, "password": DEMO_PASSWORD},
                             timeout=30)
    response.raise_for_status()
    return response.json()["access"]


def timed(tally: Tally, kind: str, call, expected: tuple[int, ...]) -> bool:
    start = time.perf_counter()
    try:
        ok = call().status_code in expected
    except requests.RequestException:
        ok = False
    tally.add(kind, time.perf_counter() - start, ok)
    return ok


def writer(url, headers, feedback_headers, vacancy_id, item_key, run, n, deadline, tally, acked):
    session, counter = requests.Session(), 0
    while time.monotonic() < deadline:
        counter += 1
        if timed(tally, "PATCH vacancy", lambda: session.patch(
                f"{url}/api/v1/vacancies/{vacancy_id}/", json={"title": f"bench {run} writer {n} #{counter}"},
                headers=headers, timeout=60), (200,)):
            acked["titles"][vacancy_id] = f"bench {run} writer {n} #{counter}"
        event_id = f"{run}-{n}-{counter}"
        if timed(tally, "POST feedback", lambda: session.post(
                f"{url}/api/v1/feedback/", json={"client_event_id": event_id, "kind": "jobs", "item_key": item_key,
                                                 "event": "viewed"}, headers=feedback_headers, timeout=60), (201,)):
            acked["events"].append(event_id)


def reader(url, headers, candidate_id, deadline, tally):
    session = requests.Session()
    while time.monotonic() < deadline:
        timed(tally, "GET vacancies", lambda: session.get(f"{url}/api/v1/vacancies/?page_size=20", timeout=60), (200,))
        timed(tally, "GET jobs", lambda: session.get(
            f"{url}/api/v1/candidates/{candidate_id}/recommendations/jobs/?top_k=5", headers=headers, timeout=60),
            (200,))


def run_once(url: str, *, seconds: float, writers: int, readers: int) -> tuple[Tally, dict, str, float]:
    employer = {"Authorization": f"Bearer {token(url, 'employer.valmiera')}"}
    welder = {"Authorization": f"Bearer {token(url, 'welder.ventspils')}"}
    me = requests.get(f"{url}/api/v1/me/", headers=welder, timeout=30).json()["candidate"]["id"]
    mine = requests.get(f"{url}/api/v1/vacancies/?mine=true&status=draft&page_size=100", headers=employer,
                        timeout=30).json()["results"]
    mine += requests.get(f"{url}/api/v1/vacancies/?mine=true&status=open&page_size=100", headers=employer,
                         timeout=30).json()["results"]
    public = requests.get(f"{url}/api/v1/vacancies/?page_size=1", timeout=30).json()["results"][0]["id"]
    if len(mine) < writers:
        sys.exit(f"employer.valmiera has {len(mine)} editable vacancies; use --writers {len(mine)} or fewer")
    run, tally, acked = uuid.uuid4().hex[:8], Tally(), {"titles": {}, "events": []}
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=writer, args=(url, employer, welder, mine[n]["id"], f"vacancy:{public}", run,
                                                     n, deadline, tally, acked)) for n in range(writers)]
    threads += [threading.Thread(target=reader, args=(url, welder, me, deadline, tally)) for _ in range(readers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, acked, run, time.monotonic() - started


VERIFY = """
import json, sys
from careers.models import FeedbackEvent, Vacancy
acked = json.load(sys.stdin)
titles = dict(Vacancy.objects.filter(pk__in=[int(k) for k in acked["titles"]]).values_list("pk", "title"))
stored = list(FeedbackEvent.objects.filter(client_event_id__startswith=acked["run"] + "-")
              .values_list("client_event_id", flat=True))
print(json.dumps({"lost_updates": sum(titles.get(int(k)) != v for k, v in acked["titles"].items()),
                  "missing": len(set(acked["events"]) - set(stored)), "duplicated": len(stored) - len(set(stored)),
                  "stored": len(stored)}))
"""


def verify(database_url: str, acked: dict, run: str) -> str:
    """Read the database itself (a manage.py shell on it): lost updates and lost or doubled rows."""
    payload = json.dumps({"titles": {str(k): v for k, v in acked["titles"].items()}, "events": acked["events"],
                          "run": run})
    done = subprocess.run([PYTHON, "manage.py", "shell", "-c", VERIFY], cwd=ROOT, env=production_env(database_url),
                          input=payload, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return (f"rows: {len(acked['titles'])} vacancies, {result['lost_updates']} lost updates; "
            f"{len(acked['events'])} feedback rows acknowledged, {result['missing']} missing, "
            f"{result['duplicated']} duplicated, {result['stored'] - len(acked['events'])} stored unacknowledged")


def report(label: str, tally: Tally, elapsed: float) -> None:
    total = sum(len(v) for v in tally.latencies.values())
    errors = sum(tally.errors.values())
    print(f"[{label}] {total} requests in {elapsed:.1f} s ({total / elapsed:.1f}/s), {errors} errors")
    for kind, values in sorted(tally.latencies.items()):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"  {kind:15} n={len(values):6}  errors={tally.errors.get(kind, 0):5}  "
              f"p50={statistics.median(values) * 1000:7.1f} ms  p95={p95 * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--baseline", default="", help="another checkout to alternate with (A/B/A/B)")
    args = parser.parse_args()
    database_url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-conc-')) / 'db.sqlite3'}"
    prepare_database(database_url, demo=True)
    trees = [("ours", ROOT)] + ([("baseline", Path(args.baseline))] if args.baseline else [])
    print(f"database {database_url.split('@')[-1]}; gunicorn --workers {args.workers} --threads {args.threads}; "
          f"{args.writers} writers, {args.readers} readers, {args.seconds:.0f} s per run")
    for label, root in trees * (2 if args.baseline else 1):
        with gunicorn(database_url, workers=args.workers, threads=args.threads, root=root, **NO_LIMITS) as url:
            tally, acked, run, elapsed = run_once(url, seconds=args.seconds, writers=args.writers,
                                                  readers=args.readers)
        report(label, tally, elapsed)
        print("  " + verify(database_url, acked, run))


if __name__ == "__main__":
    main()
