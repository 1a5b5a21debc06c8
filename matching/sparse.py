"""Small sparse-matrix helpers shared by the index: build, gather, idf, top-k."""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["gather_rows", "idf", "replace_row", "to_sparse", "top_k_indices"]


def to_sparse(
    frame: pd.DataFrame, *, row: str, col: str, value: str | None, rows: pd.Index, cols: pd.Index
) -> sp.csr_matrix:
    """A float32 CSR matrix of ``frame[value]`` at (``rows``, ``cols``) positions of its ids.

    Ids not in ``rows``/``cols`` are dropped; duplicates keep the last value.
    """
    r = rows.get_indexer(frame[row])
    c = cols.get_indexer(frame[col])
    keep = (r >= 0) & (c >= 0)
    data = np.ones(int(keep.sum()), np.float32) if value is None else frame[value].to_numpy(np.float32)[keep]
    coo = pd.DataFrame({"r": r[keep], "c": c[keep], "d": data}).drop_duplicates(["r", "c"], keep="last")
    return sp.csr_matrix(
        (coo["d"].to_numpy(np.float32), (coo["r"].to_numpy(), coo["c"].to_numpy())), shape=(len(rows), len(cols))
    )


def idf(matrix: sp.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency of every column: ``log((1 + n) / (1 + df)) + 1``."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return (np.log((1 + matrix.shape[0]) / (1 + df)) + 1).astype(np.float32)


def gather_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All entries of ``matrix[rows]`` without building a new matrix.

    Returns
    -------
    position : ndarray
        For each entry, the position in ``rows`` it came from.
    columns, data : ndarray
        The entries' column indices and values.

    Scoring one query against every item is then ``np.bincount(columns, weights)``: the work
    is proportional to the entries touched, not to the number of items.
    """
    starts = matrix.indptr[rows]
    lengths = matrix.indptr[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.float32)
    position = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths) + np.repeat(starts, lengths)
    return position, matrix.indices[offsets], matrix.data[offsets]


def replace_row(matrix: sp.csr_matrix, row: int, columns: np.ndarray, data: np.ndarray) -> sp.csr_matrix:
    """``matrix`` with row ``row`` replaced (or appended when ``row == n_rows``); O(nnz)."""
    n_rows, n_cols = matrix.shape
    order = np.argsort(columns, kind="stable")
    columns, data = np.asarray(columns)[order].astype(matrix.indices.dtype), np.asarray(data, np.float32)[order]
    lo = matrix.indptr[row] if row < n_rows else matrix.indptr[-1]
    hi = matrix.indptr[row + 1] if row < n_rows else matrix.indptr[-1]
    indices = np.concatenate([matrix.indices[:lo], columns, matrix.indices[hi:]])
    values = np.concatenate([matrix.data[:lo], data, matrix.data[hi:]])
    lengths = np.diff(matrix.indptr)
    if row < n_rows:
        lengths[row] = len(columns)
    else:
        lengths = np.append(lengths, len(columns))
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(matrix.indptr.dtype)
    return sp.csr_matrix((values, indices, indptr), shape=(max(n_rows, row + 1), n_cols))


def top_k_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest finite scores, best first (ties: lower index first).

    Ties are broken by index also at the cut: of a run of equal scores only partly in the top ``k``, the lowest
    indices are kept (``argpartition`` alone would keep arbitrary ones).
    """
    finite = np.flatnonzero(np.isfinite(scores))
    if len(finite) > k:
        values = scores[finite]
        cut = np.partition(values, len(values) - k)[len(values) - k]
        tied = finite[values == cut]
        above = finite[values > cut]
        finite = np.concatenate([above, tied[: k - len(above)]])
    return finite[np.lexsort((finite, -scores[finite]))]
