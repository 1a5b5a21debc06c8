"""ORM → frames for the learning paths: programmes, intakes, their links and the learner (matching.paths)."""
from __future__ import annotations

import pandas as pd
from django.db.models import Count, Q, QuerySet

from careers.models import Application, CandidateProfile, Intake, Occupation, Programme, Vacancy
from matching.paths import Learner, PathFrames
from matching.paths.eligibility import programmes_named

from .matching import _frame, occupation_skills_frame, skills_frame

RIASEC_COLUMNS = ("riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c")


def programmes_frame() -> pd.DataFrame:
    """Active programmes as :class:`matching.paths.PathFrames` expects them.

    ``cost_eur`` is the whole programme's cost (``Programme.total_cost_eur``: a per-year fee times
    the study years); ``town_id`` is the institution's town; ``popularity`` counts applications
    to the programme's intakes that were not withdrawn (the popularity baseline's input); the eligibility
    columns (``target_groups``, ``min_age``, ``max_age``, ``languages``, ``funding_groups``) and the
    institution's ``has_dormitory`` are those of :mod:`matching.paths.eligibility`; a language course's
    ``teaches_language``, ``language_level_from``, ``language_level_to``, ``hours`` and ``duration_weeks`` are
    those of :mod:`matching.paths.language`.
    """
    queryset = (Programme.objects.filter(is_active=True).order_by("id")
                .annotate(popularity=Count("intakes__applications",
                                           filter=~Q(intakes__applications__status=Application.Status.WITHDRAWN))))
    fields = ["id", "name_lv", "name_en", "kind", "eqf_level", "duration_months", "mode", "cost_eur", "cost_period",
              "min_education", "state_funded_places", "voucher_eligible", "adult_learning_cofinanced",
              "institution_id", "institution__town_id", "popularity", "target_groups", "min_age", "max_age",
              "languages", "funding_groups", "institution__has_dormitory", "teaches_language", "language_level_from",
              "language_level_to", "hours", "duration_weeks"]
    frame = _frame(queryset.values_list(*fields), fields)
    years = (frame["duration_months"].astype(float) / 12).round().clip(lower=1)
    cost = frame["cost_eur"].astype(float)
    frame["cost_eur"] = cost.where(frame["cost_period"] != Programme.CostPeriod.PER_YEAR, cost * years)
    return frame.drop(columns="cost_period").rename(columns={
        "id": "programme_id", "institution__town_id": "town_id", "institution__has_dormitory": "has_dormitory"})


def intakes_frame(*, programme_ids: list[int] | None = None) -> pd.DataFrame:
    """Every intake (the finder itself keeps only those still open on the query date)."""
    queryset = Intake.objects.all() if programme_ids is None else Intake.objects.filter(programme_id__in=programme_ids)
    fields = ["id", "programme_id", "start_date", "application_deadline", "seats", "funded_seats"]
    return _frame(queryset.order_by("id").values_list(*fields), fields).rename(columns={"id": "intake_id"})


def programme_skills_frame() -> pd.DataFrame:
    """Skills taught: ``programme_id, skill_id``."""
    rows = Programme.skills_taught.through.objects.values_list("programme_id", "skill_id")
    return _frame(rows, ["programme_id", "skill_id"])


def programme_occupations_frame() -> pd.DataFrame:
    """Occupations a programme leads to: ``programme_id, occupation_id``."""
    rows = Programme.leads_to.through.objects.values_list("programme_id", "occupation_id")
    return _frame(rows, ["programme_id", "occupation_id"])


def occupations_riasec_frame() -> pd.DataFrame:
    """``occupation_id, label_en, label_lv, riasec_r … riasec_c`` (NaN where unknown)."""
    fields = ["id", "label_en", "label_lv", *RIASEC_COLUMNS]
    frame = _frame(Occupation.objects.order_by("id").values_list(*fields), fields)
    frame[list(RIASEC_COLUMNS)] = frame[list(RIASEC_COLUMNS)].astype(float)
    return frame.rename(columns={"id": "occupation_id"})


def vacancy_salaries_frame(*, vacancies: QuerySet[Vacancy] | None = None) -> pd.DataFrame:
    """``vacancy_id, salary_min, salary_max, contract_kind`` of the public vacancies (typical pay for careers)."""
    queryset = Vacancy.objects.public() if vacancies is None else vacancies
    frame = _frame(queryset.order_by("id").values_list("id", "salary_min", "salary_max", "contract_kind"),
                   ["vacancy_id", "salary_min", "salary_max", "contract_kind"])
    frame[["salary_min", "salary_max"]] = frame[["salary_min", "salary_max"]].astype(float)
    return frame


def path_frames(*, vacancies: QuerySet[Vacancy] | None = None) -> PathFrames:
    """Everything :class:`matching.paths.PathFinder` is fitted on (beside a fitted MatchIndex)."""
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


def current_programme_ids(*, candidate: CandidateProfile) -> list[int]:
    """Programmes the candidate's ``current_studies`` line names (:func:`matching.paths.eligibility.programmes_named`)."""
    return programmes_named(candidate.current_studies, _programme_names()) if candidate.current_studies else []


def enrolled_programme_ids(*, candidate: CandidateProfile) -> set[int]:
    """Programmes whose intake enrolled the candidate (studying or finished)."""
    return set(Application.objects.filter(candidate=candidate, intake__isnull=False,
                                          status=Application.Status.ENROLLED)
               .values_list("intake__programme_id", flat=True))


def _programme_names() -> list[tuple]:
    rows = Programme.objects.values_list("id", "institution__name_lv", "institution__name_en",
                                         "institution__short_name", "name_lv", "name_en")
    return [(pid, (a, b, c), (d, e)) for pid, a, b, c, d, e in rows]


def learner_for(*, candidate: CandidateProfile) -> Learner:
    """The :class:`matching.paths.Learner` of a profile: status, kind, RIASEC (None unless all six
    answers are given), target occupations, languages and the programmes they study or finished."""
    riasec = tuple(getattr(candidate, name) for name in RIASEC_COLUMNS)
    current = current_programme_ids(candidate=candidate)
    return Learner(
        candidate_id=candidate.pk, employment_status=candidate.employment_status, kind=candidate.kind,
        riasec=None if any(value is None for value in riasec) else tuple(float(v) for v in riasec),
        target_occupations=tuple(candidate.target_occupations.values_list("id", flat=True)),
        languages=tuple(candidate.languages.values_list("language", "level")),
        studied_programmes=tuple(sorted({*current, *enrolled_programme_ids(candidate=candidate)})),
        in_programme=bool(current),
    )
