"""What every part of the demo shares: the seed, the curated fixtures, seeded draws and Latvian place names."""
from __future__ import annotations

import datetime as dt
import json
import random
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from careers.models import CefrLevel, EducationLevel

SEED = 2026
FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
KURZEME = {"Ventspils", "Kuldīga", "Talsi", "Liepāja"}
EDUCATION = {
    "none": EducationLevel.NONE, "basic": EducationLevel.BASIC, "secondary": EducationLevel.SECONDARY,
    "short_cycle": EducationLevel.SHORT_CYCLE, "bachelor": EducationLevel.BACHELOR, "master": EducationLevel.MASTER,
}
CEFR = {label: value for value, label in CefrLevel.choices}
# Latvian needs the town in the locative ("in Valmiera") and genitive ("a Valmiera company") in running text.
TOWN_LOCATIVE = {
    "Valmiera": "Valmierā", "Ventspils": "Ventspilī", "Rīga": "Rīgā", "Cēsis": "Cēsīs", "Kuldīga": "Kuldīgā",
    "Talsi": "Talsos", "Smiltene": "Smiltenē", "Limbaži": "Limbažos", "Valka": "Valkā", "Liepāja": "Liepājā",
}
TOWN_GENITIVE = {
    "Valmiera": "Valmieras", "Ventspils": "Ventspils", "Rīga": "Rīgas", "Cēsis": "Cēsu", "Kuldīga": "Kuldīgas",
    "Talsi": "Talsu", "Smiltene": "Smiltenes", "Limbaži": "Limbažu", "Valka": "Valkas", "Liepāja": "Liepājas",
}


@cache
def fixture(name: str) -> dict[str, Any]:
    with open(FIXTURES_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def section_rng(section: str) -> random.Random:
    # One stream per section: changing the plan of one section never reshuffles another.
    return random.Random(f"{SEED}:{section}")


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def first_mostly(rng: random.Random, options: list[str], first: float = 0.65) -> str:
    if len(options) == 1 or rng.random() < first:
        return options[0]
    return rng.choice(options[1:])


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
