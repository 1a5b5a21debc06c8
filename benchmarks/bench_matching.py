"""Speed and memory of the matching core, beside a pandas baseline measured in the same run.

    .venv/bin/python -m benchmarks.bench_matching                 # 10k and 100k vacancies, 50k candidates
    .venv/bin/python -m benchmarks.bench_matching --vacancies 10000 --candidates 20000 --queries 300

The taxonomy is the real ESCO (read from the ZIPs in ESCO_DIR, never copied) when available,
else an ESCO-sized synthetic one. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import time
import tracemalloc

import numpy as np
import pandas as pd
import scipy
import sklearn

from benchmarks.esco_data import esco_dir, load_occupation_skills, load_occupations, load_skills
from matching.evaluation import extraction_benchmark, jobs_benchmark, synthetic_taxonomy
from matching.extract import SkillExtractor
from matching.index import MatchIndex
from matching.relations import cooccurrence_relations


def machine() -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{cpu}; {os.cpu_count()} cores; Python {platform.python_version()}, numpy {np.__version__}, "
            f"scipy {scipy.__version__}, pandas {pd.__version__}, scikit-learn {sklearn.__version__}")


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def index_mb(index: MatchIndex) -> float:
    """Bytes held by the index's arrays and sparse matrices (not Python objects such as id lists)."""
    total = 0
    def add(value):
        nonlocal total
        if isinstance(value, np.ndarray):
            total += value.nbytes
        elif scipy.sparse.issparse(value):
            total += value.data.nbytes + value.indices.nbytes + value.indptr.nbytes
    for side in (index.vacancies_, index.candidates_):
        for value in [side.skills, side.skills_t, side.text, side.text_t, side.languages, side.alive,
                      *side.attrs.values(), *side.extra.values(), *side.extra_t.values()]:
            add(value)
    for value in (index.idf_, index.distances_, index.skill_relations_, index.occupation_relations_,
                  index.occupation_profiles_, index._profiles_t):
        add(value)
    return total / 2**20


def percentiles(samples: list[float]) -> str:
    a = np.asarray(samples) * 1000
    return f"p50 {np.percentile(a, 50):.2f} ms  p99 {np.percentile(a, 99):.2f} ms  mean {a.mean():.2f} ms (n={len(a)})"


# ----------------------------------------------------------------------------- pandas baseline


class PandasBaseline:
    """The straightforward way: merge the candidate's skills onto every vacancy skill row,
    aggregate per vacancy with groupby, merge the vacancy attributes, filter, sort. Same
    signals as the index except the text, occupation-profile and related-skill parts."""

    def __init__(self, frames, index: MatchIndex):
        self.vs = frames.vacancy_skills.copy()
        idf = pd.Series(index.idf_, index=index.skill_index_)
        self.vs["idf"] = self.vs["skill_id"].map(idf).astype(float)
        self.vac = frames.vacancies.set_index("vacancy_id")
        req = frames.vacancy_languages.pivot_table(index="vacancy_id", columns="language", values="level", aggfunc="max")
        self.vac = self.vac.join(req.add_prefix("req_"), how="left").fillna({f"req_{c}": 0 for c in req.columns})
        self.languages = list(req.columns)
        self.towns = pd.Index(frames.towns["town_id"])
        self.distances = index.distances_
        self.cand = frames.candidates.set_index("candidate_id")
        self.cand_skills = {c: g for c, g in frames.candidate_skills.groupby("candidate_id")}
        self.cand_langs = {c: dict(zip(g["language"], g["level"])) for c, g in frames.candidate_languages.groupby("candidate_id")}
        self.ess_mass = self.vs[self.vs["essential"]].groupby("vacancy_id")["idf"].sum()

    def recommend(self, candidate_id, k: int = 10) -> list:
        cand = self.cand.loc[candidate_id]
        skills = self.cand_skills.get(candidate_id, pd.DataFrame(columns=["skill_id", "level"]))
        rows = self.vs.merge(skills[["skill_id", "level"]], on="skill_id", how="inner")
        rows["w"] = rows["idf"] * rows["essential"]
        per = rows.groupby("vacancy_id").agg(ess=("w", "sum"), held=("idf", "sum"), level=("level", "mean"))
        v = self.vac.join(per, how="inner")
        v["essential"] = v["ess"] / v.index.map(self.ess_mass).astype(float)
        langs = self.cand_langs.get(candidate_id, {})
        ok = (v["min_education"] <= cand["education"]) & (v["min_age"] <= cand["age"])
        for language in self.languages:
            ok &= v[f"req_{language}"] <= langs.get(language, 0)
        ok &= v["hours"].isin(cand["available_hours"]) if len(cand["available_hours"]) else True
        distance = self.distances[self.towns.get_loc(cand["town_id"]), self.towns.get_indexer(v["town_id"])]
        ok &= (distance <= cand["max_commute_km"]) | bool(cand["willing_to_relocate"]) | (v["work_arrangement"] == "remote")
        v = v[ok]
        score = 0.5 * v["essential"] + 0.3 * (v["held"] / v["held"].max()) + 0.2 * v["level"] / 4
        return score.nlargest(k).index.tolist()


# --------------------------------------------------------------------------------- the run


