"""Small sparse-matrix helpers shared by the index: build, gather, idf, top-k."""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["LiveMatrix", "gather_rows", "idf", "replace_row", "to_sparse", "top_k_indices"]


def to_sparse(
    frame: pd.DataFrame, *, row: str, col: str, value: str | None, rows: pd.Index, cols: pd.Index
) -> sp.csr_matrix:
    """A float32 CSR matrix of ``frame[value]`` at (``rows``, ``cols``) positions of its ids.

    Ids not in ``rows``/``cols`` are dropped; duplicates keep the last value.

    Built straight from int32 positions; only when there are duplicate positions (rare: the frames come from
    tables with unique pairs) does a frame drop them. The frame path held about 100 bytes per entry, over a
    gigabyte for a million vacancies' skills, the largest allocation of a build.
    """
    r = rows.get_indexer(frame[row])
    keep = r >= 0
    c = cols.get_indexer(frame[col])
    keep &= c >= 0
    r, c = r[keep].astype(np.int32), c[keep].astype(np.int32)
    data = np.ones(len(r), np.float32) if value is None else frame[value].to_numpy(np.float32)[keep]
    del keep
    shape = (len(rows), len(cols))
    matrix = sp.csr_matrix((data, (r, c)), shape=shape)  # sums duplicates: only right if there are none
    if matrix.nnz == len(r):
        return matrix
    coo = pd.DataFrame({"r": r, "c": c, "d": data}).drop_duplicates(["r", "c"], keep="last")
    return sp.csr_matrix((coo["d"].to_numpy(np.float32), (coo["r"].to_numpy(), coo["c"].to_numpy())), shape=shape)


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


