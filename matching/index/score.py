"""Scoring one query against every item of the other side: one path for both directions.

Jobs for a candidate and candidates for a vacancy are the same computation seen from either end: a
:class:`Direction` names the side that asks and the side that is ranked, and :meth:`Direction.orient`
turns a (query's, item's) pair into the (candidate's, vacancy's) pair every formula is written in. So a
skill sum, a ratio, a filter or a context part is written once, in candidate × vacancy terms, and one side
is a scalar while the other is an array.

A query first finds its *candidate rows*: the items that share at least one skill (held or related) with it.
An item that shares no skill is never recommended, however many words its text shares (a hospital-ward helper
post is not a match for an IT student because both texts say "team"); shared text terms still add to the score
of the items that do share a skill. All per-item arithmetic then runs on
those rows only, so a query costs O(postings touched + candidate rows), not O(all items) passes of numpy.
Stage 1 (:func:`stage1`) computes every part that needs no filter; stage 2 (:func:`stage2`) adds the hard
filters, distance and contract for chosen rows, so that :func:`top_jobs` can complete only the rows that
can still make the list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..sides import decode_candidate_entries
from ..sparse import LiveMatrix, gather_rows, top_k_indices
from .defaults import NEUTRAL
from .diversity import diverse_top

if TYPE_CHECKING:
    from .estimator import MatchIndex

__all__ = ["CANDIDATES", "JOBS", "Direction", "Scored", "filters_for", "query_terms", "score_rows", "stage1",
           "stage2", "top_jobs", "view"]

# rows, scores, parts, filters, distance: all over the same rows
Scored = tuple[np.ndarray, np.ndarray, dict, dict, np.ndarray]

VIEW_FIELDS = {
    "vacancies_": ("town", "min_education", "min_age", "hours", "remote", "contract", "occupation"),
    "candidates_": ("town", "commute", "relocate", "education", "age", "hours", "contracts"),
}


@dataclass(frozen=True)
class Direction:
    """Which side asks (``query``) and which is ranked (``items``): attribute names of the sides on the index,
    and the id columns of the answer."""

    query: str
    items: str
    query_column: str
    item_column: str

    @property
    def asks_candidate(self) -> bool:
        return self.query == "candidates_"

    def orient(self, query_value, item_value) -> tuple:
        """(candidate's, vacancy's) of a pair given as (query's, item's)."""
        return (query_value, item_value) if self.asks_candidate else (item_value, query_value)


JOBS = Direction(query="candidates_", items="vacancies_", query_column="candidate_id", item_column="vacancy_id")
CANDIDATES = Direction(query="vacancies_", items="candidates_", query_column="vacancy_id", item_column="candidate_id")


def score_rows(index: MatchIndex, *, direction: Direction, query: int, rows: np.ndarray | None = None) -> Scored:
    """Every candidate row (or the given ``rows``) of ``query`` scored: (rows, scores, parts, filters, distance)."""
    rows, parts = stage1(index, direction=direction, query=query, rows=rows)
    return (rows, *stage2(index, direction=direction, query=query, rows=rows, parts=parts, at=np.arange(len(rows))))


def stage1(index: MatchIndex, *, direction: Direction, query: int, rows: np.ndarray | None = None,
           keep=None) -> tuple[np.ndarray, dict]:
    """Candidate rows for ``query`` (unless given) and every part that needs no filter: (rows, parts).

    ``keep(rows) -> bool array``, optional: only the candidate rows it keeps are scored (a filter known to fail
    for the others, so the costly skill sums skip rows that could never be listed).
    """
    asking, ranked = getattr(index, direction.query), getattr(index, direction.items)
    n = len(ranked)
    q_skills, q_codes = asking.skills.row(query)
    pos, target, data = ranked.skills.gather(q_skills)
    q_terms, q_weights = query_terms(index, asking.text, query)
    t_pos, t_target, t_data = ranked.text.gather(q_terms)
    if rows is None:
        rows, inverse = _candidate_rows(n, ranked.alive, target, keep=keep)
    else:
        inverse = np.full(n, -1, dtype=np.int64)
        inverse[rows] = np.arange(len(rows))
    m = len(rows)
    target, pos, data = _compact(inverse, target, pos, data)
    candidate_codes, vacancy_codes = direction.orient(q_codes[pos], data)
    credit, exact, level = decode_candidate_entries(candidate_codes)
    sums = _skill_sums(index, target, index.idf_[q_skills][pos], vacancy_codes < 1.5, credit, exact, level, m)
    c_at, v_at = direction.orient(query, rows)
    a = index.vacancies_.attrs
    parts = _ratios(sums, a["essential_mass"][v_at], a["optional_mass"][v_at], a["norm"][v_at],
                    index.candidates_.attrs["norm"][c_at])
    t_target, t_pos, t_data = _compact(inverse, t_target, t_pos, t_data)
    parts["text"] = np.bincount(t_target, t_data * q_weights[t_pos], m)
    if direction.asks_candidate:
        parts.update(_occupation_parts_for_jobs(index, query, rows, q_skills, q_codes))
    else:
        parts.update(_occupation_parts_for_candidates(index, query, rows))
    return rows, parts


def stage2(index: MatchIndex, *, direction: Direction, query: int, rows: np.ndarray, parts: dict, at: np.ndarray,
           query_view: dict | None = None) -> tuple[np.ndarray, dict, dict, np.ndarray]:
    """Filters, distance and contract for ``rows[at]``: (scores, parts, filters, distance) over ``at``.

    ``query_view``: the query's :func:`view` if the caller has it already.
    """
    query_view = view(index, side=direction.query, rows=query) if query_view is None else query_view
    cand, vac = direction.orient(query_view, view(index, side=direction.items, rows=rows[at]))
    filters, distance = filters_for(index, direction=direction, cand=cand, vac=vac)
    sub = {name: value[at] for name, value in parts.items()}
    sub.update(_context_parts(cand, vac, distance))
    return _combine(index, sub, filters, len(at)), sub, filters, distance


def view(index: MatchIndex, *, side: str, rows) -> dict:
    """The attributes filters and context parts read, of ``rows`` (a row, an array or a slice) of ``side``."""
    values = getattr(index, side)
    out = {name: values.attrs[name][rows] for name in VIEW_FIELDS[side]}
    out["languages"] = values.languages[rows]
    return out


def filters_for(index: MatchIndex, *, direction: Direction, cand: dict,
                vac: dict) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Hard filters and distances of candidate × vacancy views; the query's view scalar, the items' arrays."""
    # Only languages somebody on the ranked side could fail are compared: the ranked side's bound (highest level
    # any vacancy requires, lowest any candidate has) against the query's own levels.
    if direction.asks_candidate:
        needed = index.max_required_ > cand["languages"]
    else:
        needed = vac["languages"] > index.min_level_
    distance = index.distances_[cand["town"], vac["town"]]
    required, levels = vac["languages"], cand["languages"]
    if needed.any():
        languages = ~(required[..., needed] > levels[..., needed]).any(axis=-1)
    else:
        languages = np.True_
    return {"languages": languages, **_attribute_filters(cand, vac, distance)}, distance


