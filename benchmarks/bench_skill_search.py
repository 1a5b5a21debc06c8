"""The skill search as one types: main's folded-contains search against the ranked label index, A/B/A/B.

    .venv/bin/python -m benchmarks.bench_skill_search                 # the database of settings (db.sqlite3)
    .venv/bin/python -m benchmarks.bench_skill_search --rounds 4

Run ``manage.py quickstart`` first (with ESCO_DIR set it imports the whole ESCO taxonomy: ~14k skills, the size the
search must stay fast at). Every query of ``tests/data/skill_search_queries.tsv`` is asked through the selector
the API calls and the first page (20 skills) read from the database:

* **A** (main): ``careers.selectors.catalogue.concepts_matching`` on ``search_text`` ordered by ``label_en``, as
  ``/api/v1/skills/?search=`` did before issue 17;
* **B** (this branch): ``careers.selectors.catalogue.skills_search`` (``matching.skill_search`` behind it).

Rounds alternate A, B, A, B; each prints p50/p95 in ms per query and the B/A ratio. The index build (once per
process and taxonomy change) is timed apart. MRR and hit@5 of both on the query set's skills are printed too (on
the full ESCO taxonomy more skills compete than in the demo one the test uses). Figures are printed, never
asserted.
"""
from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path

import numpy as np

QUERIES = Path(__file__).resolve().parents[1] / "tests" / "data" / "skill_search_queries.tsv"
PAGE = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="A/B pairs (default 2)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from careers.models import Skill
    from careers.runtime.skill_search import skill_search_index
    from careers.selectors.catalogue import concepts_matching, skills_search

    with QUERIES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))

    def main_search(query: str) -> list[str]:
        return list(concepts_matching(Skill.objects.all(), query=query).order_by("label_en", "id")
                    .values_list("uri", flat=True)[:PAGE])

    def ranked_search(query: str) -> list[str]:
        return list(skills_search(query=query).values_list("uri", flat=True)[:PAGE])

    started = time.perf_counter()
    skill_search_index()
    print(f"skills: {Skill.objects.count()}; queries: {len(rows)}; index built in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms (once per process and taxonomy change)")

    def timed(search) -> tuple[np.ndarray, dict[str, list]]:
        times, ranks = [], {"lv": [], "en": []}
        for row in rows:
            t = time.perf_counter()
            found = search(row["query"])
            times.append((time.perf_counter() - t) * 1000)
            ranks[row["language"]].append(found.index(row["uri"]) + 1 if row["uri"] in found else None)
        return np.array(times), ranks

    results = {}
    for n in range(1, args.rounds + 1):
        for name, search in (("A main", main_search), ("B ranked", ranked_search)):
            times, ranks = timed(search)
            results.setdefault(name, []).append(times)
            results[name + " ranks"] = ranks
            print(f"round {n} {name:9s} p50 {np.percentile(times, 50):7.2f} ms  p95 {np.percentile(times, 95):7.2f} ms")
        a, b = results["A main"][-1], results["B ranked"][-1]
        print(f"round {n} ratio B/A  p50 {np.percentile(b, 50) / np.percentile(a, 50):5.2f}      "
              f"p95 {np.percentile(b, 95) / np.percentile(a, 95):5.2f}")
    for name in ("A main", "B ranked"):
        for language, ranks in results[name + " ranks"].items():
            mrr = sum(1 / r for r in ranks if r) / len(ranks)
            hit5 = sum(1 for r in ranks if r and r <= 5) / len(ranks)
            print(f"{name:9s} {language}: MRR {mrr:.3f}  hit@5 {hit5:.3f}  (n={len(ranks)})")


if __name__ == "__main__":
    main()