class LiveMatrix:
    """An items × columns sparse matrix read by row and by column, whose rows are replaced or appended cheaply.

    The rows as of the last :meth:`compact` are a CSR matrix (``base``) and its transpose (``base_t``, the
    postings: column → rows); a row changed since lives in a small delta (``delta``, row → entries) and is
    marked stale in the base, whose entries for it every :meth:`gather` then skips. So :meth:`put` costs the row
    plus the delta, not the whole matrix and its transpose as a rebuild would (260 ms at a million vacancies).
    Row numbers never move: a replaced row keeps its number, an appended one takes the next. ``version`` counts
    the changes, for whoever derives something from the whole matrix.

    :meth:`gather` returns a row's entries in the order of the columns asked for, whichever part they come from,
    so sums over a row's entries (``np.bincount``) add the same numbers in the same order as before a change.
    """

    def __init__(self, matrix: sp.csr_matrix, *, max_delta: int = 4096):
        self.max_delta = max_delta
        self._reset(matrix.tocsr())

    def _reset(self, matrix: sp.csr_matrix) -> None:
        self.base = matrix
        self.base_t = matrix.T.tocsr()
        self.shape = matrix.shape
        self.delta: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.stale = np.zeros(matrix.shape[0], dtype=bool)
        self.n_stale = 0
        self._delta_t = None
        self.version = getattr(self, "version", -1) + 1

    @property
    def nnz(self) -> int:
        return self.base.nnz + sum(len(columns) for columns, _ in self.delta.values())

    @property
    def nbytes(self) -> int:
        total = self.stale.nbytes
        for m in (self.base, self.base_t):
            total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        return total + sum(c.nbytes + d.nbytes for c, d in self.delta.values())

    def row(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of row ``r`` (as stored: a built row may be unsorted, a put one is sorted)."""
        entries = self.delta.get(r)
        if entries is not None:
            return entries
        lo, hi = self.base.indptr[r], self.base.indptr[r + 1]
        return self.base.indices[lo:hi], self.base.data[lo:hi]

    def row_matrix(self, r: int) -> sp.csr_matrix:
        """Row ``r`` as a 1 × columns CSR matrix."""
        columns, data = self.row(r)
        return sp.csr_matrix((data, columns, np.asarray([0, len(columns)])), shape=(1, self.shape[1]))

    def put(self, r: int, columns: np.ndarray, data: np.ndarray) -> None:
        """Replace row ``r`` (or append it when ``r`` is the number of rows)."""
        if r > self.shape[0]:
            raise IndexError(r)
        order = np.argsort(columns, kind="stable")
        entries = (np.asarray(columns)[order].astype(self.base.indices.dtype),
                   np.asarray(data, np.float32)[order])
        if r == self.shape[0]:
            self.shape = (r + 1, self.shape[1])
        elif r < len(self.stale) and not self.stale[r]:
            self.stale[r] = True
            self.n_stale += 1
        self.delta[r] = entries
        self._delta_t = None
        self.version += 1
        if len(self.delta) > self.max_delta:
            self.compact()

    def gather(self, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every entry in ``columns`` as (position in ``columns``, row, value); see :func:`gather_rows`."""
        position, target, data = gather_rows(self.base_t, columns)
        if self.n_stale:
            keep = ~self.stale[target]
            if not keep.all():
                position, target, data = position[keep], target[keep], data[keep]
        if not self.delta:
            return position, target, data
        d_position, d_target, d_data = gather_rows(self._transposed_delta(), columns)
        if not len(d_target):
            return position, target, data
        return (np.concatenate([position, d_position]), np.concatenate([target, d_target]),
                np.concatenate([data, d_data]))

    def resize_columns(self, n_columns: int) -> None:
        """Make room for columns added after the build."""
        self.base.resize((self.base.shape[0], n_columns))
        self.base_t = self.base.T.tocsr()
        self.shape = (self.shape[0], n_columns)
        self._delta_t = None
        self.version += 1

    def tocsr(self) -> sp.csr_matrix:
        """The whole matrix as CSR (O(nnz))."""
        if not self.delta:
            return self.base
        n_rows, n_cols = self.shape
        lengths = np.zeros(n_rows, dtype=np.int64)
        lengths[: self.base.shape[0]] = np.diff(self.base.indptr)
        rows = np.fromiter(self.delta, dtype=np.int64, count=len(self.delta))
        lengths[rows] = [len(self.delta[r][0]) for r in rows.tolist()]
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(self.base.indptr.dtype)
        indices = np.empty(indptr[-1], dtype=self.base.indices.dtype)
        data = np.empty(indptr[-1], dtype=np.float32)
        kept = np.flatnonzero(~self.stale)
        position, columns, values = gather_rows(self.base, kept)
        at = np.repeat(indptr[kept], np.diff(self.base.indptr)[kept]) + _offsets_within(position)
        indices[at], data[at] = columns, values
        for r in rows.tolist():
            c, d = self.delta[r]
            indices[indptr[r]:indptr[r + 1]], data[indptr[r]:indptr[r + 1]] = c, d
        return sp.csr_matrix((data, indices, indptr), shape=self.shape)

    def compact(self) -> None:
        """Fold the delta into the base (O(nnz)); done when the delta outgrows ``max_delta`` rows."""
        self._reset(self.tocsr())

    def _transposed_delta(self) -> sp.csr_matrix:
        if self._delta_t is None:
            rows = sorted(self.delta)
            lengths = [len(self.delta[r][0]) for r in rows]
            columns = np.concatenate([self.delta[r][0] for r in rows]).astype(np.int64)
            data = np.concatenate([self.delta[r][1] for r in rows])
            targets = np.repeat(np.asarray(rows, dtype=np.int64), lengths)
            self._delta_t = sp.csr_matrix((data, (columns, targets)), shape=(self.shape[1], self.shape[0]))
        return self._delta_t


def _offsets_within(position: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... within each run of equal ``position`` values (runs are contiguous)."""
    if not len(position):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, position[1:] != position[:-1]])
    lengths = np.diff(np.r_[starts, len(position)])
    return np.arange(len(position)) - np.repeat(starts, lengths)
