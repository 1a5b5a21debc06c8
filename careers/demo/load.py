"""``demo_load``: the whole demo world in one transaction, section by section (see the package docstring)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from careers.models import (
    Application, CandidateLanguage, CandidateProfile, CandidateSkill, Counsellor, Employer, FeedbackEvent,
    ProviderStaff, RecommendationList, Review, User, Vacancy, VacancyLanguage, VacancySkill, WorkExperience,
)

from .applications import applications_load
from .candidates import candidate_profiles_sync, candidates_plan
from .employers import all_employers, invented_employers_sync
from .feedback import load_feedback_history
from .history import load_market_history
from .logins import JOURNEY_USERNAMES
from .reference import reference_load
from .staff import counsellors_sync, employer_members_add, provider_staff_sync, staff_plan
from .users import users_sync
from .vacancies import login_drafts_ensure, vacancies_plan, vacancies_sync

COUNTED = (
    ("users", User), ("employers", Employer), ("vacancies", Vacancy), ("vacancy skills", VacancySkill),
    ("vacancy languages", VacancyLanguage), ("candidates", CandidateProfile), ("candidate skills", CandidateSkill),
    ("candidate languages", CandidateLanguage), ("work experience", WorkExperience), ("counsellors", Counsellor),
    ("provider staff", ProviderStaff), ("applications", Application),
    ("served jobs lists", RecommendationList), ("feedback events", FeedbackEvent), ("reviews", Review),
)


@dataclass
class DemoReport:
    counts: dict[str, int]
    skipped: list[str]

    def lines(self) -> list[str]:
        out = [f"{name}: {count}" for name, count in self.counts.items()]
        if self.skipped:
            out.append(f"templates skipped ({len(self.skipped)}): " + "; ".join(self.skipped[:10]))
        return out


@transaction.atomic
def demo_load(*, today: dt.date | None = None) -> DemoReport:
    """Create or refresh the demo world; raise DemoDataMissing when load_reference has not run.

    The steps write in this order on purpose: ids follow it, and the golden API answers hold those ids.
    """
    today = today or timezone.localdate()
    ref = reference_load()
    invented = invented_employers_sync(ref=ref)
    employers = all_employers(ref=ref, invented=invented)
    cafe = invented["cafe"]
    planned_vacancies, skipped = vacancies_plan(ref=ref, employers=employers, cafe=cafe, today=today)
    vacancies = vacancies_sync(planned=planned_vacancies)
    staff = staff_plan()
    planned_candidates = candidates_plan(ref=ref, today=today)
    users = users_sync(planned=[*staff, *(c.user for c in planned_candidates)])
    counsellors = counsellors_sync(ref=ref, users=users)
    provider_staff_sync(ref=ref, users=users)
    employer_members_add(employers=employers, planned_vacancies=planned_vacancies, cafe=cafe, users=users)
    login_drafts_ensure(employers=employers)
    pairs = candidate_profiles_sync(planned=planned_candidates, users=users, counsellors=counsellors)
    vacancy_list = list(Vacancy.objects.filter(pk__in=[v.pk for v in vacancies.values()]).select_related("employer", "town"))
    applications_load(pairs=pairs, vacancies=vacancy_list, ref=ref, today=today)
    # Served jobs lists and reactions to them, so that train_ranker learns in a fresh demo (written once).
    load_feedback_history(today=today, exclude_usernames=set(JOURNEY_USERNAMES))
    load_market_history(today=today)  # a year of invented daily market snapshots (written once)
    return DemoReport(counts={name: model.objects.count() for name, model in COUNTED}, skipped=skipped)
