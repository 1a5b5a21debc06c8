"""Freshness without a rebuild: upsert or remove one vacancy or candidate, and the what-if working copy.

A change costs the row and the small delta of each matrix (see :class:`~matching.sparse.LiveMatrix`), not the
whole index, and keeps the fitted idf and text vocabulary; a periodic :meth:`~matching.index.MatchIndex.fit` refreshes them.
"""
from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..schema import MatchFrames, check_columns
from ..sides import Side, decode_candidate_entries
from . import encode

if TYPE_CHECKING:
    from .estimator import MatchIndex

__all__ = ["one_candidate_with_skills", "upsert_candidate", "upsert_vacancy"]


def upsert_vacancy(index: MatchIndex, *, vacancy: dict, skills: pd.DataFrame,
                   languages: pd.DataFrame | None) -> None:
    """See :meth:`MatchIndex.upsert_vacancy`."""
    frame = pd.DataFrame([vacancy])
    check_columns(frame, "vacancies")
    vid = vacancy["vacancy_id"]
    skills = skills.assign(vacancy_id=vid)
    languages = _or_empty(languages, ("language", "level")).assign(vacancy_id=vid)
    _ensure_skills(index, skills["skill_id"])
    _ensure_occupations(index, frame["occupation_id"].dropna())
    rows = pd.Index([vid])
    matrix = encode.vacancy_skill_matrix(index, skills, rows)
    text = encode.texts(index, [f"{vacancy['title']}\n{vacancy['text']}"])
    one = encode.vacancy_side(index, _one_row(vacancies=frame, vacancy_skills=skills, vacancy_languages=languages),
                              rows, matrix, text)
    _put(index, index.vacancies_, vid, one)
    index.max_required_ = np.maximum(index.max_required_, one.languages[0])


def upsert_candidate(index: MatchIndex, *, candidate: dict, skills: pd.DataFrame, languages: pd.DataFrame | None,
                     occupations: pd.DataFrame | None) -> None:
    """See :meth:`MatchIndex.upsert_candidate`."""
    frame = pd.DataFrame([candidate])
    check_columns(frame, "candidates")
    cid = candidate["candidate_id"]
    skills = skills.assign(candidate_id=cid)
    occupations = _or_empty(occupations, ("occupation_id", "kind")).assign(candidate_id=cid)
    languages = _or_empty(languages, ("language", "level")).assign(candidate_id=cid)
    _ensure_skills(index, skills["skill_id"])
    _ensure_occupations(index, occupations["occupation_id"])
    one = encode.candidate_side(index, _one_row(
        candidates=frame, candidate_skills=skills, candidate_languages=languages, candidate_occupations=occupations,
    ), encode.texts(index, [str(candidate.get("text") or "")]))
    _put(index, index.candidates_, cid, one)
    index.min_level_ = np.minimum(index.min_level_, one.languages[0])


def one_candidate_with_skills(index: MatchIndex, *, candidate_id, c: int, skill_ids, level: int) -> Side:
    """A one-row candidate side: ``candidate_id`` (row ``c``) also holding ``skill_ids`` at ``level`` (related credit
    recomputed); skills unknown to the index are ignored (no vacancy can need them)."""
    C = index.candidates_
    held = {s: code for s, code in zip(*(a.tolist() for a in C.skills.row(c))) if code > 1.5}
    for s in index.skill_index_.get_indexer(list(skill_ids)).tolist():
        if s >= 0:
            held[s] = max(held.get(s, 0.0), 1.0 + min(max(int(level), 1), 4))
    cols = np.asarray(sorted(held), dtype=np.int32)
    row = sp.csr_matrix((np.asarray([held[s] for s in cols.tolist()], np.float32), cols,
                         np.asarray([0, len(cols)])), shape=(1, len(index.skill_index_)))
    skills = encode.with_related_credit(index, row, implied=encode.implied_by_experience(index, C.extra["history"].row_matrix(c)))
    credit = decode_candidate_entries(skills.data)[0]
    attrs = {name: values[c:c + 1] for name, values in C.attrs.items()}
    attrs["norm"] = np.asarray([np.sqrt(np.sum((index.idf_[skills.indices] * credit) ** 2))], np.float32)
    return Side(ids=[candidate_id], skills=skills, text=C.text.row_matrix(c), languages=C.languages[c:c + 1],
                attrs=attrs, alive=np.ones(1, bool), extra={name: m.row_matrix(c) for name, m in C.extra.items()})


def _put(index: MatchIndex, side: Side, item, one: Side) -> None:
    encode.pad_languages(index, len(index.languages_))
    n = len(index.languages_)
    index.max_required_ = np.pad(index.max_required_, (0, n - len(index.max_required_)))
    index.min_level_ = np.pad(index.min_level_, (0, n - len(index.min_level_)))
    one.languages = np.pad(one.languages, ((0, 0), (0, len(index.languages_) - one.languages.shape[1])))
    side.put(item, skills=one.skills.row(0), text=one.text.row(0), languages=one.languages[0],
             attrs={name: values[0] for name, values in one.attrs.items()},
             extra={name: matrix.row(0) for name, matrix in one.extra.items()})


def _ensure_skills(index: MatchIndex, skill_ids: pd.Series) -> None:
    new = pd.Index(pd.unique(skill_ids.dropna())).difference(index.skill_index_)
    if new.empty:
        return
    index.skill_index_ = index.skill_index_.append(new)
    index._skill_ids = index.skill_index_.to_numpy(object)
    n = len(index.skill_index_)
    # A skill no vacancy has used yet is as rare as a skill can be.
    index.idf_ = np.concatenate([index.idf_, np.full(len(new), index.idf_.max(initial=1.0), np.float32)])
    index.skill_relations_.resize((n, n))
    index.occupation_profiles_.resize((len(index.occupation_index_), n))
    index._profiles_t = index.occupation_profiles_.T.tocsr()
    index.occupation_essential_.resize((len(index.occupation_index_), n))
    for side in (index.vacancies_, index.candidates_):
        side.resize_skills(n)


def _ensure_occupations(index: MatchIndex, occupation_ids: pd.Series) -> None:
    new = pd.Index(pd.unique(occupation_ids.dropna())).difference(index.occupation_index_)
    if new.empty:
        return
    index.occupation_index_ = index.occupation_index_.append(new)
    n = len(index.occupation_index_)
    index.occupation_relations_.resize((n, n))
    index.occupation_profiles_.resize((n, len(index.skill_index_)))
    index._profiles_t = index.occupation_profiles_.T.tocsr()
    index.occupation_essential_.resize((n, len(index.skill_index_)))
    index.candidates_.resize_columns("occupations", n)
    index.candidates_.resize_columns("history", n)


@functools.cache
def _no_frames() -> MatchFrames:
    return MatchFrames(vacancies=None, vacancy_skills=None).checked()


def _one_row(**frames: pd.DataFrame) -> MatchFrames:
    """The frames of one upserted item, checked, the others empty.

    The empty ones are made once: building ten empty frames per upsert (``MatchFrames.checked``) cost about a
    third of an upsert. Nothing downstream modifies a frame in place.
    """
    for name, frame in frames.items():
        check_columns(frame, name)
    return dataclasses.replace(_no_frames(), **frames)


def _or_empty(frame: pd.DataFrame | None, columns: tuple) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}) if frame is None else frame
