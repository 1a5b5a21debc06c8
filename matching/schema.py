"""The frames the match index is built from, their columns and their checks.

Every frame is a plain pandas DataFrame with the columns below; ids are opaque (ints from the
database, URIs in the evaluation). Optional frames may be ``None``.

========================  ==========================================================================
frame                     columns
========================  ==========================================================================
vacancies                 vacancy_id, employer_id, title, text, occupation_id (nullable), town_id,
                          contract_kind, hours ('full_time'|'part_time'|'shifts'), min_education
                          (0–6), min_age; optional salary_min, salary_max, work_arrangement
                          ('on_site'|'hybrid'|'remote'). Only open, unexpired vacancies: the
                          adapter filters status and expiry.
vacancy_skills            vacancy_id, skill_id, essential (bool)
vacancy_languages         vacancy_id, language, level (CEFR 1–6)
candidates                candidate_id, town_id, max_commute_km, willing_to_relocate, education
                          (0–6), age, available_hours (list; empty = any), text; optional
                          contract_kinds (list; empty = any)
candidate_skills          candidate_id, skill_id, level (proficiency 1–4)
candidate_languages       candidate_id, language, level (CEFR 1–6)
candidate_occupations     candidate_id, occupation_id, kind ('target'|'history'); optional years
skill_relations           skill_id, related_skill_id, weight or kind (see relations.KIND_WEIGHTS)
occupation_relations      occupation_id, related_occupation_id, weight or kind
occupation_skills         occupation_id, skill_id, essential (the taxonomy's occupation profiles)
towns                     town_id, latitude, longitude
town_distances            from_town_id, to_town_id, road_km
skills                    skill_id, uri, label_en, label_lv (only for labels in explanations)
========================  ==========================================================================

The explanations the index returns are typed below (:class:`Explanation`, :class:`PairExplanation` and their
parts): plain dicts at run time, so they serialise as they are, with their keys checked by type checkers.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, fields
from typing import NotRequired, TypedDict

import pandas as pd

__all__ = [
    "Explanation", "Filters", "HOURS", "MatchFrames", "MatchedSkill", "PairExplanation", "Parts", "REQUIRED",
    "RelatedSkill", "SkillRef", "check_columns",
]

HOURS = ("full_time", "part_time", "shifts")

REQUIRED = {
    "vacancies": ("vacancy_id", "employer_id", "title", "text", "occupation_id", "town_id", "contract_kind",
                  "hours", "min_education", "min_age"),
    "vacancy_skills": ("vacancy_id", "skill_id", "essential"),
    "vacancy_languages": ("vacancy_id", "language", "level"),
    "candidates": ("candidate_id", "town_id", "max_commute_km", "willing_to_relocate", "education", "age",
                   "available_hours", "text"),
    "candidate_skills": ("candidate_id", "skill_id", "level"),
    "candidate_languages": ("candidate_id", "language", "level"),
    "candidate_occupations": ("candidate_id", "occupation_id", "kind"),
    "skill_relations": ("skill_id", "related_skill_id"),
    "occupation_relations": ("occupation_id", "related_occupation_id"),
    "occupation_skills": ("occupation_id", "skill_id", "essential"),
    "towns": ("town_id", "latitude", "longitude"),
    "town_distances": ("from_town_id", "to_town_id", "road_km"),
    "skills": ("skill_id",),
}
ERR_COLUMNS = "frame {name!r} lacks columns: {missing}"
ERR_DUPLICATE_IDS = "frame {name!r} has duplicate ids in {column!r}"


def check_columns(frame: pd.DataFrame, name: str) -> None:
    """Raise ``ValueError`` naming the missing columns of ``frame``."""
    missing = [c for c in REQUIRED[name] if c not in frame.columns]
    if missing:
        raise ValueError(ERR_COLUMNS.format(name=name, missing=", ".join(missing)))


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REQUIRED[name]})


@dataclass
class MatchFrames:
    """All inputs of :class:`matching.index.MatchIndex` (see the module docstring)."""

    vacancies: pd.DataFrame | None
    vacancy_skills: pd.DataFrame | None
    candidates: pd.DataFrame | None = None
    candidate_skills: pd.DataFrame | None = None
    vacancy_languages: pd.DataFrame | None = None
    candidate_languages: pd.DataFrame | None = None
    candidate_occupations: pd.DataFrame | None = None
    skill_relations: pd.DataFrame | None = None
    occupation_relations: pd.DataFrame | None = None
    occupation_skills: pd.DataFrame | None = None
    towns: pd.DataFrame | None = None
    town_distances: pd.DataFrame | None = None
    skills: pd.DataFrame | None = None

    def checked(self) -> "MatchFrames":
        """A copy with every missing optional frame replaced by an empty one; columns checked."""
        values = {}
        for f in fields(self):
            frame = getattr(self, f.name)
            frame = _empty(f.name) if frame is None else frame
            check_columns(frame, f.name)
            values[f.name] = frame
        for name, column in (("vacancies", "vacancy_id"), ("candidates", "candidate_id")):
            if values[name][column].duplicated().any():
                raise ValueError(ERR_DUPLICATE_IDS.format(name=name, column=column))
        return MatchFrames(**values)


# ---------------------------------------------------------------- explanation records


class SkillRef(TypedDict):
    """A skill as explanations name it; ``label`` only when the ``skills`` frame gave one."""

    skill_id: Hashable
    label: NotRequired[str]


class MatchedSkill(SkillRef):
    """A skill of the vacancy the candidate holds."""

    essential: bool
    level: int  # proficiency 1–4


class RelatedSkill(SkillRef):
    """A skill of the vacancy the candidate earns partial credit for through a skill they hold."""

    essential: bool
    credit: float  # at most related_credit
    via: SkillRef | None  # the held skill with the strongest relation


class ExperienceSkill(SkillRef):
    """A skill of the vacancy not stated by the candidate but implied by their work history (to be confirmed)."""

    essential: bool
    credit: float  # experience_credit
    occupation_id: object  # the occupation of their history that has it as an essential skill


class Parts(TypedDict):
    """One value per score part, in [0, 1] (see :mod:`matching.index`); ``contributions`` holds weight × part."""

    essential: float
    optional: float
    similarity: float
    proficiency: float
    text: float
    occupation: float
    profile: float
    distance: float
    contract: float


class Filters(TypedDict):
    """Whether the pair passes each hard filter (every one must pass for an item to be listed)."""

    languages: bool
    education: bool
    age: bool
    hours: bool
    commute: bool


class Explanation(TypedDict):
    """Why an item was listed: the ``explanation`` of each row of ``recommend_jobs`` and ``recommend_candidates``."""

    matched_skills: list[MatchedSkill]
    related_skills: list[RelatedSkill]
    experience_skills: list[ExperienceSkill]
    missing_essential: list[SkillRef]
    essential_matched: str  # "n of m" held (stated) essential skills
    essential_from_experience: int  # essential skills of the vacancy implied by the work history, beside those
    distance_km: float | None  # None where a town is unknown
    commute_limit_km: float
    remote: bool
    relocation_needed: bool
    filters: Filters
    parts: Parts
    contributions: Parts


class PairExplanation(Explanation):
    """:meth:`MatchIndex.explain` of one pair, listed or not."""

    score: float | None  # None when a filter fails
    shares_skill: bool  # False: no skill or related skill in common (never listed as a skill match)