def top_jobs(index: MatchIndex, c: int, k: int) -> tuple:
    """The diverse top ``k`` vacancies for candidate row ``c``, exactly, comparing languages on few rows.

    Stage 1 gives every candidate row its skill, text and occupation parts; distance, contract and the
    one-attribute filters (education, age, hours, commute) are a few gathers and comparisons more, so every
    row's full weighted sum is known (``bound``; minus infinity when such a filter fails) and only the
    language filter can still remove a row. The best rows by ``bound`` (ties: lower row first, as the full
    ranking breaks them) are completed first; the answer is final once its k-th score reaches the best
    bound left out: a row left out scores lower or ties and comes later. Otherwise four times as many rows
    are completed. Returns (rows, scores, parts, filters, distance, chosen) over the completed rows,
    ``chosen`` being positions into them.
    """
    cand = view(index, side="candidates_", rows=c)
    a = index.vacancies_.attrs

    def attributes(rows: np.ndarray) -> tuple[dict, np.ndarray]:
        vac = {name: a[name][rows] for name in ("town", "remote", "contract", "hours", "min_education", "min_age")}
        return vac, index.distances_[cand["town"], vac["town"]]

    def passing(rows: np.ndarray) -> np.ndarray:
        vac, distance = attributes(rows)
        return _all(_attribute_filters(cand, vac, distance).values(), len(rows))

    # Rows failing a one-attribute filter could only get a bound of minus infinity and are never completed: they
    # are left out before the skill sums (at a million vacancies most rows sharing a skill are out of commuting
    # range). The rows kept keep their order, so every tie breaks as before.
    rows, parts = stage1(index, direction=JOBS, query=c, keep=passing)
    m = len(rows)
    vac, distance = attributes(rows)
    context = _context_parts(cand, vac, distance)
    bound = np.zeros(m)
    slack = 0.0
    for name, weight in index.weights_.items():  # the order _combine adds them in: equal sums, bit for bit
        value = parts.get(name, context.get(name))
        if value is None:
            slack += weight
        else:
            bound += weight * np.broadcast_to(value, (m,))
    passed = np.ones(m, dtype=bool)
    for ok in _attribute_filters(cand, vac, distance).values():
        passed &= ok
    bound[~passed] = -np.inf
    n_passed = int(passed.sum())
    n_eval = max(128, 8 * k)
    while True:
        if n_eval >= n_passed:
            at, best_rest = np.flatnonzero(passed), -np.inf
        else:
            at, best_rest = _best_first(bound, n_eval)
        scores, sub, filters, distance = stage2(index, direction=JOBS, query=c, rows=rows, parts=parts, at=at,
                                                query_view=cand)
        chosen = diverse_top(index, scores=scores, k=k, rows=rows[at])
        if n_eval >= n_passed or (len(chosen) == k and scores[chosen[-1]] >= best_rest + slack):
            return rows[at], scores, sub, filters, distance, chosen
        n_eval *= 4


