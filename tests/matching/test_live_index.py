"""The index after many upserts and removals answers exactly as a straightforward rebuild of the same rows.

``LiveMatrix`` keeps changed rows in a delta instead of rebuilding the matrix and its transpose on every change;
these tests compare it, and the whole index built on it, with the plain path: one CSR matrix with the rows
replaced in place and its transpose rebuilt (what ``compact`` produces, and what every upsert did before), and
scoring every candidate row without pruning.
"""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from matching.evaluation import jobs_benchmark, synthetic_taxonomy
from matching.index import MatchIndex
from matching.index.diversity import diverse_top
from matching.index.score import JOBS, score_rows, top_jobs
from matching.sides import Side
from matching.sparse import LiveMatrix, gather_rows, replace_row


def _random_rows(rng, n_rows: int, n_cols: int) -> sp.csr_matrix:
    dense = np.where(rng.random((n_rows, n_cols)) < 0.15, rng.integers(1, 6, (n_rows, n_cols)), 0)
    return sp.csr_matrix(dense.astype(np.float32))


@pytest.mark.parametrize("seed", range(6))
def test_live_matrix_reads_as_the_matrix_with_rows_replaced_in_place(seed):
    rng = np.random.default_rng(seed)
    reference = _random_rows(rng, 40, 25)
    live = LiveMatrix(reference, max_delta=7)  # small: compactions happen along the way
    for step in range(60):
        r = int(rng.integers(0, reference.shape[0] + 1))  # sometimes an append
        columns = rng.choice(25, size=int(rng.integers(0, 6)), replace=False)
        data = rng.integers(1, 6, len(columns)).astype(np.float32)
        reference = replace_row(reference, r, columns, data)
        live.put(r, columns, data)
        assert live.shape == reference.shape
        reference_t = reference.T.tocsr()
        asked = rng.choice(25, size=8, replace=False)
        expected = gather_rows(reference_t, asked)
        got = live.gather(asked)
        # Per row, the same entries in the same order (so sums over a row add alike, bit for bit).
        assert _by_row(*got) == _by_row(*expected)
        weights = rng.random(8)
        assert np.array_equal(np.bincount(got[1], weights[got[0]] * got[2], reference.shape[0]),
                              np.bincount(expected[1], weights[expected[0]] * expected[2], reference.shape[0]))
    for r in range(reference.shape[0]):
        lo, hi = reference.indptr[r], reference.indptr[r + 1]
        columns, data = live.row(r)
        assert columns.tolist() == reference.indices[lo:hi].tolist() and data.tolist() == reference.data[lo:hi].tolist()
    assert (live.tocsr() != reference).nnz == 0


def _by_row(position, target, data) -> dict:
    out: dict = {}
    for p, t, d in zip(position.tolist(), target.tolist(), data.tolist()):
        out.setdefault(t, []).append((p, d))
    return out


def test_side_arrays_grow_with_spare_room_and_keep_their_values():
    side = Side(ids=["a"], skills=sp.csr_matrix((1, 3), dtype=np.float32), text=sp.csr_matrix((1, 2), dtype=np.float32),
                languages=np.zeros((1, 2), np.int8), attrs={"town": np.asarray([5], np.int32)}, alive=np.ones(1, bool))
    for n in range(100):
        side.put(f"v{n}", skills=(np.asarray([n % 3]), np.asarray([1.0])), text=(np.asarray([], int), np.asarray([])),
                 languages=np.asarray([n % 7, 1], np.int8), attrs={"town": n})
    assert len(side) == len(side.alive) == len(side.attrs["town"]) == len(side.languages) == 101
    assert side.attrs["town"].tolist() == [5, *range(100)]
    assert side.languages[1:, 0].tolist() == [n % 7 for n in range(100)]
    assert side.skills.row(42)[0].tolist() == [41 % 3]


