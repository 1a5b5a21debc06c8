"""Careers for a student: interest (RIASEC) fit, skill fit and local demand, as plain arrays.

Interest fit follows O*NET's Interest Profiler practice of comparing profile *shapes*: the
Pearson correlation of the person's six scores with the occupation's, mapped from [-1, 1] to
[0, 1]. A flat profile (every answer the same) has no shape; it is then compared by level,
``1 - mean |a - b| / 6`` on the 1–7 scale. Unknown occupation profiles get ``NaN``, which the
ranking treats as neutral (0.5) and reports as unknown.

Skill fit is the share of the occupation's essential skills (taxonomy profile) the person holds
exactly: zero skills give zero, never an error. Demand is the number of open vacancies of the
occupation within the person's reach, log-scaled against the best-served occupation.
"""
from __future__ import annotations

import numpy as np

__all__ = ["CAREER_WEIGHTS", "RIASEC", "career_scores", "riasec_fit"]

RIASEC = ("riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c")
CAREER_WEIGHTS = {"interest": 0.5, "skills": 0.3, "demand": 0.2}
NEUTRAL = 0.5


def riasec_fit(person, occupations: np.ndarray) -> np.ndarray:
    """Interest fit of one person with every occupation, in [0, 1] (NaN where unknown).

    Parameters
    ----------
    person : sequence of 6 floats (R, I, A, S, E, C on 1–7), or None
    occupations : ndarray, shape (n, 6)
        NaN rows (or any NaN entry) mark an unknown profile.

    Returns
    -------
    ndarray, shape (n,)
    """
    occupations = np.asarray(occupations, dtype=np.float64).reshape(-1, 6)
    out = np.full(len(occupations), np.nan)
    if person is None:
        return out
    p = np.asarray(person, dtype=np.float64)
    if p.shape != (6,) or np.isnan(p).any():
        return out
    known = ~np.isnan(occupations).any(axis=1)
    occ = occupations[known]
    level = 1.0 - np.abs(occ - p).mean(axis=1) / 6.0
    pc = p - p.mean()
    oc = occ - occ.mean(axis=1, keepdims=True)
    denominator = np.sqrt((pc ** 2).sum()) * np.sqrt((oc ** 2).sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = (oc @ pc) / denominator
    shaped = (corr + 1.0) / 2.0
    out[known] = np.where(denominator > 1e-9, shaped, level)
    return np.clip(out, 0.0, 1.0)


def career_scores(interest: np.ndarray, skills: np.ndarray, demand_counts: np.ndarray, *,
                  has_interests: bool, weights: dict | None = None) -> tuple[np.ndarray, dict]:
    """Combined career score and its parts.

    Parameters
    ----------
    interest : ndarray
        :func:`riasec_fit` output (NaN = unknown occupation profile → neutral).
    skills : ndarray
        Essential-skill coverage in [0, 1].
    demand_counts : ndarray
        Open vacancies within reach per occupation.
    has_interests : bool
        False for a person without RIASEC answers: the interest weight is shared out over the
        other parts, so the ranking rests on skills and demand alone.

    Returns
    -------
    score : ndarray
    parts : dict of name → ndarray (interest, skills, demand)
    """
    w = {**CAREER_WEIGHTS, **(weights or {})}
    top = float(np.max(demand_counts, initial=0))
    demand = np.log1p(demand_counts) / np.log1p(top) if top > 0 else np.zeros(len(demand_counts))
    parts = {"interest": np.where(np.isnan(interest), NEUTRAL, interest), "skills": np.asarray(skills, float),
             "demand": demand}
    if not has_interests:
        rest = w["skills"] + w["demand"]
        w = {"interest": 0.0, "skills": w["skills"] / rest, "demand": w["demand"] / rest}
    score = sum(w[name] * parts[name] for name in parts)
    return score, parts
