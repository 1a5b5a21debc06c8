"""Eligibility as data over HTTP: the public programme filters, provider bodies, what-if, and the model's rules."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from careers.models import TargetGroup
from matching.paths.eligibility import TARGET_GROUPS
from tests import factories as f
from tests.api.test_paths_api import World, client_for, services, what_if  # noqa: F401 (the autouse fixture)
from tests.careers.test_recommendations import FakeClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def w() -> World:
    world = World()
    world.course.target_groups = ["registered_unemployed", "employed_adults"]
    world.course.min_age = 18
    world.course.save()
    world.kitchen.target_groups = ["after_basic_school"]
    world.kitchen.min_age = 15
    world.kitchen.save()
    return world


def _listed(user=None, **params) -> set[int]:
    response = client_for(user).get("/api/v1/programmes/", {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return {p["id"] for p in response.json()["results"]}


def test_the_target_groups_of_the_model_are_those_of_the_rules():
    assert tuple(TargetGroup.values) == TARGET_GROUPS


def test_eligible_for_me_lists_only_what_the_signed_in_candidate_may_enter(w):
    w.cand.highest_education = 2
    w.cand.save()
    mine = _listed(w.cand.user, eligible_for="me")
    assert w.course.pk in mine and w.kitchen.pk not in mine  # registered unemployed, 35: not a school leaver
    pupils = _listed(w.pupil.user, eligible_for="me")
    assert w.kitchen.pk in pupils and w.course.pk not in pupils  # 15: too young and not unemployed
    assert {w.course.pk, w.kitchen.pk} <= _listed()


@pytest.mark.parametrize("who", ["anonymous", "employer"])
def test_eligible_for_me_needs_a_candidate(w, who):
    user = None if who == "anonymous" else getattr(w.member, "user", w.member)
    response = client_for(user).get("/api/v1/programmes/", {"eligible_for": "me"})
    assert response.status_code == 400 and "eligible_for" in response.json()["error"]["fields"]


def test_age_and_group_filters(w):
    assert w.course.pk not in _listed(age=16) and w.kitchen.pk in _listed(age=16)
    assert w.kitchen.pk not in _listed(group="registered_unemployed")
    assert w.course.pk in _listed(group="registered_unemployed")
    for bad in ({"age": "12"}, {"age": "x"}, {"group": "pensioners"}):
        response = client_for().get("/api/v1/programmes/", bad)
        assert response.status_code == 400 and set(bad) <= set(response.json()["error"]["fields"])


def test_open_for_applications_and_upcoming_intakes_leave_out_an_intake_past_its_deadline(w):
    today = timezone.localdate()
    late = f.IntakeFactory(programme=w.kitchen, start_date=today + dt.timedelta(days=5),
                           application_deadline=today - dt.timedelta(days=1))
    w.kitchen.intakes.exclude(pk=late.pk).delete()
    assert w.kitchen.pk not in _listed(open_for_applications="true")
    detail = client_for().get(f"/api/v1/programmes/{w.kitchen.pk}/").json()
    assert detail["upcoming_intakes"] == [] and detail["target_groups"] == ["after_basic_school"]


def test_provider_staff_set_eligibility_and_bad_values_are_field_errors(w):
    client = client_for(w.provider)
    ok = client.patch(f"/api/v1/programmes/{w.course.pk}/", {"target_groups": ["adults"], "min_age": 25,
                                                              "funding_groups": {"training_voucher": [
                                                                  "registered_unemployed"]}}, format="json")
    assert ok.status_code == 200 and ok.json()["min_age"] == 25 and ok.json()["target_groups"] == ["adults"]
    for body, field in (({"target_groups": ["pensioners"]}, "target_groups"), ({"min_age": 40, "max_age": 30}, "min_age"),
                        ({"funding_groups": {"lottery": ["adults"]}}, "funding_groups"), ({"max_age": 5}, "max_age")):
        response = client.patch(f"/api/v1/programmes/{w.course.pk}/", body, format="json")
        assert response.status_code == 400 and field in response.json()["error"]["fields"], (body, response.content)
    w.course.refresh_from_db()
    assert w.course.min_age == 25 and w.course.max_age is None  # nothing written half-way


def test_the_model_refuses_unknown_groups_and_crossed_ages(w):
    w.course.target_groups = ["pensioners"]
    with pytest.raises(ValidationError):
        w.course.full_clean()
    w.course.target_groups, w.course.min_age, w.course.max_age = [], 30, 20
    with pytest.raises(ValidationError):
        w.course.full_clean()


def test_what_if_with_a_programme_one_may_not_enter_is_a_400_saying_why(w):
    response = what_if(w.pupil, {"programme": w.course.pk}, user=w.admin)
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["programme"][0]
    assert "nav pieejama" in message and "18" in message
    assert what_if(w.cand, {"programme": w.course.pk}).status_code == 200
