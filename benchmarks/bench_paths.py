"""Speed of learning pathways (issue 5), beside a straightforward pandas baseline in the same run.

    .venv/bin/python -m benchmarks.bench_paths                       # 100k vacancies, 2,000 programmes
    .venv/bin/python -m benchmarks.bench_paths --vacancies 10000 --programmes 500 --queries 100

Data: the seeded synthetic generators of ``matching.evaluation`` (as bench_matching) and
``matching.paths.evaluation.paths_benchmark`` (programmes, intakes, popularity), over the real
ESCO when ESCO_DIR is set, else an ESCO-sized synthetic taxonomy. Queries alternate ours and the
baseline on the same candidates (A, B, A, B …). Figures are printed, never asserted.

Baseline: the same answer — the top pathway by the same score — computed the plain way: pandas
merges and group-bys over all vacancy skills for coverage, then a greedy set cover that scores
*every* programme with an upcoming intake in every round (no candidate pruning, no beam).
Both use the index's hard filters (``MatchIndex.eligible_vacancy_rows``) so that only the path
logic is compared.
"""
from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import pandas as pd

from benchmarks.bench_matching import machine, taxonomy
from matching.index import MatchIndex
from matching.paths import Learner, PathFinder
from matching.paths.evaluation import paths_benchmark, paths_report
from matching.relations import cooccurrence_relations

TODAY = dt.date(2026, 11, 27)


def pct(samples: list[float]) -> str:
    a = np.asarray(samples) * 1000
    return (f"p50 {np.percentile(a, 50):7.2f} ms  p95 {np.percentile(a, 95):7.2f} ms  "
            f"mean {a.mean():7.2f} ms (n={len(a)})")


