"""Jobs a candidate could take but for a language level: the second list of a jobs answer.

A vacancy is *language-blocked* for a candidate when it shares a skill with them (held or related, as every skill
match must), passes every one-attribute hard filter (education, age, hours, commute) and fails only the language
filter: it asks a higher CEFR level of some language than the candidate has. Such vacancies are never mixed into
the main list; they are ranked here by the same weighted score with the language filter left out, and each names
the levels missing (``language_gaps``: language code, level required, level held, 0 for none).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .diversity import diverse_top
from .explain import explain_pair, pick
from .score import JOBS, _attribute_filters, _combine, stage1, stage2, view

if TYPE_CHECKING:
    from .estimator import MatchIndex

__all__ = ["blocked_rows", "gaps_of", "language_gap_jobs"]


def blocked_rows(index: MatchIndex, c: int) -> tuple[np.ndarray, dict, np.ndarray, np.ndarray, dict]:
    """Language-blocked vacancy rows of candidate row ``c`` with their scores without the language filter:
    (rows, parts over rows, scores, distance, filters)."""
    cand = view(index, side="candidates_", rows=c)
    a = index.vacancies_.attrs

    def passing(rows: np.ndarray) -> np.ndarray:
        vac = {name: a[name][rows] for name in ("town", "remote", "hours", "min_education", "min_age")}
        distance = index.distances_[cand["town"], vac["town"]]
        ok = np.ones(len(rows), dtype=bool)
        for mask in _attribute_filters(cand, vac, distance).values():
            ok &= mask
        return ok

    rows, parts = stage1(index, direction=JOBS, query=c, keep=passing)
    _, sub, filters, distance = stage2(index, direction=JOBS, query=c, rows=rows, parts=parts,
                                       at=np.arange(len(rows)), query_view=cand)
    blocked = ~np.broadcast_to(filters["languages"], (len(rows),))
    others = {name: ok for name, ok in filters.items() if name != "languages"}
    scores = _combine(index, sub, others, len(rows))
    keep = blocked & np.isfinite(scores)
    at = np.flatnonzero(keep)
    return (rows[at], {name: np.broadcast_to(value, (len(rows),))[at] for name, value in sub.items()},
            scores[at], np.broadcast_to(distance, (len(rows),))[at],
            {name: np.broadcast_to(ok, (len(rows),))[at] for name, ok in filters.items()})


def gaps_of(index: MatchIndex, c: int, v: int) -> list[dict]:
    """The language levels vacancy row ``v`` asks above what candidate row ``c`` has, by language code."""
    required, held = index.vacancies_.languages[v], index.candidates_.languages[c]
    codes = {column: code for code, column in index.languages_.items()}
    n = min(len(required), len(held))
    out = [{"language": codes[j], "required": int(required[j]), "held": int(held[j])}
           for j in range(n) if required[j] > held[j]]
    out += [{"language": codes[j], "required": int(required[j]), "held": 0}
            for j in range(n, len(required)) if required[j] > 0]
    return sorted(out, key=lambda g: g["language"])


def language_gap_jobs(index: MatchIndex, c: int, k: int, *, explain: bool = True) -> tuple[list, np.ndarray, list]:
    """The diverse top ``k`` language-blocked vacancies of candidate row ``c``: (vacancy ids, scores,
    explanations with ``language_gaps``; empty when ``explain`` is False)."""
    rows, parts, scores, distance, filters = blocked_rows(index, c)
    if not len(rows):
        return [], np.zeros(0), []
    chosen = diverse_top(index, scores=scores, k=k, rows=rows)
    ids = [index.vacancies_.ids[v] for v in rows[chosen].tolist()]
    explanations = []
    if explain:
        picked = pick(index, len(rows), chosen, parts, filters, distance)
        memo: dict = {}
        for v, (value, passed, km) in zip(rows[chosen].tolist(), picked):
            raw = explain_pair(index, c=c, v=v, parts=value, filters=passed, km=km, memo=memo)
            raw["language_gaps"] = gaps_of(index, c, v)
            explanations.append(raw)
    return ids, scores[chosen], explanations
