"""Distances between towns: known road kilometres, else great-circle × 1.3."""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ROAD_FACTOR", "distance_matrix", "great_circle_km"]

# Roads wind: in Latvia the ratio of road to straight-line distance between the towns we
# have both for is about 1.2–1.35 (see the shared distances.csv); 1.3 is the usual rule.
ROAD_FACTOR = 1.3
EARTH_RADIUS_KM = 6371.0


def great_circle_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance in km (broadcasts)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def distance_matrix(towns: pd.DataFrame, distances: pd.DataFrame | None = None) -> tuple[pd.Index, np.ndarray]:
    """Road distance between every pair of towns.

    Parameters
    ----------
    towns : DataFrame
        ``town_id, latitude, longitude``.
    distances : DataFrame, optional
        ``from_town_id, to_town_id, road_km``: known road distances (either direction).

    Returns
    -------
    town_ids : Index
        Row/column order of the matrix.
    matrix : ndarray, shape (n_towns + 1, n_towns + 1), float32
        Kilometres; the extra last row and column are NaN and stand for an unknown town
        (index -1), so a lookup with -1 yields "unknown" instead of an error.
    """
    ids = pd.Index(towns["town_id"])
    lat = towns["latitude"].to_numpy(float)
    lon = towns["longitude"].to_numpy(float)
    n = len(ids)
    matrix = np.full((n + 1, n + 1), np.nan, dtype=np.float32)
    matrix[:n, :n] = ROAD_FACTOR * great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    np.fill_diagonal(matrix[:n, :n], 0.0)
    if distances is not None and len(distances):
        a = ids.get_indexer(distances["from_town_id"])
        b = ids.get_indexer(distances["to_town_id"])
        ok = (a >= 0) & (b >= 0)
        km = distances["road_km"].to_numpy(np.float32)[ok]
        matrix[a[ok], b[ok]] = km
        matrix[b[ok], a[ok]] = km
    return ids, matrix
