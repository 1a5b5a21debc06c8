"""Quality of extraction, title matching and jobs ranking against the real ESCO taxonomy.

Reads the official ESCO ZIPs from ESCO_DIR (or ../shared/data/esco beside the checkout) in memory, builds the
seeded benchmarks of :mod:`matching.evaluation` and prints every figure beside its baselines.

    .venv/bin/python -m benchmarks.evaluate_esco [--seed 1] [--candidates 1000]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from benchmarks.esco_data import esco_dir, load_occupation_skills, load_occupations, load_skill_relations, load_skills
from matching.evaluation import (
    extraction_benchmark, jobs_benchmark, r_precision, random_baseline, ranking_report, reciprocal_rank,
    tfidf_baseline, title_benchmark,
)
from matching.extract import SkillExtractor, skills_from_text
from matching.index import MatchIndex
from matching.relations import cooccurrence_relations, occupation_relations
from matching.text import fold
from matching.titles import TitleMatcher


def _char_label_baseline(skills_or_occ: pd.DataFrame, id_column: str, queries: list[str], k: int) -> list[list]:
    """Nearest labels by char 3–5-gram TF-IDF cosine: the embedding-style matcher we can run offline."""
    from matching.labels import concept_labels
    labels = concept_labels(skills_or_occ, id_column=id_column)
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
    matrix = vec.fit_transform([fold(t) for t in labels["label"]])
    concept = labels["concept"].to_numpy()
    ids = skills_or_occ[id_column].to_numpy(object)
    out = []
    for q in queries:
        scores = (matrix @ vec.transform([fold(q)]).T).toarray().ravel()
        order = np.argsort(-scores)[: k * 20]
        seen = list(dict.fromkeys(concept[order].tolist()))[:k]
        out.append(list(ids[seen]))
    return out


def evaluate_extraction(skills: pd.DataFrame, seed: int, n: int) -> None:
    t = time.perf_counter()
    extractor = SkillExtractor().fit(skills)
    print(f"extractor fit on {len(skills)} skills / {len(extractor.label_text_)} labels: {time.perf_counter() - t:.1f} s")
    bench = extraction_benchmark(skills, n_sentences=n, random_state=seed)
    t = time.perf_counter()
    found = extractor.transform(bench["text"].tolist(), top_k=5)
    dt = time.perf_counter() - t
    rp = [r_precision([m.skill_id for m in f], set(g), 5) for f, g in zip(found, bench["skill_ids"])]
    mrr = [reciprocal_rank([m.skill_id for m in f], set(g)) for f, g in zip(found, bench["skill_ids"])]
    print(f"extraction ({n} sentences, {bench['skill_ids'].map(len).sum()} gold skills): RP@5 {np.mean(rp):.3f}  "
          f"MRR {np.mean(mrr):.3f}  speed {n / dt:.0f} sentences/s (batch)")
    for language in ("lv", "en"):
        mask = (bench["language"] == language).to_numpy()
        print(f"   {language}: RP@5 {np.mean(np.asarray(rp)[mask]):.3f}  MRR {np.mean(np.asarray(mrr)[mask]):.3f}")
    sample = bench.head(min(300, n))
    t = time.perf_counter()
    base = _char_label_baseline(skills, "skill_id", sample["text"].tolist(), 5)
    dt = time.perf_counter() - t
    rp_b = [r_precision(f, set(g), 5) for f, g in zip(base, sample["skill_ids"])]
    rp_s = np.asarray(rp)[: len(sample)]
    print(f"   baseline char-n-gram label retrieval (first {len(sample)}): RP@5 {np.mean(rp_b):.3f} vs ours "
          f"{np.mean(rp_s):.3f}; {len(sample) / dt:.0f} sentences/s")


def evaluate_titles(occupations: pd.DataFrame, seed: int) -> None:
    fit_frame, queries = title_benchmark(occupations, random_state=seed)
    matcher = TitleMatcher().fit(fit_frame)
    t = time.perf_counter()
    results = [[m["occupation_id"] for m in matcher.match(q, 10)] for q in queries["title"]]
    dt = time.perf_counter() - t
    rr = np.asarray([reciprocal_rank(r, {o}) for r, o in zip(results, queries["occupation_id"])])
    top1 = np.asarray([bool(r) and r[0] == o for r, o in zip(results, queries["occupation_id"])])
    print(f"title matching on {len(queries)} held-out alternative labels: MRR {rr.mean():.3f}  acc@1 {top1.mean():.3f}"
          f"  ({len(queries) / dt:.0f} titles/s)")
    for language in ("lv", "en"):
        mask = (queries["language"] == language).to_numpy()
        print(f"   {language} ({mask.sum()}): MRR {rr[mask].mean():.3f}  acc@1 {top1[mask].mean():.3f}")
    base = _char_label_baseline(fit_frame, "occupation_id", queries["title"].tolist(), 10)
    rr_b = np.asarray([reciprocal_rank(r, {o}) for r, o in zip(base, queries["occupation_id"])])
    print(f"   baseline char-n-gram label retrieval: MRR {rr_b.mean():.3f}")


def evaluate_jobs(skills, occupations, occupation_skills, relations, seed: int, n_candidates: int,
                  history_share: float, n_occupations: int) -> None:
    frames, relevant, _ = jobs_benchmark(skills, occupations, occupation_skills, n_candidates=n_candidates,
                                         n_occupations=n_occupations, n_vacancies=10 * n_occupations,
                                         history_share=history_share, random_state=seed)
    t = time.perf_counter()
    extractor = SkillExtractor().fit(skills)
    inferred = skills_from_text(extractor, frames.candidates, id_column="candidate_id")
    frames.candidate_skills = (pd.concat([frames.candidate_skills, inferred])
                               .drop_duplicates(["candidate_id", "skill_id"], keep="first"))
    frames.skill_relations = relations
    frames.occupation_relations = occupation_relations(occupation_skills)
    index = MatchIndex().fit(frames)
    print(f"jobs benchmark: {len(frames.vacancies)} vacancies of {frames.vacancies['occupation_id'].nunique()} "
          f"occupations, {len(frames.candidates)} candidates (history share {history_share}); "
          f"extraction + index {time.perf_counter() - t:.1f} s; inferred {len(inferred)} skills from CV text")
    ids = frames.candidates["candidate_id"].tolist()
    n_items = len(frames.vacancies)
    ours = index.recommend_jobs_batch(ids, k=10).groupby("candidate_id")["vacancy_id"].apply(list).to_dict()
    report = ranking_report(ours, relevant, k=10, n_items=n_items)
    baselines = {
        "TF-IDF text alone": tfidf_baseline(frames, ids),
        "TF-IDF text + skill labels": tfidf_baseline(frames, ids, with_skills=True),
        "char 3-5-gram text + skill labels": tfidf_baseline(frames, ids, analyzer="char", with_skills=True),
        "random": random_baseline(frames, ids, random_state=seed),
    }
    print(f"   {'MatchIndex':36s} " + "  ".join(f"{k} {v}" for k, v in report.items()))
    for name, recs in baselines.items():
        r = ranking_report(recs, relevant, k=10, n_items=n_items)
        ratio = report["nDCG@10"] / max(r["nDCG@10"], 1e-9)
        print(f"   {name:36s} " + "  ".join(f"{k} {v}" for k, v in r.items()) + f"  -> ours/this nDCG {ratio:.2f}x")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--occupations", type=int, default=1000)
    parser.add_argument("--history", type=float, nargs="*", default=[0.0, 0.5])
    parser.add_argument("--only", choices=["extraction", "titles", "jobs"], default=None)
    args = parser.parse_args(argv)
    folder = esco_dir()
    if folder is None:
        print("ESCO_DIR is not set and ../shared/data/esco beside the checkout is missing", file=sys.stderr)
        return 2
    skills, occupations = load_skills(folder), load_occupations(folder)
    print(f"ESCO from {folder}: {len(skills)} skills, {len(occupations)} occupations; seed {args.seed}")
    if args.only in (None, "extraction"):
        evaluate_extraction(skills, args.seed, args.sentences)
    if args.only in (None, "titles"):
        evaluate_titles(occupations, args.seed)
    if args.only in (None, "jobs"):
        occupation_skills = load_occupation_skills(folder)
        relations = pd.concat([load_skill_relations(folder), cooccurrence_relations(occupation_skills)], ignore_index=True)
        for history in args.history:
            evaluate_jobs(skills, occupations, occupation_skills, relations, args.seed, args.candidates, history,
                          args.occupations)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
