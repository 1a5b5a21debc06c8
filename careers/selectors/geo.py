"""Distances between towns for the ORM side: the one rule lives in matching.geo (road km where known,
otherwise great-circle × matching.geo.ROAD_FACTOR); this module only feeds it towns from the database."""
from __future__ import annotations

import pandas as pd

from careers.frames import town_distances_frame, towns_frame
from careers.models import Town
from matching import geo as matching_geo

DETOUR_FACTOR = matching_geo.ROAD_FACTOR


def great_circle_km(*, lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres between two points given in degrees."""
    return float(matching_geo.great_circle_km(lat1, lon1, lat2, lon2))


def estimated_road_km(a: Town, b: Town) -> float:
    """Great-circle distance × DETOUR_FACTOR: the fallback where no road distance is stored."""
    return DETOUR_FACTOR * great_circle_km(lat1=a.latitude, lon1=a.longitude, lat2=b.latitude, lon2=b.longitude)


def distances_from(*, town: Town) -> dict[int, float]:
    """Kilometres from ``town`` to every town (itself 0): stored road distance first, else the estimate."""
    towns: pd.DataFrame = towns_frame()
    ids, matrix = matching_geo.distance_matrix(towns, town_distances_frame())
    row = matrix[ids.get_loc(town.id)]
    return {int(town_id): float(row[i]) for i, town_id in enumerate(ids)}


def town_ids_within(*, town: Town, radius_km: float) -> list[int]:
    """Ids of the towns at most ``radius_km`` from ``town`` (road where known), ``town`` included."""
    return [town_id for town_id, km in distances_from(town=town).items() if km <= radius_km]
