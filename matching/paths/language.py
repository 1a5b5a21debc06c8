"""Language steps: courses that take a person from one CEFR level of a language to the next, as pathway steps.

A vacancy that fails only on a language level (:meth:`matching.index.MatchIndex.language_blocked_vacancy_rows`: it
shares a skill with the person and passes every other hard filter) is *unlocked by a language plan* when, for every
language it asks above the person's level, the plan holds a chain of courses reaching that level. A chain starts
at the level held: each course's entry level (``level_from``; none for a beginners' course) is at most the level
reached so far and its ``level_to`` above it, and each later course starts after the one before ends (its
``duration_weeks``, else months), so "Latvian A1→A2, then A2→B1" is two steps at dates one can keep. Only
language courses the person may enter by group, age and education (their level is the entry check, not the
language of instruction), with an intake taking applications, within reach, qualify.

A language plan's value is the weight of the vacancies it unlocks (``0.5 + 0.25·coverage + 0.25·closeness``, the
weight of a near miss), less the pathway penalties for cost and duration, so it ranks among the skill pathways.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np

__all__ = ["chain", "language_plans", "summary_en", "summary_lv"]

CEFR = {0: "", 1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1", 6: "C2"}
NAMES = {"lv": ("latviešu", "Latvian"), "en": ("angļu", "English"), "ru": ("krievu", "Russian"),
         "de": ("vācu", "German")}
DAYS_PER_MONTH = 30


def course_days(finder, p: int) -> int:
    """How long programme row ``p`` lasts, in days (its weeks where known, else its months)."""
    weeks = int(finder.programmes_["weeks"][p])
    return weeks * 7 if weeks > 0 else int(finder.programmes_["duration"][p]) * DAYS_PER_MONTH


def _next_intake(finder, p: int, after: int, today: int) -> int:
    """The first intake of programme row ``p`` starting after ordinal ``after`` and still taking applications."""
    i = finder.intakes_
    lo, hi = np.searchsorted(i["programme"], [p, p + 1])  # intakes are sorted by programme, then start
    for at in range(lo, hi):
        if i["start"][at] > after and i["start"][at] > today and i["deadline"][at] >= today:
            return at
    return -1


def chain(finder, gap, code: str, held: int, target: int) -> list[tuple[int, int]] | None:
    """(programme row, intake row) steps that take ``code`` from ``held`` to at least ``target``, or None."""
    P = finder.programmes_
    usable = np.flatnonzero((P["teaches"] == code) & gap.enters_by_level & gap.reach)
    steps: list[tuple[int, int]] = []
    level, after, today = held, gap.today.toordinal(), gap.today.toordinal()
    while level < target:
        best = None
        for p in usable.tolist():
            if not (P["level_from"][p] <= level < P["level_to"][p]):
                continue
            intake = _next_intake(finder, p, after, today)
            if intake < 0:
                continue
            end = int(finder.intakes_["start"][intake]) + course_days(finder, p)
            # Soonest end first; of those the one reaching furthest, then the lower row (stable).
            key = (end, -int(P["level_to"][p]), p)
            if best is None or key < best[0]:
                best = (key, p, intake, end)
        if best is None:
            return None
        _, p, intake, end = best
        steps.append((p, intake))
        level, after = int(P["level_to"][p]), end
    return steps


def language_plans(finder, gap, d, blocked: np.ndarray, distance: np.ndarray, gaps: list[list[dict]]) -> list[dict]:
    """The distinct language plans that unlock some of the ``blocked`` vacancy rows, each with the rows it unlocks
    and their weights: [{steps, unlocked (positions into blocked), weight}]."""
    held = {code: level for code, level in gap.learner.languages}
    needs = {}
    for at, row_gaps in enumerate(gaps):
        key = tuple(sorted((g["language"], g["required"]) for g in row_gaps))
        if key:
            needs.setdefault(key, []).append(at)
    chains: dict[tuple, list | None] = {}
    plans: dict[tuple, dict] = {}
    for key in sorted(needs):
        steps = []
        for code, level in key:
            if (code, level) not in chains:
                chains[(code, level)] = chain(finder, gap, code, int(held.get(code, 0)), level)
            if chains[(code, level)] is None:
                steps = None
                break
            steps += chains[(code, level)]
        if steps:
            plans.setdefault(tuple(steps), {"steps": steps})
    if not plans:
        return []
    n_ess = d.n_essential[blocked]
    coverage = np.where(n_ess > 0, gap.matched[blocked] / np.maximum(n_ess, 1), 0.0)
    remote = finder.index_.vacancies_.attrs["remote"][blocked]
    closeness = np.where(remote, 1.0, np.where(np.isnan(distance), 0.5,
                                                 np.clip(1.0 - distance / max(gap.commute, 1.0), 0.0, 1.0)))
    weight = 0.5 + 0.25 * coverage + 0.25 * closeness
    out = []
    for plan in plans.values():
        reached = dict(held)
        for p, _ in plan["steps"]:
            code = finder.programmes_["teaches"][p]
            reached[code] = max(reached.get(code, 0), int(finder.programmes_["level_to"][p]))
        unlocked = np.asarray([all(reached.get(g["language"], 0) >= g["required"] for g in row_gaps)
                               for row_gaps in gaps], dtype=bool)
        out.append({"steps": plan["steps"], "unlocked": np.flatnonzero(unlocked),
                    "weight": weight, "coverage": coverage})
    return out


def _levels(steps: list[dict], beginners: str) -> str:
    """ "A1→A2→B1" of consecutive steps of one language (the language's steps in order); ``beginners`` names the
    start of a beginners' course."""
    out = []
    for s in steps:
        lang = s["language"]
        if not out:
            out.append(lang["from"] or beginners)
        out.append(lang["to"])
    return "→".join(out)


def _by_language(steps: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for s in steps:
        out.setdefault(s["language"]["code"], []).append(s)
    return out


def summary_en(steps: list[dict], unlocked: int, radius_km: float, price: str) -> str:
    """E.g. "take the Latvian courses A1→A2→B1 (240 hours, free with a training voucher), then 3 more local jobs
    within 40 km that need your skills and that level are open to you"."""
    hours = sum(int(s.get("hours") or 0) for s in steps)
    parts = []
    for code, group in _by_language(steps).items():
        name = NAMES.get(code, (code, code))[1]
        noun = "course" if len(group) == 1 else "courses"
        parts.append(f"the {name} {noun} {_levels(group, 'beginners')}")
    length = f"{hours} hours" if hours else f"{sum(int(s['duration_months']) for s in steps)} months"
    plural = unlocked != 1
    return (f"take {' and '.join(parts)} ({length}, {price}), then {unlocked} more local job{'s' if plural else ''} "
            f"within {radius_km:.0f} km that need{'' if plural else 's'} your skills and that level "
            f"{'are' if plural else 'is'} open to you")


def summary_lv(steps: list[dict], unlocked: int, radius_km: float, price: str) -> str:
    """E.g. "apgūsti latviešu valodu kursos A1→A2→B1 (240 stundas, bez maksas ar apmācību kuponu), un tev būs
    pieejamas vēl 3 vietējās vakances 40 km rādiusā, kurās noder tavas prasmes un kuras prasa šo līmeni"."""
    hours = sum(int(s.get("hours") or 0) for s in steps)
    parts = [f"{NAMES.get(code, (code, code))[0]} valodu {'kursā' if len(group) == 1 else 'kursos'} "
             f"{_levels(group, 'sākums')}"
             for code, group in _by_language(steps).items()]
    singular = unlocked % 10 == 1 and unlocked % 100 != 11
    if hours:
        length = f"{hours} {'stunda' if hours % 10 == 1 and hours % 100 != 11 else 'stundas'}"
    else:
        length = f"{sum(int(s['duration_months']) for s in steps)} mēn."
    vacancies = "vietējā vakance" if singular else "vietējās vakances"
    open_word = "būs pieejama" if singular else "būs pieejamas"
    return (f"apgūsti {' un '.join(parts)} ({length}, {price}), un tev {open_word} vēl {unlocked} {vacancies} "
            f"{math.floor(radius_km)} km rādiusā, kurās noder tavas prasmes un kuras prasa šo līmeni")


def step_dates(finder, p: int, intake: int) -> tuple[str, str]:
    """Start and (estimated) end date of a step, ISO."""
    start = int(finder.intakes_["start"][intake])
    return dt.date.fromordinal(start).isoformat(), dt.date.fromordinal(start + course_days(finder, p)).isoformat()
