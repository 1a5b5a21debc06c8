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
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

__all__ = ["HOURS", "MatchFrames", "REQUIRED", "check_columns"]

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
    """All inputs of :class:`matching.recommender.MatchIndex` (see the module docstring)."""

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
