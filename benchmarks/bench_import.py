"""Spreadsheet imports: a 10,000-row intake file and a 10,000-row vacancy file, dry run and commit, beside the
starting commit's import of the same files (or, with ``--json``, one JSON POST per row), in the same run, A/B/A/B.

    .venv/bin/python -m benchmarks.bench_import --base /tmp/base-insights            # SQLite (temporary files)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_insights \\
        .venv/bin/python -m benchmarks.bench_import --base /tmp/base-insights        # PostgreSQL

Each measurement runs in its own process on a fresh database (SQLite: a new temporary file; PostgreSQL: the
database's ``public`` schema dropped and made again, so only use a database of your own) with ``migrate`` and
``load_reference`` (the sourced towns, institutions, programmes and employers, the curated taxonomy), a provider
staff login of the first institution and a member of the first verified employer. Requests go through Django's
test client (middleware, parsers, serializers, services, the database), no network.

* **A** (this tree): POST the CSV to ``imports/{intakes,vacancies}/dry-run/`` then ``…/commit/`` (rows per second
  of each, the process's peak RSS, and the Python peak of a second dry run under tracemalloc).
* **B** (``--base``, the starting commit): the same import of files of ``--base-rows`` rows (its row-by-row
  ``full_clean`` makes 10,000 rows take many minutes, and its rate per row does not depend on the file's length);
  with ``--json``, ``--json-rows`` rows POSTed one by one to ``intakes/`` and ``vacancies/`` instead.

Figures are printed, never asserted; the ratios A/B of rows per second (wall and CPU) are printed beside them, and
the load average before each worker (the machine may be shared: CPU seconds are the steadier figure).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------------------------- the files
def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue()


def intake_csv(programme_codes: list[str], rows: int, year: int) -> str:
    lines = [["kods", "programma", "sākuma datums", "pieteikšanās termiņš", "vietas", "finansētās vietas"]]
    for n in range(rows):
        day, month, later = 1 + n % 28, 1 + (n // 28) % 12, n // 336
        lines.append([f"B-{n}", programme_codes[n % len(programme_codes)], f"{day:02d}.{month:02d}.{year + later}",
                      f"{day:02d}.{month:02d}.{year + later - 1}", 10 + n % 40, n % 10])
    return _csv(lines)


def vacancy_csv(towns: list[str], skills: list[str], rows: int, year: int) -> str:
    lines = [["kods", "amats", "apraksts", "pilsēta", "līguma veids", "darba laiks", "alga no EUR", "alga līdz EUR",
              "obligātās prasmes", "vēlamās prasmes", "valodas", "derīga līdz"]]
    for n in range(rows):
        essential = "; ".join(skills[(n + k) % len(skills)] for k in range(3))
        lines.append([f"V-{n}", f"Operators {n}", f"Darbs ražotnē ar iekārtām, maiņās; {n}. vakance",
                      towns[n % len(towns)], "permanent", "shifts", 1100 + n % 500, 1700 + n % 500, essential,
                      skills[(n + 7) % len(skills)], "lv:B1", f"31.12.{year}"])
    return _csv(lines)


# ----------------------------------------------------------------------------------------------- one worker
def _fresh_database() -> None:
    from django.conf import settings
    from django.db import connection

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


def _setup():
    from django.core.management import call_command

    from careers.models import Employer, Institution, ProviderStaff, Role, User

    _fresh_database()
    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=open(os.devnull, "w"))
    institution = Institution.objects.order_by("pk").first()
    provider = User.objects.create(username="bench.provider", role=Role.PROVIDER)
    ProviderStaff.objects.create(user=provider, institution=institution)
    employer = Employer.objects.filter(verified=True).order_by("pk").first()
    member = User.objects.create(username="bench.employer", role=Role.EMPLOYER)
    employer.members.add(member)
    return institution, provider, member


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(call) -> tuple[float, float, object]:
    """Wall and CPU seconds of ``call`` (CPU time stays meaningful when the machine is shared)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - start, time.process_time() - cpu, result


def _codes(institution) -> list[str]:
    from careers.models import Programme

    programmes = list(Programme.objects.filter(institution=institution).order_by("pk"))
    for programme in programmes:
        Programme.objects.filter(pk=programme.pk).update(import_code=f"P{programme.pk}")
    return [f"P{p.pk}" for p in programmes]


def _towns_skills() -> tuple[list[str], list[str]]:
    from careers.models import Skill, Town

    return (list(Town.objects.order_by("pk").values_list("name", flat=True)),
            list(Skill.objects.order_by("uri").values_list("uri", flat=True)[:200]))


