"""Encoding frames into the index: universes of ids, idf, text vocabulary, occupation profiles, and the two sides.

Every function takes the index it builds (fitted state lives on :class:`~matching.index.MatchIndex`, as the
scikit-learn contract asks) and is called from ``fit`` and from the incremental updates in
:mod:`matching.index.update`, so that a row added later is encoded exactly as a fitted one.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from ..geo import distance_matrix
from ..relations import relation_matrix
from ..schema import HOURS, MatchFrames
from ..sides import (
    CONTRACT_KINDS, ESSENTIAL, OPTIONAL, Side, check_ages, code_mask, decode_candidate_entries, group_codes,
    hours_mask, language_matrix, text_terms,
)
from ..sparse import to_sparse

if TYPE_CHECKING:
    from .estimator import MatchIndex

__all__ = ["candidate_side", "fit_profiles", "fit_text", "fit_universes", "pad_languages", "refresh_language_bounds",
           "texts", "vacancy_side", "vacancy_skill_matrix", "with_related_credit"]


def fit_universes(index: MatchIndex, f: MatchFrames) -> None:
    """Skill, occupation and town universes, the relation matrices and the code tables, from all frames."""
    index.skill_index_ = _first_seen([
        f.skills["skill_id"], f.vacancy_skills["skill_id"], f.candidate_skills["skill_id"],
        f.skill_relations["skill_id"], f.skill_relations["related_skill_id"], f.occupation_skills["skill_id"],
    ])
    index._skill_ids = index.skill_index_.to_numpy(object)
    index.occupation_index_ = _first_seen([
        f.vacancies["occupation_id"], f.candidate_occupations["occupation_id"], f.occupation_skills["occupation_id"],
        f.occupation_relations["occupation_id"], f.occupation_relations["related_occupation_id"],
    ])
    index.town_index_, index.distances_ = distance_matrix(f.towns, f.town_distances)
    index.skill_relations_ = relation_matrix(f.skill_relations, index.skill_index_, id_column="skill_id",
                                             cap=index.related_credit)
    index.occupation_relations_ = relation_matrix(f.occupation_relations, index.occupation_index_,
                                                  id_column="occupation_id", cap=index.occupation_credit)
    index.languages_ = {}
    index.contract_codes_ = {kind: i for i, kind in enumerate(CONTRACT_KINDS)}
    index.group_table_ = {}
    index.skill_labels_ = _skill_labels(f.skills)


def _first_seen(columns: list[pd.Series]) -> pd.Index:
    """The distinct non-null values of ``columns`` in order of first appearance, as one concatenation would give.

    Each column is made distinct first: concatenating the million-row columns whole held every value twice.
    """
    parts = [pd.Series(pd.unique(column.dropna()), dtype=column.dtype) for column in columns]
    return pd.Index(pd.unique(pd.concat(parts, ignore_index=True)))


def vacancy_skill_matrix(index: MatchIndex, vacancy_skills: pd.DataFrame, rows: pd.Index) -> sp.csr_matrix:
    """Vacancies × skills coded 1.0 (essential) or 2.0 (optional), see :mod:`matching.sides`."""
    code = np.where(vacancy_skills["essential"].astype(bool), ESSENTIAL, OPTIONAL)
    return to_sparse(vacancy_skills.assign(code=code), row="vacancy_id", col="skill_id", value="code",
                     rows=rows, cols=index.skill_index_)


def fit_profiles(index: MatchIndex, occupation_skills: pd.DataFrame) -> None:
    """Occupations × skills, idf-weighted (optional skills at ``optional_weight``), rows of unit length."""
    weight = np.where(occupation_skills["essential"].astype(bool), 1.0, index.optional_weight)
    matrix = to_sparse(occupation_skills.assign(weight=weight), row="occupation_id", col="skill_id",
                       value="weight", rows=index.occupation_index_, cols=index.skill_index_)
    matrix = (matrix @ sp.diags(index.idf_)).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    index.occupation_profiles_ = (sp.diags((1.0 / norms).astype(np.float32)) @ matrix).tocsr().astype(np.float32)
    index._profiles_t = index.occupation_profiles_.T.tocsr()
    essential = occupation_skills[occupation_skills["essential"].astype(bool)]
    index.occupation_essential_ = to_sparse(essential.assign(one=1.0), row="occupation_id", col="skill_id",
                                            value="one", rows=index.occupation_index_,
                                            cols=index.skill_index_).astype(np.float32)


def fit_text(index: MatchIndex, vacancy_texts: Iterable[str], candidate_texts: Iterable[str],
             n_vacancies: int, n_candidates: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """TF-IDF of both sides in one vocabulary (idf over vacancies and candidates together).

    The texts may be generators (read once: a million texts held as one list were a large part of the build's
    peak); the two sides are row ranges of one matrix, sharing its arrays.
    """
    index.text_vectorizer_ = TfidfVectorizer(
        analyzer=text_terms, min_df=index.text_min_df, max_df=index.text_max_df, sublinear_tf=True, dtype=np.float32
    )
    documents = itertools.chain(vacancy_texts, candidate_texts)
    try:
        both = index.text_vectorizer_.fit_transform(documents).astype(np.float32, copy=False).tocsr()
    except ValueError:  # no words at all (an empty index): the text part is then zero everywhere
        index.text_vectorizer_ = None
        both = sp.csr_matrix((n_vacancies + n_candidates, 0), dtype=np.float32)
    return _row_range(both, 0, n_vacancies), _row_range(both, n_vacancies, both.shape[0])


def _row_range(matrix: sp.csr_matrix, start: int, stop: int) -> sp.csr_matrix:
    """Rows ``start:stop`` of ``matrix`` as a matrix sharing its data and indices (no copy)."""
    lo, hi = matrix.indptr[start], matrix.indptr[stop]
    return sp.csr_matrix((matrix.data[lo:hi], matrix.indices[lo:hi], matrix.indptr[start:stop + 1] - lo),
                         shape=(stop - start, matrix.shape[1]), copy=False)


def texts(index: MatchIndex, values: list[str]) -> sp.csr_matrix:
    """TF-IDF rows of ``values`` in the fitted vocabulary."""
    if index.text_vectorizer_ is None:
        return sp.csr_matrix((len(values), 0), dtype=np.float32)
    return index.text_vectorizer_.transform(values).astype(np.float32).tocsr()


def refresh_language_bounds(index: MatchIndex) -> None:
    """Highest level any vacancy requires and lowest any candidate has, per language.

    Lets a query skip every language nobody can fail (most candidates speak Latvian).
    """
    pad_languages(index, len(index.languages_))
    index.max_required_ = index.vacancies_.languages.max(axis=0, initial=0)
    index.min_level_ = index.candidates_.languages.min(axis=0, initial=127)


def pad_languages(index: MatchIndex, n: int) -> None:
    """Widen both sides' language matrices to ``n`` languages (a new code seen in a frame or an upsert)."""
    for name in ("vacancies_", "candidates_"):
        side = getattr(index, name, None)
        if side is not None and side.languages.shape[1] < n:
            side.languages = np.pad(side.languages, ((0, 0), (0, n - side.languages.shape[1])))


