"""Database constraints hold whatever code writes: the database refuses nonsense."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from careers import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db


def refuses(factory, **kwargs) -> bool:
    try:
        with transaction.atomic():
            factory(**kwargs)
    except IntegrityError:
        return True
    return False


def test_skill_uri_is_unique():
    f.SkillFactory(uri="http://data.europa.eu/esco/skill/x")
    assert refuses(f.SkillFactory, uri="http://data.europa.eu/esco/skill/x")


def test_occupation_uri_is_unique():
    f.OccupationFactory(uri="http://data.europa.eu/esco/occupation/x")
    assert refuses(f.OccupationFactory, uri="http://data.europa.eu/esco/occupation/x")


@pytest.mark.parametrize("salary_min,salary_max,ok", [(1200, 1600, True), (1600, 1600, True), (1700, 1600, False), (0, 100, False)])
def test_vacancy_salary_min_not_above_max(salary_min, salary_max, ok):
    assert refuses(f.VacancyFactory, salary_min=salary_min, salary_max=salary_max) is (not ok)


def test_vacancy_expiry_not_before_publication():
    today = dt.date(2026, 3, 1)
    assert refuses(f.VacancyFactory, published_at=today, expires_at=today - dt.timedelta(days=1))


def test_open_vacancy_needs_a_publication_date():
    assert refuses(f.VacancyFactory, status=m.Vacancy.Status.OPEN, published_at=None, expires_at=None)


@pytest.mark.parametrize("age,ok", [(12, False), (13, True), (18, True), (76, False)])
def test_vacancy_minimum_age_range(age, ok):
    assert refuses(f.VacancyFactory, min_age=age) is (not ok)


@pytest.mark.parametrize("level,ok", [(0, False), (1, True), (8, True), (9, False)])
def test_programme_eqf_level_range(level, ok):
    assert refuses(f.ProgrammeFactory, eqf_level=level) is (not ok)


def test_programme_cost_is_not_negative():
    assert refuses(f.ProgrammeFactory, cost_eur=-1)


def test_intake_deadline_not_after_start():
    start = dt.date(2027, 2, 1)
    assert refuses(f.IntakeFactory, start_date=start, application_deadline=start + dt.timedelta(days=1))


def test_intake_funded_seats_within_seats():
    assert refuses(f.IntakeFactory, seats=10, funded_seats=11)


@pytest.mark.parametrize("level,ok", [(0, False), (1, True), (4, True), (5, False)])
def test_candidate_skill_proficiency_one_to_four(level, ok):
    assert refuses(f.CandidateSkillFactory, proficiency=level) is (not ok)


def test_candidate_consent_needs_a_timestamp():
    assert refuses(f.CandidateFactory, consent_discoverable=True, consent_discoverable_at=None)


def test_occupation_riasec_on_one_to_seven_scale():
    assert refuses(f.OccupationFactory, riasec_r=7.5)
    assert not refuses(f.OccupationFactory, riasec_r=4.2)


def test_town_distance_needs_two_towns():
    valmiera = f.TownFactory(name="Valmiera")
    assert refuses(f.TownDistanceFactory, from_town=valmiera, to_town=valmiera)


def test_application_targets_exactly_one_posting():
    intake = f.IntakeFactory()
    assert refuses(f.ApplicationFactory, intake=intake)  # the factory also sets a vacancy
    assert refuses(f.ApplicationFactory, vacancy=None, intake=None)


def test_application_once_per_vacancy():
    application = f.ApplicationFactory()
    assert refuses(f.ApplicationFactory, candidate=application.candidate, vacancy=application.vacancy)


def test_minor_is_supervised_and_hidden_from_employers():
    year = dt.date.today().year
    minor = f.CandidateFactory(birth_year=year - 16, consent_discoverable=True, consent_discoverable_at=dt.datetime.now(dt.timezone.utc))
    assert minor.is_minor and minor.is_supervised
    assert not minor.visible_to_employers
    minor.minor_visible_to_employers = True
    assert minor.visible_to_employers


def test_search_text_folds_diacritics():
    skill = f.SkillFactory(label_en="welding", label_lv="Metināšana", alt_labels_lv=["elektrometināšana"])
    assert "metinasana" in skill.search_text.split("|")
    assert "elektrometinasana" in skill.search_text