def query_terms(index: MatchIndex, matrix: LiveMatrix, row: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``text_query_terms`` highest-weighted terms of ``row`` of ``matrix`` and their weights."""
    terms, weights = matrix.row(row)
    if len(terms) > index.text_query_terms:
        # Ties broken by term id, so the terms kept do not depend on the order the row was stored in
        # (a full build and an upsert of the same text must score alike).
        top = np.lexsort((terms, -weights))[: index.text_query_terms]
        terms, weights = terms[top], weights[top]
    return terms, weights


# ----------------------------------------------------------------------------- the parts


def _candidate_rows(n: int, alive: np.ndarray, *targets: np.ndarray, keep=None) -> tuple[np.ndarray, np.ndarray]:
    mask = np.zeros(n, dtype=bool)
    for target in targets:
        mask[target] = True
    rows = np.flatnonzero(mask & alive)
    if keep is not None:
        rows = rows[keep(rows)]
    inverse = np.full(n, -1, dtype=np.int32)
    inverse[rows] = np.arange(len(rows))
    return rows, inverse


def _all(masks, m: int) -> np.ndarray:
    passed = np.ones(m, dtype=bool)
    for ok in masks:
        passed &= ok
    return passed


def _compact(inverse: np.ndarray, target: np.ndarray, *arrays: np.ndarray) -> tuple:
    """Entries whose target is a candidate row, with targets renumbered 0..m-1."""
    t = inverse[target]
    keep = t >= 0
    if keep.all():
        return (t, *arrays)
    return (t[keep], *(a[keep] for a in arrays))


def _skill_sums(index: MatchIndex, target: np.ndarray, entry_idf: np.ndarray, essential: np.ndarray,
                credit: np.ndarray, exact: np.ndarray, level: np.ndarray, m: int) -> dict[str, np.ndarray]:
    """Sums per candidate row over gathered (vacancy skill × candidate credit) entries."""
    weight = entry_idf * credit
    essential_weight = weight * essential
    held = entry_idf * exact
    return {
        "essential": np.bincount(target, essential_weight, m),
        "optional": np.bincount(target, weight - essential_weight, m),
        "similarity": np.bincount(target, entry_idf * np.where(essential, weight, index.optional_weight * weight), m),
        "proficiency": np.bincount(target, held * level, m),
        "held": np.bincount(target, held, m),
    }


def _ratios(sums: dict, essential_mass, optional_mass, vacancy_norm, candidate_norm) -> dict[str, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        total = essential_mass + optional_mass
        any_cover = np.where(total > 0, (sums["essential"] + sums["optional"]) / total, 0.0)
        essential = np.where(essential_mass > 0, sums["essential"] / essential_mass, any_cover)
        optional = np.where(optional_mass > 0, sums["optional"] / optional_mass, essential)
        norms = vacancy_norm * candidate_norm
        similarity = np.where(norms > 0, sums["similarity"] / norms, 0.0)
        proficiency = np.where(sums["held"] > 0, sums["proficiency"] / (4.0 * sums["held"]), 0.0)
    return {"essential": essential, "optional": optional, "similarity": similarity, "proficiency": proficiency}


def _attribute_filters(cand: dict, vac: dict, distance: np.ndarray) -> dict[str, np.ndarray]:
    """The hard filters on one attribute each (all but languages): a few comparisons per row."""
    return {
        "education": cand["education"] >= vac["min_education"],
        "age": cand["age"] >= vac["min_age"],
        "hours": (cand["hours"] & vac["hours"]) != 0,
        "commute": (distance <= cand["commute"]) | cand["relocate"] | vac["remote"] | np.isnan(distance),
    }


def _context_parts(cand: dict, vac: dict, distance: np.ndarray) -> dict:
    with np.errstate(divide="ignore", invalid="ignore"):
        near = 1.0 - distance / np.maximum(cand["commute"], 1.0)
    distance_part = np.where(vac["remote"], 1.0, np.where(np.isnan(distance), NEUTRAL, np.clip(near, 0.0, 1.0)))
    contract = (cand["contracts"] == 0) | ((cand["contracts"] >> vac["contract"]) & 1).astype(bool)
    return {"distance": distance_part, "contract": contract.astype(np.float32)}


def _combine(index: MatchIndex, parts: dict, filters: dict, m: int) -> np.ndarray:
    score = np.zeros(m, dtype=np.float64)
    for name, weight in index.weights_.items():
        score += weight * np.broadcast_to(parts[name], (m,))
    passed = np.ones(m, dtype=bool)
    for ok in filters.values():
        passed &= ok
    return np.where(passed, score, -np.inf)


def _best_first(values: np.ndarray, n: int) -> tuple[np.ndarray, float]:
    """Positions of the ``n`` largest ``values`` (ties: lower position first, also at the cut), sorted, and the
    largest value left out: every position left out ranks after every position kept."""
    at = np.sort(top_k_indices(values, n))
    left = np.ones(len(values), dtype=bool)
    left[at] = False
    return at, float(values[left].max())


# ------------------------------------------------------- occupation and profile, per direction
# The same two parts, computed from the end that is cheap for each direction: a candidate's fit with every
# occupation (one vector, then gathered per vacancy), or one vacancy's occupation against every candidate (one
# posting). Kept apart rather than forced into one formula, which would reorder float products and move scores
# in the last bit. One known asymmetry is kept as it is: a vacancy without an occupation gets occupation 0 from a
# candidate with stated occupations in the jobs direction, but NEUTRAL in the candidates direction.


def _occupation_parts_for_jobs(index: MatchIndex, c: int, rows: np.ndarray, q_skills: np.ndarray,
                               q_codes: np.ndarray) -> dict[str, np.ndarray]:
    occupation = index.vacancies_.attrs["occupation"][rows]
    credit = decode_candidate_entries(q_codes)[0]
    norm = index.candidates_.attrs["norm"][c]
    return {"occupation": _occupation_for_jobs(index, c)[occupation],
            "profile": _profile_for_jobs(index, q_skills, credit, norm)[occupation]}


def _occupation_parts_for_candidates(index: MatchIndex, v: int, rows: np.ndarray) -> dict[str, np.ndarray]:
    return {"occupation": _occupation_for_candidates(index, v, rows),
            "profile": _profile_for_candidates(index, v, rows)}


def _profile_for_jobs(index: MatchIndex, q_skills: np.ndarray, credit: np.ndarray, norm: float) -> np.ndarray:
    """Fit of the candidate with every occupation's profile; last entry: no occupation (0)."""
    pos, occupation, data = gather_rows(index._profiles_t, q_skills)
    fit = np.zeros(len(index.occupation_index_) + 1, dtype=np.float64)
    if norm > 0:
        fit[:-1] = np.bincount(occupation, data * (index.idf_[q_skills] * credit)[pos],
                               len(index.occupation_index_)) / norm
    return fit


def _profile_for_candidates(index: MatchIndex, v: int, rows: np.ndarray) -> np.ndarray:
    C = index.candidates_
    occupation = index.vacancies_.attrs["occupation"][v]
    if occupation < 0:
        return np.zeros(len(rows))
    profiles = index.occupation_profiles_
    lo, hi = profiles.indptr[occupation], profiles.indptr[occupation + 1]
    skills, weights = profiles.indices[lo:hi], profiles.data[lo:hi]
    pos, target, data = C.skills.gather(skills)
    inverse = np.full(len(C), -1, dtype=np.int64)
    inverse[rows] = np.arange(len(rows))
    target, pos, data = _compact(inverse, target, pos, data)
    credit = decode_candidate_entries(data)[0]
    norm = C.attrs["norm"][rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = np.bincount(target, (weights * index.idf_[skills])[pos] * credit, len(rows)) / norm
    return np.nan_to_num(fit)


def _occupation_for_jobs(index: MatchIndex, c: int) -> np.ndarray:
    """Affinity of the candidate with every occupation; last entry: a vacancy without one."""
    C = index.candidates_
    if not C.attrs["has_preference"][c]:
        return np.full(len(index.occupation_index_) + 1, NEUTRAL, dtype=np.float32)
    columns, data = C.extra["occupations"].row(c)
    affinity = np.zeros(len(index.occupation_index_) + 1, dtype=np.float32)
    affinity[columns] = data
    return affinity


def _occupation_for_candidates(index: MatchIndex, v: int, rows: np.ndarray) -> np.ndarray:
    C = index.candidates_
    occupation = index.vacancies_.attrs["occupation"][v]
    if occupation < 0:
        return np.full(len(rows), NEUTRAL, dtype=np.float32)
    out = np.where(C.attrs["has_preference"], 0.0, NEUTRAL).astype(np.float32)
    _, holders, data = C.extra["occupations"].gather(np.asarray([occupation]))
    out[holders] = data
    return out[rows]