def vacancy_side(index: MatchIndex, f: MatchFrames, rows: pd.Index, matrix: sp.csr_matrix,
                 text: sp.csr_matrix) -> Side:
    """The vacancy side of ``f``: skills as coded by :func:`vacancy_skill_matrix`, attributes and skill masses."""
    v = f.vacancies
    languages = language_matrix(f.vacancy_languages, "vacancy_id", rows, index.languages_)
    essential_mass, optional_mass, norm = _skill_masses(index, matrix)
    contract = v["contract_kind"].map(lambda k: index.contract_codes_.setdefault(k, len(index.contract_codes_)))
    attrs = {
        "town": _positions(index.town_index_, v["town_id"]),
        "occupation": _positions(index.occupation_index_, v["occupation_id"]),
        "employer": v["employer_id"].to_numpy(object),
        "title": v["title"].fillna("").astype(str).to_numpy(object),
        "group": group_codes(v["employer_id"].tolist(), v["title"].tolist(), index.group_table_),
        "hours": v["hours"].map(lambda h: 1 << HOURS.index(h) if h in HOURS else 0).to_numpy(np.int8),
        "contract": contract.to_numpy(np.int16),
        "min_education": v["min_education"].fillna(0).to_numpy(np.int8),
        "min_age": v["min_age"].fillna(0).to_numpy(np.int16),
        "remote": (v["work_arrangement"] == "remote").to_numpy(bool) if "work_arrangement" in v else np.zeros(len(v), bool),
        "essential_mass": essential_mass, "optional_mass": optional_mass, "norm": norm,
    }
    pad_languages(index, len(index.languages_))
    return Side(ids=list(rows), skills=matrix, text=text, languages=languages, attrs=attrs,
                alive=np.ones(len(rows), bool))


