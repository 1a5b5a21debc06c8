"""Ranking metrics on hand-computed answers; the synthetic benchmark is seeded and sane."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from matching.evaluation import (
    catalogue_coverage, extraction_benchmark, jobs_benchmark, ndcg_at_k, precision_at_k, r_precision,
    random_baseline, ranking_report, recall_at_k, reciprocal_rank, synthetic_taxonomy, tfidf_baseline,
    title_benchmark,
)
from matching.index import MatchIndex

from .conftest import occupations_frame


def test_metrics_on_a_known_list():
    recs, relevant = ["a", "x", "b", "y"], {"a", "b", "c"}
    assert precision_at_k(recs, relevant, 2) == 0.5
    assert recall_at_k(recs, relevant, 4) == pytest.approx(2 / 3)
    assert reciprocal_rank(["x", "a"], relevant) == 0.5
    assert reciprocal_rank(["x"], relevant) == 0.0
    assert r_precision(recs, relevant) == pytest.approx(1 / 3 * 2)  # 2 hits in the first 3
    assert r_precision(["a", "x"], {"a", "b"}, k=1) == 1.0
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(recs, relevant, 3) == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert ndcg_at_k(["a", "b", "c"], relevant, 3) == pytest.approx(1.0)
    assert catalogue_coverage([["a", "b"], ["b"]], 4) == 0.5


def test_ranking_report_averages_over_queries_with_relevant_items():
    report = ranking_report({1: ["a"], 2: ["x"], 3: ["z"]}, {1: {"a"}, 2: {"a"}, 3: set()}, k=1, n_items=4)
    assert report["P@1"] == 0.5 and report["MRR"] == 0.5 and report["queries"] == 2
    assert report["coverage"] == 0.75  # every list counts toward coverage: a, x, z of 4


@pytest.fixture(scope="module")
def taxonomy():
    return synthetic_taxonomy(n_skills=400, n_occupations=60, skills_per_occupation=12, random_state=3)


def test_jobs_benchmark_is_reproducible_and_relevance_follows_occupation(taxonomy):
    skills, occupations, links = taxonomy
    a = jobs_benchmark(skills, occupations, links, n_occupations=20, n_vacancies=100, n_candidates=30, random_state=5)
    b = jobs_benchmark(skills, occupations, links, n_occupations=20, n_vacancies=100, n_candidates=30, random_state=5)
    pd.testing.assert_frame_equal(a[0].candidate_skills, b[0].candidate_skills)
    frames, relevant, truth = a
    occupation_of = dict(zip(frames.vacancies["vacancy_id"], frames.vacancies["occupation_id"]))
    for candidate, vacancies in relevant.items():
        assert vacancies and {occupation_of[v] for v in vacancies} == {truth[candidate]}


def test_matcher_beats_random_and_text_alone_on_a_small_benchmark(taxonomy):
    skills, occupations, links = taxonomy
    frames, relevant, _ = jobs_benchmark(skills, occupations, links, n_occupations=20, n_vacancies=200,
                                         n_candidates=60, random_state=11)
    ids = frames.candidates["candidate_id"].tolist()
    ours = MatchIndex().fit(frames).recommend_jobs_batch(ids).groupby("candidate_id")["vacancy_id"].apply(list)
    ours = ranking_report(ours.to_dict(), relevant)["nDCG@10"]
    assert ours > ranking_report(random_baseline(frames, ids), relevant)["nDCG@10"] + 0.3
    assert ours > ranking_report(tfidf_baseline(frames, ids), relevant)["nDCG@10"]


def test_extraction_benchmark_writes_the_skills_it_claims(taxonomy):
    skills = taxonomy[0]
    bench = extraction_benchmark(skills, n_sentences=20, random_state=2)
    assert len(bench) == 20 and bench["skill_ids"].map(len).between(1, 3).all()
    assert set(bench["language"]) <= {"lv", "en"}


def test_title_benchmark_holds_labels_out_of_the_index():
    fit_frame, queries = title_benchmark(occupations_frame(), random_state=0)
    for title, occupation in zip(queries["title"], queries["occupation_id"]):
        row = fit_frame.set_index("occupation_id").loc[occupation]
        assert title not in list(row["alt_labels_en"]) + list(row["alt_labels_lv"])
