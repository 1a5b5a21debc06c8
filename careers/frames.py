"""The one adapter between the ORM and ``matching``: querysets in, the frames of matching.schema out.

Nothing here scores or ranks; it only reads. Each function issues one query (``values_list``)
and builds one DataFrame with the column names :mod:`matching.schema` documents. Ids are the
database primary keys; URIs and labels travel in the ``skills`` and ``occupations`` frames.
"""
from __future__ import annotations

import pandas as pd
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
    """Everything :class:`matching.recommender.MatchIndex` is fitted on, read in a dozen queries."""
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

RIASEC_COLUMNS = ("riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c")


def programmes_frame() -> pd.DataFrame:
    """Active programmes as :class:`matching.paths.PathFrames` expects them.

    ``cost_eur`` is the whole programme's cost (``Programme.total_cost_eur``: a per-year fee times
    the study years); ``town_id`` is the institution's town; ``popularity`` counts applications
    to the programme's intakes that were not withdrawn (the popularity baseline's input).
    """
    from django.db.models import Count, Q

    from careers.models import Application, Programme

    queryset = (Programme.objects.filter(is_active=True).order_by("id")
                .annotate(popularity=Count("intakes__applications",
                                           filter=~Q(intakes__applications__status=Application.Status.WITHDRAWN))))
    fields = ["id", "name_lv", "name_en", "kind", "eqf_level", "duration_months", "mode", "cost_eur", "cost_period",
              "min_education", "state_funded_places", "voucher_eligible", "adult_learning_cofinanced",
              "institution_id", "institution__town_id", "popularity"]
    frame = _frame(queryset.values_list(*fields), fields)
    years = (frame["duration_months"].astype(float) / 12).round().clip(lower=1)
    cost = frame["cost_eur"].astype(float)
    frame["cost_eur"] = cost.where(frame["cost_period"] != Programme.CostPeriod.PER_YEAR, cost * years)
    return frame.drop(columns="cost_period").rename(columns={"id": "programme_id", "institution__town_id": "town_id"})


def intakes_frame(*, programme_ids: list[int] | None = None) -> pd.DataFrame:
    """Every intake (the finder itself keeps only those still open on the query date)."""
    from careers.models import Intake

    queryset = Intake.objects.all() if programme_ids is None else Intake.objects.filter(programme_id__in=programme_ids)
    fields = ["id", "programme_id", "start_date", "application_deadline", "seats", "funded_seats"]
    return _frame(queryset.order_by("id").values_list(*fields), fields).rename(columns={"id": "intake_id"})


def programme_skills_frame() -> pd.DataFrame:
    """Skills taught: ``programme_id, skill_id``."""
    from careers.models import Programme

    rows = Programme.skills_taught.through.objects.values_list("programme_id", "skill_id")
    return _frame(rows, ["programme_id", "skill_id"])


def programme_occupations_frame() -> pd.DataFrame:
    """Occupations a programme leads to: ``programme_id, occupation_id``."""
    from careers.models import Programme

    rows = Programme.leads_to.through.objects.values_list("programme_id", "occupation_id")
    return _frame(rows, ["programme_id", "occupation_id"])


def occupations_riasec_frame() -> pd.DataFrame:
    """``occupation_id, label_en, label_lv, riasec_r … riasec_c`` (NaN where unknown)."""
    fields = ["id", "label_en", "label_lv", *RIASEC_COLUMNS]
    frame = _frame(Occupation.objects.order_by("id").values_list(*fields), fields)
    frame[list(RIASEC_COLUMNS)] = frame[list(RIASEC_COLUMNS)].astype(float)
    return frame.rename(columns={"id": "occupation_id"})


def vacancy_salaries_frame(*, vacancies: QuerySet[Vacancy] | None = None) -> pd.DataFrame:
    """``vacancy_id, salary_min, salary_max`` of the public vacancies (typical pay for careers)."""
    queryset = Vacancy.objects.public() if vacancies is None else vacancies
    frame = _frame(queryset.order_by("id").values_list("id", "salary_min", "salary_max"),
                   ["vacancy_id", "salary_min", "salary_max"])
    frame[["salary_min", "salary_max"]] = frame[["salary_min", "salary_max"]].astype(float)
    return frame


def path_frames(*, vacancies: QuerySet[Vacancy] | None = None):
    """Everything :class:`matching.paths.PathFinder` is fitted on (beside a fitted MatchIndex)."""
    from matching.paths import PathFrames

    programmes = programmes_frame()
    return PathFrames(
        programmes=programmes,
        intakes=intakes_frame(programme_ids=programmes["programme_id"].tolist()),
        programme_skills=programme_skills_frame(),
        programme_occupations=programme_occupations_frame(),
        occupations=occupations_riasec_frame(),
        occupation_skills=occupation_skills_frame(),
        vacancies=vacancy_salaries_frame(vacancies=vacancies),
        skills=skills_frame()[["skill_id", "uri", "label_en", "label_lv"]],
    )


def learner_for(*, candidate: CandidateProfile):
    """The :class:`matching.paths.Learner` of a profile: status, kind, RIASEC (None unless all six
    answers are given) and target occupations."""
    from matching.paths import Learner

    riasec = tuple(getattr(candidate, name) for name in RIASEC_COLUMNS)
    return Learner(
        candidate_id=candidate.pk, employment_status=candidate.employment_status, kind=candidate.kind,
        riasec=None if any(value is None for value in riasec) else tuple(float(v) for v in riasec),
        target_occupations=tuple(candidate.target_occupations.values_list("id", flat=True)),
    )