class PandasPathways:
    """Greedy weighted set cover in pandas over all programmes (see the module docstring)."""

    def __init__(self, frames, path_frames, index: MatchIndex, finder: PathFinder):
        vs = frames.vacancy_skills
        self.essential = vs[vs["essential"].astype(bool)][["vacancy_id", "skill_id"]].reset_index(drop=True)
        self.n_essential = self.essential.groupby("vacancy_id").size().rename("n")
        self.index, self.finder = index, finder
        self.candidate_skills = {c: set(g["skill_id"]) for c, g in frames.candidate_skills.groupby("candidate_id")}
        intakes = path_frames.intakes.copy()
        intakes["start_date"] = pd.to_datetime(intakes["start_date"]).dt.date
        intakes["application_deadline"] = pd.to_datetime(intakes["application_deadline"]).dt.date
        self.intakes = intakes
        self.programmes = path_frames.programmes.set_index("programme_id")
        self.programme_skills = path_frames.programme_skills
        self.threshold = finder.fit_threshold
        self.remote = set(frames.vacancies.loc[frames.vacancies["work_arrangement"] == "remote", "vacancy_id"])

    def top_pathway(self, learner: Learner, today: dt.date) -> tuple[list, int, float]:
        """(programme ids, vacancies unlocked, score) of the greedy pathway."""
        rows, distance = self.index.eligible_vacancy_rows(learner.candidate_id)
        ids = np.asarray(self.index.vacancies_.ids, dtype=object)[rows]
        held = self.candidate_skills.get(learner.candidate_id, set())
        ess = self.essential[self.essential["vacancy_id"].isin(ids)].copy()
        ess["held"] = ess["skill_id"].isin(held)
        per = ess.groupby("vacancy_id").agg(n=("skill_id", "size"), matched=("held", "sum"))
        per["needed"] = np.ceil(self.threshold * per["n"] - per["matched"] - 1e-9)
        per["coverage"] = per["matched"] / per["n"]
        near = per[(per["needed"] >= 1) & (per["needed"] <= self.finder.max_needed)
                   & (per["coverage"] >= self.finder.near_miss_min)].copy()
        km = pd.Series(distance, index=ids)
        commute = float(self.index.candidates_.attrs["commute"][self.index.candidates_.position[learner.candidate_id]])
        closeness = (1 - km.reindex(near.index) / max(commute, 1.0)).clip(0, 1).fillna(0.5)
        closeness[near.index.isin(self.remote)] = 1.0  # a remote job is as near as can be
        near["weight"] = 0.5 + 0.25 * near["coverage"] + 0.25 * closeness
        missing = ess[~ess["held"] & ess["vacancy_id"].isin(near.index)][["vacancy_id", "skill_id"]]
        open_ = self.intakes[(self.intakes["start_date"] > today) & (self.intakes["application_deadline"] >= today)]
        first = open_.sort_values("start_date").groupby("programme_id").first()
        programmes = self.programmes.loc[first.index]
        programmes = programmes[programmes["min_education"] <= int(self.index.candidates_.attrs["education"][
            self.index.candidates_.position[learner.candidate_id]])]
        gap, _ = self.finder._gap(learner, today)  # the candidate's funding rights (eligibility, groups)
        costs = {p: self.finder._funding(self.finder.programme_ids_.get_loc(p),
                                         self._intake_row(first.loc[p, "intake_id"]), gap)["cost_after_funding_eur"]
                 for p in programmes.index}
        taught = self.programme_skills[self.programme_skills["programme_id"].isin(programmes.index)]
        pairs = missing.merge(taught, on="skill_id")  # every (vacancy, programme) sharing a missing skill
        chosen, covered, best_value = [], pd.Series(0, index=near.index, dtype=float), 0.0
        taught_so_far: set = set()
        best = ([], 0, float("-inf"))
        for _ in range(self.finder.max_steps):
            # Only skills no chosen programme teaches yet count (two courses teaching X cover X once).
            fresh = pairs[~pairs["programme_id"].isin(chosen) & ~pairs["skill_id"].isin(taught_so_far)]
            counts = fresh.groupby(["programme_id", "vacancy_id"]).size()
            if counts.empty:
                break
            frame = counts.rename("new").reset_index()
            frame["total"] = frame["vacancy_id"].map(covered) + frame["new"]
            needed = frame["vacancy_id"].map(near["needed"])
            # Newly unlocked only: vacancies already unlocked by earlier picks are in ``base``.
            frame["unlocked"] = (frame["total"] >= needed) & (frame["vacancy_id"].map(covered) < needed)
            frame["value"] = frame["unlocked"] * frame["vacancy_id"].map(near["weight"])
            value = frame.groupby("programme_id")["value"].sum()
            base = float(near["weight"][covered >= near["needed"]].sum())
            value = value + base
            months = (programmes.loc[value.index, "duration_months"]
                      + sum(programmes.loc[p, "duration_months"] for p in chosen))
            cost = value.index.map(costs).astype(float) + sum(costs[p] for p in chosen)
            score = value - self.finder.cost_penalty * cost / 1000 - self.finder.duration_penalty * months / 12
            if value.max() <= best_value + 1e-9:
                break
            pick = score[value > best_value + 1e-9].idxmax()
            chosen.append(pick)
            best_value = float(value[pick])
            add = fresh[fresh["programme_id"] == pick].groupby("vacancy_id").size()
            covered = covered.add(add, fill_value=0)
            taught_so_far |= set(taught.loc[taught["programme_id"] == pick, "skill_id"])
            best = (list(chosen), int((covered >= near["needed"]).sum()), float(score[pick]))
        return best

    def _intake_row(self, intake_id) -> int:
        return int(np.flatnonzero(self.finder.intakes_["id"] == intake_id)[0])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--programmes", type=int, default=2_000)
    parser.add_argument("--candidates", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--baseline-queries", type=int, default=40)
    parser.add_argument("--eval-candidates", type=int, default=300)
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    name, skills, occupations, links, _ = taxonomy()
    t = time.perf_counter()
    frames, path_frames, learners, missing = paths_benchmark(
        skills, occupations, links, n_occupations=2000, n_vacancies=args.vacancies, n_programmes=args.programmes,
        n_candidates=args.eval_candidates, n_job_candidates=args.candidates, filters=True, today=TODAY, random_state=42)
    frames.skill_relations = cooccurrence_relations(links)
    print(f"\n== {args.vacancies:,} vacancies, {args.programmes:,} programmes, {len(path_frames.intakes):,} intakes, "
          f"{len(frames.candidates):,} candidates, {len(skills):,} skills ({name}); generated in "
          f"{time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    index = MatchIndex().fit(frames)
    print(f"MatchIndex build: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    finder = PathFinder().fit(path_frames, index)
    print(f"PathFinder fit: {(time.perf_counter() - t) * 1000:.0f} ms")

    # Realistic queries: the jobs-benchmark candidates (filters on: towns, commute, languages,
    # hours, ages; ~70 % of their occupation's essential skills), statuses cycling.
    rng = np.random.default_rng(0)
    pool = frames.candidates["candidate_id"].to_numpy(object)[: len(frames.candidates) - len(learners)]
    statuses = ("registered_unemployed", "employed", "other")
    queries = [Learner(c, employment_status=statuses[i % 3]) for i, c in
               enumerate(rng.choice(pool, size=min(args.queries, len(pool)), replace=False))]
    baseline = PandasPathways(frames, path_frames, index, finder)
    for q in queries[:3]:  # warm-up
        finder.recommend_pathways(q, today=TODAY)
        baseline.top_pathway(q, TODAY)
    ours, theirs, same, found, evaluated, truncated, unlocked_pairs = [], [], 0, 0, [], 0, []
    for i, q in enumerate(queries):
        t = time.perf_counter()
        paths = finder.recommend_pathways(q, today=TODAY, k=5)
        ours.append(time.perf_counter() - t)
        if len(paths):
            found += 1
            s = paths["explanation"].iloc[0]["search"]
            evaluated.append(s["evaluated"])
            truncated += s["truncated"]
        if i < args.baseline_queries:
            t = time.perf_counter()
            _, b_unlocked, b_score = baseline.top_pathway(q, TODAY)
            theirs.append(time.perf_counter() - t)
            ours_score = float(paths["score"].iloc[0]) if len(paths) else float("-inf")
            same += ours_score >= b_score - 1e-3
            unlocked_pairs.append((int(paths["vacancies_unlocked"].iloc[0]) if len(paths) else 0, b_unlocked))
    print(f"pathways for a candidate (top 5, explained): {pct(ours)}")
    print(f"pandas greedy baseline, all programmes (same run, interleaved): {pct(theirs)}")
    print(f"   speed-up at p50: {np.median(theirs) / np.median(ours[:len(theirs)]):.1f}x, at p95: "
          f"{np.percentile(theirs, 95) / np.percentile(ours[:len(theirs)], 95):.1f}x")
    print(f"   our top pathway scores >= the greedy baseline's for {same}/{len(theirs)} candidates; vacancies "
          f"unlocked, mean: ours {np.mean([a for a, _ in unlocked_pairs]):.2f}, "
          f"baseline {np.mean([b for _, b in unlocked_pairs]):.2f}")
    print(f"   candidates with a pathway: {found}/{len(queries)}; combinations evaluated per query: mean "
          f"{np.mean(evaluated) if evaluated else 0:.0f}, max {max(evaluated, default=0)}; "
          f"evaluation limit (max_evaluations) hit: {truncated}")

    for label, call in (
        ("programmes for a candidate (top 10)", lambda q: finder.recommend_programmes(q, today=TODAY, k=10)),
        ("careers for a candidate (top 10)", lambda q: finder.recommend_careers(q, today=TODAY, k=10)),
        ("what-if (+ one programme's skills)",
         lambda q: finder.what_if(q, today=TODAY, programme_id=path_frames.programmes["programme_id"].iloc[0])),
    ):
        times = []
        for q in queries[:100]:
            t = time.perf_counter()
            call(q)
            times.append(time.perf_counter() - t)
        print(f"{label}: {pct(times)}")

    t = time.perf_counter()
    report = paths_report(finder, learners, missing, today=TODAY)
    print(f"\n== programme and pathway quality ({len(learners)} candidates with known missing skills; "
          f"{time.perf_counter() - t:.0f} s)")
    for key, value in report.items():
        print(f"   {key}: {value}")
    greedy = paths_report(PathFinder(beam_width=1).fit(path_frames, index), learners, missing, today=TODAY)
    print(f"   ablation, plain greedy (beam_width=1): unlocked_top_pathway {greedy['unlocked_top_pathway']}, "
          f"top5_teach_missing {greedy['top5_teach_missing']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
