"""The one adapter between the ORM and ``matching``: querysets in, the frames of matching.schema out.

Nothing here scores or ranks; it only reads. Each function issues one query (``values_list``)
and builds one DataFrame with the column names :mod:`matching.schema` documents. Ids are the
database primary keys; URIs and labels travel in the ``skills`` and ``occupations`` frames.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from careers.models import (
    CandidateLanguage, CandidateProfile, CandidateSkill, Occupation, OccupationSkill, Skill, Town, TownDistance,
    Vacancy, VacancyLanguage, VacancySkill, WorkExperience,
)
from matching.relations import cooccurrence_relations
from matching.schema import MatchFrames

LABEL_FIELDS = ("uri", "label_en", "label_lv", "alt_labels_en", "alt_labels_lv")


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=columns)


def vacancies_frame(*, vacancies: QuerySet[Vacancy] | None = None) -> pd.DataFrame:
    """Open, unexpired vacancies of verified employers (``Vacancy.objects.public()`` unless given)."""
    queryset = Vacancy.objects.public() if vacancies is None else vacancies
    fields = ["id", "employer_id", "title", "description", "occupation_id", "town_id", "contract_kind", "hours",
              "min_education", "min_age", "salary_min", "salary_max", "work_arrangement"]
    frame = _frame(queryset.order_by("id").values_list(*fields), fields)
    return frame.rename(columns={"id": "vacancy_id", "description": "text"})


def vacancy_skills_frame(*, vacancy_ids: list[int]) -> pd.DataFrame:
    rows = VacancySkill.objects.filter(vacancy_id__in=vacancy_ids).values_list("vacancy_id", "skill_id", "essential")
    return _frame(rows, ["vacancy_id", "skill_id", "essential"])


def vacancy_languages_frame(*, vacancy_ids: list[int]) -> pd.DataFrame:
    rows = VacancyLanguage.objects.filter(vacancy_id__in=vacancy_ids).values_list("vacancy_id", "language", "level")
    return _frame(rows, ["vacancy_id", "language", "level"])


def candidates_frame(*, candidates: QuerySet[CandidateProfile] | None = None) -> pd.DataFrame:
    """Active candidates who consented to data processing (unless a queryset is given)."""
    queryset = (CandidateProfile.objects.filter(consent_processing=True, user__is_active=True)
                if candidates is None else candidates)
    fields = ["id", "town_id", "max_commute_km", "willing_to_relocate", "highest_education", "birth_year",
              "available_hours", "about", "current_studies"]
    frame = _frame(queryset.order_by("id").values_list(*fields), fields)
    year = timezone.localdate().year
    # Only the birth year is stored: the age reached this year, as CandidateProfile.age() does.
    frame["age"] = year - frame["birth_year"].astype("int64")
    frame["text"] = (frame["about"].fillna("") + "\n" + frame["current_studies"].fillna("")).str.strip()
    frame["available_hours"] = frame["available_hours"].map(lambda v: list(v) if isinstance(v, list) else [])
    return frame.rename(columns={"id": "candidate_id", "highest_education": "education"})[
        ["candidate_id", "town_id", "max_commute_km", "willing_to_relocate", "education", "age", "available_hours", "text"]]


def candidate_skills_frame(*, candidate_ids: list[int]) -> pd.DataFrame:
    rows = CandidateSkill.objects.filter(candidate_id__in=candidate_ids).values_list("candidate_id", "skill_id", "proficiency")
    return _frame(rows, ["candidate_id", "skill_id", "level"])


def candidate_languages_frame(*, candidate_ids: list[int]) -> pd.DataFrame:
    rows = CandidateLanguage.objects.filter(candidate_id__in=candidate_ids).values_list("candidate_id", "language", "level")
    return _frame(rows, ["candidate_id", "language", "level"])


def candidate_occupations_frame(*, candidate_ids: list[int]) -> pd.DataFrame:
    """Target occupations (kind 'target') and work history (kind 'history', with years)."""
    through = CandidateProfile.target_occupations.through
    targets = _frame(through.objects.filter(candidateprofile_id__in=candidate_ids)
                     .values_list("candidateprofile_id", "occupation_id"), ["candidate_id", "occupation_id"])
    targets["kind"], targets["years"] = "target", None
    history = _frame(WorkExperience.objects.filter(candidate_id__in=candidate_ids)
                     .values_list("candidate_id", "occupation_id", "years"), ["candidate_id", "occupation_id", "years"])
    history["kind"] = "history"
    return pd.concat([targets, history[["candidate_id", "occupation_id", "kind", "years"]]], ignore_index=True)


def skills_frame() -> pd.DataFrame:
    """Every skill with its labels: ``skill_id, uri, label_en, label_lv, alt_labels_en, alt_labels_lv``."""
    return _frame(Skill.objects.order_by("id").values_list("id", *LABEL_FIELDS), ["skill_id", *LABEL_FIELDS])


EVERYDAY_PHRASES = Path(settings.BASE_DIR) / "fixtures" / "reference" / "everyday_skill_phrases.json"


@lru_cache(maxsize=1)
def _everyday_phrases() -> dict[str, dict[str, list[str]]]:
    """uri → {"en": [...], "lv": [...]}: how people write a skill in their own words (a curated file)."""
    data = json.loads(EVERYDAY_PHRASES.read_text(encoding="utf-8"))
    return {row["uri"]: {"en": list(row.get("en", [])), "lv": list(row.get("lv", []))} for row in data["phrases"]}


def with_everyday_phrases(skills: pd.DataFrame) -> pd.DataFrame:
    """``skills`` with ``hidden_labels_en``/``hidden_labels_lv``: the everyday phrases of the curated file
    (``fixtures/reference/everyday_skill_phrases.json``), matched in free text and never shown."""
    phrases = _everyday_phrases()
    out = skills.copy()
    for language in ("en", "lv"):
        out[f"hidden_labels_{language}"] = out["uri"].map(lambda uri: phrases.get(uri, {}).get(language, []))
    return out


def occupations_frame() -> pd.DataFrame:
    """Every occupation with its labels and ISCO code (``occupation_id, uri, ..., isco_code``)."""
    rows = Occupation.objects.order_by("id").values_list("id", *LABEL_FIELDS, "isco_code")
    return _frame(rows, ["occupation_id", *LABEL_FIELDS, "isco_code"])


def occupation_skills_frame() -> pd.DataFrame:
    rows = OccupationSkill.objects.values_list("occupation_id", "skill_id", "relation")
    frame = _frame(rows, ["occupation_id", "skill_id", "relation"])
    frame["essential"] = frame["relation"] == "essential"
    return frame.drop(columns="relation")


def skill_relations_frame() -> pd.DataFrame:
    """Taxonomy links (broader, related) as ``skill_id, related_skill_id, kind``."""
    broader = _frame(Skill.broader.through.objects.values_list("from_skill_id", "to_skill_id"),
                     ["skill_id", "related_skill_id"])
    related = _frame(Skill.related.through.objects.values_list("from_skill_id", "to_skill_id"),
                     ["skill_id", "related_skill_id"])
    return pd.concat([broader.assign(kind="broader"), related.assign(kind="related")], ignore_index=True)


def towns_frame() -> pd.DataFrame:
    return _frame(Town.objects.values_list("id", "latitude", "longitude"), ["town_id", "latitude", "longitude"])


def town_distances_frame() -> pd.DataFrame:
    return _frame(TownDistance.objects.values_list("from_town_id", "to_town_id", "road_km"),
                  ["from_town_id", "to_town_id", "road_km"])


def match_frames(*, vacancies: QuerySet[Vacancy] | None = None,
                 candidates: QuerySet[CandidateProfile] | None = None) -> MatchFrames:
    """Everything :class:`matching.index.MatchIndex` is fitted on, read in a dozen queries."""
    vacancy_frame = vacancies_frame(vacancies=vacancies)
    candidate_frame = candidates_frame(candidates=candidates)
    vacancy_ids = vacancy_frame["vacancy_id"].tolist()
    candidate_ids = candidate_frame["candidate_id"].tolist()
    occupation_skills = occupation_skills_frame()
    relations = [skill_relations_frame()]
    if len(occupation_skills):
        relations.append(cooccurrence_relations(occupation_skills).assign(kind="cooccurrence"))
    return MatchFrames(
        vacancies=vacancy_frame,
        vacancy_skills=vacancy_skills_frame(vacancy_ids=vacancy_ids),
        vacancy_languages=vacancy_languages_frame(vacancy_ids=vacancy_ids),
        candidates=candidate_frame,
        candidate_skills=candidate_skills_frame(candidate_ids=candidate_ids),
        candidate_languages=candidate_languages_frame(candidate_ids=candidate_ids),
        candidate_occupations=candidate_occupations_frame(candidate_ids=candidate_ids),
        skill_relations=pd.concat(relations, ignore_index=True),
        occupation_skills=occupation_skills,
        towns=towns_frame(),
        town_distances=town_distances_frame(),
        skills=skills_frame()[["skill_id", "uri", "label_en", "label_lv"]],
    )


# ---------------------------------------------------------------- learning paths (issue 5)