def _skill_masses(index: MatchIndex, matrix: sp.csr_matrix,
                  chunk: int = 1 << 16) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per vacancy: idf mass of its essential and of its optional skills, and the norm of its weighted skills.

    In blocks of rows: the per-entry temporaries of all rows at once (about 40 bytes an entry) were half a
    gigabyte at a million vacancies. A row never spans two blocks, so every sum adds the same numbers in the
    same order as one pass would.
    """
    n = matrix.shape[0]
    sums = np.zeros((3, n))
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        lo, hi = matrix.indptr[start], matrix.indptr[stop]
        entry_row = np.repeat(np.arange(stop - start), np.diff(matrix.indptr[start:stop + 1]))
        entry_idf = index.idf_[matrix.indices[lo:hi]]
        essential = matrix.data[lo:hi] < 1.5
        weight = entry_idf * np.where(essential, 1.0, index.optional_weight)
        sums[0, start:stop] = np.bincount(entry_row, entry_idf * essential, stop - start)
        sums[1, start:stop] = np.bincount(entry_row, entry_idf * ~essential, stop - start)
        sums[2, start:stop] = np.bincount(entry_row, weight ** 2, stop - start)
    return sums[0].astype(np.float32), sums[1].astype(np.float32), np.sqrt(sums[2]).astype(np.float32)


def candidate_side(index: MatchIndex, f: MatchFrames, text: sp.csr_matrix) -> Side:
    """The candidate side of ``f``: held skills (codes 2–5) plus related credit, attributes, occupation affinity."""
    c = f.candidates
    rows = pd.Index(c["candidate_id"])
    held = to_sparse(f.candidate_skills.assign(code=f.candidate_skills["level"].clip(1, 4) + 1.0),
                     row="candidate_id", col="skill_id", value="code", rows=rows, cols=index.skill_index_)
    history = experience_matrix(index, f.candidate_occupations, rows)
    skills = with_related_credit(index, held, implied=implied_by_experience(index, history))
    credit, _, _ = decode_candidate_entries(skills.data)
    entry_row = np.repeat(np.arange(len(rows)), np.diff(skills.indptr))
    norm = np.sqrt(np.bincount(entry_row, (index.idf_[skills.indices] * credit) ** 2, len(rows)))
    occupations = _occupation_affinity(index, f.candidate_occupations, rows)
    contract_kinds = c["contract_kinds"] if "contract_kinds" in c else pd.Series([[]] * len(c), index=c.index)
    attrs = {
        "town": _positions(index.town_index_, c["town_id"]),
        "commute": c["max_commute_km"].fillna(0).to_numpy(np.float32),
        "relocate": c["willing_to_relocate"].fillna(False).astype(bool).to_numpy(),
        "education": c["education"].fillna(0).to_numpy(np.int8),
        "age": check_ages(c["age"]),
        "hours": c["available_hours"].map(hours_mask).to_numpy(np.int8),
        "contracts": contract_kinds.map(lambda ks: code_mask(ks, index.contract_codes_)).to_numpy(np.int64),
        "has_preference": np.diff(occupations.indptr) > 0,
        "norm": norm.astype(np.float32),
    }
    languages = language_matrix(f.candidate_languages, "candidate_id", rows, index.languages_)
    pad_languages(index, len(index.languages_))
    return Side(ids=list(rows), skills=skills, text=text, languages=languages, attrs=attrs,
                alive=np.ones(len(rows), bool), extra={"occupations": occupations, "history": history})


def experience_matrix(index: MatchIndex, links: pd.DataFrame, rows: pd.Index) -> sp.csr_matrix:
    """Candidates × occupations: 1 where the work history holds the occupation for ``experience_min_years`` or
    more (years not stated: counted)."""
    years = pd.to_numeric(links["years"], errors="coerce") if "years" in links else pd.Series(np.nan, links.index)
    worked = links[(links["kind"] == "history") & ~(years < index.experience_min_years)]
    return to_sparse(worked.assign(one=1.0).drop_duplicates(["candidate_id", "occupation_id"]), row="candidate_id",
                     col="occupation_id", value="one", rows=rows, cols=index.occupation_index_).astype(np.float32)


def implied_by_experience(index: MatchIndex, history: sp.csr_matrix) -> sp.csr_matrix:
    """Candidates × skills: ``experience_credit`` for the essential skills of the occupations they worked in."""
    implied = (history @ index.occupation_essential_).tocsr()
    implied.data[:] = index.experience_credit
    implied.eliminate_zeros()
    return implied.astype(np.float32)


def with_related_credit(index: MatchIndex, held: sp.csr_matrix, *, implied: sp.csr_matrix | None = None,
                        chunk: int = 4096) -> sp.csr_matrix:
    """Held skills (codes 2–5) plus partial credit: ``experience_credit`` for the ``implied`` skills (those of the
    occupations one worked in, not stated), at most ``related_credit`` for the neighbours of held skills.

    Done in row chunks: the uncapped product has ~20 neighbours per held skill, which for
    50k candidates would be the largest allocation of the whole build.
    """
    parts = []
    for start in range(0, held.shape[0], chunk):
        block = held[start:start + chunk]
        binary = block.copy()
        binary.data[:] = 1.0
        related = (binary @ index.skill_relations_).tocsr()
        related.data = np.minimum(related.data, index.related_credit).astype(np.float32)
        related = related - related.multiply(binary)  # a held skill needs no partial credit
        related.eliminate_zeros()
        related = _top_per_row(related.tocsr(), index.max_related)
        if implied is not None and implied.nnz:
            related = related.maximum(implied[start:start + chunk])
        parts.append(block.maximum(related).tocsr().astype(np.float32))
    if not parts:
        return held.astype(np.float32)
    return sp.vstack(parts, format="csr").astype(np.float32)


def _occupation_affinity(index: MatchIndex, links: pd.DataFrame, rows: pd.Index) -> sp.csr_matrix:
    """Candidates × occupations: targets 1, history ``history_credit``, similar ones partly."""
    frame = pd.DataFrame({
        "r": rows.get_indexer(links["candidate_id"]),
        "c": index.occupation_index_.get_indexer(links["occupation_id"]),
        "credit": np.where(links["kind"] == "target", 1.0, index.history_credit),
    })
    best = frame[(frame["r"] >= 0) & (frame["c"] >= 0)].groupby(["r", "c"])["credit"].max().reset_index()
    direct = sp.csr_matrix((best["credit"].to_numpy(np.float32), (best["r"].to_numpy(), best["c"].to_numpy())),
                           shape=(len(rows), len(index.occupation_index_)))
    similar = (direct @ index.occupation_relations_).tocsr()
    similar.data = np.minimum(similar.data, index.occupation_credit).astype(np.float32)
    return direct.maximum(similar).tocsr().astype(np.float32)


def _positions(universe: pd.Index, values: pd.Series) -> np.ndarray:
    return universe.get_indexer(values).astype(np.int32)


def _top_per_row(matrix: sp.csr_matrix, n: int) -> sp.csr_matrix:
    """Keep the ``n`` largest entries of every row (ties: lower column first)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = np.lexsort((matrix.indices, -matrix.data, rows))
    rank = np.arange(len(order)) - np.repeat(matrix.indptr[:-1], np.diff(matrix.indptr))
    keep = order[rank < n]
    return sp.csr_matrix((matrix.data[keep], (rows[keep], matrix.indices[keep])), shape=matrix.shape)


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
