"""The jobs lists of the journey people and of the whole demo population, judged as the person would (issue 10).

Each person's list is asked as staff see it (before any counsellor's release), so what is checked is the content
a counsellor reviews and the person is shown once released.
"""
from __future__ import annotations

import pytest

from careers.models import CandidateProfile, ContractKind, Vacancy
from careers.results import ENTRY_JOB, NOT_RELEASED, SKILL_MATCH
from careers.services.audit import audit_recommendations
from careers.services.recommendations import candidate_job_recommendations

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def jobs_of(username: str, *, viewer=None, k: int = 10):
    person = CandidateProfile.objects.select_related("user").get(user__username=username)
    return person, candidate_job_recommendations(viewer=viewer, candidate=person, top_k=k, language="lv")


def vacancies(items) -> dict[int, Vacancy]:
    return Vacancy.objects.select_related("occupation").in_bulk([i.vacancy["id"] for i in items])


def test_the_pupil_sees_summer_jobs_and_apprenticeships_open_to_a_16_year_old_near_valmiera():
    pupil, jobs = jobs_of("pupil.valmiera")
    found = vacancies(jobs.items)
    assert jobs.items and all(found[i.vacancy["id"]].min_age <= pupil.age() for i in jobs.items)
    kinds = {found[i.vacancy["id"]].contract_kind for i in jobs.items if i.explanation.match_kind == ENTRY_JOB}
    assert ContractKind.SUMMER_JOB in kinds
    assert all(i.explanation.distance_km is None or i.explanation.distance_km <= pupil.max_commute_km
               for i in jobs.items)
    assert not any(found[i.vacancy["id"]].contract_kind == ContractKind.PERMANENT for i in jobs.items)
    assert jobs_of("pupil.valmiera", viewer=pupil.user)[1].reason == NOT_RELEASED  # supervised: not yet released


def test_the_welder_sees_welding_jobs_first_and_no_summer_jobs_or_apprenticeships():
    welder, jobs = jobs_of("welder.ventspils")
    found = vacancies(jobs.items)
    first = [found[i.vacancy["id"]] for i in jobs.items[:3]]
    assert all(v.occupation.label_en == "welder" for v in first), [v.title for v in first]
    assert all(i.explanation.match_kind == SKILL_MATCH for i in jobs.items[:3])
    assert not any(found[i.vacancy["id"]].contract_kind in (ContractKind.SUMMER_JOB, ContractKind.APPRENTICESHIP)
                   for i in jobs.items)


def test_the_it_student_gets_no_hospital_ward_job_and_no_vocational_apprenticeship():
    student, jobs = jobs_of("student.via")
    found = vacancies(jobs.items)
    titles = [found[i.vacancy["id"]].title for i in jobs.items]
    assert not any(found[i.vacancy["id"]].occupation.isco_code.startswith("53") for i in jobs.items), titles
    assert not any(found[i.vacancy["id"]].contract_kind == ContractKind.APPRENTICESHIP for i in jobs.items), titles
    assert jobs.items or jobs.reason  # an empty list says why


def test_on_the_whole_demo_population_no_job_shares_nothing_and_no_list_is_empty_without_a_reason():
    figures = audit_recommendations(language="lv").kinds["jobs"]
    assert figures.people > 200
    assert figures.no_shared_skill == 0
    assert figures.ineligible == 0
    assert figures.order_disagrees == 0
    assert figures.empty_without_reason == 0
