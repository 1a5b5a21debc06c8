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
from .sparse import replace_row
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
    """Rows of one side; ``attrs`` arrays all have one entry per row."""

    ids: list
    skills: sp.csr_matrix
    text: sp.csr_matrix
    languages: np.ndarray
    attrs: dict[str, np.ndarray]
    alive: np.ndarray
    position: dict = field(default_factory=dict)
    skills_t: sp.csr_matrix | None = None
    text_t: sp.csr_matrix | None = None
    extra: dict[str, sp.csr_matrix] = field(default_factory=dict)
    extra_t: dict[str, sp.csr_matrix] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Own, writable copies: arrays straight from pandas may be read-only views (copy-on-write).
        self.attrs = {name: np.array(values) for name, values in self.attrs.items()}
        self.languages = np.array(self.languages)
        self.alive = np.array(self.alive)
        self.position = {item: row for row, item in enumerate(self.ids)}
        self.refresh_transposes()

    def __len__(self) -> int:
        return len(self.ids)

    def refresh_transposes(self) -> None:
        """Rebuild the items-as-columns copies (O(nnz), done after every change)."""
        self.skills_t = self.skills.T.tocsr()
        self.text_t = self.text.T.tocsr()
        self.extra_t = {name: m.T.tocsr() for name, m in self.extra.items()}

    def put(self, item, *, skills: tuple, text: sp.csr_matrix, languages: np.ndarray, attrs: dict,
            extra: dict[str, tuple] | None = None) -> int:
        """Insert or replace one item in place; returns its row."""
        row = self.position.get(item, len(self.ids))
        if row == len(self.ids):
            self.ids.append(item)
            self.position[item] = row
            self.languages = np.vstack([self.languages, languages[None, :]])
            self.alive = np.append(self.alive, True)
            for name, value in attrs.items():
                self.attrs[name] = np.append(self.attrs[name], np.asarray([value], dtype=self.attrs[name].dtype))
        else:
            self.languages[row] = languages
            self.alive[row] = True
            for name, value in attrs.items():
                self.attrs[name][row] = value
        self.skills = replace_row(self.skills, row, *skills)
        self.text = replace_row(self.text, row, text.indices, text.data)
        for name, (columns, data) in (extra or {}).items():
            self.extra[name] = replace_row(self.extra[name], row, columns, data)
        self.refresh_transposes()
        return row

    def resize_skills(self, n_skills: int) -> None:
        """Make room for skills added to the index after fit."""
        self.skills.resize((self.skills.shape[0], n_skills))
        self.skills_t = self.skills.T.tocsr()

    def resize_columns(self, name: str, n_columns: int) -> None:
        self.extra[name].resize((self.extra[name].shape[0], n_columns))
        self.extra_t[name] = self.extra[name].T.tocsr()


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
