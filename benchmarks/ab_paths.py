"""Learning-path query time of this tree against another (the starting commit), A/B/A/B in one run.

    git worktree add /tmp/base-paths 1395a3e
    .venv/bin/python -m benchmarks.ab_paths --base /tmp/base-paths --vacancies 100000 --programmes 2000

Each round runs the same seeded world (``benchmarks.bench_paths``' generators) in a fresh process of each tree,
alternating A (this tree), B (the base), A, B …, and times ``recommend_pathways`` and ``recommend_programmes`` for
the same candidates. Figures are printed, never asserted; the ratio is what carries across machines.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent.parent

PROBE = r'''
import datetime as dt, json, sys, time
import numpy as np
from benchmarks.bench_matching import taxonomy
from matching.index import MatchIndex
from matching.paths import Learner, PathFinder
from matching.paths.evaluation import paths_benchmark
from matching.relations import cooccurrence_relations
vacancies, programmes, queries = (int(a) for a in sys.argv[1:4])
today = dt.date(2026, 11, 27)
_, skills, occupations, links, _ = taxonomy()
frames, path_frames, learners, _ = paths_benchmark(
    skills, occupations, links, n_occupations=2000, n_vacancies=vacancies, n_programmes=programmes,
    n_candidates=50, n_job_candidates=1000, filters=True, today=today, random_state=42)
frames.skill_relations = cooccurrence_relations(links)
index = MatchIndex().fit(frames)
finder = PathFinder().fit(path_frames, index)
rng = np.random.default_rng(0)
pool = frames.candidates["candidate_id"].to_numpy(object)[: len(frames.candidates) - len(learners)]
statuses = ("registered_unemployed", "employed", "other")
people = [Learner(c, employment_status=statuses[i % 3]) for i, c in
          enumerate(rng.choice(pool, size=queries, replace=False))]
for q in people[:3]:
    finder.recommend_pathways(q, today=today)
out = {"pathways": [], "programmes": [], "found": 0, "unlocked": []}
for q in people:
    t = time.perf_counter(); p = finder.recommend_pathways(q, today=today, k=5); out["pathways"].append(time.perf_counter() - t)
    out["found"] += bool(len(p)); out["unlocked"].append(int(p["vacancies_unlocked"].iloc[0]) if len(p) else 0)
    t = time.perf_counter(); finder.recommend_programmes(q, today=today, k=10); out["programmes"].append(time.perf_counter() - t)
print("RESULT " + json.dumps(out))
'''


def run(tree: Path, args) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, str(args.vacancies), str(args.programmes), str(args.queries)],
                          cwd=tree, capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--programmes", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    samples = {"A": {"pathways": [], "programmes": [], "found": 0, "unlocked": []},
               "B": {"pathways": [], "programmes": [], "found": 0, "unlocked": []}}
    for _ in range(args.rounds):
        for label, tree in (("A", HERE), ("B", args.base)):
            got = run(tree, args)
            for key in ("pathways", "programmes", "unlocked"):
                samples[label][key] += got[key]
            samples[label]["found"] += got["found"]
    print(f"{args.vacancies:,} vacancies, {args.programmes:,} programmes, {args.queries} candidates x "
          f"{args.rounds} rounds, A = this tree, B = {args.base}")
    for key in ("pathways", "programmes"):
        a, b = (np.asarray(samples[x][key]) * 1000 for x in ("A", "B"))
        print(f"{key}: A p50 {np.median(a):.1f} ms p95 {np.percentile(a, 95):.1f} ms | B p50 {np.median(b):.1f} ms "
              f"p95 {np.percentile(b, 95):.1f} ms | A/B p50 {np.median(a) / np.median(b):.2f}, "
              f"p95 {np.percentile(a, 95) / np.percentile(b, 95):.2f}")
    for x in ("A", "B"):
        s = samples[x]
        print(f"{x}: candidates with a pathway {s['found']}/{len(s['pathways'])}, vacancies unlocked by the top "
              f"pathway, mean {np.mean(s['unlocked']):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