@pytest.fixture(scope="module")
def churned():
    """An index after 400 upserts (new vacancies, edited ones, edited candidates) and 60 removals."""
    skills, occupations, links = synthetic_taxonomy(n_skills=400, n_occupations=50, skills_per_occupation=15,
                                                    random_state=3)
    frames, _, _ = jobs_benchmark(skills, occupations, links, n_occupations=40, n_vacancies=2500, n_candidates=60,
                                  filters=True, random_state=4)
    index = MatchIndex().fit(frames)
    for side in (index.vacancies_, index.candidates_):  # compactions happen along the way too
        for matrix in (side.skills, side.text, *side.extra.values()):
            matrix.max_delta = 97
    rng = np.random.default_rng(5)
    vacancies = frames.vacancies.set_index("vacancy_id", drop=False)
    by_vacancy = dict(tuple(frames.vacancy_skills.groupby("vacancy_id")))
    all_skills = frames.vacancy_skills["skill_id"].unique()
    for step in range(300):
        source = vacancies.iloc[int(rng.integers(len(vacancies)))].to_dict()
        skills = by_vacancy[source["vacancy_id"]][["skill_id", "essential"]]
        extra = pd.DataFrame({"skill_id": rng.choice(all_skills, 3, replace=False), "essential": [True, False, True]})
        skills = pd.concat([skills, extra]).drop_duplicates("skill_id")
        if step % 2:  # an edit of an indexed vacancy (its row is replaced)
            target = vacancies.index[int(rng.integers(len(vacancies)))]
        else:
            target = f"new-{step}"
        index.upsert_vacancy({**source, "vacancy_id": target, "title": f"{source['title']} {step % 5}"}, skills)
    candidate_skills = dict(tuple(frames.candidate_skills.groupby("candidate_id")))
    for step in range(100):
        candidate = frames.candidates.iloc[int(rng.integers(len(frames.candidates)))].to_dict()
        held = candidate_skills.get(candidate["candidate_id"], frames.candidate_skills.iloc[:0])[["skill_id", "level"]]
        held = pd.concat([held, pd.DataFrame({"skill_id": rng.choice(all_skills, 2, replace=False), "level": [2, 3]})])
        index.upsert_candidate(candidate, held.drop_duplicates("skill_id"))
    ids = list(index.vacancies_.ids)
    for vacancy_id in rng.choice(np.asarray(ids, dtype=object), 60, replace=False):
        if index.vacancies_.alive[index.vacancies_.position[vacancy_id]]:
            index.remove_vacancy(vacancy_id)
    return frames, index


def _rebuilt(index: MatchIndex) -> MatchIndex:
    """The same rows as one plain matrix each, transposes rebuilt: what every change used to produce."""
    plain = copy.deepcopy(index)
    for side in (plain.vacancies_, plain.candidates_):
        for matrix in (side.skills, side.text, *side.extra.values()):
            matrix.compact()
    return plain


def test_churned_index_still_holds_deltas(churned):
    _, index = churned
    assert index.vacancies_.skills.delta and index.vacancies_.skills.n_stale
    assert index.candidates_.skills.delta


def test_jobs_after_many_upserts_and_removals_equal_a_rebuild(churned):
    frames, index = churned
    plain = _rebuilt(index)
    for candidate in frames.candidates["candidate_id"]:
        got, expected = index.recommend_jobs(candidate, 10), plain.recommend_jobs(candidate, 10)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_candidates_after_many_upserts_and_removals_equal_a_rebuild(churned):
    _, index = churned
    plain = _rebuilt(index)
    alive = [v for v, ok in zip(index.vacancies_.ids, index.vacancies_.alive) if ok]
    for vacancy in alive[:: max(1, len(alive) // 80)]:
        pd.testing.assert_frame_equal(index.recommend_candidates(vacancy, 10), plain.recommend_candidates(vacancy, 10),
                                      check_exact=True)


def test_pruned_jobs_after_churn_equal_scoring_every_row(churned):
    frames, index = churned
    for candidate in frames.candidates["candidate_id"]:
        c = index.candidates_.position[candidate]
        rows, scores, *_ = score_rows(index, direction=JOBS, query=c)
        full = rows[diverse_top(index, scores=scores, k=10, rows=rows)]
        evaluated, _, _, _, _, chosen = top_jobs(index, c, 10)
        assert evaluated[chosen].tolist() == full.tolist()
