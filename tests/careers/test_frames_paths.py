"""careers/frames/paths.py learning-path frames feed PathFinder end to end (issue 5)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from careers import frames as adapter
from careers.models import Application, CandidateProfile, Programme
from matching.index import MatchIndex
from matching.paths import PathFinder
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    today = timezone.localdate()
    ventspils = f.TownFactory(name="Ventspils", latitude=57.38988, longitude=21.57288)
    weld, drawings, cnc = (f.SkillFactory(label_en=n) for n in ("welding", "read drawings", "operate CNC"))
    operator = f.OccupationFactory(label_en="CNC operator", riasec_r=6, riasec_i=3, riasec_a=1, riasec_s=1,
                                   riasec_e=1, riasec_c=4)
    for skill in (drawings, cnc):
        f.OccupationSkillFactory(occupation=operator, skill=skill)
    vacancy = f.VacancyFactory(occupation=operator, town=ventspils, employer__town=ventspils, salary_min=1300,
                               salary_max=1700)
    for skill in (drawings, cnc):
        f.VacancySkillFactory(vacancy=vacancy, skill=skill)
    candidate = f.CandidateFactory(town=ventspils, max_commute_km=30, highest_education=1,
                                   employment_status=CandidateProfile.EmploymentStatus.UNEMPLOYED)
    for skill in (weld, drawings):
        f.CandidateSkillFactory(candidate=candidate, skill=skill, proficiency=3)
    school = f.InstitutionFactory(town=ventspils)
    course = f.ProgrammeFactory(institution=school, voucher_eligible=True, cost_eur=600, duration_months=3)
    course.skills_taught.add(cnc)
    course.leads_to.add(operator)
    f.IntakeFactory(programme=course, start_date=today - dt.timedelta(days=30),
                    application_deadline=today - dt.timedelta(days=40))
    upcoming = f.IntakeFactory(programme=course, start_date=today + dt.timedelta(days=60))
    college = f.ProgrammeFactory(institution=school, kind="college", duration_months=24, cost_eur=1000,
                                 cost_period=Programme.CostPeriod.PER_YEAR, min_education=2, mode="full_time")
    college.skills_taught.add(cnc)
    f.IntakeFactory(programme=college, start_date=today + dt.timedelta(days=200))
    other = f.CandidateFactory(town=ventspils)
    f.ApplicationFactory(candidate=other, vacancy=None, intake=upcoming)
    f.ApplicationFactory(candidate=f.CandidateFactory(town=ventspils), vacancy=None, intake=upcoming,
                         status=Application.Status.WITHDRAWN)
    return {"candidate": candidate, "course": course, "college": college, "upcoming": upcoming, "vacancy": vacancy,
            "today": today, "cnc": cnc}


def test_path_frames_carry_total_cost_popularity_and_links(world):
    frames = adapter.path_frames().checked()
    programmes = frames.programmes.set_index("programme_id")
    assert programmes.loc[world["college"].id, "cost_eur"] == 2000.0  # 1,000 a year for two years
    assert programmes.loc[world["course"].id, "popularity"] == 1  # the withdrawn application does not count
    assert programmes.loc[world["course"].id, "town_id"] == world["course"].institution.town_id
    assert len(frames.intakes) == 3
    assert set(frames.programme_skills["skill_id"]) == {world["cnc"].id}
    assert frames.occupations["riasec_r"].max() == 6.0
    assert frames.vacancies.set_index("vacancy_id").loc[world["vacancy"].id, "salary_max"] == 1700.0


def test_finder_from_the_database_offers_the_voucher_course(world):
    index = MatchIndex().fit(adapter.match_frames())
    finder = PathFinder().fit(adapter.path_frames(), index)
    learner = adapter.learner_for(candidate=world["candidate"])
    assert learner.employment_status == "registered_unemployed" and learner.riasec is None
    top = finder.recommend_programmes(learner, today=world["today"], k=5)
    first = top.iloc[0]
    assert first["programme_id"] == world["course"].id and first["intake_id"] == world["upcoming"].id
    assert first["explanation"]["funding"] == "training_voucher"
    assert first["explanation"]["vacancies_unlocked_top"] == [world["vacancy"].id]
    assert world["college"].id not in set(top["programme_id"])  # needs secondary education: not offered
    paths = finder.recommend_pathways(learner, today=world["today"])
    assert paths["programme_ids"].iloc[0] == [world["course"].id]
    assert paths["vacancy_ids"].iloc[0] == [world["vacancy"].id]
