"""Who pays for a programme, and the one-line pathway summaries in Latvian and English.

Funding rules (the cheapest applicable one is used; documented in the product README too):

``training_voucher``            registered unemployed + a voucher-eligible programme: the State
                                Employment Agency's training voucher pays everything → 0 EUR.
``state_funded_place``          the programme has state-funded (budget) places and the intake has
                                funded seats → 0 EUR; admission to such a place is competitive,
                                so the item says so (``competitive: true``).
``adult_learning_cofinancing``  employed adult (not a student) + a co-financed programme: the
                                candidate pays :data:`ADULT_LEARNING_SHARE` (10 %) of the cost,
                                the EU-funded adult-learning project the rest.
``none``                        the full cost (``cost_eur`` for the whole programme).
"""
from __future__ import annotations

import math

__all__ = ["ADULT_LEARNING_SHARE", "FUNDING", "funding_for", "mode_fit", "summary_en", "summary_lv"]

ADULT_LEARNING_SHARE = 0.10
FUNDING = ("training_voucher", "state_funded_place", "adult_learning_cofinancing", "none")

# How well a study mode fits a life situation (1 = ideal). Employed adults need evening, online,
# part-time or work-based study; pupils and students study full-time; the unemployed can do either.
MODE_FIT = {
    "employed": {"evening": 1.0, "online": 1.0, "part_time": 0.9, "dual": 0.9, "full_time": 0.3},
    "studying": {"full_time": 1.0, "dual": 1.0, "part_time": 0.7, "online": 0.7, "evening": 0.6},
    "registered_unemployed": {"full_time": 1.0, "dual": 1.0, "evening": 0.9, "online": 0.9, "part_time": 0.9},
}
DEFAULT_MODE_FIT = 0.8


def mode_fit(mode: str, employment_status: str, kind: str) -> float:
    """Fit of a study mode with the person's situation (students by kind, adults by status)."""
    status = "studying" if kind == "student" and employment_status != "employed" else employment_status
    return MODE_FIT.get(status, {}).get(mode, DEFAULT_MODE_FIT)


def funding_for(*, cost_eur: float, voucher_eligible: bool, state_funded_places: bool,
                adult_learning_cofinanced: bool, funded_seats: int, employment_status: str,
                kind: str, allowed: dict | None = None) -> dict:
    """``{"cost_after_funding_eur", "funding", "competitive"}`` for one programme intake.

    ``allowed`` (funding kind → may this person use it on this programme; see
    :func:`matching.paths.eligibility.funding_allowed`) replaces the status rules when given.
    """
    if allowed is None:
        allowed = {"training_voucher": employment_status == "registered_unemployed",
                   "adult_learning_cofinancing": employment_status == "employed" and kind != "student",
                   "state_funded_place": True}
    options = [(float(cost_eur), "none", False)]
    if voucher_eligible and allowed.get("training_voucher"):
        options.append((0.0, "training_voucher", False))
    if state_funded_places and funded_seats > 0 and allowed.get("state_funded_place"):
        options.append((0.0, "state_funded_place", True))
    if adult_learning_cofinanced and allowed.get("adult_learning_cofinancing"):
        options.append((round(float(cost_eur) * ADULT_LEARNING_SHARE, 2), "adult_learning_cofinancing", False))
    # Cheapest first; among equals prefer a non-competitive route (a voucher is certain).
    cost, funding, competitive = min(options, key=lambda o: (o[0], o[2], FUNDING.index(o[1])))
    return {"cost_after_funding_eur": round(cost, 2), "funding": funding, "competitive": competitive}


# ----------------------------------------------------------------------------- summaries

_MODE_EN = {"full_time": "full-time", "part_time": "part-time", "evening": "evening", "online": "online",
            "dual": "work-based"}
_MODE_LV = {"full_time": "pilna laika", "part_time": "nepilna laika", "evening": "vakara", "online": "tiešsaistes",
            "dual": "darba vidē balstītu"}


def _is_course(kind: str) -> bool:
    return kind in ("continuing_course", "vocational_further")


def _lv_singular(n: int) -> bool:
    """Latvian agrees a noun in the singular with numbers ending in 1 except 11 (21 vakance, 11 vakances)."""
    return n % 10 == 1 and n % 100 != 11


def _cost_en(cost: float, funding: str) -> str:
    if funding == "training_voucher":
        return "free with a training voucher"
    if funding == "state_funded_place":
        return "free on a state-funded place"
    if funding == "adult_learning_cofinancing":
        return f"EUR {cost:,.0f} with adult-learning co-financing"
    return "free" if cost == 0 else f"EUR {cost:,.0f}"


def _cost_lv(cost: float, funding: str) -> str:
    if funding == "training_voucher":
        return "bez maksas ar apmācību kuponu"
    if funding == "state_funded_place":
        return "bez maksas budžeta vietā"
    if funding == "adult_learning_cofinancing":
        return f"{cost:,.0f} EUR ar pieaugušo izglītības līdzfinansējumu".replace(",", " ")
    return "bez maksas" if cost == 0 else f"{cost:,.0f} EUR".replace(",", " ")


def _funding_of(steps: list[dict]) -> str:
    kinds = {s["funding"] for s in steps}
    return kinds.pop() if len(kinds) == 1 else "mixed"


def summary_en(steps: list[dict], unlocked: int, radius_km: float) -> str:
    """E.g. "finish this 4-month evening course (free with a training voucher) and 7 more local
    jobs within 40 km fit you". ``steps``: dicts with kind, mode, duration_months,
    cost_after_funding_eur, funding."""
    months = sum(int(s["duration_months"]) for s in steps)
    cost = sum(float(s["cost_after_funding_eur"]) for s in steps)
    funding = _funding_of(steps)
    price = _cost_en(cost, funding) if funding != "mixed" else ("free" if cost == 0 else f"EUR {cost:,.0f} in all")
    plural = unlocked != 1
    jobs = f"{unlocked} more local job{'s' if plural else ''} within {radius_km:.0f} km fit{'' if plural else 's'} you"
    if len(steps) == 1:
        s = steps[0]
        what = "course" if _is_course(s["kind"]) else "programme"
        return f"finish this {months}-month {_MODE_EN.get(s['mode'], s['mode'])} {what} ({price}) and {jobs}"
    return f"finish these {len(steps)} courses ({months} months in all, {price}) and {jobs}"


def summary_lv(steps: list[dict], unlocked: int, radius_km: float) -> str:
    """E.g. "pabeidz šo 4 mēnešu vakara kursu (bez maksas ar apmācību kuponu), un tev atbilst vēl 7
    vietējās vakances 40 km rādiusā"."""
    months = sum(int(s["duration_months"]) for s in steps)
    cost = sum(float(s["cost_after_funding_eur"]) for s in steps)
    funding = _funding_of(steps)
    price = _cost_lv(cost, funding) if funding != "mixed" else (
        "bez maksas" if cost == 0 else f"kopā {cost:,.0f} EUR".replace(",", " "))
    month_word = "mēneša" if _lv_singular(months) else "mēnešu"
    vacancies = ("vietējā vakance" if _lv_singular(unlocked) else "vietējās vakances")
    jobs = f"tev atbilst vēl {unlocked} {vacancies} {math.floor(radius_km)} km rādiusā"
    if len(steps) == 1:
        s = steps[0]
        what = "kursu" if _is_course(s["kind"]) else "programmu"
        return f"pabeidz šo {months} {month_word} {_MODE_LV.get(s['mode'], s['mode'])} {what} ({price}), un {jobs}"
    return f"pabeidz šos {len(steps)} kursus (kopā {months} {month_word}, {price}), un {jobs}"
