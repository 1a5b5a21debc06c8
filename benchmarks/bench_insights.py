"""Latency of the labour-market insight endpoints at the demo size, and their cost at 100,000 open vacancies, beside
the same endpoints at the starting commit on the same database, A/B/A/B.

    .venv/bin/python -m benchmarks.bench_insights --db /path/to/demo.sqlite3 --base /tmp/base-insights
    .venv/bin/python -m benchmarks.bench_insights --db /path/to/demo.sqlite3 --base /tmp/base-insights \\
        --vacancies 100000

``--db`` is a SQLite file with the demo loaded (``quickstart``); it is copied, migrated and given the demo's year
of market history (``careers.demo.history``) and today's snapshot, so the original is never touched. With
``--vacancies N`` the copy gets copies of the demo's public vacancies (with their skills) up to N, and copies of
its looking candidates (users, profiles, skills, target occupations) in the demo's proportion (224 per 192
vacancies) unless ``--candidates`` says otherwise. Each round runs in its own process through Django's test client
as the analyst: **A** (this tree) and **B** (``--base``) each ask every insight endpoint once (the cold answer:
after a write, the first request pays for the counts) and then ``--requests`` times; p50 / p95 in milliseconds,
CPU milliseconds per request and the process's peak RSS are printed, with the ratios B/A of p95 and of CPU time and
the load average (the machine may be shared: CPU time is the steadier figure). Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
ENDPOINTS = ("/api/v1/insights/skills/", "/api/v1/insights/skills/?area=valmiera", "/api/v1/insights/occupations/",
             "/api/v1/insights/shortages/", "/api/v1/insights/trend/",
             "/api/v1/insights/missing-skills/?employer=1")

BULK = r'''
import random
from django.db import transaction
from careers.models import Employer, Vacancy, VacancySkill
rng = random.Random(7)
base = list(Vacancy.objects.public().prefetch_related("skill_links"))
employers = list(Employer.objects.filter(verified=True).values_list("id", flat=True))
fields = ["title", "description", "text_language", "occupation_id", "town_id", "work_arrangement", "contract_kind",
          "hours", "salary_min", "salary_max", "min_education", "min_age", "places", "status", "published_at",
          "expires_at"]
have, n = Vacancy.objects.public().count(), 0
with transaction.atomic():
    while have + n < TARGET:
        batch = [rng.choice(base) for _ in range(min(5000, TARGET - have - n))]
        made = Vacancy.objects.bulk_create([Vacancy(employer_id=rng.choice(employers),
                                                    **{f: getattr(src, f) for f in fields}) for src in batch])
        VacancySkill.objects.bulk_create([VacancySkill(vacancy=v, skill_id=l.skill_id, essential=l.essential)
                                          for v, src in zip(made, batch) for l in src.skill_links.all()])
        n += len(batch)
from careers.models import CandidateProfile, CandidateSkill, User
from careers.frames.market import looking_candidates
people = list(looking_candidates().select_related("user").prefetch_related("skill_links", "target_occupations"))
skip = {"id", "user"}
copied = [f.attname for f in CandidateProfile._meta.concrete_fields if f.name not in skip]
made_people, n = looking_candidates().count(), 0
with transaction.atomic():
    while made_people + n < PEOPLE:
        batch = [rng.choice(people) for _ in range(min(5000, PEOPLE - made_people - n))]
        users = User.objects.bulk_create([User(username=f"bench.{n + k}", role=src.user.role, is_active=True)
                                          for k, src in enumerate(batch)])
        made = CandidateProfile.objects.bulk_create([CandidateProfile(user=u, **{a: getattr(src, a) for a in copied})
                                                     for u, src in zip(users, batch)])
        CandidateSkill.objects.bulk_create([CandidateSkill(candidate=c, skill_id=l.skill_id, proficiency=l.proficiency)
                                            for c, src in zip(made, batch) for l in src.skill_links.all()])
        through = CandidateProfile.target_occupations.through
        through.objects.bulk_create([through(candidateprofile_id=c.pk, occupation_id=o.pk)
                                     for c, src in zip(made, batch) for o in src.target_occupations.all()])
        n += len(batch)
print("vacancies", Vacancy.objects.public().count(), "looking candidates", looking_candidates().count())
'''
PREPARE = r'''
from django.utils import timezone
from careers.demo.history import load_market_history
from careers.services.market import market_snapshot_take
load_market_history(today=timezone.localdate())
market_snapshot_take()
'''


def _manage(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, input=stdin, capture_output=True,
                          text=True, timeout=3600)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def worker(endpoints: list[str], requests: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from rest_framework.test import APIClient

    from careers.models import User

    client = APIClient()
    client.force_authenticate(User.objects.get(username="analyst.valmiera"))
    out = {}
    for url in endpoints:
        start, cpu = time.perf_counter(), time.process_time()
        assert client.get(url).status_code == 200, url  # the cold answer (and the match index for missing-skills)
        cold = (round(1000 * (time.perf_counter() - start), 1), round(1000 * (time.process_time() - cpu), 1))
        walls, cpus = [], []
        for _ in range(requests):
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append(1000 * (time.perf_counter() - start))
            cpus.append(1000 * (time.process_time() - cpu))
            assert response.status_code == 200, (url, response.content[:200])
        out[url] = {"p50_ms": round(float(np.percentile(walls, 50)), 1),
                    "p95_ms": round(float(np.percentile(walls, 95)), 1),
                    "cpu_ms": round(float(np.mean(cpus)), 1), "cold_ms": cold[0], "cold_cpu_ms": cold[1],
                    "bytes": len(response.content),
                    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    return out


def _run(tree: Path, database: Path, endpoints, requests: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "DJANGO_SETTINGS_MODULE": "config.settings_test",
           "DATABASE_URL": f"sqlite:///{database}", "DJANGO_ALLOWED_HOSTS": "testserver", "DJANGO_LOG_LEVEL": "ERROR"}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(list(endpoints)),
                           "--requests", str(requests)], cwd=tree, env=env, capture_output=True, text=True,
                          timeout=3600)
    line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"worker in {tree} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(line[len("RESULT "):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--base", type=Path)
    parser.add_argument("--vacancies", type=int, default=0)
    parser.add_argument("--candidates", type=int, help="looking candidates with --vacancies (default: as the demo)")
    parser.add_argument("--skip", nargs="*", default=[], help="endpoints (substrings) to leave out")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.worker:
        print("RESULT " + json.dumps(worker(json.loads(args.worker), args.requests)))
        return
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        shutil.copy(args.db, database)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
        _manage(env, "migrate", "--verbosity", "0")
        if args.vacancies:
            people = args.candidates if args.candidates is not None else round(args.vacancies * 224 / 192)
            started = time.perf_counter()
            script = BULK.replace("TARGET", str(args.vacancies)).replace("PEOPLE", str(people))
            print(_manage(env, "shell", stdin=script).strip().splitlines()[-1],
                  f"(generated in {time.perf_counter() - started:.0f} s)")
        _manage(env, "shell", stdin=PREPARE)
        endpoints = [url for url in ENDPOINTS if not any(part in url for part in args.skip)]
        print(f"{os.cpu_count()} cores; {args.requests} requests each after one cold request")
        for round_ in range(1, args.rounds + 1):
            print(f"round {round_}: load average {os.getloadavg()[0]:.1f}")
            a = _run(REPO, database, endpoints, args.requests)
            for url, figures in a.items():
                print(f"round {round_} A {url}: {figures}")
            if args.base is None:
                continue
            print(f"round {round_}: load average {os.getloadavg()[0]:.1f}")
            b = _run(args.base, database, endpoints, args.requests)
            for url, figures in b.items():
                print(f"round {round_} B {url}: {figures}")
            for url in endpoints:
                print(f"round {round_} ratio B/A {url}: p95 {b[url]['p95_ms'] / a[url]['p95_ms']:.1f}x, "
                      f"CPU {b[url]['cpu_ms'] / max(a[url]['cpu_ms'], 0.1):.1f}x")

if __name__ == "__main__":
    main()
