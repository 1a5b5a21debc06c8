"""Jobs for a candidate and candidates for a vacancy, explained, from an in-memory index.

:class:`MatchIndex` is fitted once on :class:`~matching.schema.MatchFrames` and then answers
queries in a few milliseconds at 100k vacancies: a query reads only the postings of its own
skills and terms (``np.bincount`` over the gathered entries, see
:func:`matching.sparse.gather_rows`), applies vectorised hard filters over all items, and takes
the top-k with ``argpartition``. Explanations are built only for the returned items.

Score (all parts in [0, 1], weighted sum; weights in :data:`DEFAULT_WEIGHTS`):

``essential``    idf-weighted share of the vacancy's essential skills the candidate covers
                 (rarer skills weigh more; a related skill earns partial credit);
``optional``     the same for optional skills (equals ``essential`` if there are none);
``similarity``   idf-weighted cosine of the two skill vectors (penalises a vacancy that uses
                 little of what the candidate offers, so specific matches beat generic ones);
``proficiency``  mean proficiency (1–4 → 0.25–1) over exactly matched skills;
``text``         TF-IDF cosine of the candidate's text and the vacancy's title and text;
``occupation``   fit with the candidate's target occupations (1) and work history (0.8),
                 similar occupations partly; 0.5 when the candidate states neither;
``profile``      idf-weighted cosine of the candidate's skills and the taxonomy profile
                 (essential and optional skills) of the vacancy's occupation: "your skills are
                 those of a welder" even where the employer listed only three skills;
``distance``     1 − distance / commute limit (remote: 1; beyond the limit, relocating: 0);
``contract``     1 if the candidate accepts the contract kind (no stated preference: 1).

Items with nothing in common (no skill, related skill or shared text term) are never
returned, however near they are: they are not even scored (see "candidate rows" below).

Hard filters (both directions): required languages at CEFR level, minimum education,
minimum age, the hours the candidate can work, and the commute limit unless the candidate is
willing to relocate or the job is remote. The last three parts make "candidates for a vacancy"
reciprocal: a candidate who wants other work, lives far or wants another contract ranks lower.

Diversity: at most ``max_per_group`` vacancies of one employer with the same normalised title
(stems, sorted) enter one list; further copies are skipped and the next best item takes the
place, so ten openings for "noliktavas darbinieks" at one warehouse show as two.

Freshness: :meth:`MatchIndex.upsert_vacancy`, :meth:`~MatchIndex.remove_vacancy` and the
candidate counterparts change one row in O(nnz) (tens of milliseconds at 100k vacancies),
keeping the fitted idf and text vocabulary; a periodic :meth:`~MatchIndex.fit` refreshes them.
"""
from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .geo import distance_matrix
from .relations import relation_matrix
from .schema import HOURS, MatchFrames, check_columns
from .sides import (
    CONTRACT_KINDS, ESSENTIAL, OPTIONAL, Side, check_ages, code_mask, decode_candidate_entries, group_codes,
    hours_mask, language_matrix, text_terms,
)
from .sparse import gather_rows, idf, to_sparse, top_k_indices

__all__ = ["DEFAULT_WEIGHTS", "FILTERS", "MatchIndex"]

DEFAULT_WEIGHTS = {
    "essential": 0.25, "optional": 0.05, "similarity": 0.15, "proficiency": 0.05, "text": 0.10,
    "occupation": 0.10, "profile": 0.20, "distance": 0.05, "contract": 0.05,
}
FILTERS = ("languages", "education", "age", "hours", "commute")
NEUTRAL = 0.5
ERR_UNKNOWN_CANDIDATE = "unknown candidate: {id!r}"
ERR_UNKNOWN_VACANCY = "unknown vacancy: {id!r}"
ERR_K = "k must be a positive integer"
ERR_WEIGHTS = "unknown score parts in weights: {names}"


def _best_first(values: np.ndarray, n: int) -> tuple[np.ndarray, float]:
    """Positions of the ``n`` largest ``values`` (ties: lower position first, also at the cut), sorted, and the
    largest value left out: every position left out ranks after every position kept."""
    at = np.sort(top_k_indices(values, n))
    left = np.ones(len(values), dtype=bool)
    left[at] = False
    return at, float(values[left].max())


