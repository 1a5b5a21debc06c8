"""Distances between towns: road kilometres where known, otherwise great-circle × a detour factor."""
from __future__ import annotations

import math

from django.db.models import Q

from careers.models import Town, TownDistance

EARTH_RADIUS_KM = 6371.0088
# Roads are rarely straight: in Latvia's sourced pairs road km / great-circle km is about 1.2–1.4.
DETOUR_FACTOR = 1.3


def great_circle_km(*, lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def estimated_road_km(a: Town, b: Town) -> float:
    """Great-circle distance × DETOUR_FACTOR: the fallback where no road distance is stored."""
    return DETOUR_FACTOR * great_circle_km(lat1=a.latitude, lon1=a.longitude, lat2=b.latitude, lon2=b.longitude)


def distances_from(*, town: Town) -> dict[int, float]:
    """Kilometres from ``town`` to every town (itself 0): stored road distance first, else the estimate."""
    towns = list(Town.objects.only("id", "latitude", "longitude"))
    result = {other.id: (0.0 if other.id == town.id else estimated_road_km(town, other)) for other in towns}
    pairs = TownDistance.objects.filter(Q(from_town=town) | Q(to_town=town)).values_list(
        "from_town_id", "to_town_id", "road_km"
    )
    for from_id, to_id, road_km in pairs:
        result[to_id if from_id == town.id else from_id] = float(road_km)
    return result


def town_ids_within(*, town: Town, radius_km: float) -> list[int]:
    """Ids of the towns at most ``radius_km`` from ``town`` (road where known), ``town`` included."""
    return [town_id for town_id, km in distances_from(town=town).items() if km <= radius_km]
