"""Explanations: which skills matched, which were related or missing, the filters, parts and contributions.

Built only for the items a query returns, from the arrays scoring left (:mod:`matching.index.score`), so a
list of ten costs ten explanations whatever the size of the index.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..schema import Explanation, Filters, Parts, RelatedSkill, SkillRef
from .score import Direction

if TYPE_CHECKING:
    from .estimator import MatchIndex

__all__ = ["explain_chosen", "explain_pair", "pick"]


def explain_chosen(index: MatchIndex, *, direction: Direction, query: int, items: np.ndarray, m: int,
                   chosen: np.ndarray, parts: dict, filters: dict, distance: np.ndarray) -> list[Explanation]:
    """Explanations of ``items`` (rows of the ranked side), at positions ``chosen`` into arrays of length ``m``."""
    # Vacancies of one list share skills: their entries are built once. A skill's "via" depends on the candidate
    # too, so it is kept per (candidate, skill).
    memo: dict = {}
    out = []
    for item, (value, passed, km) in zip(items.tolist(), pick(index, m, chosen, parts, filters, distance)):
        c, v = direction.orient(query, item)
        out.append(explain_pair(index, c=c, v=v, parts=value, filters=passed, km=km, memo=memo))
    return out


def pick(index: MatchIndex, m: int, positions, parts: dict, filters: dict,
         distance) -> list[tuple[Parts, Filters, float]]:
    """(parts, filters, km) as plain Python values for each of ``positions`` into arrays of length ``m``.

    One fancy-index per array instead of one numpy scalar access per item and field.
    """
    at = np.asarray(positions, dtype=np.int64)

    def take(array) -> list:
        return np.broadcast_to(np.asarray(array), (m,))[at].tolist()

    values = {name: take(parts[name]) for name in index.weights_}
    passed = {name: take(ok) for name, ok in filters.items()}
    kms = take(distance)
    return [({name: float(x[i]) for name, x in values.items()}, {name: bool(x[i]) for name, x in passed.items()},
             float(kms[i])) for i in range(len(at))]


def explain_pair(index: MatchIndex, *, c: int, v: int, parts: Parts, filters: Filters, km: float,
                 memo: dict | None = None) -> Explanation:
    """Explanation of candidate row ``c`` × vacancy row ``v`` from its picked parts, filters and distance."""
    memo = {} if memo is None else memo
    V, C = index.vacancies_, index.candidates_
    v_skills, v_codes = (x.tolist() for x in V.skills.row(v))
    c_entries = dict(zip(*(x.tolist() for x in C.skills.row(c))))
    matched, related, experience, missing = [], [], [], []
    n_essential = n_matched = n_experience = 0
    for s, code_v in zip(v_skills, v_codes):
        essential = code_v < 1.5
        n_essential += essential
        code = c_entries.get(s)
        if code is not None and code > 1.5:
            n_matched += essential
            matched.append({**_memo_entry(index, memo, s), "essential": essential, "level": int(code - 1)})
        elif code is not None and _from_experience(index, code):
            n_experience += essential
            experience.append({**_memo_entry(index, memo, s), "essential": essential,
                               "credit": round(float(code), 3), "occupation_id": _worked_as(index, c, s)})
        elif code is not None:
            related.append(_related(index, memo, c, s, essential, code, c_entries))
        elif essential:
            missing.append(dict(_memo_entry(index, memo, s)))
    limit = float(C.attrs["commute"][c])
    remote = bool(V.attrs["remote"][v])
    return {
        "matched_skills": matched,
        "related_skills": related,
        "experience_skills": experience,
        "missing_essential": missing,
        "essential_matched": f"{n_matched} of {n_essential}",
        "essential_from_experience": n_experience,
        "distance_km": None if math.isnan(km) else round(km, 1),
        "commute_limit_km": limit,
        "remote": remote,
        "relocation_needed": bool(not math.isnan(km) and km > limit and not remote),
        "filters": filters,
        "parts": {name: round(x, 4) for name, x in parts.items()},
        "contributions": {name: round(index.weights_[name] * x, 4) for name, x in parts.items()},
    }


def skill_entry(index: MatchIndex, s: int) -> SkillRef:
    """Skill position ``s`` as explanations name it."""
    skill_id = index._skill_ids[s]
    entry = {"skill_id": skill_id}
    label = index.skill_labels_.get(skill_id)
    if label:
        entry["label"] = label
    return entry


def _from_experience(index: MatchIndex, code: float) -> bool:
    """A partial-credit entry earned by work experience (its credit is ``experience_credit``, above any related)."""
    return bool(index.experience_credit) and abs(code - index.experience_credit) < 1e-4


def _worked_as(index: MatchIndex, c: int, s: int):
    """The occupation of candidate row ``c``'s work history that has skill ``s`` as an essential one."""
    columns, _ = index.candidates_.extra["history"].row(c)
    essential = index.occupation_essential_
    for o in columns.tolist():
        if essential[o, s]:
            return index.occupation_index_[o]
    return None


def _related(index: MatchIndex, memo: dict, c: int, s: int, essential: bool, code: float,
             entries: dict) -> RelatedSkill:
    key = ("via", c, s)
    if key not in memo:
        memo[key] = _via(index, s, entries)
    return {**_memo_entry(index, memo, s), "essential": essential, "credit": round(code, 3), "via": memo[key]}


def _memo_entry(index: MatchIndex, memo: dict, s: int) -> SkillRef:
    entry = memo.get(s)
    if entry is None:
        entry = memo[s] = skill_entry(index, s)
    return entry


def _via(index: MatchIndex, s: int, entries: dict) -> SkillRef | None:
    """The held skill that earns ``s`` its partial credit (the strongest relation)."""
    matrix = index.skill_relations_
    lo, hi = matrix.indptr[s], matrix.indptr[s + 1]
    best = [(w, r) for r, w in zip(matrix.indices[lo:hi].tolist(), matrix.data[lo:hi].tolist())
            if entries.get(r, 0.0) > 1.5]
    return skill_entry(index, max(best)[1]) if best else None