class MatchIndex(BaseEstimator):
    """In-memory, explainable two-sided matcher of candidates and vacancies.

    Parameters
    ----------
    weights : dict, optional
        Overrides of :data:`DEFAULT_WEIGHTS` (part name → weight).
    related_credit : float, default 0.5
        Most credit a related skill (broader, narrower, related, co-occurring) can earn.
    optional_weight : float, default 0.5
        Weight of an optional skill relative to an essential one in ``similarity``.
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
        self.weights_ = {**DEFAULT_WEIGHTS, **(self.weights or {})}
        self._fit_universes(f)
        vacancy_rows = pd.Index(f.vacancies["vacancy_id"])
        code = np.where(f.vacancy_skills["essential"].astype(bool), ESSENTIAL, OPTIONAL)
        matrix = to_sparse(f.vacancy_skills.assign(code=code), row="vacancy_id", col="skill_id", value="code",
                           rows=vacancy_rows, cols=self.skill_index_)
        self.idf_ = idf(matrix)
        vacancy_texts = (f.vacancies["title"].fillna("").astype(str) + "\n"
                         + f.vacancies["text"].fillna("").astype(str)).tolist()
        candidate_texts = f.candidates["text"].fillna("").astype(str).tolist()
        vacancy_text, candidate_text = self._fit_text(vacancy_texts, candidate_texts)
        self._fit_profiles(f.occupation_skills)
        self.vacancies_ = self._vacancy_side(f, vacancy_rows, matrix, vacancy_text)
        self.candidates_ = self._candidate_side(f, candidate_text)
        self._refresh_language_bounds()
        return self

    def _fit_profiles(self, occupation_skills: pd.DataFrame) -> None:
        """Occupations × skills, idf-weighted (optional skills at ``optional_weight``), rows of unit length."""
        weight = np.where(occupation_skills["essential"].astype(bool), 1.0, self.optional_weight)
        matrix = to_sparse(occupation_skills.assign(weight=weight), row="occupation_id", col="skill_id",
                           value="weight", rows=self.occupation_index_, cols=self.skill_index_)
        matrix = (matrix @ sp.diags(self.idf_)).tocsr()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self.occupation_profiles_ = (sp.diags((1.0 / norms).astype(np.float32)) @ matrix).tocsr().astype(np.float32)
        self._profiles_t = self.occupation_profiles_.T.tocsr()

    def _fit_text(self, vacancy_texts: list[str], candidate_texts: list[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """TF-IDF of both sides in one vocabulary (idf over vacancies and candidates together)."""
        self.text_vectorizer_ = TfidfVectorizer(
            analyzer=text_terms, min_df=self.text_min_df, max_df=self.text_max_df, sublinear_tf=True, dtype=np.float32
        )
        try:
            both = self.text_vectorizer_.fit_transform(vacancy_texts + candidate_texts).astype(np.float32).tocsr()
        except ValueError:  # no words at all (an empty index): the text part is then zero everywhere
            self.text_vectorizer_ = None
            both = sp.csr_matrix((len(vacancy_texts) + len(candidate_texts), 0), dtype=np.float32)
        return both[: len(vacancy_texts)], both[len(vacancy_texts):]

    def _texts(self, texts: list[str]) -> sp.csr_matrix:
        if self.text_vectorizer_ is None:
            return sp.csr_matrix((len(texts), 0), dtype=np.float32)
        return self.text_vectorizer_.transform(texts).astype(np.float32).tocsr()

    def _refresh_language_bounds(self) -> None:
        """Highest level any vacancy requires and lowest any candidate has, per language.

        Lets a query skip every language nobody can fail (most candidates speak Latvian).
        """
        self._pad_languages(len(self.languages_))
        self.max_required_ = self.vacancies_.languages.max(axis=0, initial=0)
        self.min_level_ = self.candidates_.languages.min(axis=0, initial=127)

    def _fit_universes(self, f: MatchFrames) -> None:
        skill_ids = pd.concat([
            f.skills["skill_id"], f.vacancy_skills["skill_id"], f.candidate_skills["skill_id"],
            f.skill_relations["skill_id"], f.skill_relations["related_skill_id"], f.occupation_skills["skill_id"],
        ], ignore_index=True)
        self.skill_index_ = pd.Index(pd.unique(skill_ids.dropna()))
        self._skill_ids = self.skill_index_.to_numpy(object)
        occupation_ids = pd.concat([
            f.vacancies["occupation_id"], f.candidate_occupations["occupation_id"], f.occupation_skills["occupation_id"],
            f.occupation_relations["occupation_id"], f.occupation_relations["related_occupation_id"],
        ], ignore_index=True)
        self.occupation_index_ = pd.Index(pd.unique(occupation_ids.dropna()))
        self.town_index_, self.distances_ = distance_matrix(f.towns, f.town_distances)
        self.skill_relations_ = relation_matrix(f.skill_relations, self.skill_index_, id_column="skill_id",
                                                cap=self.related_credit)
        self.occupation_relations_ = relation_matrix(f.occupation_relations, self.occupation_index_,
                                                     id_column="occupation_id", cap=self.occupation_credit)
        self.languages_ = {}
        self.contract_codes_ = {kind: i for i, kind in enumerate(CONTRACT_KINDS)}
        self.group_table_ = {}
        self.skill_labels_ = _skill_labels(f.skills)

    # ------------------------------------------------------------ encoding
    @staticmethod
    def _positions(index: pd.Index, values: pd.Series) -> np.ndarray:
        return index.get_indexer(values).astype(np.int32)

    def _vacancy_side(self, f: MatchFrames, rows: pd.Index, matrix: sp.csr_matrix, text: sp.csr_matrix) -> Side:
        v = f.vacancies
        languages = language_matrix(f.vacancy_languages, "vacancy_id", rows, self.languages_)
        entry_row = np.repeat(np.arange(len(rows)), np.diff(matrix.indptr))
        entry_idf = self.idf_[matrix.indices]
        essential = matrix.data < 1.5
        weight = entry_idf * np.where(essential, 1.0, self.optional_weight)
        contract = v["contract_kind"].map(lambda k: self.contract_codes_.setdefault(k, len(self.contract_codes_)))
        attrs = {
            "town": self._positions(self.town_index_, v["town_id"]),
            "occupation": self._positions(self.occupation_index_, v["occupation_id"]),
            "employer": v["employer_id"].to_numpy(object),
            "title": v["title"].fillna("").astype(str).to_numpy(object),
            "group": group_codes(v["employer_id"].tolist(), v["title"].tolist(), self.group_table_),
            "hours": v["hours"].map(lambda h: 1 << HOURS.index(h) if h in HOURS else 0).to_numpy(np.int8),
            "contract": contract.to_numpy(np.int16),
            "min_education": v["min_education"].fillna(0).to_numpy(np.int8),
            "min_age": v["min_age"].fillna(0).to_numpy(np.int16),
            "remote": (v["work_arrangement"] == "remote").to_numpy(bool) if "work_arrangement" in v else np.zeros(len(v), bool),
            "essential_mass": np.bincount(entry_row, entry_idf * essential, len(rows)).astype(np.float32),
            "optional_mass": np.bincount(entry_row, entry_idf * ~essential, len(rows)).astype(np.float32),
            "norm": np.sqrt(np.bincount(entry_row, weight ** 2, len(rows))).astype(np.float32),
        }
        self._pad_languages(len(self.languages_))
        return Side(ids=list(rows), skills=matrix, text=text, languages=languages, attrs=attrs,
                    alive=np.ones(len(rows), bool))

    def _candidate_side(self, f: MatchFrames, text: sp.csr_matrix) -> Side:
        c = f.candidates
        rows = pd.Index(c["candidate_id"])
        held = to_sparse(f.candidate_skills.assign(code=f.candidate_skills["level"].clip(1, 4) + 1.0),
                         row="candidate_id", col="skill_id", value="code", rows=rows, cols=self.skill_index_)
        skills = self._with_related_credit(held)
        credit, _, _ = decode_candidate_entries(skills.data)
        entry_row = np.repeat(np.arange(len(rows)), np.diff(skills.indptr))
        norm = np.sqrt(np.bincount(entry_row, (self.idf_[skills.indices] * credit) ** 2, len(rows)))
        occupations = self._occupation_affinity(f.candidate_occupations, rows)
        contract_kinds = c["contract_kinds"] if "contract_kinds" in c else pd.Series([[]] * len(c), index=c.index)
        attrs = {
            "town": self._positions(self.town_index_, c["town_id"]),
            "commute": c["max_commute_km"].fillna(0).to_numpy(np.float32),
            "relocate": c["willing_to_relocate"].fillna(False).astype(bool).to_numpy(),
            "education": c["education"].fillna(0).to_numpy(np.int8),
            "age": check_ages(c["age"]),
            "hours": c["available_hours"].map(hours_mask).to_numpy(np.int8),
            "contracts": contract_kinds.map(lambda ks: code_mask(ks, self.contract_codes_)).to_numpy(np.int64),
            "has_preference": np.diff(occupations.indptr) > 0,
            "norm": norm.astype(np.float32),
        }
        languages = language_matrix(f.candidate_languages, "candidate_id", rows, self.languages_)
        self._pad_languages(len(self.languages_))
        return Side(ids=list(rows), skills=skills, text=text, languages=languages, attrs=attrs,
                    alive=np.ones(len(rows), bool), extra={"occupations": occupations})

    def _with_related_credit(self, held: sp.csr_matrix, chunk: int = 4096) -> sp.csr_matrix:
        """Held skills (codes 2–5) plus partial credit (≤ related_credit) for their neighbours.

        Done in row chunks: the uncapped product has ~20 neighbours per held skill, which for
        50k candidates would be the largest allocation of the whole build.
        """
        parts = []
        for start in range(0, held.shape[0], chunk):
            block = held[start:start + chunk]
            binary = block.copy()
            binary.data[:] = 1.0
            related = (binary @ self.skill_relations_).tocsr()
            related.data = np.minimum(related.data, self.related_credit).astype(np.float32)
            related = related - related.multiply(binary)  # a held skill needs no partial credit
            related.eliminate_zeros()
            related = _top_per_row(related.tocsr(), self.max_related)
            parts.append(block.maximum(related).tocsr().astype(np.float32))
        if not parts:
            return held.astype(np.float32)
        return sp.vstack(parts, format="csr").astype(np.float32)

    def _occupation_affinity(self, links: pd.DataFrame, rows: pd.Index) -> sp.csr_matrix:
        """Candidates × occupations: targets 1, history ``history_credit``, similar ones partly."""
        frame = pd.DataFrame({
            "r": rows.get_indexer(links["candidate_id"]),
            "c": self.occupation_index_.get_indexer(links["occupation_id"]),
            "credit": np.where(links["kind"] == "target", 1.0, self.history_credit),
        })
        best = frame[(frame["r"] >= 0) & (frame["c"] >= 0)].groupby(["r", "c"])["credit"].max().reset_index()
        direct = sp.csr_matrix((best["credit"].to_numpy(np.float32), (best["r"].to_numpy(), best["c"].to_numpy())),
                               shape=(len(rows), len(self.occupation_index_)))
        similar = (direct @ self.occupation_relations_).tocsr()
        similar.data = np.minimum(similar.data, self.occupation_credit).astype(np.float32)
        return direct.maximum(similar).tocsr().astype(np.float32)

    def _pad_languages(self, n: int) -> None:
        for name in ("vacancies_", "candidates_"):
            side = getattr(self, name, None)
            if side is not None and side.languages.shape[1] < n:
                side.languages = np.pad(side.languages, ((0, 0), (0, n - side.languages.shape[1])))

    # ============================================================== scoring
    # A query first finds its *candidate rows*: the items that share at least one skill (held
    # or related) or one text term with it — an item sharing nothing is never recommended. All
    # per-item arithmetic then runs on those rows only, so a query costs O(postings touched +
    # candidate rows), not O(all items) passes of numpy.

    @staticmethod
    def _candidate_rows(n: int, alive: np.ndarray, *targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mask = np.zeros(n, dtype=bool)
        for target in targets:
            mask[target] = True
        rows = np.flatnonzero(mask & alive)
        inverse = np.full(n, -1, dtype=np.int32)
        inverse[rows] = np.arange(len(rows))
        return rows, inverse

    @staticmethod
    def _compact(inverse: np.ndarray, target: np.ndarray, *arrays: np.ndarray) -> tuple:
        """Entries whose target is a candidate row, with targets renumbered 0..m-1."""
        t = inverse[target]
        keep = t >= 0
        if keep.all():
            return (t, *arrays)
        return (t[keep], *(a[keep] for a in arrays))

    def _skill_sums(self, target: np.ndarray, entry_idf: np.ndarray, essential: np.ndarray, credit: np.ndarray,
                    exact: np.ndarray, level: np.ndarray, m: int) -> dict[str, np.ndarray]:
        """Sums per candidate row over gathered (vacancy skill × candidate credit) entries."""
        weight = entry_idf * credit
        essential_weight = weight * essential
        held = entry_idf * exact
        return {
            "essential": np.bincount(target, essential_weight, m),
            "optional": np.bincount(target, weight - essential_weight, m),
            "similarity": np.bincount(target, entry_idf * np.where(essential, weight, self.optional_weight * weight), m),
            "proficiency": np.bincount(target, held * level, m),
            "held": np.bincount(target, held, m),
        }

    @staticmethod
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

    def _filters(self, cand: dict, vac: dict, needed: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Hard filters for candidate × vacancy attributes; one side scalar, the other arrays.

        ``needed`` marks the languages somebody on the array side could fail; only those are compared.
        """
        distance = self.distances_[cand["town"], vac["town"]]
        required, levels = vac["languages"], cand["languages"]
        if needed.any():
            languages = ~(required[..., needed] > levels[..., needed]).any(axis=-1)
        else:
            languages = np.True_
        return {"languages": languages, **self._attribute_filters(cand, vac, distance)}, distance

    @staticmethod
    def _attribute_filters(cand: dict, vac: dict, distance: np.ndarray) -> dict[str, np.ndarray]:
        """The hard filters on one attribute each (all but languages): a few comparisons per row."""
        return {
            "education": cand["education"] >= vac["min_education"],
            "age": cand["age"] >= vac["min_age"],
            "hours": (cand["hours"] & vac["hours"]) != 0,
            "commute": (distance <= cand["commute"]) | cand["relocate"] | vac["remote"] | np.isnan(distance),
        }

    def _context_parts(self, cand: dict, vac: dict, distance: np.ndarray) -> dict:
        with np.errstate(divide="ignore", invalid="ignore"):
            near = 1.0 - distance / np.maximum(cand["commute"], 1.0)
        distance_part = np.where(vac["remote"], 1.0, np.where(np.isnan(distance), NEUTRAL, np.clip(near, 0.0, 1.0)))
        contract = (cand["contracts"] == 0) | ((cand["contracts"] >> vac["contract"]) & 1).astype(bool)
        return {"distance": distance_part, "contract": contract.astype(np.float32)}

    def _combine(self, parts: dict, filters: dict, m: int) -> np.ndarray:
        score = np.zeros(m, dtype=np.float64)
        for name, weight in self.weights_.items():
            score += weight * np.broadcast_to(parts[name], (m,))
        passed = np.ones(m, dtype=bool)
        for ok in filters.values():
            passed &= ok
        return np.where(passed, score, -np.inf)

    def _vacancy_view(self, rows) -> dict:
        side = self.vacancies_
        view = {name: side.attrs[name][rows] for name in
                ("town", "min_education", "min_age", "hours", "remote", "contract", "occupation")}
        view["languages"] = side.languages[rows]
        return view

    def _candidate_view(self, rows) -> dict:
        side = self.candidates_
        view = {name: side.attrs[name][rows] for name in
                ("town", "commute", "relocate", "education", "age", "hours", "contracts")}
        view["languages"] = side.languages[rows]
        return view

    def _jobs_stage1(self, c: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
        """Candidate rows for candidate ``c`` and every part that needs no filter: (rows, parts)."""
        C, V = self.candidates_, self.vacancies_
        n = len(V)
        lo, hi = C.skills.indptr[c], C.skills.indptr[c + 1]
        q_skills = C.skills.indices[lo:hi]
        credit, exact, level = decode_candidate_entries(C.skills.data[lo:hi])
        pos, target, data = gather_rows(V.skills_t, q_skills)
        q_terms, q_weights = self._query_terms(C.text, c)
        t_pos, t_target, t_data = gather_rows(V.text_t, q_terms)
        if rows is None:
            rows, inverse = self._candidate_rows(n, V.alive, target, t_target)
        else:
            inverse = np.full(n, -1, dtype=np.int64)
            inverse[rows] = np.arange(len(rows))
        m = len(rows)
        target, pos, data = self._compact(inverse, target, pos, data)
        sums = self._skill_sums(target, self.idf_[q_skills][pos], data < 1.5, credit[pos], exact[pos], level[pos], m)
        a = V.attrs
        parts = self._ratios(sums, a["essential_mass"][rows], a["optional_mass"][rows], a["norm"][rows],
                             C.attrs["norm"][c])
        t_target, t_pos, t_data = self._compact(inverse, t_target, t_pos, t_data)
        parts["text"] = np.bincount(t_target, t_data * q_weights[t_pos], m)
        occupation = a["occupation"][rows]
        parts["occupation"] = self._occupation_for_jobs(c)[occupation]
        parts["profile"] = self._profile_for_jobs(q_skills, credit, C.attrs["norm"][c])[occupation]
        return rows, parts

    def _jobs_stage2(self, c: int, rows: np.ndarray, parts: dict, at: np.ndarray, cand: dict | None = None) -> tuple:
        """Filters, distance and contract for ``rows[at]``: (scores, parts, filters, distance) over ``at``.
        ``cand``: the candidate's view if the caller has it already."""
        cand = self._candidate_view(c) if cand is None else cand
        vac = self._vacancy_view(rows[at])
        filters, distance = self._filters(cand, vac, self.max_required_ > cand["languages"])
        sub = {name: value[at] for name, value in parts.items()}
        sub.update(self._context_parts(cand, vac, distance))
        return self._combine(sub, filters, len(at)), sub, filters, distance

    def _score_jobs(self, c: int, rows: np.ndarray | None = None) -> tuple:
        """Every candidate row scored: (rows, scores, parts, filters, distance)."""
        rows, parts = self._jobs_stage1(c, rows)
        return (rows, *self._jobs_stage2(c, rows, parts, np.arange(len(rows))))

    def _top_jobs(self, c: int, k: int) -> tuple:
        """The diverse top ``k`` for candidate ``c``, exactly, comparing languages on few rows.

        Stage 1 gives every candidate row its skill, text and occupation parts; distance, contract and the
        one-attribute filters (education, age, hours, commute) are a few gathers and comparisons more, so every
        row's full weighted sum is known (``bound``; minus infinity when such a filter fails) and only the
        language filter can still remove a row. The best rows by ``bound`` (ties: lower row first, as the full
        ranking breaks them) are completed first; the answer is final once its k-th score reaches the best
        bound left out: a row left out scores lower or ties and comes later. Otherwise four times as many rows
        are completed. Returns (rows, scores, parts, filters, distance, chosen) over the completed rows,
        ``chosen`` being positions into them.
        """
        rows, parts = self._jobs_stage1(c)
        m = len(rows)
        cand = self._candidate_view(c)
        a = self.vacancies_.attrs
        vac = {name: a[name][rows] for name in ("town", "remote", "contract", "hours", "min_education", "min_age")}
        distance = self.distances_[cand["town"], vac["town"]]
        context = self._context_parts(cand, vac, distance)
        bound = np.zeros(m)
        slack = 0.0
        for name, weight in self.weights_.items():  # the order _combine adds them in: equal sums, bit for bit
            value = parts.get(name, context.get(name))
            if value is None:
                slack += weight
            else:
                bound += weight * np.broadcast_to(value, (m,))
        passed = np.ones(m, dtype=bool)
        for ok in self._attribute_filters(cand, vac, distance).values():
            passed &= ok
        bound[~passed] = -np.inf
        n_passed = int(passed.sum())
        n_eval = max(128, 8 * k)
        while True:
            if n_eval >= n_passed:
                at, best_rest = np.flatnonzero(passed), -np.inf
            else:
                at, best_rest = _best_first(bound, n_eval)
            scores, sub, filters, distance = self._jobs_stage2(c, rows, parts, at, cand)
            chosen = self._diverse_top(scores, k, rows[at])
            if n_eval >= n_passed or (len(chosen) == k and scores[chosen[-1]] >= best_rest + slack):
                return rows[at], scores, sub, filters, distance, chosen
            n_eval *= 4

    def _score_candidates(self, v: int, rows: np.ndarray | None = None) -> tuple:
        """Score candidates for vacancy row ``v``: (rows, scores, parts, filters, distance), all over rows."""
        C, V = self.candidates_, self.vacancies_
        n = len(C)
        lo, hi = V.skills.indptr[v], V.skills.indptr[v + 1]
        q_skills, q_essential = V.skills.indices[lo:hi], V.skills.data[lo:hi] < 1.5
        pos, target, data = gather_rows(C.skills_t, q_skills)
        q_terms, q_weights = self._query_terms(V.text, v)
        t_pos, t_target, t_data = gather_rows(C.text_t, q_terms)
        if rows is None:
            rows, inverse = self._candidate_rows(n, C.alive, target, t_target)
        else:
            inverse = np.full(n, -1, dtype=np.int64)
            inverse[rows] = np.arange(len(rows))
        m = len(rows)
        target, pos, data = self._compact(inverse, target, pos, data)
        credit, exact, level = decode_candidate_entries(data)
        sums = self._skill_sums(target, self.idf_[q_skills][pos], q_essential[pos], credit, exact, level, m)
        a = V.attrs
        parts = self._ratios(sums, a["essential_mass"][v], a["optional_mass"][v], a["norm"][v], C.attrs["norm"][rows])
        t_target, t_pos, t_data = self._compact(inverse, t_target, t_pos, t_data)
        parts["text"] = np.bincount(t_target, t_data * q_weights[t_pos], m)
        cand, vac = self._candidate_view(rows), self._vacancy_view(v)
        filters, distance = self._filters(cand, vac, vac["languages"] > self.min_level_)
        parts.update(self._context_parts(cand, vac, distance))
        parts["occupation"] = self._occupation_for_candidates(v, rows)
        parts["profile"] = self._profile_for_candidates(v, rows)
        return rows, self._combine(parts, filters, m), parts, filters, distance

    def _query_terms(self, matrix: sp.csr_matrix, row: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        terms, weights = matrix.indices[lo:hi], matrix.data[lo:hi]
        if len(terms) > self.text_query_terms:
            # Ties broken by term id, so the terms kept do not depend on the order the row was stored in
            # (a full build and an upsert of the same text must score alike).
            top = np.lexsort((terms, -weights))[: self.text_query_terms]
            terms, weights = terms[top], weights[top]
        return terms, weights

    def _profile_for_jobs(self, q_skills: np.ndarray, credit: np.ndarray, norm: float) -> np.ndarray:
        """Fit of the candidate with every occupation's profile; last entry: no occupation (0)."""
        pos, occupation, data = gather_rows(self._profiles_t, q_skills)
        fit = np.zeros(len(self.occupation_index_) + 1, dtype=np.float64)
        if norm > 0:
            fit[:-1] = np.bincount(occupation, data * (self.idf_[q_skills] * credit)[pos],
                                   len(self.occupation_index_)) / norm
        return fit

    def _profile_for_candidates(self, v: int, rows: np.ndarray) -> np.ndarray:
        C = self.candidates_
        occupation = self.vacancies_.attrs["occupation"][v]
        if occupation < 0:
            return np.zeros(len(rows))
        lo, hi = self.occupation_profiles_.indptr[occupation], self.occupation_profiles_.indptr[occupation + 1]
        skills, weights = self.occupation_profiles_.indices[lo:hi], self.occupation_profiles_.data[lo:hi]
        pos, target, data = gather_rows(C.skills_t, skills)
        inverse = np.full(len(C), -1, dtype=np.int64)
        inverse[rows] = np.arange(len(rows))
        target, pos, data = self._compact(inverse, target, pos, data)
        credit = decode_candidate_entries(data)[0]
        norm = C.attrs["norm"][rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            fit = np.bincount(target, (weights * self.idf_[skills])[pos] * credit, len(rows)) / norm
        return np.nan_to_num(fit)

    def _occupation_for_jobs(self, c: int) -> np.ndarray:
        """Affinity of the candidate with every occupation; last entry: a vacancy without one."""
        C = self.candidates_
        if not C.attrs["has_preference"][c]:
            return np.full(len(self.occupation_index_) + 1, NEUTRAL, dtype=np.float32)
        matrix = C.extra["occupations"]
        lo, hi = matrix.indptr[c], matrix.indptr[c + 1]
        affinity = np.zeros(len(self.occupation_index_) + 1, dtype=np.float32)
        affinity[matrix.indices[lo:hi]] = matrix.data[lo:hi]
        return affinity

    def _occupation_for_candidates(self, v: int, rows: np.ndarray) -> np.ndarray:
        C = self.candidates_
        occupation = self.vacancies_.attrs["occupation"][v]
        if occupation < 0:
            return np.full(len(rows), NEUTRAL, dtype=np.float32)
        out = np.where(C.attrs["has_preference"], 0.0, NEUTRAL).astype(np.float32)
        matrix = C.extra_t["occupations"]
        lo, hi = matrix.indptr[occupation], matrix.indptr[occupation + 1]
        out[matrix.indices[lo:hi]] = matrix.data[lo:hi]
        return out[rows]

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
            ``candidate_id, vacancy_id, score, rank`` and ``explanation`` (dict: matched_skills,
            related_skills, missing_essential, essential_matched, distance_km, commute_limit_km,
            remote, relocation_needed, filters, parts, contributions). At most ``k`` rows; fewer
            if fewer pass the filters or share anything with the candidate.
        """
        check_is_fitted(self, "vacancies_")
        c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
        _check_k(k)
        rescored = None
        if rescore is None:
            rows, scores, parts, filters, distance, chosen = self._top_jobs(c, k)
        else:
            _check_k(pool or k)
            rows, scores, parts, filters, distance, chosen = self._top_jobs(c, max(k, pool or k))
            chosen, rescored = self._rescore(chosen, len(scores), parts, rescore, k)
        columns = {
            "candidate_id": [candidate_id] * len(chosen),
            "vacancy_id": [self.vacancies_.ids[v] for v in rows[chosen]],
            "score": np.round(scores[chosen], 4),
            "rank": np.arange(1, len(chosen) + 1),
        }
        if rescored is not None:
            columns["rescore"] = rescored
        if explain:
            memo: dict = {}
            picked = self._pick(len(scores), chosen, parts, filters, distance)
            columns["explanation"] = [self._explain(c, v, *one, memo) for v, one in zip(rows[chosen].tolist(), picked)]
        return pd.DataFrame(columns)  # built once: adding columns one by one costs more than the scoring

    def _rescore(self, chosen: np.ndarray, m: int, parts: dict, rescore, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The best ``k`` of ``chosen`` by ``rescore`` over their score parts (stable: ties keep the given order).

        The parts are rounded as the explanation shows them, so a learned model scores a served item exactly as
        it scored the logged items it learned from.
        """
        names = tuple(self.weights_)
        table = np.empty((len(chosen), len(names)))
        for j, name in enumerate(names):
            value = np.asarray(parts[name], dtype=float)
            table[:, j] = value[chosen] if value.ndim else value
        values = np.asarray(rescore(np.round(table, 4), names), dtype=float).reshape(-1)
        if len(values) != len(chosen):
            raise ValueError("rescore must return one score per row")
        order = np.argsort(-values, kind="stable")[:k]
        return chosen[order], values[order]

    def recommend_candidates(self, vacancy_id, k: int = 10, *, explain: bool = True, among=None) -> pd.DataFrame:
        """Indexed candidates for one vacancy, best first (reciprocal; see the module docstring).

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
        rows, scores, parts, filters, distance = self._score_candidates(v)
        if among is not None:
            allowed = np.zeros(len(self.candidates_), dtype=bool)
            allowed[[self.candidates_.position[c] for c in among if c in self.candidates_.position]] = True
            scores = np.where(allowed[rows], scores, -np.inf)
        chosen = top_k_indices(scores, k)
        frame = pd.DataFrame({
            "vacancy_id": [vacancy_id] * len(chosen),
            "candidate_id": [self.candidates_.ids[c] for c in rows[chosen]],
            "score": np.round(scores[chosen], 4),
            "rank": np.arange(1, len(chosen) + 1),
        })
        if explain:
            memo: dict = {}
            picked = self._pick(len(scores), chosen, parts, filters, distance)
            frame["explanation"] = [self._explain(c, v, *one, memo) for c, one in zip(rows[chosen].tolist(), picked)]
        return frame

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
            rows, scores, *_, chosen = self._top_jobs(c, k)
            out_c.extend([candidate_id] * len(chosen))
            out_v.extend(self.vacancies_.ids[v] for v in rows[chosen].tolist())
            out_s.append(scores[chosen])
            out_r.append(np.arange(1, len(chosen) + 1))
        return pd.DataFrame({
            "candidate_id": out_c, "vacancy_id": out_v,
            "score": np.round(np.concatenate(out_s), 4) if out_s else [],
            "rank": np.concatenate(out_r) if out_r else [],
        })

    def explain(self, candidate_id, vacancy_id) -> dict:
        """Full explanation of one pair, including the filters it fails.

        ``score`` is None when a filter fails; ``shares_anything`` is False when the pair has no
        skill, related skill or text term in common (such pairs are never recommended).
        """
        check_is_fitted(self, "vacancies_")
        c = self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)
        v = self._row(self.vacancies_, vacancy_id, ERR_UNKNOWN_VACANCY)
        rows, scores, parts, filters, distance = self._score_jobs(c, rows=np.asarray([v]))
        result = self._explain(c, v, *self._pick(1, [0], parts, filters, distance)[0])
        result["score"] = None if not np.isfinite(scores[0]) else round(float(scores[0]), 4)
        result["shares_anything"] = bool(parts["essential"][0] + parts["optional"][0] + parts["similarity"][0]
                                         + parts["text"][0] > 0)
        return result

    # ------------------------------------------------ helpers for matching.paths
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
        cand, vac = self._candidate_view(c), self._vacancy_view(slice(None))
        filters, distance = self._filters(cand, vac, self.max_required_ > cand["languages"])
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
        C = self.candidates_
        c = self._row(C, candidate_id, ERR_UNKNOWN_CANDIDATE)
        lo, hi = C.skills.indptr[c], C.skills.indptr[c + 1]
        held = {s: code for s, code in zip(C.skills.indices[lo:hi].tolist(), C.skills.data[lo:hi].tolist())
                if code > 1.5}
        for s in self.skill_index_.get_indexer(list(skill_ids)).tolist():
            if s >= 0:
                held[s] = max(held.get(s, 0.0), 1.0 + min(max(int(level), 1), 4))
        cols = np.asarray(sorted(held), dtype=np.int32)
        row = sp.csr_matrix((np.asarray([held[s] for s in cols.tolist()], np.float32), cols,
                             np.asarray([0, len(cols)])), shape=(1, len(self.skill_index_)))
        skills = self._with_related_credit(row)
        credit = decode_candidate_entries(skills.data)[0]
        attrs = {name: values[c:c + 1] for name, values in C.attrs.items()}
        attrs["norm"] = np.asarray([np.sqrt(np.sum((self.idf_[skills.indices] * credit) ** 2))], np.float32)
        one = Side(ids=[candidate_id], skills=skills, text=C.text[c], languages=C.languages[c:c + 1], attrs=attrs,
                   alive=np.ones(1, bool), extra={name: m[c] for name, m in C.extra.items()})
        work = copy.copy(self)
        work.candidates_ = one
        return work

    def _diverse_top(self, scores: np.ndarray, k: int, rows: np.ndarray) -> np.ndarray:
        """Positions (into ``scores``) of the top ``k``, at most ``max_per_group`` per diversity group."""
        groups = self.vacancies_.attrs["group"][rows]
        cap = self.max_per_group
        pool = k
        while True:
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

    @staticmethod
    def _row(side: Side, item, message: str) -> int:
        row = side.position.get(item)
        if row is None or not side.alive[row]:
            raise KeyError(message.format(id=item))
        return row

    # ========================================================== explanation
    def _skill_entry(self, s: int, **extra) -> dict:
        skill_id = self._skill_ids[s]
        entry = {"skill_id": skill_id}
        label = self.skill_labels_.get(skill_id)
        if label:
            entry["label"] = label
        entry.update(extra)
        return entry

    def _pick(self, m: int, positions, parts: dict, filters: dict, distance) -> list[tuple[dict, dict, float]]:
        """(parts, filters, km) as plain Python values for each of ``positions`` into arrays of length ``m``.

        One fancy-index per array instead of one numpy scalar access per item and field.
        """
        at = np.asarray(positions, dtype=np.int64)

        def take(array) -> list:
            return np.broadcast_to(np.asarray(array), (m,))[at].tolist()

        values = {name: take(parts[name]) for name in self.weights_}
        passed = {name: take(ok) for name, ok in filters.items()}
        kms = take(distance)
        return [({name: float(x[i]) for name, x in values.items()}, {name: bool(x[i]) for name, x in passed.items()},
                 float(kms[i])) for i in range(len(at))]

    def _explain(self, c: int, v: int, value: dict, passed: dict, km: float, memo: dict | None = None) -> dict:
        """Explanation of candidate row ``c`` × vacancy row ``v`` from its picked parts, filters and distance.

        ``memo`` caches skill entries across the items of one list (vacancies share skills).
        """
        memo = {} if memo is None else memo
        V, C = self.vacancies_, self.candidates_
        lo, hi = V.skills.indptr[v], V.skills.indptr[v + 1]
        v_skills, v_codes = V.skills.indices[lo:hi].tolist(), V.skills.data[lo:hi].tolist()
        lo, hi = C.skills.indptr[c], C.skills.indptr[c + 1]
        c_entries = dict(zip(C.skills.indices[lo:hi].tolist(), C.skills.data[lo:hi].tolist()))
        matched, related, missing = [], [], []
        n_essential = n_matched = 0
        for s, code_v in zip(v_skills, v_codes):
            essential = code_v < 1.5
            n_essential += essential
            code = c_entries.get(s)
            if code is not None and code > 1.5:
                n_matched += essential
                matched.append({**self._memo_entry(memo, s), "essential": essential, "level": int(code - 1)})
            elif code is not None:
                if ("via", s) not in memo:
                    memo[("via", s)] = self._via(s, c_entries)
                related.append({**self._memo_entry(memo, s), "essential": essential, "credit": round(code, 3),
                                "via": memo[("via", s)]})
            elif essential:
                missing.append(dict(self._memo_entry(memo, s)))
        limit = float(C.attrs["commute"][c])
        remote = bool(V.attrs["remote"][v])
        return {
            "matched_skills": matched,
            "related_skills": related,
            "missing_essential": missing,
            "essential_matched": f"{n_matched} of {n_essential}",
            "distance_km": None if math.isnan(km) else round(km, 1),
            "commute_limit_km": limit,
            "remote": remote,
            "relocation_needed": bool(not math.isnan(km) and km > limit and not remote),
            "filters": passed,
            "parts": {name: round(x, 4) for name, x in value.items()},
            "contributions": {name: round(self.weights_[name] * x, 4) for name, x in value.items()},
        }

    def _memo_entry(self, memo: dict, s: int) -> dict:
        entry = memo.get(s)
        if entry is None:
            entry = memo[s] = self._skill_entry(s)
        return entry

    def _via(self, s: int, entries: dict) -> dict | None:
        """The held skill that earns ``s`` its partial credit (the strongest relation)."""
        matrix = self.skill_relations_
        lo, hi = matrix.indptr[s], matrix.indptr[s + 1]
        best = [(w, r) for r, w in zip(matrix.indices[lo:hi].tolist(), matrix.data[lo:hi].tolist())
                if entries.get(r, 0.0) > 1.5]
        return self._skill_entry(max(best)[1]) if best else None

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
        frame = pd.DataFrame([vacancy])
        check_columns(frame, "vacancies")
        vid = vacancy["vacancy_id"]
        skills = skills.assign(vacancy_id=vid)
        languages = _or_empty(languages, ("language", "level")).assign(vacancy_id=vid)
        self._ensure_skills(skills["skill_id"])
        self._ensure_occupations(frame["occupation_id"].dropna())
        rows = pd.Index([vid])
        code = np.where(skills["essential"].astype(bool), ESSENTIAL, OPTIONAL)
        matrix = to_sparse(skills.assign(code=code), row="vacancy_id", col="skill_id", value="code",
                           rows=rows, cols=self.skill_index_)
        text = self._texts([f"{vacancy['title']}\n{vacancy['text']}"])
        one = self._vacancy_side(
            MatchFrames(vacancies=frame, vacancy_skills=skills, vacancy_languages=languages).checked(),
            rows, matrix, text)
        self._put(self.vacancies_, vid, one)
        self.max_required_ = np.maximum(self.max_required_, one.languages[0])

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
        frame = pd.DataFrame([candidate])
        check_columns(frame, "candidates")
        cid = candidate["candidate_id"]
        skills = skills.assign(candidate_id=cid)
        occupations = _or_empty(occupations, ("occupation_id", "kind")).assign(candidate_id=cid)
        languages = _or_empty(languages, ("language", "level")).assign(candidate_id=cid)
        self._ensure_skills(skills["skill_id"])
        self._ensure_occupations(occupations["occupation_id"])
        one = self._candidate_side(MatchFrames(
            vacancies=None, vacancy_skills=None, candidates=frame,
            candidate_skills=skills, candidate_languages=languages, candidate_occupations=occupations,
        ).checked(), self._texts([str(candidate.get("text") or "")]))
        self._put(self.candidates_, cid, one)
        self.min_level_ = np.minimum(self.min_level_, one.languages[0])

    def remove_vacancy(self, vacancy_id) -> None:
        """Drop a vacancy from every list (a tombstone until the next :meth:`fit`)."""
        self.vacancies_.alive[self._row(self.vacancies_, vacancy_id, ERR_UNKNOWN_VACANCY)] = False

    def remove_candidate(self, candidate_id) -> None:
        """Drop a candidate from every list (a tombstone until the next :meth:`fit`)."""
        self.candidates_.alive[self._row(self.candidates_, candidate_id, ERR_UNKNOWN_CANDIDATE)] = False

    def _put(self, side: Side, item, one: Side) -> None:
        self._pad_languages(len(self.languages_))
        n = len(self.languages_)
        self.max_required_ = np.pad(self.max_required_, (0, n - len(self.max_required_)))
        self.min_level_ = np.pad(self.min_level_, (0, n - len(self.min_level_)))
        one.languages = np.pad(one.languages, ((0, 0), (0, len(self.languages_) - one.languages.shape[1])))
        extra = {}
        for name, matrix in one.extra.items():
            extra[name] = (matrix.indices, matrix.data)
        side.put(item, skills=(one.skills.indices, one.skills.data), text=one.text, languages=one.languages[0],
                 attrs={name: values[0] for name, values in one.attrs.items()}, extra=extra)

    def _ensure_skills(self, skill_ids: pd.Series) -> None:
        new = pd.Index(pd.unique(skill_ids.dropna())).difference(self.skill_index_)
        if new.empty:
            return
        self.skill_index_ = self.skill_index_.append(new)
        self._skill_ids = self.skill_index_.to_numpy(object)
        n = len(self.skill_index_)
        # A skill no vacancy has used yet is as rare as a skill can be.
        self.idf_ = np.concatenate([self.idf_, np.full(len(new), self.idf_.max(initial=1.0), np.float32)])
        self.skill_relations_.resize((n, n))
        self.occupation_profiles_.resize((len(self.occupation_index_), n))
        self._profiles_t = self.occupation_profiles_.T.tocsr()
        for side in (self.vacancies_, self.candidates_):
            side.resize_skills(n)

    def _ensure_occupations(self, occupation_ids: pd.Series) -> None:
        new = pd.Index(pd.unique(occupation_ids.dropna())).difference(self.occupation_index_)
        if new.empty:
            return
        self.occupation_index_ = self.occupation_index_.append(new)
        n = len(self.occupation_index_)
        self.occupation_relations_.resize((n, n))
        self.occupation_profiles_.resize((n, len(self.skill_index_)))
        self._profiles_t = self.occupation_profiles_.T.tocsr()
        self.candidates_.resize_columns("occupations", n)


def _top_per_row(matrix: sp.csr_matrix, n: int) -> sp.csr_matrix:
    """Keep the ``n`` largest entries of every row (ties: lower column first)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = np.lexsort((matrix.indices, -matrix.data, rows))
    rank = np.arange(len(order)) - np.repeat(matrix.indptr[:-1], np.diff(matrix.indptr))
    keep = order[rank < n]
    return sp.csr_matrix((matrix.data[keep], (rows[keep], matrix.indices[keep])), shape=matrix.shape)


def _check_k(k) -> None:
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ValueError(ERR_K)


def _or_empty(frame: pd.DataFrame | None, columns: tuple) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}) if frame is None else frame


def _skill_labels(skills: pd.DataFrame) -> dict:
    if skills.empty:
        return {}
    for column in ("label_lv", "label_en", "label"):
        if column in skills:
            labels = skills[column].fillna("").astype(str)
            if column == "label_lv" and "label_en" in skills:
                labels = labels.where(labels.str.len() > 0, skills["label_en"].fillna("").astype(str))
            return dict(zip(skills["skill_id"], labels))
    return {}
