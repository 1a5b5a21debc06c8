"""Entry jobs: vacancies open to a beginner, ranked without skills.

A skill match needs a skill in common; a pupil with two skills has few. Summer jobs, helper posts and
apprenticeships ask no experience, so for them what counts is whether the person may take the job (the hard filters
of the index, applied by the caller), whether the work suits their interests and how far it is. Which vacancies are
entry jobs for whom is the caller's rule (``careers.selectors.recommendations.entry_vacancies_for``); this module
only ranks them.

Score = ``0.55·interest + 0.45·distance``; a person who answered the interest questions is not offered an entry job
whose interest fit is under ``MIN_INTEREST`` (0.5): with no skill to go on, interests are the reason to list it.

``interest``  RIASEC fit of the person with the vacancy's occupation (:func:`matching.careers_fit.riasec_fit`;
              0.5 when either is unknown);
``distance``  1 − km / commute limit (remote: 1; unknown town: 0.5), as for skill matches.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .careers_fit import RIASEC, riasec_fit

__all__ = ["ENTRY_WEIGHTS", "rank_entry_jobs"]

ENTRY_WEIGHTS = {"interest": 0.55, "distance": 0.45}
NEUTRAL = 0.5
MIN_INTEREST = 0.5
COLUMNS = ("vacancy_id", "distance_km", "remote", *RIASEC)


def rank_entry_jobs(jobs: pd.DataFrame, *, interests, commute_km: float, k: int) -> pd.DataFrame:
    """The best ``k`` of ``jobs``, best first (ties: lower vacancy id first).

    Parameters
    ----------
    jobs : DataFrame
        ``vacancy_id, distance_km`` (NaN unknown), ``remote`` and the occupation's ``riasec_r … riasec_c``
        (NaN unknown); every row already passed the hard filters.
    interests : sequence of 6 floats or None
        The person's RIASEC answers.
    commute_km : float
        The person's commute limit.
    k : int

    Returns
    -------
    DataFrame
        ``vacancy_id, score, interest, distance`` (parts in [0, 1], score rounded to 4 places), without the jobs
        whose interest fit is under ``MIN_INTEREST``.
    """
    missing = [c for c in COLUMNS if c not in jobs.columns]
    if missing:
        raise ValueError(f"jobs lacks columns: {', '.join(missing)}")
    if k < 1:
        raise ValueError("k must be a positive integer")
    interest = riasec_fit(interests, jobs[list(RIASEC)].to_numpy(dtype=np.float64))
    interest = np.where(np.isnan(interest), NEUTRAL, interest)
    suits = interest >= MIN_INTEREST
    km = jobs["distance_km"].to_numpy(dtype=np.float64)
    near = np.clip(1.0 - km / max(float(commute_km), 1.0), 0.0, 1.0)
    distance = np.where(jobs["remote"].to_numpy(dtype=bool), 1.0, np.where(np.isnan(km), NEUTRAL, near))
    score = ENTRY_WEIGHTS["interest"] * interest + ENTRY_WEIGHTS["distance"] * distance
    out = pd.DataFrame({"vacancy_id": jobs["vacancy_id"].to_numpy(), "score": np.round(score, 4),
                        "interest": np.round(interest, 4), "distance": np.round(distance, 4)})[suits]
    return out.sort_values(["score", "vacancy_id"], ascending=[False, True], kind="stable").head(k).reset_index(drop=True)
