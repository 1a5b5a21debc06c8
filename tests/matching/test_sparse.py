"""Top-k selection: best first, and ties broken by index even where a run of equal scores is cut."""
from __future__ import annotations

import numpy as np
import pytest

from matching.sparse import top_k_indices


@pytest.mark.parametrize("seed", range(20))
def test_top_k_equals_a_full_stable_sort_with_ties_and_non_finite_scores(seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 4, 300).astype(float)  # few distinct values: long runs of ties at every cut
    scores[rng.choice(300, 30, replace=False)] = -np.inf
    scores[rng.choice(300, 5, replace=False)] = np.nan
    finite = np.flatnonzero(np.isfinite(scores))
    expected = finite[np.argsort(-scores[finite], kind="stable")]
    for k in (1, 7, 50, 265, 400):
        assert top_k_indices(scores, k).tolist() == expected[:k].tolist()
