"""Who may enter a programme, and whether its school is within a person's reach (plain Python, no Django).

Eligibility is data on each programme (``target_groups``, ``min_age``, ``max_age``, ``min_education``,
``languages`` of instruction, ``funding_groups``); a person belongs to the groups :func:`person_groups` names.
A programme is open to a person when they belong to at least one of its target groups (no groups: everyone),
are within its ages, have its prior education and speak one of its languages of instruction at
:data:`MIN_INSTRUCTION_LEVEL` (B1) or better (a person with no languages on record is not filtered by language).

Target groups:

==========================  ===========================================================================
``after_basic_school``      finished basic school (grade 9), no secondary education yet
``after_secondary_school``  general or vocational secondary education or more
``adults``                  18 or older
``registered_unemployed``   registered with the State Employment Agency (NVA) as unemployed
``employed_adults``         employed, 18 or older, not a full-time pupil or student
``adults_25_plus``          25 or older
==========================  ===========================================================================

Funding per group (``funding_groups``: funding kind → groups that may use it). Where a programme does not say,
the national rule applies (:data:`DEFAULT_FUNDING_GROUPS`): the training voucher is for the registered unemployed
only, adult-learning co-financing for employed adults, a state-funded place for anyone the programme admits.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ..text import stems

__all__ = ["DEFAULT_FUNDING_GROUPS", "DORMITORY_MODES", "MIN_INSTRUCTION_LEVEL", "TARGET_GROUPS", "failures",
           "funding_allowed", "person_groups", "programmes_named", "uses_dormitory"]

TARGET_GROUPS = ("after_basic_school", "after_secondary_school", "adults", "registered_unemployed",
                 "employed_adults", "adults_25_plus")
MIN_INSTRUCTION_LEVEL = 3  # CEFR B1
BASIC, SECONDARY = 1, 2  # careers.models.EducationLevel
DEFAULT_FUNDING_GROUPS = {
    "training_voucher": ("registered_unemployed",),
    "adult_learning_cofinancing": ("employed_adults",),
}
DORMITORY_MODES = ("full_time", "dual")  # a dormitory houses day learners, not evening or online ones
DORMITORY_AGE_LIMIT = 20  # below it, a learner after basic school is a pupil who may board


def person_groups(*, age: int | None, education: int, employment_status: str, kind: str) -> frozenset[str]:
    """The target groups a person belongs to (see the module docstring)."""
    groups = set()
    if education >= SECONDARY:
        groups.add("after_secondary_school")
    elif education >= BASIC:
        groups.add("after_basic_school")
    adult = age is not None and age >= 18
    if adult:
        groups.add("adults")
    if age is not None and age >= 25:
        groups.add("adults_25_plus")
    if employment_status == "registered_unemployed":
        groups.add("registered_unemployed")
    if employment_status == "employed" and adult and kind != "student":
        groups.add("employed_adults")
    return frozenset(groups)


def failures(*, groups: frozenset[str], age: int | None, education: int, languages: Mapping[str, int],
             target_groups: Iterable[str], min_age, max_age, min_education: int,
             instruction: Iterable[str], course_language: str = "", course_level_from=None) -> list[str]:
    """Why a person may not enter a programme, as codes (empty: they may).

    ``language_level``: a language course (``course_language``) that needs ``course_level_from`` (CEFR 1–6) of the
    language on entry, which the person does not have yet (no level on record counts as none).

    ``education``: the prior education is missing (also when the only groups the programme admits are after
    secondary school and the person has not finished it: finishing school opens it); ``target_group``: the
    person is in none of its groups; ``too_young`` / ``too_old``; ``language``: no language of instruction at B1.
    """
    out = []
    wanted = set(target_groups or ())
    if education < int(min_education or 0):
        out.append("education")
    if wanted and not wanted & groups:
        only_after_school = wanted <= {"after_secondary_school"} and education < SECONDARY
        if not only_after_school:
            out.append("target_group")
        elif "education" not in out:
            out.append("education")
    if age is not None and _given(min_age) and age < int(min_age):
        out.append("too_young")
    if age is not None and _given(max_age) and age > int(max_age):
        out.append("too_old")
    taught_in = set(instruction or ())
    if languages and taught_in and not any(languages.get(code, 0) >= MIN_INSTRUCTION_LEVEL for code in taught_in):
        out.append("language")
    if course_language and _given(course_level_from) and languages.get(course_language, 0) < int(course_level_from):
        out.append("language_level")
    return out


def funding_allowed(kind: str, groups: frozenset[str], funding_groups: Mapping[str, Iterable[str]] | None) -> bool:
    """May a person of ``groups`` use funding ``kind`` on this programme (its own rule, else the national one)."""
    rule = (funding_groups or {}).get(kind)
    if rule is None:
        rule = DEFAULT_FUNDING_GROUPS.get(kind)
    return rule is None or bool(set(rule) & groups)


def uses_dormitory(*, age: int | None, kind: str, employment_status: str, groups: frozenset[str]) -> bool:
    """Pupils after basic school and students board at a school's dormitory; working adults do not."""
    if kind == "student" or employment_status == "studying":
        return True
    return "after_basic_school" in groups and age is not None and age < DORMITORY_AGE_LIMIT


def _given(value) -> bool:
    return value is not None and value == value  # not None, not NaN


def _core(name: str) -> list[str]:
    """The stems of a programme name without its parenthesised or dashed qualifier."""
    return stems(re.split(r"[(–]", name, maxsplit=1)[0])


def programmes_named(text: str, programmes: Sequence[tuple]) -> list:
    """Programme ids a free-text "current studies" line names, e.g. "Valmieras tehnikums, mehatronika, 1. kurss".

    ``programmes``: ``(programme_id, institution_names, programme_names)`` with every name of the institution
    (lv, en, short) and of the programme (lv, en). A programme is named when one of its institution's names
    and every word of one of its names (without a bracketed qualifier) occur in the text, stemmed and folded
    ("mehatronika (koledža)" names ViA's "Mehatronika"). With no institution named, a programme name counts
    only when exactly one programme carries it.
    """
    words = set(stems(text or ""))
    if not words:
        return []
    at_school, anywhere = [], []
    for pid, institution_names, names in programmes:
        cores = [c for c in (_core(n) for n in names if n) if c]
        if not any(set(c) <= words for c in cores):
            continue
        named = any((s := stems(n)) and set(s) <= words for n in institution_names if n)
        (at_school if named else anywhere).append(pid)
    return at_school or (anywhere if len(anywhere) == 1 else [])