def taxonomy():
    folder = esco_dir()
    if folder is not None:
        skills, occupations, links = load_skills(folder), load_occupations(folder), load_occupation_skills(folder)
        return "ESCO v1.1.1", skills, occupations, links, folder
    skills, occupations, links = synthetic_taxonomy(random_state=0)
    return "synthetic (ESCO-sized)", skills, occupations, links, None


def bench_size(n_vacancies: int, n_candidates: int, n_queries: int, n_pandas: int, n_batch: int, taxo) -> None:
    name, skills, occupations, links, _ = taxo
    t = time.perf_counter()
    frames, _, _ = jobs_benchmark(skills, occupations, links, n_occupations=2000, n_vacancies=n_vacancies,
                                  n_candidates=n_candidates, filters=True, random_state=42)
    frames.skill_relations = cooccurrence_relations(links)
    print(f"\n== {n_vacancies:,} vacancies, {n_candidates:,} candidates, {len(skills):,} skills ({name}); "
          f"data generated in {time.perf_counter() - t:.0f} s: {len(frames.vacancy_skills):,} vacancy skills, "
          f"{len(frames.candidate_skills):,} candidate skills")
    gc.collect()
    before = rss_mb()
    t = time.perf_counter()
    index = MatchIndex().fit(frames)
    build = time.perf_counter() - t
    print(f"index build: {build:.1f} s; RSS +{rss_mb() - before:.0f} MB; arrays and matrices {index_mb(index):.0f} MB")
    tracemalloc.start()
    MatchIndex().fit(frames)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"index build peak allocation (tracemalloc, second build): {peak:.0f} MB")

    rng = np.random.default_rng(0)
    ids = frames.candidates["candidate_id"].to_numpy(object)
    queries = rng.choice(ids, size=n_queries, replace=False)
    baseline = PandasBaseline(frames, index)
    ours, theirs = [], []
    for i, cid in enumerate(queries):  # A, B, A, B ... on the same candidates
        t = time.perf_counter()
        index.recommend_jobs(cid, 10)
        ours.append(time.perf_counter() - t)
        if i < n_pandas:
            t = time.perf_counter()
            baseline.recommend(cid, 10)
            theirs.append(time.perf_counter() - t)
    print(f"jobs for a candidate, with explanations: {percentiles(ours)}")
    print(f"pandas per-vacancy baseline (same run, interleaved): {percentiles(theirs)}")
    print(f"   speed-up at p50: {np.median(theirs) / np.median(ours[:len(theirs)]):.0f}x, "
          f"at p99: {np.percentile(theirs, 99) / np.percentile(ours[:len(theirs)], 99):.0f}x")
    lat = []
    for vid in rng.choice(frames.vacancies["vacancy_id"].to_numpy(object), size=min(n_queries, 300), replace=False):
        t = time.perf_counter()
        index.recommend_candidates(vid, 10)
        lat.append(time.perf_counter() - t)
    print(f"candidates for a vacancy ({n_candidates:,} candidates), with explanations: {percentiles(lat)}")
    t = time.perf_counter()
    batch = index.recommend_jobs_batch(ids[:n_batch], k=10)
    print(f"batch top-10 for {n_batch:,} candidates: {time.perf_counter() - t:.1f} s ({len(batch):,} rows)")
    freshness(index, frames)


def freshness(index: MatchIndex, frames) -> None:
    v = frames.vacancies.iloc[0].to_dict()
    skills = frames.vacancy_skills[frames.vacancy_skills["vacancy_id"] == v["vacancy_id"]][["skill_id", "essential"]]
    times = []
    for i in range(10):
        t = time.perf_counter()
        index.upsert_vacancy({**v, "vacancy_id": f"fresh-{i}"}, skills)
        times.append(time.perf_counter() - t)
    c = frames.candidates.iloc[0].to_dict()
    cskills = frames.candidate_skills[frames.candidate_skills["candidate_id"] == c["candidate_id"]][["skill_id", "level"]]
    ctimes = []
    for i in range(10):
        t = time.perf_counter()
        index.upsert_candidate({**c, "candidate_id": f"fresh-{i}"}, cskills)
        ctimes.append(time.perf_counter() - t)
    print(f"upsert one vacancy: {percentiles(times)}; upsert one candidate: {percentiles(ctimes)}")


def bench_extraction(taxo, n: int) -> None:
    name, skills, *_ = taxo
    t = time.perf_counter()
    extractor = SkillExtractor().fit(skills)
    fit = time.perf_counter() - t
    sentences = extraction_benchmark(skills, n_sentences=n, random_state=3)["text"].tolist()
    t = time.perf_counter()
    extractor.transform(sentences, top_k=10)
    batch = n / (time.perf_counter() - t)
    t = time.perf_counter()
    for s in sentences[: n // 2]:
        extractor.extract(s, top_k=10)
    single = (n // 2) / (time.perf_counter() - t)
    print(f"\n== skill extraction over {name}: {len(skills):,} skills, {len(extractor.label_text_):,} labels; fit {fit:.1f} s")
    print(f"   {batch:,.0f} sentences/s in batches of {n}; {single:,.0f} sentences/s one call per sentence")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vacancies", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--pandas-queries", type=int, default=40)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--sentences", type=int, default=4000)
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    taxo = taxonomy()
    bench_extraction(taxo, args.sentences)
    for n in args.vacancies:
        bench_size(n, args.candidates, args.queries, args.pandas_queries, args.batch, taxo)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
