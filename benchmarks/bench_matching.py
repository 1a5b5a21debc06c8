"""Speed and memory of the matching core, beside a pandas baseline measured in the same run.

    .venv/bin/python -m benchmarks.bench_matching                 # 10k and 100k vacancies, 50k candidates
    .venv/bin/python -m benchmarks.bench_matching --vacancies 10000 --candidates 20000 --queries 300
    .venv/bin/python -m benchmarks.bench_matching --vacancies 1000000 --baseline /tmp/base-scale --sentences 0

``--baseline`` names another checkout of this project: its ``matching`` package is imported under another name and
measured on the same data in the same run (builds one after the other, queries and upserts interleaved A, B), so
the ratio between the two carries across machines even when the absolute times do not.

The taxonomy is the real ESCO (read from the ZIPs in ESCO_DIR, never copied) when available,
else an ESCO-sized synthetic one. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import platform
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

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


def index_mb(index) -> float:
    """Bytes held by the index's arrays and sparse matrices (not Python objects such as id lists)."""
    total = 0
    def add(value):
        nonlocal total
        if isinstance(value, np.ndarray):
            total += value.nbytes
        elif scipy.sparse.issparse(value):
            total += value.data.nbytes + value.indices.nbytes + value.indptr.nbytes
        elif hasattr(value, "nbytes"):  # a LiveMatrix: both orientations and its delta
            total += value.nbytes
    for side in (index.vacancies_, index.candidates_):
        matrices = [getattr(side, name, None) for name in ("skills", "skills_t", "text", "text_t")]
        for value in [*matrices, side.languages, side.alive, *side.attrs.values(), *side.extra.values(),
                      *getattr(side, "extra_t", {}).values()]:
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


def baseline_class(checkout: str):
    """``MatchIndex`` of another checkout, imported as the package ``matching_base`` (its imports are relative)."""
    folder = tempfile.mkdtemp(prefix="bench_matching_base_")
    shutil.copytree(Path(checkout) / "matching", Path(folder) / "matching_base")
    sys.path.insert(0, folder)
    return importlib.import_module("matching_base.index").MatchIndex


def bench_size(n_vacancies: int, n_candidates: int, n_queries: int, n_pandas: int, n_batch: int, taxo,
               systems: dict, peak: bool = True) -> None:
    name, skills, occupations, links, _ = taxo
    t = time.perf_counter()
    frames, _, _ = jobs_benchmark(skills, occupations, links, n_occupations=2000, n_vacancies=n_vacancies,
                                  n_candidates=n_candidates, filters=True, random_state=42)
    frames.skill_relations = cooccurrence_relations(links)
    print(f"\n== {n_vacancies:,} vacancies, {n_candidates:,} candidates, {len(skills):,} skills ({name}); "
          f"data generated in {time.perf_counter() - t:.0f} s: {len(frames.vacancy_skills):,} vacancy skills, "
          f"{len(frames.candidate_skills):,} candidate skills", flush=True)
    indexes = {label: build(label, cls, frames, peak) for label, cls in systems.items()}
    rng = np.random.default_rng(0)
    ids = frames.candidates["candidate_id"].to_numpy(object)
    queries = rng.choice(ids, size=n_queries, replace=False)
    baseline = PandasBaseline(frames, next(iter(indexes.values())))
    times = {label: [] for label in indexes}
    cpu = {label: [] for label in indexes}
    theirs, same = [], 0
    for i, cid in enumerate(queries):  # A, B, A, B ... on the same candidates
        answers = []
        for label, index in indexes.items():
            t, c = time.perf_counter(), time.process_time()
            answers.append(index.recommend_jobs(cid, 10))
            times[label].append(time.perf_counter() - t)
            cpu[label].append(time.process_time() - c)
        same += all(a[["vacancy_id", "score"]].equals(answers[0][["vacancy_id", "score"]]) for a in answers)
        if i < n_pandas:
            t = time.perf_counter()
            baseline.recommend(cid, 10)
            theirs.append(time.perf_counter() - t)
    for label, ours in times.items():
        print(f"[{label}] jobs for a candidate, with explanations: {percentiles(ours)}; "
              f"CPU time {percentiles(cpu[label])}")
    print(f"pandas per-vacancy baseline (same run, interleaved): {percentiles(theirs)}")
    for label, ours in times.items():
        print(f"   [{label}] speed-up over pandas at p50: {np.median(theirs) / np.median(ours[:len(theirs)]):.0f}x, "
              f"at p99: {np.percentile(theirs, 99) / np.percentile(ours[:len(theirs)], 99):.0f}x")
    compare(times, f"jobs for a candidate (same {len(queries)} candidates; identical answers for {same})")
    compare(cpu, "jobs for a candidate, CPU time")
    lat = {label: [] for label in indexes}
    for vid in rng.choice(frames.vacancies["vacancy_id"].to_numpy(object), size=min(n_queries, 300), replace=False):
        for label, index in indexes.items():
            t = time.perf_counter()
            index.recommend_candidates(vid, 10)
            lat[label].append(time.perf_counter() - t)
    for label, values in lat.items():
        print(f"[{label}] candidates for a vacancy ({n_candidates:,} candidates), with explanations: "
              f"{percentiles(values)}")
    compare(lat, "candidates for a vacancy")
    if n_batch:
        for label, index in indexes.items():
            t = time.perf_counter()
            batch = index.recommend_jobs_batch(ids[:n_batch], k=10)
            print(f"[{label}] batch top-10 for {n_batch:,} candidates: {time.perf_counter() - t:.1f} s "
                  f"({len(batch):,} rows)")
    freshness(indexes, frames)


