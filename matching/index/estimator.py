"""The estimator: :class:`MatchIndex` holds the parameters and fitted state and answers the queries.

What it does is spread over the modules of :mod:`matching.index` (encoding, scoring, diversity, explanation,
updates); this module wires them into the scikit-learn contract and the public methods.
"""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..schema import MatchFrames, PairExplanation
from ..sides import Side
from ..sparse import idf, top_k_indices
from . import encode, language_gap, update
from .defaults import DEFAULT_WEIGHTS, ERR_EXPERIENCE_CREDIT, ERR_K, ERR_RESCORE, ERR_UNKNOWN_CANDIDATE, ERR_UNKNOWN_VACANCY, ERR_WEIGHTS
from .explain import explain_chosen, explain_pair, pick
from .score import CANDIDATES, JOBS, Direction, filters_for, score_rows, top_jobs, view

__all__ = ["MatchIndex"]


class MatchIndex(BaseEstimator):
    """In-memory, explainable two-sided matcher of candidates and vacancies (see :mod:`matching.index`).

    Parameters
    ----------
    weights : dict, optional
        Overrides of :data:`DEFAULT_WEIGHTS` (part name → weight).
    related_credit : float, default 0.5
        Most credit a related skill (broader, narrower, related, co-occurring) can earn.
    optional_weight : float, default 0.5
        Weight of an optional skill relative to an essential one in ``similarity``.
    experience_credit : float, default 0.7
        Credit of a skill implied by work experience: an essential skill of an occupation the candidate worked in
        for ``experience_min_years`` or more, not stated as held. Above ``related_credit`` (so the two are told
        apart) and at most 1; 0 turns it off. Explanations name it "from your work as …".
    experience_min_years : float, default 1.0
    history_credit : float, default 0.8
        Occupation fit of a past occupation, relative to a target occupation.
    occupation_credit : float, default 0.6
        Most fit a similar occupation can earn.
    max_related : int, default 15
        Related skills credited per candidate, strongest first (bounds query cost).
    max_per_group : int, default 2
        Diversity cap: vacancies per (employer, normalised title) in one list; 0 = no cap.
    text_query_terms : int, default 6
        A query's text counts only through its this-many highest-weighted terms: the
        boilerplate of CVs and ads ("experience", "responsible") has low idf and would otherwise
        touch most postings for a negligible share of the cosine.
    text_min_df, text_max_df : int or float, default 1 and 0.5
        Vocabulary limits of the TF-IDF text signal (very common words say nothing).
    """

    def __init__(
        self,
        *,
        weights: dict | None = None,
        related_credit: float = 0.5,
        experience_credit: float = 0.7,
        experience_min_years: float = 1.0,
        optional_weight: float = 0.5,
        history_credit: float = 0.8,
        occupation_credit: float = 0.6,
        max_related: int = 15,
        max_per_group: int = 2,
        text_query_terms: int = 6,
        text_min_df: int | float = 1,
        text_max_df: int | float = 0.5,
    ):
        self.weights = weights
        self.related_credit = related_credit
        self.experience_credit = experience_credit
        self.experience_min_years = experience_min_years
        self.optional_weight = optional_weight
        self.history_credit = history_credit
        self.occupation_credit = occupation_credit
        self.max_related = max_related
        self.max_per_group = max_per_group
        self.text_query_terms = text_query_terms
        self.text_min_df = text_min_df
        self.text_max_df = text_max_df

    # ================================================================== fit
    def fit(self, frames: MatchFrames, y=None) -> "MatchIndex":
        """Build the index.

        Parameters
        ----------
        frames : MatchFrames
            Vacancies, candidates and what links them; see :mod:`matching.schema`.

        Returns
        -------
        self
        """
        f = frames.checked()
        unknown = set(self.weights or {}) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValueError(ERR_WEIGHTS.format(names=", ".join(sorted(unknown))))
        if self.experience_credit and not self.related_credit < self.experience_credit <= 1.0:
            raise ValueError(ERR_EXPERIENCE_CREDIT)
        self.weights_ = {**DEFAULT_WEIGHTS, **(self.weights or {})}
        encode.fit_universes(self, f)
        vacancy_rows = pd.Index(f.vacancies["vacancy_id"])
        matrix = encode.vacancy_skill_matrix(self, f.vacancy_skills, vacancy_rows)
        self.idf_ = idf(matrix)
        vacancy_texts = (f"{title}\n{text}" for title, text in zip(_strings(f.vacancies["title"]),
                                                                    _strings(f.vacancies["text"])))
        vacancy_text, candidate_text = encode.fit_text(self, vacancy_texts, _strings(f.candidates["text"]),
                                                       n_vacancies=len(f.vacancies), n_candidates=len(f.candidates))
        encode.fit_profiles(self, f.occupation_skills)
        self.vacancies_ = encode.vacancy_side(self, f, vacancy_rows, matrix, vacancy_text)
        self.candidates_ = encode.candidate_side(self, f, candidate_text)
        encode.refresh_language_bounds(self)
        return self

    # ============================================================= queries
    def recommend_jobs(self, candidate_id, k: int = 10, *, explain: bool = True, pool: int | None = None,
                       rescore=None) -> pd.DataFrame:
        """Open vacancies for one indexed candidate, best first.

        Parameters
        ----------
        candidate_id
            An id of the ``candidates`` frame (or of a later :meth:`upsert_candidate`).
        k : int, default 10
        explain : bool, default True
            Add the ``explanation`` column (built only for the returned rows).
        pool : int, optional
            With ``rescore``: how many of the best (diverse) items ``rescore`` reorders (at least ``k``).
        rescore : callable, optional
            ``rescore(parts, names) -> scores``: ``parts`` is a float array (pool × parts) of the pool's score
            parts, rounded as the explanations show them, one column per name in ``names`` (the parts of
            :data:`DEFAULT_WEIGHTS`), rows in hand-weighted order; the ``k`` items with the highest returned
            scores are kept (ties: the hand-weighted order) and a ``rescore`` column holds their scores.
            ``score`` stays the weighted sum the explanation's contributions add up to. A learned ranker
            (:mod:`matching.ltr`, ``score_array``) plugs in here without explaining the whole pool. An array,
            not a DataFrame: this runs on every request, and building a frame would cost more than the scoring.

        Returns
        -------
        DataFrame
            ``candidate_id, vacancy_id, score, rank`` and ``explanation`` (a :class:`~matching.schema.Explanation`:
            matched_skills, related_skills, missing_essential, essential_matched, distance_km, commute_limit_km,
            remote, relocation_needed, filters, parts, contributions). At most ``k`` rows; fewer
            if fewer pass the filters or share anything with the candidate.
        """
        check_is_fitted(self, "vacancies_")
        c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
        _check_k(k)
        rescored = None
        if rescore is None:
            rows, scores, parts, filters, distance, chosen = top_jobs(self, c, k)
        else:
            _check_k(pool or k)
            rows, scores, parts, filters, distance, chosen = top_jobs(self, c, max(k, pool or k))
            chosen, rescored = _rescore(self, chosen, parts, rescore, k)
        return self._ranked_frame(JOBS, candidate_id, c, rows, scores, chosen, (parts, filters, distance), explain,
                                  rescored)

    def recommend_candidates(self, vacancy_id, k: int = 10, *, explain: bool = True, among=None) -> pd.DataFrame:
        """Indexed candidates for one vacancy, best first (reciprocal; see :mod:`matching.index`).

        Parameters
        ----------
        vacancy_id
            An indexed vacancy.
        k : int, default 10
        explain : bool, default True
        among : iterable, optional
            Only these candidate ids may be returned (e.g. those who consented to be found).

        Returns
        -------
        DataFrame
            ``vacancy_id, candidate_id, score, rank`` and ``explanation`` as in :meth:`recommend_jobs`.
        """
        check_is_fitted(self, "vacancies_")
        v = self._row(self.vacancies_, vacancy_id, ERR_UNKNOWN_VACANCY)
        _check_k(k)
        rows, scores, parts, filters, distance = score_rows(self, direction=CANDIDATES, query=v)
        if among is not None:
            allowed = np.zeros(len(self.candidates_), dtype=bool)
            allowed[[self.candidates_.position[c] for c in among if c in self.candidates_.position]] = True
            scores = np.where(allowed[rows], scores, -np.inf)
        chosen = top_k_indices(scores, k)
        return self._ranked_frame(CANDIDATES, vacancy_id, v, rows, scores, chosen, (parts, filters, distance),
                                  explain)

    def recommend_jobs_batch(self, candidate_ids=None, k: int = 10) -> pd.DataFrame:
        """Top-``k`` vacancies for many candidates, without explanations.

        Returns
        -------
        DataFrame
            ``candidate_id, vacancy_id, score, rank``.
        """
        check_is_fitted(self, "vacancies_")
        _check_k(k)
        ids = self.candidates_.ids if candidate_ids is None else list(candidate_ids)
        out_c, out_v, out_s, out_r = [], [], [], []
        for candidate_id in ids:
            c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
            rows, scores, *_, chosen = top_jobs(self, c, k)
            out_c.extend([candidate_id] * len(chosen))
            out_v.extend(self.vacancies_.ids[v] for v in rows[chosen].tolist())
            out_s.append(scores[chosen])
            out_r.append(np.arange(1, len(chosen) + 1))
        return pd.DataFrame({
            "candidate_id": out_c, "vacancy_id": out_v,
            "score": np.round(np.concatenate(out_s), 4) if out_s else [],
            "rank": np.concatenate(out_r) if out_r else [],
        })

    def recommend_language_gap_jobs(self, candidate_id, k: int = 10, *, explain: bool = True) -> pd.DataFrame:
        """Vacancies the candidate could take but for a language level, best first (:mod:`.language_gap`).

        Returns
        -------
        DataFrame
            ``candidate_id, vacancy_id, score, rank`` and ``explanation`` (as :meth:`recommend_jobs`, plus
            ``language_gaps``: [{language, required, held}] with CEFR levels 1–6, 0 for none). Never holds a
            vacancy :meth:`recommend_jobs` could return.
        """
        check_is_fitted(self, "vacancies_")
        c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
        _check_k(k)
        ids, scores, explanations = language_gap.language_gap_jobs(self, c, k, explain=explain)
        columns = {"candidate_id": [candidate_id] * len(ids), "vacancy_id": ids, "score": np.round(scores, 4),
                   "rank": np.arange(1, len(ids) + 1)}
        if explain:
            columns["explanation"] = explanations
        return pd.DataFrame(columns)

    def language_blocked_vacancy_rows(self, candidate_id) -> tuple[np.ndarray, np.ndarray, list[list[dict]]]:
        """Vacancy rows that share a skill with the candidate and fail only the language filter.

        Returns
        -------
        rows : ndarray of int (rows of ``self.vacancies_``)
        distance_km : ndarray of float (NaN where a town is unknown)
        gaps : list, per row, of {language, required, held} (CEFR 1–6; 0 none)
        """
        check_is_fitted(self, "vacancies_")
        c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
        rows, _, _, distance, _ = language_gap.blocked_rows(self, c)
        return rows, np.asarray(distance, dtype=np.float64), [language_gap.gaps_of(self, c, v) for v in rows.tolist()]

    def with_languages(self, candidate_id, levels: dict) -> "MatchIndex":
        """A shallow working copy whose only candidate is ``candidate_id`` speaking ``levels`` ({code: CEFR 1–6})
        at least (a level already higher stays). Languages no vacancy asks for change nothing. The shared index
        is not touched; query the copy as :meth:`with_added_skills` says."""
        check_is_fitted(self, "vacancies_")
        c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
        one = update.one_candidate_with_skills(self, candidate_id=candidate_id, c=c, skill_ids=(), level=2)
        one.languages = np.array(one.languages)
        for code, level in levels.items():
            column = self.languages_.get(code)
            if column is not None and column < one.languages.shape[1]:
                one.languages[0, column] = max(int(one.languages[0, column]), int(level))
        work = copy.copy(self)
        work.candidates_ = one
        return work

    def explain(self, candidate_id, vacancy_id) -> PairExplanation:
        """Full explanation of one pair, including the filters it fails.

        ``score`` is None when a filter fails; ``shares_skill`` is False when the pair has no
        skill or related skill in common (such pairs are never recommended as skill matches).
        """
        check_is_fitted(self, "vacancies_")
        c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
        v = self._row(self.vacancies_, vacancy_id, ERR_UNKNOWN_VACANCY)
        rows, scores, parts, filters, distance = score_rows(self, direction=JOBS, query=c, rows=np.asarray([v]))
        value, passed, km = pick(self, 1, [0], parts, filters, distance)[0]
        result = explain_pair(self, c=c, v=v, parts=value, filters=passed, km=km)
        result["score"] = None if not np.isfinite(scores[0]) else round(float(scores[0]), 4)
        result["shares_skill"] = bool(parts["essential"][0] + parts["optional"][0] > 0)
        return result

    # ------------------------------------------------ helpers for matching.paths
    def candidate_row(self, candidate_id) -> int:
        """Row of an indexed candidate in ``candidates_`` (``KeyError`` if unknown or removed)."""
        check_is_fitted(self, "vacancies_")
        return self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)

    def eligible_vacancy_rows(self, candidate_id) -> tuple[np.ndarray, np.ndarray]:
        """Vacancy rows that pass every hard filter for the candidate, with their distances.

        Read-only. Rows index ``self.vacancies_.ids``; tombstoned vacancies are left out.

        Returns
        -------
        rows : ndarray of int
        distance_km : ndarray of float (NaN where a town is unknown)
        """
        check_is_fitted(self, "vacancies_")
        c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
        cand, vac = view(self, side="candidates_", rows=c), view(self, side="vacancies_", rows=slice(None))
        filters, distance = filters_for(self, direction=JOBS, cand=cand, vac=vac)
        passed = self.vacancies_.alive.copy()
        for ok in filters.values():
            passed &= np.broadcast_to(ok, passed.shape)
        rows = np.flatnonzero(passed)
        return rows, np.asarray(distance, dtype=np.float64)[rows]

    def with_added_skills(self, candidate_id, skill_ids, *, level: int = 2) -> "MatchIndex":
        """A shallow working copy whose only candidate is ``candidate_id`` holding ``skill_ids`` too.

        The shared index is not touched: the copy gets its own one-row candidate side (related
        credit recomputed) and shares the vacancy side read-only, so concurrent requests may
        use both. Skills unknown to the index are ignored (no vacancy can need them).
        Query the copy with ``recommend_jobs(candidate_id)`` or ``explain``.
        """
        check_is_fitted(self, "vacancies_")
        c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
        one = update.one_candidate_with_skills(self, candidate_id=candidate_id, c=c, skill_ids=skill_ids,
                                               level=level)
        work = copy.copy(self)
        work.candidates_ = one
        return work

    # ======================================================= incremental
    def upsert_vacancy(self, vacancy: dict, skills: pd.DataFrame, languages: pd.DataFrame | None = None) -> None:
        """Add or replace one vacancy without a rebuild (idf and text vocabulary stay as fitted).

        Parameters
        ----------
        vacancy : dict
            One row of the ``vacancies`` frame.
        skills : DataFrame
            ``skill_id, essential`` of this vacancy.
        languages : DataFrame, optional
            ``language, level`` required.
        """
        check_is_fitted(self, "vacancies_")
        update.upsert_vacancy(self, vacancy=vacancy, skills=skills, languages=languages)

    def upsert_candidate(self, candidate: dict, skills: pd.DataFrame, languages: pd.DataFrame | None = None,
                         occupations: pd.DataFrame | None = None) -> None:
        """Add or replace one candidate without a rebuild.

        Parameters
        ----------
        candidate : dict
            One row of the ``candidates`` frame.
        skills : DataFrame
            ``skill_id, level``.
        languages : DataFrame, optional
            ``language, level``.
        occupations : DataFrame, optional
            ``occupation_id, kind`` ('target' or 'history').
        """
        check_is_fitted(self, "vacancies_")
        update.upsert_candidate(self, candidate=candidate, skills=skills, languages=languages,
                                occupations=occupations)

    def remove_vacancy(self, vacancy_id) -> None:
        """Drop a vacancy from every list (a tombstone until the next :meth:`fit`)."""
        self.vacancies_.alive[self._row(self.vacancies_, vacancy_id, ERR_UNKNOWN_VACANCY)] = False

    def remove_candidate(self, candidate_id) -> None:
        """Drop a candidate from every list (a tombstone until the next :meth:`fit`)."""
        self.candidates_.alive[self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)] = False

    # ============================================================ helpers
    @staticmethod
    def _row(side: Side, item, message: str) -> int:
        row = side.position.get(item)
        if row is None or not side.alive[row]:
            raise KeyError(message.format(id=item))
        return row

    def _ranked_frame(self, direction: Direction, query_id, query: int, rows: np.ndarray, scores: np.ndarray,
                      chosen: np.ndarray, scored: tuple, explain: bool, rescored=None) -> pd.DataFrame:
        """The answer of either direction: query id, item id, score, rank, [rescore], [explanation]."""
        ranked = getattr(self, direction.items)
        columns = {
            direction.query_column: [query_id] * len(chosen),
            direction.item_column: [ranked.ids[i] for i in rows[chosen]],
            "score": np.round(scores[chosen], 4),
            "rank": np.arange(1, len(chosen) + 1),
        }
        if rescored is not None:
            columns["rescore"] = rescored
        if explain:
            parts, filters, distance = scored
            columns["explanation"] = explain_chosen(self, direction=direction, query=query, items=rows[chosen],
                                                    m=len(scores), chosen=chosen, parts=parts, filters=filters,
                                                    distance=distance)
        return pd.DataFrame(columns)  # built once: adding columns one by one costs more than the scoring


def _rescore(index: MatchIndex, chosen: np.ndarray, parts: dict, rescore, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The best ``k`` of ``chosen`` by ``rescore`` over their score parts (stable: ties keep the given order).

    The parts are rounded as the explanation shows them, so a learned model scores a served item exactly as
    it scored the logged items it learned from.
    """
    names = tuple(index.weights_)
    table = np.empty((len(chosen), len(names)))
    for j, name in enumerate(names):
        value = np.asarray(parts[name], dtype=float)
        table[:, j] = value[chosen] if value.ndim else value
    values = np.asarray(rescore(np.round(table, 4), names), dtype=float).reshape(-1)
    if len(values) != len(chosen):
        raise ValueError(ERR_RESCORE)
    order = np.argsort(-values, kind="stable")[:k]
    return chosen[order], values[order]


def _strings(column: pd.Series):
    """The values of ``column`` as strings, one at a time (missing: ""), as ``fillna("").astype(str)`` gives them."""
    return ("" if pd.isna(value) else str(value) for value in column)


def _check_k(k) -> None:
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ValueError(ERR_K)