def worker_import(rows: int) -> dict:
    """This tree: dry run and commit of both files."""
    from rest_framework.test import APIClient

    institution, provider, member = _setup()
    year = time.localtime().tm_year + 5  # clear of the reference intakes (a programme has one intake per start date)
    towns, skills = _towns_skills()
    files = {"intakes": (provider, intake_csv(_codes(institution), rows, year).encode("utf-8")),
             "vacancies": (member, vacancy_csv(towns, skills, rows, year).encode("cp1257"))}
    out = {"rss_setup_mb": round(_rss_mb(), 1)}
    for kind, (user, body) in files.items():
        client = APIClient()
        client.force_authenticate(user)
        client.post(f"/api/v1/imports/{kind}/dry-run/", data=body[:body.index(b"\n", 200) + 1],
                    content_type="text/csv")  # warm-up: the first request loads the URLconf and catalogues
        for step in ("dry-run", "commit"):
            seconds, cpu, response = _timed(lambda: client.post(f"/api/v1/imports/{kind}/{step}/", data=body,
                                                                content_type="text/csv"))
            answer = response.json()
            assert response.status_code == 200 and not answer["errors"], (kind, step, str(answer)[:500])
            out[f"{kind} {step}"] = {"rows": answer["rows"], "seconds": round(seconds, 2), "cpu_s": round(cpu, 2),
                                     "rows_per_s": round(answer["rows"] / seconds, 1),
                                     "rows_per_cpu_s": round(answer["rows"] / cpu, 1),
                                     "peak_rss_mb": round(_rss_mb(), 1), "bytes": len(body)}
        if os.environ.get("BENCH_PYTHON_MEMORY"):  # tracemalloc doubles the time: only on request
            tracemalloc.start()
            client.post(f"/api/v1/imports/{kind}/dry-run/", data=body, content_type="text/csv")
            out[f"{kind} dry-run"]["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
    return out


def worker_json(rows: int) -> dict:
    """The starting commit: one JSON POST per row."""
    from rest_framework.test import APIClient

    from careers.models import Programme

    institution, provider, member = _setup()
    year = time.localtime().tm_year + 5
    towns, skills = _towns_skills()
    from careers.models import Town
    town_ids = list(Town.objects.order_by("pk").values_list("pk", flat=True))
    programmes = list(Programme.objects.filter(institution=institution).order_by("pk").values_list("pk", flat=True))
    out = {}
    for kind, user in (("intakes", provider), ("vacancies", member)):
        client = APIClient()
        client.force_authenticate(user)
        client.get("/api/v1/towns/")  # warm-up, as for A
        start, cpu = time.perf_counter(), time.process_time()
        for n in range(rows):
            day, month = 1 + n % 28, 1 + (n // 28) % 12
            if kind == "intakes":
                body = {"programme": programmes[n % len(programmes)],
                        "start_date": f"{year + n // 336}-{month:02d}-{day:02d}",
                        "application_deadline": f"{year + n // 336 - 1}-{month:02d}-{day:02d}", "seats": 10}
            else:
                body = {"title": f"Operators {n}", "description": "Darbs ražotnē", "town": town_ids[n % len(town_ids)],
                        "contract_kind": "permanent", "hours": "shifts", "salary_min": 1100, "salary_max": 1700,
                        "skills": [{"uri": skills[(n + k) % len(skills)], "essential": k < 3} for k in range(4)],
                        "languages": [{"language": "lv", "level": 3}], "expires_at": f"{year}-12-31"}
            response = client.post(f"/api/v1/{kind}/", body, format="json")
            assert response.status_code == 201, response.content[:300]
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        out[f"{kind} json"] = {"rows": rows, "seconds": round(seconds, 2), "cpu_s": round(cpu, 2),
                               "rows_per_s": round(rows / seconds, 1), "rows_per_cpu_s": round(rows / cpu, 1)}
    return out


def _worker_main(mode: str, rows: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    result = worker_import(rows) if mode == "import" else worker_json(rows)
    print("RESULT " + json.dumps(result))


# ----------------------------------------------------------------------------------------------- driver
def _run(tree: Path, mode: str, rows: int, database_url: str | None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "DJANGO_SETTINGS_MODULE": "config.settings_test",
           "DJANGO_ALLOWED_HOSTS": "testserver", "DJANGO_LOG_LEVEL": "ERROR"}
    with tempfile.TemporaryDirectory() as folder:
        env["DATABASE_URL"] = database_url or f"sqlite:///{folder}/bench.sqlite3"
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--rows", str(rows)],
                              cwd=tree, env=env, capture_output=True, text=True, timeout=3600)
    line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"{mode} worker in {tree} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(line[len("RESULT "):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", choices=["import", "json"])
    parser.add_argument("--rows", type=int, default=10_000, help="rows per file (A)")
    parser.add_argument("--base-rows", type=int, default=1_000, help="rows per file of the starting commit (B)")
    parser.add_argument("--json", action="store_true", help="B posts JSON rows one by one instead")
    parser.add_argument("--json-rows", type=int, default=1_000, help="rows posted one by one (B, --json)")
    parser.add_argument("--base", type=Path, help="a worktree of the starting commit (B); without it, A only")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--python-memory", action="store_true", help="also a tracemalloc pass (slow)")
    args = parser.parse_args()
    if args.worker:
        _worker_main(args.worker, args.rows if args.worker == "import" else args.rows)
        return
    database_url = os.environ.get("DATABASE_URL")
    if args.python_memory:
        os.environ["BENCH_PYTHON_MEMORY"] = "1"
    print(f"database: {'PostgreSQL' if database_url and database_url.startswith('postgres') else 'SQLite'}; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    for round_ in range(1, args.rounds + 1):
        print(f"round {round_}: load average {os.getloadavg()[0]:.1f}")
        a = _run(REPO, "import", args.rows, database_url)
        for name, figures in a.items():
            print(f"round {round_} A {name}: {figures}")
        if args.base is None:
            continue
        print(f"round {round_}: load average {os.getloadavg()[0]:.1f}")
        b = _run(args.base, "json" if args.json else "import", args.json_rows if args.json else args.base_rows,
                 database_url)
        for name, figures in b.items():
            print(f"round {round_} B {name}: {figures}")
        for kind in ("intakes", "vacancies"):
            for step in (("commit",) if args.json else ("dry-run", "commit")):
                theirs = b[f"{kind} json"] if args.json else b[f"{kind} {step}"]
                wall = a[f"{kind} {step}"]["rows_per_s"] / theirs["rows_per_s"]
                cpu = a[f"{kind} {step}"]["rows_per_cpu_s"] / theirs["rows_per_cpu_s"]
                print(f"round {round_} ratio A/B {kind} {step}: {wall:.1f}x rows per second, "
                      f"{cpu:.1f}x rows per CPU second")

if __name__ == "__main__":
    main()
