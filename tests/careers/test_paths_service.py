"""careers.runtime.paths: one PathFinder per process on top of the match index, refitted when its inputs change."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from careers.models import FundingKind
from careers.runtime.paths import PathService, catalogue_fingerprint
from careers.runtime.matches import MatchService
from matching.paths.funding import FUNDING
from tests import factories as f
from tests.careers.test_recommendations import PROBE, FakeClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def matches(clock) -> MatchService:
    return MatchService(clock=clock, probe_seconds=PROBE, background=False)


@pytest.fixture
def service(clock, matches) -> PathService:
    return PathService(matches=lambda: matches, clock=clock, probe_seconds=PROBE, background=False)


@pytest.fixture
def world():
    today = timezone.localdate()
    town = f.TownFactory(name="Valmiera")
    have, need = f.SkillFactory(), f.SkillFactory()
    vacancy = f.VacancyFactory(town=town, employer__town=town)
    for skill in (have, need):
        f.VacancySkillFactory(vacancy=vacancy, skill=skill)
    candidate = f.CandidateFactory(town=town)
    f.CandidateSkillFactory(candidate=candidate, skill=have)
    school = f.InstitutionFactory(town=town)
    course = f.ProgrammeFactory(institution=school)
    course.skills_taught.add(need)
    intake = f.IntakeFactory(programme=course, start_date=today + dt.timedelta(days=40))
    return {"today": today, "town": town, "need": need, "vacancy": vacancy, "candidate": candidate,
            "school": school, "course": course, "intake": intake}


def _programme_ids(service, candidate) -> list:
    return service.programmes_for(candidate=candidate, k=10)["programme_id"].tolist()


def test_the_finder_is_fitted_on_the_match_services_current_index(service, matches, world):
    match, paths = service.state()
    assert paths.index is match.index and paths.finder.index_ is match.index
    assert service.state()[1] is paths  # not refitted per request


def test_a_new_index_object_refits_the_finder_at_once(service, matches, world):
    _, before = service.state()
    matches.build()  # a full refit swaps in a new index
    match, after = service.state()
    assert after is not before and after.finder.index_ is match.index
    assert service.log[-1] == {"action": "refit", "reason": "new index"}


def test_a_new_programme_is_picked_up_by_the_next_probe_not_before(service, clock, world):
    assert _programme_ids(service, world["candidate"]) == [world["course"].pk]
    other = f.ProgrammeFactory(institution=world["school"])
    other.skills_taught.add(world["need"])
    f.IntakeFactory(programme=other, start_date=world["today"] + dt.timedelta(days=30))
    assert _programme_ids(service, world["candidate"]) == [world["course"].pk]
    clock.advance(PROBE)
    assert set(_programme_ids(service, world["candidate"])) == {world["course"].pk, other.pk}
    assert service.log[-1] == {"action": "refit", "reason": "programmes changed"}


@pytest.mark.parametrize("change", ["intake moved", "seats", "cost", "education", "link", "riasec"])
def test_the_catalogue_fingerprint_sees_edits_that_keep_counts(world, change):
    before = catalogue_fingerprint()
    course, intake = world["course"], world["intake"]
    if change == "intake moved":
        type(intake).objects.filter(pk=intake.pk).update(start_date=intake.start_date + dt.timedelta(days=1))
    elif change == "seats":
        type(intake).objects.filter(pk=intake.pk).update(funded_seats=3)
    elif change == "cost":
        type(course).objects.filter(pk=course.pk).update(cost_eur=700)
    elif change == "education":
        type(course).objects.filter(pk=course.pk).update(min_education=2)
    elif change == "link":
        course.skills_taught.remove(world["need"])
        course.skills_taught.add(f.SkillFactory())
    else:
        occupation = world["vacancy"].occupation
        type(occupation).objects.filter(pk=occupation.pk).update(riasec_r=5)
    assert catalogue_fingerprint() != before


def test_a_probe_without_changes_keeps_the_finder(service, clock, world):
    _, paths = service.state()
    clock.advance(PROBE)
    assert service.state()[1] is paths
    assert service.log[-1] == {"action": "none"}


def test_probes_run_at_most_every_probe_seconds(service, clock, world):
    service.state()
    clock.advance(PROBE / 2)
    service.state()
    assert service.log == [{"action": "refit", "reason": "new index"}]


def test_a_new_public_vacancy_refits_for_its_salary(service, matches, clock, world):
    service.state()
    f.VacancyFactory(town=world["town"], employer=world["vacancy"].employer, occupation=world["vacancy"].occupation)
    clock.advance(PROBE)
    service.state()
    assert service.log[-1] == {"action": "refit", "reason": "public vacancies changed"}


def test_an_intake_closed_in_the_database_leaves_after_the_probe(service, clock, world):
    assert _programme_ids(service, world["candidate"]) == [world["course"].pk]
    type(world["intake"]).objects.filter(pk=world["intake"].pk).update(
        start_date=world["today"] - dt.timedelta(days=1), application_deadline=world["today"] - dt.timedelta(days=5))
    clock.advance(PROBE)
    assert _programme_ids(service, world["candidate"]) == []


def test_a_candidate_not_in_the_index_gets_none(service, world):
    candidate = world["candidate"]
    candidate.consent_processing = False
    candidate.save()
    assert service.programmes_for(candidate=candidate, k=5) is None
    assert service.pathways_for(candidate=candidate, k=5) is None
    assert service.careers_for(candidate=candidate, k=5) is None
    assert service.what_if(candidate=candidate, skill_ids=[world["need"].pk]) is None


def test_a_profile_edit_shows_on_the_next_request(service, world):
    candidate = world["candidate"]
    assert service.pathways_for(candidate=candidate, k=5)["vacancy_ids"].tolist() == [[world["vacancy"].pk]]
    f.CandidateSkillFactory(candidate=candidate, skill=world["need"])
    candidate.save()  # the services bump updated_at when they replace skills
    assert service.pathways_for(candidate=candidate, k=5).empty  # the vacancy fits now: nothing to unlock


def test_what_if_raises_value_error_for_an_unknown_programme(service, world):
    with pytest.raises(ValueError, match="unknown programme"):
        service.what_if(candidate=world["candidate"], programme_id=987654)


def test_what_if_for_a_programme_created_a_moment_ago_refits_once(service, world):
    service.state()
    fresh = f.ProgrammeFactory(institution=world["school"])
    fresh.skills_taught.add(world["need"])
    result = service.what_if(candidate=world["candidate"], programme_id=fresh.pk)
    assert result["vacancies_gained"] == [world["vacancy"].pk]
    assert service.log[-1] == {"action": "refit", "reason": "programme not fitted yet"}


def test_the_funding_choice_of_careers_names_exactly_the_kinds_the_path_finder_assigns():
    assert tuple(FundingKind.values) == FUNDING
