"""Relations that give partial credit: skill–skill (taxonomy links, co-occurrence) and occupation–occupation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.preprocessing import normalize

__all__ = ["KIND_WEIGHTS", "cooccurrence_relations", "occupation_relations", "relation_matrix"]

# Credit a related skill earns toward a required one, as a share of holding the skill itself.
# Hierarchy neighbours (a narrower or broader skill) are closer than "related" cross-links;
# co-occurrence weights are further multiplied by the cosine of the two skills' occupation profiles.
KIND_WEIGHTS = {"broader": 0.5, "narrower": 0.5, "related": 0.4, "cooccurrence": 0.5, "similar": 0.6}


def relation_matrix(relations: pd.DataFrame | None, ids: pd.Index, *, id_column: str, cap: float) -> sp.csr_matrix:
    """Symmetric ``len(ids) × len(ids)`` matrix of relation weights, each at most ``cap``.

    Parameters
    ----------
    relations : DataFrame or None
        ``<id_column>, related_<id_column>`` and ``weight`` or ``kind`` (see :data:`KIND_WEIGHTS`).
    ids : Index
        The concept ids in matrix order; pairs with other ids are dropped.
    cap : float
        Upper bound of any weight.

    Returns
    -------
    csr_matrix, float32; where several relations link a pair, the strongest counts.
    """
    n = len(ids)
    if relations is None or relations.empty:
        return sp.csr_matrix((n, n), dtype=np.float32)
    a = ids.get_indexer(relations[id_column])
    b = ids.get_indexer(relations[f"related_{id_column}"])
    # An explicit weight wins; otherwise the kind's default (frames may mix both).
    by_kind = relations["kind"].map(KIND_WEIGHTS) if "kind" in relations else pd.Series(np.nan, index=relations.index)
    weight = relations["weight"] if "weight" in relations else pd.Series(np.nan, index=relations.index)
    w = weight.astype(float).fillna(by_kind.astype(float)).fillna(0).to_numpy(np.float32)
    keep = (a >= 0) & (b >= 0) & (a != b) & (w > 0)
    pairs = pd.DataFrame({
        "a": np.concatenate([a[keep], b[keep]]),
        "b": np.concatenate([b[keep], a[keep]]),
        "w": np.minimum(np.concatenate([w[keep], w[keep]]), cap),
    }).groupby(["a", "b"], sort=False)["w"].max().reset_index()
    return sp.csr_matrix((pairs["w"].to_numpy(np.float32), (pairs["a"], pairs["b"])), shape=(n, n))


def _top_similar(profiles: sp.csr_matrix, top_n: int, min_similarity: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top-n cosine neighbours of every row of ``profiles`` (rows × features)."""
    unit = normalize(profiles.astype(np.float32), norm="l2", axis=1)
    sims = (unit @ unit.T).tocsr()
    sims.setdiag(0)
    sims.eliminate_zeros()
    rows, cols, vals = [], [], []
    for r in range(sims.shape[0]):
        lo, hi = sims.indptr[r], sims.indptr[r + 1]
        if hi == lo:
            continue
        v, c = sims.data[lo:hi], sims.indices[lo:hi]
        top = np.argsort(-v, kind="stable")[:top_n]
        top = top[v[top] >= min_similarity]
        rows.extend([r] * len(top))
        cols.extend(c[top].tolist())
        vals.extend(v[top].tolist())
    return np.asarray(rows, int), np.asarray(cols, int), np.asarray(vals, np.float32)


def cooccurrence_relations(
    occupation_skills: pd.DataFrame, *, top_n: int = 10, min_similarity: float = 0.3
) -> pd.DataFrame:
    """Skills that occupations need together.

    Parameters
    ----------
    occupation_skills : DataFrame
        ``occupation_id, skill_id`` (optionally ``essential``: essential links weigh 1, optional 0.5).

    Returns
    -------
    DataFrame
        ``skill_id, related_skill_id, weight``: for each skill its ``top_n`` neighbours by cosine
        of occupation profiles, weight = ``KIND_WEIGHTS['cooccurrence'] × cosine``.
    """
    occ = pd.Index(occupation_skills["occupation_id"].unique())
    skills = pd.Index(occupation_skills["skill_id"].unique())
    w = np.where(occupation_skills.get("essential", True), 1.0, 0.5).astype(np.float32)
    w = np.broadcast_to(w, len(occupation_skills))
    m = sp.csr_matrix(
        (w, (skills.get_indexer(occupation_skills["skill_id"]), occ.get_indexer(occupation_skills["occupation_id"]))),
        shape=(len(skills), len(occ)),
    )
    r, c, v = _top_similar(m, top_n, min_similarity)
    return pd.DataFrame({"skill_id": skills[r], "related_skill_id": skills[c], "weight": KIND_WEIGHTS["cooccurrence"] * v})


def occupation_relations(
    occupation_skills: pd.DataFrame, *, top_n: int = 10, min_similarity: float = 0.3
) -> pd.DataFrame:
    """Occupations with similar skill profiles: ``occupation_id, related_occupation_id, weight``.

    Weight = ``KIND_WEIGHTS['similar'] × cosine`` of essential-weighted skill profiles.
    """
    occ = pd.Index(occupation_skills["occupation_id"].unique())
    skills = pd.Index(occupation_skills["skill_id"].unique())
    w = np.where(occupation_skills.get("essential", True), 1.0, 0.5).astype(np.float32)
    w = np.broadcast_to(w, len(occupation_skills))
    m = sp.csr_matrix(
        (w, (occ.get_indexer(occupation_skills["occupation_id"]), skills.get_indexer(occupation_skills["skill_id"]))),
        shape=(len(occ), len(skills)),
    )
    r, c, v = _top_similar(m, top_n, min_similarity)
    return pd.DataFrame({"occupation_id": occ[r], "related_occupation_id": occ[c], "weight": KIND_WEIGHTS["similar"] * v})
