"""careers/frames/matching.py: the ORM → frames adapter feeds MatchIndex end to end."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from careers import frames as adapter
from careers.models import Vacancy
from matching.index import MatchIndex
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    valmiera = f.TownFactory(name="Valmiera", latitude=57.54108, longitude=25.42751)
    ventspils = f.TownFactory(name="Ventspils", latitude=57.38988, longitude=21.57288)
    f.TownDistanceFactory(from_town=valmiera, to_town=ventspils, road_km=290)
    weld = f.SkillFactory(label_en="welding", label_lv="metināšana")
    tig = f.SkillFactory(label_en="TIG welding", label_lv="TIG metināšana")
    tig.broader.add(weld)
    welder = f.OccupationFactory(label_en="welder", label_lv="metinātājs")
    f.OccupationSkillFactory(occupation=welder, skill=weld)
    near = f.VacancyFactory(occupation=welder, town=valmiera, employer__town=valmiera, title="Metinātājs")
    far = f.VacancyFactory(occupation=welder, town=ventspils, employer__town=ventspils, title="Metinātājs")
    draft = f.VacancyFactory(occupation=welder, town=valmiera, employer__town=valmiera, status=Vacancy.Status.DRAFT,
                             published_at=None)
    expired = f.VacancyFactory(occupation=welder, town=valmiera, employer__town=valmiera,
                               published_at=timezone.localdate() - dt.timedelta(days=60),
                               expires_at=timezone.localdate() - dt.timedelta(days=1))
    for vacancy in (near, far, draft, expired):
        f.VacancySkillFactory(vacancy=vacancy, skill=weld)
    f.VacancyLanguageFactory(vacancy=near, language="lv", level=3)
    candidate = f.CandidateFactory(town=valmiera, max_commute_km=30, about="Esmu metinātājs.")
    f.CandidateSkillFactory(candidate=candidate, skill=tig, proficiency=4)
    f.CandidateLanguageFactory(candidate=candidate, language="lv", level=6)
    f.WorkExperienceFactory(candidate=candidate, occupation=welder, years=0.5)  # under a year: implies no skill
    return {"near": near, "far": far, "draft": draft, "expired": expired, "candidate": candidate, "weld": weld,
            "tig": tig}


def test_frames_hold_only_public_vacancies_and_named_columns(world):
    frames = adapter.match_frames().checked()
    assert set(frames.vacancies["vacancy_id"]) == {world["near"].id, world["far"].id}
    assert set(frames.candidate_skills["level"]) == {4}
    assert frames.candidates.loc[0, "age"] == 35
    assert set(frames.skill_relations["kind"]) >= {"broader"}
    assert frames.candidate_occupations["kind"].tolist() == ["history"]


def test_index_built_from_the_database_explains_a_related_skill(world):
    index = MatchIndex().fit(adapter.match_frames())
    result = index.recommend_jobs(world["candidate"].id)
    assert result["vacancy_id"].tolist() == [world["near"].id]
    explanation = result.loc[0, "explanation"]
    assert explanation["related_skills"][0]["skill_id"] == world["weld"].id
    assert explanation["related_skills"][0]["via"]["skill_id"] == world["tig"].id
    assert explanation["distance_km"] == 0.0


def test_frames_use_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        adapter.match_frames()

