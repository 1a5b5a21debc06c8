"""Score parts, hard filters and error messages shared by the modules of :mod:`matching.index`."""
from __future__ import annotations

__all__ = ["DEFAULT_WEIGHTS", "ERR_K", "ERR_UNKNOWN_CANDIDATE", "ERR_UNKNOWN_VACANCY", "ERR_WEIGHTS", "FILTERS",
           "NEUTRAL"]

DEFAULT_WEIGHTS = {
    "essential": 0.25, "optional": 0.05, "similarity": 0.15, "proficiency": 0.05, "text": 0.10,
    "occupation": 0.10, "profile": 0.20, "distance": 0.05, "contract": 0.05,
}
FILTERS = ("languages", "education", "age", "hours", "commute")
NEUTRAL = 0.5  # the part of a signal nobody stated (no target occupation, unknown town)
ERR_UNKNOWN_CANDIDATE = "unknown candidate: {id!r}"
ERR_UNKNOWN_VACANCY = "unknown vacancy: {id!r}"
ERR_K = "k must be a positive integer"
ERR_WEIGHTS = "unknown score parts in weights: {names}"
ERR_RESCORE = "rescore must return one score per row"
ERR_EXPERIENCE_CREDIT = "experience_credit must be 0 or above related_credit and at most 1"
