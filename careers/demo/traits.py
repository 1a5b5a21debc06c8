"""What a generated person is made of, drawn: skills, languages, RIASEC answers, and the texts about them."""
from __future__ import annotations

import random
import re
from decimal import Decimal
from typing import Any

from careers.models import CefrLevel, Occupation

from .common import KURZEME
from .reference import Reference

_GENDER_FORM = re.compile(r"\{([^{}|]+)\|([^{}|]+)\}")


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def fill(text: str, gender: str, values: dict[str, Any]) -> str:
    text = _GENDER_FORM.sub(lambda m: m.group(2) if gender == "female" else m.group(1), text)
    return text.format_map(_Blank(values))


def years_text(years: Decimal, english: bool = False) -> str:
    # Latvian writes decimals with a comma: "3,5 gadi".
    text = str(int(years)) if years == int(years) else str(years)
    return text if english else text.replace(".", ",")


def same_region(studies: str, town: str) -> bool:
    in_kurzeme = any(word in studies for word in ("Ventspil",))
    in_vidzeme = any(word in studies for word in ("Valmier", "Vidzem"))
    return not (in_kurzeme and town not in KURZEME) and not (in_vidzeme and town in KURZEME)


def is_english(text: str) -> bool:
    return any(word in text for word in ("University", "year", "School"))


def riasec_answers(rng: random.Random, high: str) -> dict[str, float]:
    values = {}
    for letter in "riasec":
        base = rng.gauss(5.6, 0.7) if letter.upper() in high else rng.gauss(3.0, 0.9)
        values[f"riasec_{letter}"] = round(min(7.0, max(1.0, base)), 1)
    return values


def skills_for(
    rng: random.Random, ref: Reference, occupations: list[Occupation], k: int, levels: tuple[int, int]
) -> dict[int, int]:
    """``k`` skills of someone trained or working in ``occupations``: the trade's core first (what the local
    programmes leading there teach), then its other essential skills, then optional ones; plus 0–2 unrelated."""
    pool: list[int] = []
    for occupation in occupations:
        core = ref.taught.get(occupation.pk, set())
        essential = ref.essential.get(occupation.pk, [])
        ordered = [sid for sid in essential if sid in core] + [sid for sid in essential if sid not in core]
        pool += [sid for sid in ordered if sid not in pool]
    for occupation in occupations:
        pool += [sid for sid in ref.optional.get(occupation.pk, []) if sid not in pool]
    chosen = pool[: max(k * 2, k)]
    chosen = rng.sample(chosen, k=min(k, len(chosen)))
    skills = {sid: rng.randint(*levels) for sid in chosen}
    # Noise: people know things outside their trade.
    for sid in rng.sample(ref.all_skill_ids, k=min(len(ref.all_skill_ids), rng.randint(0, 2))):
        skills.setdefault(sid, rng.randint(1, 2))
    return skills


def languages_for(rng: random.Random, age: int, russian: bool) -> dict[str, int]:
    if russian:
        languages = {"ru": CefrLevel.C2, "lv": rng.choice([CefrLevel.B1, CefrLevel.B2, CefrLevel.C1])}
    else:
        languages = {"lv": CefrLevel.C2}
        if age >= 35 and rng.random() < 0.65:
            languages["ru"] = rng.choice([CefrLevel.A2, CefrLevel.B1, CefrLevel.B2])
    if age < 30:
        languages["en"] = rng.choice([CefrLevel.B1, CefrLevel.B2, CefrLevel.B2, CefrLevel.C1])
    elif age < 46:
        languages["en"] = rng.choice([CefrLevel.A2, CefrLevel.B1, CefrLevel.B2])
    elif rng.random() < 0.6:
        languages["en"] = rng.choice([CefrLevel.A1, CefrLevel.A2, CefrLevel.B1])
    if rng.random() < 0.06:
        languages["de"] = rng.choice([CefrLevel.A2, CefrLevel.B1])
    return languages


def counsellor_key(spec: str | None, town: str) -> str | None:
    if spec == "municipality_local":
        return "municipality_ventspils" if town in KURZEME else "municipality_valmiera"
    return spec
