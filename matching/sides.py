"""The two sides of the index — vacancies and candidates — as arrays and sparse matrices.

A :class:`Side` holds one row per item in every array and matrix, plus both orientations of
its sparse matrices: ``skills`` (items × skills) for explanations and ``skills_t`` (skills ×
items) so that scoring one query against all items touches only the query's skills' postings.

Skill-matrix entries are coded so that one matrix carries everything a score needs:

* vacancies: 1.0 = essential, 2.0 = optional;
* candidates: ``1 + proficiency`` (2–5) for a skill the candidate holds, or the partial credit
  (≤ ``related_credit`` ≤ 1) earned through a related skill they hold.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .schema import HOURS
from .sparse import LiveMatrix
from .text import normalise_title, stems

__all__ = ["CONTRACT_KINDS", "ESSENTIAL", "OPTIONAL", "Side", "decode_candidate_entries", "text_terms"]

ESSENTIAL, OPTIONAL = 1.0, 2.0
CONTRACT_KINDS = ("permanent", "fixed_term", "apprenticeship", "internship", "summer_job")
ERR_AGE = "every candidate needs an age"


def text_terms(text: str) -> list[str]:
    """Stems of ``text`` for the TF-IDF text signal (module-level, so the vectorizer pickles)."""
    return stems(text)


def decode_candidate_entries(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(credit, held exactly, proficiency 0–4) from candidate skill-matrix entries."""
    exact = data > 1.5
    return np.where(exact, 1.0, data).astype(np.float32), exact, np.where(exact, data - 1.0, 0.0).astype(np.float32)


@dataclass
class Side:
    """Rows of one side; ``attrs`` arrays all have one entry per row.

    ``skills``, ``text`` and every ``extra`` matrix are :class:`~matching.sparse.LiveMatrix` objects: read a row
    with ``.row(r)`` and the items holding some columns with ``.gather(columns)``. The arrays grow with spare
    room, so appending a row costs the row, not a copy of every array.
    """

    ids: list
    skills: sp.csr_matrix | LiveMatrix
    text: sp.csr_matrix | LiveMatrix
    languages: np.ndarray
    attrs: dict[str, np.ndarray]
    alive: np.ndarray
    position: dict = field(default_factory=dict)
    extra: dict[str, sp.csr_matrix | LiveMatrix] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Own, writable copies: arrays straight from pandas may be read-only views (copy-on-write).
        self.attrs = {name: np.array(values) for name, values in self.attrs.items()}
        self.languages = np.array(self.languages)
        self.alive = np.array(self.alive)
        self.position = {item: row for row, item in enumerate(self.ids)}
        self.skills, self.text = _live(self.skills), _live(self.text)
        self.extra = {name: _live(m) for name, m in self.extra.items()}
        self._room: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def put(self, item, *, skills: tuple, text: tuple, languages: np.ndarray, attrs: dict,
            extra: dict[str, tuple] | None = None) -> int:
        """Insert or replace one item in place; returns its row. Costs the row (and the matrices' deltas)."""
        row = self.position.get(item, len(self.ids))
        if row == len(self.ids):
            self.ids.append(item)
            self.position[item] = row
            self.languages = self._appended("languages", self.languages, languages)
            self.alive = self._appended("alive", self.alive, True)
            for name, value in attrs.items():
                self.attrs[name] = self._appended(name, self.attrs[name], value)
        else:
            self.languages[row] = languages
            self.alive[row] = True
            for name, value in attrs.items():
                self.attrs[name][row] = value
        self.skills.put(row, *skills)
        self.text.put(row, *text)
        for name, (columns, data) in (extra or {}).items():
            self.extra[name].put(row, columns, data)
        return row

    def resize_skills(self, n_skills: int) -> None:
        """Make room for skills added to the index after fit."""
        self.skills.resize_columns(n_skills)

    def resize_columns(self, name: str, n_columns: int) -> None:
        self.extra[name].resize_columns(n_columns)

    def _appended(self, name: str, array: np.ndarray, value) -> np.ndarray:
        """``array`` with ``value`` appended along the first axis, as a view of a buffer with spare room."""
        n = len(array)
        room = self._room.get(name)
        if room is None or array.base is not room or len(room) <= n:
            room = np.empty((n + n // 4 + 16, *array.shape[1:]), dtype=array.dtype)
            room[:n] = array
            self._room[name] = room
        room[n] = value
        return room[: n + 1]


def _live(matrix) -> LiveMatrix:
    return matrix if isinstance(matrix, LiveMatrix) else LiveMatrix(matrix)


def group_codes(employers: list, titles: list, table: dict) -> np.ndarray:
    """Diversity group of every vacancy: (employer, normalised title) as an int, codes kept in ``table``."""
    out = np.empty(len(titles), dtype=np.int64)
    for i, (employer, title) in enumerate(zip(employers, titles)):
        out[i] = table.setdefault((employer, normalise_title(str(title))), len(table))
    return out


def hours_mask(values) -> int:
    """Bit mask of the hours kinds in ``values`` (empty or None = any)."""
    mask = 0
    for value in values if isinstance(values, (list, tuple, set, np.ndarray)) else []:
        if value in HOURS:
            mask |= 1 << HOURS.index(value)
    return mask or (1 << len(HOURS)) - 1


def code_mask(values, codes: dict) -> int:
    """Bit mask of the codes of ``values`` (0 = no preference)."""
    mask = 0
    for value in values if isinstance(values, (list, tuple, set, np.ndarray)) else []:
        mask |= 1 << codes.setdefault(value, len(codes))
    return mask


def language_matrix(frame: pd.DataFrame, id_column: str, rows: pd.Index, languages: dict) -> np.ndarray:
    """Items × languages levels (int8, 0 = none); unknown language codes get a new column."""
    for code in frame["language"].unique().tolist():
        languages.setdefault(code, len(languages))
    out = np.zeros((len(rows), len(languages)), dtype=np.int8)
    r = rows.get_indexer(frame[id_column])
    c = frame["language"].map(languages).to_numpy(int)
    ok = r >= 0
    np.maximum.at(out, (r[ok], c[ok]), frame["level"].to_numpy(np.int8)[ok])
    return out


def check_ages(ages: pd.Series) -> np.ndarray:
    if ages.isna().any():
        raise ValueError(ERR_AGE)
    return ages.to_numpy(np.int16)