def build(label: str, cls, frames, peak: bool | str):
    gc.collect()
    before = rss_mb()
    t = time.perf_counter()
    index = cls().fit(frames)
    seconds = time.perf_counter() - t
    print(f"[{label}] index build: {seconds:.1f} s; RSS +{rss_mb() - before:.0f} MB; arrays and matrices "
          f"{index_mb(index):.0f} MB", flush=True)
    if peak is True or peak == label:
        tracemalloc.start()
        cls().fit(frames)
        print(f"[{label}] index build peak allocation (tracemalloc, second build): "
              f"{tracemalloc.get_traced_memory()[1] / 2**20:.0f} MB", flush=True)
        tracemalloc.stop()
    return index


def compare(times: dict, what: str) -> None:
    """The baseline's time over the new one's, at p50 and p99 (only with ``--baseline``)."""
    if "base" not in times:
        return
    new, base = np.asarray(times["new"]), np.asarray(times["base"])
    print(f"   {what}: base / new at p50 {np.median(base) / np.median(new):.2f}x, "
          f"at p99 {np.percentile(base, 99) / np.percentile(new, 99):.2f}x", flush=True)


def freshness(indexes: dict, frames) -> None:
    """Upserts interleaved A, B: ten new vacancies, then the same ten again (a replacement), then candidates."""
    v = frames.vacancies.iloc[0].to_dict()
    skills = frames.vacancy_skills[frames.vacancy_skills["vacancy_id"] == v["vacancy_id"]][["skill_id", "essential"]]
    c = frames.candidates.iloc[0].to_dict()
    cskills = frames.candidate_skills[frames.candidate_skills["candidate_id"] == c["candidate_id"]][["skill_id", "level"]]
    times = {label: [] for label in indexes}
    cpu = {label: [] for label in indexes}
    ctimes = {label: [] for label in indexes}
    for i in range(20):
        for label, index in indexes.items():
            t, c = time.perf_counter(), time.process_time()
            index.upsert_vacancy({**v, "vacancy_id": f"fresh-{i % 10}"}, skills)
            times[label].append(time.perf_counter() - t)
            cpu[label].append(time.process_time() - c)
    for i in range(10):
        for label, index in indexes.items():
            t = time.perf_counter()
            index.upsert_candidate({**c, "candidate_id": f"fresh-{i}"}, cskills)
            ctimes[label].append(time.perf_counter() - t)
    for label in indexes:
        print(f"[{label}] upsert one vacancy (10 new, then each replaced): {percentiles(times[label])} "
              f"(CPU time {percentiles(cpu[label])}); upsert one candidate: {percentiles(ctimes[label])}")
    compare(times, "upsert one vacancy")
    compare(cpu, "upsert one vacancy, CPU time")
    compare(ctimes, "upsert one candidate")


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
    parser.add_argument("--sentences", type=int, default=4000, help="0: skip the extraction benchmark.")
    parser.add_argument("--baseline", default="", help="Another checkout whose MatchIndex runs beside this one.")
    parser.add_argument("--peak", default="all", help="Whose build peak to measure by a second build under "
                        "tracemalloc: all, new, base or none.")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    taxo = taxonomy()
    if args.sentences:
        bench_extraction(taxo, args.sentences)
    systems = {"new": MatchIndex, **({"base": baseline_class(args.baseline)} if args.baseline else {})}
    for n in args.vacancies:
        bench_size(n, args.candidates, args.queries, args.pandas_queries, args.batch, taxo, systems,
                   peak={"all": True, "none": False}.get(args.peak, args.peak))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
