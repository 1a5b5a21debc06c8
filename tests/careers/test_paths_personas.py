"""Journeys 1 and 2 on the demo data: what the pupil and the welder must and must not see in their learning paths."""
from __future__ import annotations

import pytest
from django.utils import timezone

from careers.models import Application, CandidateProfile, Intake, Programme, User
from careers.results import PATH_REASONS, REASON_MESSAGES
from careers.runtime.matches import MatchService, set_match_service
from careers.runtime.paths import PathService, set_path_service
from careers.services.learning_paths import (
    candidate_career_recommendations, candidate_pathway_recommendations, candidate_programme_recommendations,
)
from matching.paths.eligibility import failures, person_groups

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world", "fresh_services")]

ONLY_FOR_ADULTS = {"registered_unemployed", "employed_adults", "adults_25_plus", "adults"}


@pytest.fixture
def fresh_services():
    previous = set_match_service(MatchService(background=False)), set_path_service(PathService(background=False))
    yield
    set_match_service(previous[0])
    set_path_service(previous[1])


def _person(username: str) -> CandidateProfile:
    return CandidateProfile.objects.select_related("town").get(user__username=username)


def _lists(candidate: CandidateProfile, language: str = "lv") -> dict:
    staff = User.objects.get(username="admin")  # the whole list, as the counsellor reviews it
    ask = {"viewer": staff, "candidate": candidate, "top_k": 50, "language": language}
    return {"programmes": candidate_programme_recommendations(**ask),
            "careers": candidate_career_recommendations(**ask),
            "pathways": candidate_pathway_recommendations(**ask)}


def _programme_ids(lists: dict) -> set[int]:
    ids = {i.programme["id"] for i in lists["programmes"].items}
    ids |= {p["programme"]["id"] for c in lists["careers"].items for p in c.explanation["programmes"]
            if p["enrolable"]}
    ids |= {s["programme"]["id"] for p in lists["pathways"].items for s in p.steps}
    return ids


def _admits(candidate: CandidateProfile, programme: Programme) -> bool:
    groups = person_groups(age=candidate.age(), education=candidate.highest_education,
                           employment_status=candidate.employment_status, kind=candidate.kind)
    return not failures(groups=groups, age=candidate.age(), education=candidate.highest_education,
                        languages=dict(candidate.languages.values_list("language", "level")),
                        target_groups=programme.target_groups, min_age=programme.min_age,
                        max_age=programme.max_age, min_education=programme.min_education,
                        instruction=programme.languages)


# ------------------------------------------------------------------------------------------ journey 1: the pupil
def test_the_pupil_gets_no_ventspils_course_no_adult_only_course_and_not_his_own_programme():
    pupil = _person("pupil.valmiera")
    lists = _lists(pupil)
    offered = Programme.objects.filter(pk__in=_programme_ids(lists)).select_related("institution__town")
    assert lists["programmes"].items and offered
    assert not [p.name_lv for p in offered if p.institution.town.name == "Ventspils"]
    assert not [p.name_lv for p in offered if p.target_groups and set(p.target_groups) <= ONLY_FOR_ADULTS]
    assert not [p.name_lv for p in offered if (p.min_age or 0) > pupil.age()]
    own = Programme.objects.get(institution__name_lv="Valmieras tehnikums", name_lv="Mehatronika")
    assert "mehatronika" in pupil.current_studies.lower() and own.pk not in {p.pk for p in offered}
    assert all(i.explanation["within_reach"] for i in lists["programmes"].items)


def test_the_pupil_opens_mechatronics_and_sees_what_the_work_is_and_the_next_step_with_its_requirements():
    lists = _lists(_person("pupil.valmiera"), language="en")
    career = next(c for c in lists["careers"].items if "mechatronic" in c.occupation["label"])
    assert career.occupation["description"]
    routes = {p["programme"]["institution"]["short_name"]: p for p in career.explanation["programmes"]}
    assert "ViA" in routes and routes["ViA"]["enrolable"] is False
    assert routes["ViA"]["reason"].startswith("requires secondary education")
    today = timezone.localdate()
    assert routes["ViA"]["intake"]["application_deadline"] >= today and routes["ViA"]["intake"]["start_date"] > today


# ------------------------------------------------------------------------------------------ journey 2: the welder
def test_the_welders_cnc_course_is_a_pathway_that_unlocks_vacancies_free_with_a_voucher():
    welder = _person("welder.ventspils")
    lists = _lists(welder)
    cnc = Programme.objects.get(name_lv__startswith="CNC darbgaldu operators", institution__town__name="Ventspils")
    routes = [p for p in lists["pathways"].items if cnc.pk in {s["programme"]["id"] for s in p.steps}]
    assert routes, [p.summary for p in lists["pathways"].items]
    best = max(routes, key=lambda p: p.vacancies_unlocked)
    assert best.vacancies_unlocked >= 1 and best.vacancies
    step = next(s for s in best.steps if s["programme"]["id"] == cnc.pk)
    assert step["funding"] == "training_voucher" and step["cost_after_funding_eur"] == 0.0
    assert "apmācību kuponu" in best.summary
    first_open = Intake.objects.filter(programme=cnc, start_date__gt=timezone.localdate(),
                                       application_deadline__gte=timezone.localdate()).order_by("start_date").first()
    assert step["intake"]["id"] == first_open.pk  # the February intake until its deadline, then September
    only_cnc = [p for p in routes if len(p.steps) == 1]
    assert only_cnc and only_cnc[0].vacancies_unlocked >= 1


def test_the_welder_is_offered_only_courses_he_may_enter_within_his_commute():
    welder = _person("welder.ventspils")
    lists = _lists(welder)
    offered = Programme.objects.filter(pk__in=_programme_ids(lists)).select_related("institution__town")
    assert offered and all(_admits(welder, p) for p in offered)
    assert all(i.explanation["within_reach"] for i in lists["programmes"].items)
    assert not [p.name_lv for p in offered if p.min_age == 25 and p.target_groups == ["employed_adults"]]


# ------------------------------------------------------------------------------------------------ everybody
def test_nobody_is_offered_a_programme_they_may_not_enter_or_already_study():
    people = CandidateProfile.objects.filter(consent_processing=True).order_by("pk")[:60]
    for person in people:
        lists = _lists(person)
        enrolled = set(Application.objects.filter(candidate=person, status=Application.Status.ENROLLED)
                       .values_list("intake__programme_id", flat=True))
        offered = Programme.objects.filter(pk__in=_programme_ids(lists))
        assert all(_admits(person, p) for p in offered), person.user.username
        assert not enrolled & {p.pk for p in offered}, person.user.username
        for kind, answer in lists.items():
            if not answer.items:
                assert answer.reason in PATH_REASONS and answer.reason_message, (person.user.username, kind)
                assert answer.reason_message == REASON_MESSAGES[answer.reason][0]
