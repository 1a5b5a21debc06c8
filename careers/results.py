"""What the recommendation use cases return: frozen records, the same for the JSON API and the web pages.

The use cases (``careers.services.recommendations`` and ``careers.selectors.recommendations``) build these; the
front doors only serialize or render them. Nested parts that are plain data (a skill reference, a vacancy brief, a
programme summary, score parts) stay mappings with the keys the API documents; what a person is shown as one
item is a record.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from careers.models import CandidateProfile
from careers.selectors.candidates import CandidateAccess

Data = Mapping[str, Any]

# Why a list is empty (``reason``); null when it is not.
NO_CONSENT = "no_processing_consent"  # the candidate is not in the index: nothing can be recommended
NOT_RELEASED = "not_released"  # a supervised candidate whose counsellor has released nothing yet
VACANCY_NOT_PUBLIC = "vacancy_not_public"


@dataclass(frozen=True)
class Explanation:
    """Why a vacancy and a candidate match: skills held, related and missing, distance, filters, score parts.

    ``commute_limit_km`` and ``relocation_needed`` derive from the candidate's commute limit, which only full
    access may read (``full_access``); ``ranker`` is set when a learned ranker ordered the list.
    """

    matched_skills: Sequence[Data]
    related_skills: Sequence[Data]
    missing_essential: Sequence[Data | None]
    essential_matched: str
    distance_km: float | None
    remote: bool
    filters: Data
    parts: Data
    contributions: Data
    ranker: Data | None = None
    full_access: bool = False
    commute_limit_km: float | None = None
    relocation_needed: bool | None = None


@dataclass(frozen=True)
class JobMatch:
    rank: int
    score: float
    vacancy: Data  # careers.selectors.vacancies.public_vacancy_briefs
    explanation: Explanation
    review: str | None = None  # approved | rejected | added | None (careers.services.serving)


@dataclass(frozen=True)
class JobList:
    candidate: int
    items: tuple[JobMatch, ...]
    reason: str | None = None


@dataclass(frozen=True)
class CandidateMatch:
    rank: int
    score: float
    candidate: CandidateProfile  # with the access annotations of careers.selectors.candidates
    access: CandidateAccess
    explanation: Explanation


@dataclass(frozen=True)
class CandidateList:
    vacancy: int
    items: tuple[CandidateMatch, ...]
    reason: str | None = None


@dataclass(frozen=True)
class ProgrammeMatch:
    rank: int
    score: float
    enrolable: bool
    reason: str | None  # why not enrolable, in the request language
    programme: Data
    intake: Data
    explanation: Data
    review: str | None = None


@dataclass(frozen=True)
class ProgrammeList:
    candidate: int
    items: tuple[ProgrammeMatch, ...]
    reason: str | None = None


@dataclass(frozen=True)
class CareerMatch:
    rank: int
    score: float
    occupation: Data
    explanation: Data
    review: str | None = None


@dataclass(frozen=True)
class CareerList:
    candidate: int
    items: tuple[CareerMatch, ...]
    reason: str | None = None


@dataclass(frozen=True)
class Pathway:
    rank: int
    score: float
    summary: str
    summary_lv: str
    summary_en: str
    steps: Sequence[Data]
    vacancies_unlocked: int
    vacancy_ids: Sequence[int]
    vacancies: Sequence[Data]
    total_duration_months: int
    cost_after_funding_eur: float
    first_start_date: dt.date
    threshold: float
    radius_km: float
    search: Data
    review: str | None = None


@dataclass(frozen=True)
class PathwayList:
    candidate: int
    items: tuple[Pathway, ...]
    reason: str | None = None


@dataclass(frozen=True)
class WhatIf:
    """How a candidate's jobs would change with added skills or a finished programme (nothing saved)."""

    candidate: int
    reason: str | None
    added_skills: Sequence[Data] = ()
    threshold: float | None = None
    n_gained: int = 0
    vacancies_gained: Sequence[Data] = ()
    n_coverage_gained: int = 0
    coverage_gained: Sequence[Data] = ()
    top_before: Sequence[int] = ()
    top_after: Sequence[int] = ()
    entered_top: Sequence[int] = ()
    left_top: Sequence[int] = ()


@dataclass(frozen=True)
class ItemExplanation:
    """Why one served item was recommended, in plain sentences of one language."""

    candidate: int
    kind: str
    item_key: str
    language: str
    served_at: dt.datetime
    model_version: str
    sentences: Sequence[str]


@dataclass(frozen=True)
class ExtractedSkill:
    uri: str
    label: str
    score: float
    span: Data  # start, end, text


@dataclass(frozen=True)
class OccupationMatch:
    uri: str
    label: str
    score: float


@dataclass(frozen=True)
class InterestCareer:
    """A career for someone who answered the interest questions without an account (the web site's explorer)."""

    rank: int
    score: float
    occupation_id: int
    label: str
    interest_fit: float
    open_vacancies: int
