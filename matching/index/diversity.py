"""Diversity: at most ``max_per_group`` vacancies of one (employer, normalised title) group in one list.

Further copies are skipped and the next best item takes the place, so ten openings for "noliktavas darbinieks"
at one warehouse show as two. Groups are coded at encoding time (:func:`matching.sides.group_codes`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..sparse import top_k_indices

if TYPE_CHECKING:
    from .estimator import MatchIndex

__all__ = ["diverse_top"]


def diverse_top(index: MatchIndex, *, scores: np.ndarray, k: int, rows: np.ndarray) -> np.ndarray:
    """Positions (into ``scores``, one per vacancy row in ``rows``) of the top ``k``, at most ``max_per_group``
    per diversity group; 0 = no cap."""
    groups = index.vacancies_.attrs["group"][rows]
    cap = index.max_per_group
    pool = k
    while True:
        # Widen the pool until k distinct enough items are found or nothing is left to look at.
        pool = min(len(scores), max(pool * 4, k + 16))
        order = top_k_indices(scores, pool)
        if cap <= 0:
            return order[:k]
        chosen, counts = [], {}
        for at in order.tolist():
            g = groups[at]
            if counts.get(g, 0) < cap:
                counts[g] = counts.get(g, 0) + 1
                chosen.append(at)
                if len(chosen) == k:
                    return np.asarray(chosen, dtype=np.int64)
        if len(order) < pool or pool >= len(scores):
            return np.asarray(chosen, dtype=np.int64)
