"""Entry jobs are ranked by interest and distance (matching.entry)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from matching.entry import ENTRY_WEIGHTS, rank_entry_jobs

REALISTIC = (6.5, 3.0, 2.0, 3.0, 3.0, 3.0)
SOCIAL = (2.0, 3.0, 3.0, 6.5, 4.0, 3.0)


def _jobs(*rows) -> pd.DataFrame:
    columns = ["vacancy_id", "distance_km", "remote", "riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e",
               "riasec_c"]
    return pd.DataFrame([(v, km, remote, *profile) for v, km, remote, profile in rows], columns=columns)


MIXED = (5.0, 3.0, 2.0, 5.5, 3.0, 3.0)


def test_interest_orders_jobs_at_the_same_distance():
    jobs = _jobs(("kitchen", 5.0, False, SOCIAL), ("workshop", 5.0, False, REALISTIC))
    ranked = rank_entry_jobs(jobs, interests=MIXED, commute_km=30, k=2)
    assert ranked["vacancy_id"].tolist() == ["workshop", "kitchen"]


def test_a_job_against_the_persons_interests_is_not_offered_without_answers_it_is():
    jobs = _jobs(("kitchen", 1.0, False, SOCIAL), ("workshop", 5.0, False, REALISTIC))
    assert rank_entry_jobs(jobs, interests=REALISTIC, commute_km=30, k=5)["vacancy_id"].tolist() == ["workshop"]
    assert len(rank_entry_jobs(jobs, interests=None, commute_km=30, k=5)) == 2


def test_a_near_job_beats_a_far_one_of_the_same_occupation_and_parts_add_up():
    jobs = _jobs(("far", 28.0, False, REALISTIC), ("near", 0.0, False, REALISTIC), ("online", 200.0, True, REALISTIC))
    ranked = rank_entry_jobs(jobs, interests=REALISTIC, commute_km=30, k=3).set_index("vacancy_id")
    assert ranked.index.tolist()[-1] == "far"
    assert ranked.at["online", "distance"] == 1.0 and ranked.at["near", "distance"] == 1.0
    for row in ranked.itertuples():
        assert row.score == pytest.approx(ENTRY_WEIGHTS["interest"] * row.interest
                                          + ENTRY_WEIGHTS["distance"] * row.distance, abs=1e-4)


def test_unknown_interests_and_towns_count_as_neutral_and_k_cuts():
    nan = (math.nan,) * 6
    jobs = _jobs(("a", math.nan, False, nan), ("b", 10.0, False, REALISTIC))
    ranked = rank_entry_jobs(jobs, interests=None, commute_km=20, k=1)
    assert len(ranked) == 1
    both = rank_entry_jobs(jobs, interests=None, commute_km=20, k=5).set_index("vacancy_id")
    assert both.at["a", "interest"] == 0.5 and both.at["a", "distance"] == 0.5


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="lacks columns"):
        rank_entry_jobs(pd.DataFrame({"vacancy_id": [1]}), interests=None, commute_km=10, k=1)
    with pytest.raises(ValueError, match="k must"):
        rank_entry_jobs(_jobs(("a", 1.0, False, REALISTIC)), interests=None, commute_km=10, k=0)
