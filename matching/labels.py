"""Taxonomy label frames: the wide concept frame (one row per concept) as a long label list.

Concept frames mirror the model's ``LabelledConcept``: an id column, ``uri``, ``label_en``,
``label_lv``, ``alt_labels_en``, ``alt_labels_lv`` (lists of str) and optionally
``hidden_labels_en``/``hidden_labels_lv`` (known misspellings: matched, never shown). Missing
label columns are treated as empty, so an English-only ESCO frame works as well as the demo set.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .text import stems

__all__ = ["LABEL_COLUMNS", "concept_labels", "display_label", "stem_matrix"]

# (column, language, kind); kind 0 = preferred, 1 = alternative, 2 = hidden.
LABEL_COLUMNS = (
    ("label_lv", "lv", 0), ("label_en", "en", 0),
    ("alt_labels_lv", "lv", 1), ("alt_labels_en", "en", 1),
    ("hidden_labels_lv", "lv", 2), ("hidden_labels_en", "en", 2),
)
ERR_NO_ID = "the concept frame needs a {column!r} column"
ERR_NO_LABELS = "the concept frame has no label columns (label_en, label_lv, alt_labels_en, ...)"


def _as_list(value) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [v for v in value if isinstance(v, str) and v.strip()]


def concept_labels(concepts: pd.DataFrame, *, id_column: str) -> pd.DataFrame:
    """Explode a wide concept frame into one row per (concept, label).

    Parameters
    ----------
    concepts : DataFrame
        One row per concept: ``id_column``, optional ``uri`` and the label columns of
        :data:`LABEL_COLUMNS` (strings, or lists of strings for the ``*_labels_*`` columns).
    id_column : str
        Name of the id column, e.g. ``"skill_id"``.

    Returns
    -------
    DataFrame
        Columns ``concept`` (row position in ``concepts``), ``label``, ``language``,
        ``kind`` (0 preferred, 1 alternative, 2 hidden); duplicates per concept removed.
    """
    if id_column not in concepts.columns:
        raise ValueError(ERR_NO_ID.format(column=id_column))
    present = [c for c in LABEL_COLUMNS if c[0] in concepts.columns]
    if not present:
        raise ValueError(ERR_NO_LABELS)
    rows_concept, rows_label, rows_lang, rows_kind = [], [], [], []
    for column, language, kind in present:
        for position, value in enumerate(concepts[column].tolist()):
            for label in _as_list(value):
                rows_concept.append(position)
                rows_label.append(label.strip())
                rows_lang.append(language)
                rows_kind.append(kind)
    frame = pd.DataFrame(
        {"concept": rows_concept, "label": rows_label, "language": rows_lang, "kind": rows_kind}
    )
    frame["_key"] = frame["label"].str.casefold()
    frame = frame.sort_values(["concept", "kind"], kind="stable").drop_duplicates(["concept", "_key"])
    return frame.drop(columns="_key").reset_index(drop=True)


def display_label(concepts: pd.DataFrame, language: str) -> np.ndarray:
    """The preferred label of every concept in ``language``, falling back to the other one."""
    other = "en" if language == "lv" else "lv"
    empty = pd.Series([""] * len(concepts), index=concepts.index, dtype=object)
    first = concepts.get(f"label_{language}", empty).fillna("").astype(str)
    second = concepts.get(f"label_{other}", empty).fillna("").astype(str)
    return np.where(first.str.len() > 0, first, second).astype(object)


def stem_matrix(
    label_stems: list[list[str]], vocabulary: dict[str, int] | None = None
) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Binary label × stem matrix (CSR, float32) and the vocabulary it used or grew."""
    vocabulary = {} if vocabulary is None else vocabulary
    indptr, indices = [0], []
    for label in label_stems:
        for s in set(label):
            indices.append(vocabulary.setdefault(s, len(vocabulary)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sp.csr_matrix(
        (data, np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(label_stems), len(vocabulary)),
    )
    return matrix, vocabulary


def label_stems(labels: pd.Series) -> list[list[str]]:
    """Stems of every label (stop words dropped unless a label is nothing else)."""
    return [stems(label) for label in labels.tolist()]
