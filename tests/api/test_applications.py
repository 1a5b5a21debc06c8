"""Applications: applying once, the status flow, who may move what, and who sees which applications."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone
from rest_framework.test import APIClient

from api.views.resources_applications import ApplicationCreateThrottle
from careers import models as m
from careers.services.applications import MSG_DUPLICATE, MSG_INTAKE_CLOSED, MSG_VACANCY_CLOSED
from tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"
S = m.Application.Status
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def fresh_throttle_cache():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def field_errors(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


@pytest.fixture
def candidate():
    return f.CandidateFactory()


@pytest.fixture
def member():
    return f.EmployerMemberFactory()


@pytest.fixture
def vacancy(member):
    return f.VacancyFactory(employer=member.employers.get())


@pytest.fixture
def provider():
    return f.ProviderStaffFactory()


@pytest.fixture
def intake(provider):
    return f.IntakeFactory(programme=f.ProgrammeFactory(institution=provider.institution))


def apply(candidate, **body):
    return client_for(candidate.user).post(f"{API}/applications/", body, format="json")


def move(user, application_id, status):
    return client_for(user).post(f"{API}/applications/{application_id}/status/", {"status": status}, format="json")


# --- applying ------------------------------------------------------------------------------------


def test_candidate_applies_to_a_public_vacancy(candidate, vacancy):
    response = apply(candidate, vacancy=vacancy.id, message="Varu sākt nākamnedēļ.")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "submitted" and data["vacancy"]["id"] == vacancy.id and data["intake"] is None
    assert data["allowed_transitions"] == ["withdrawn"]


def test_second_application_to_the_same_vacancy_is_a_400_not_a_500(candidate, vacancy):
    assert apply(candidate, vacancy=vacancy.id).status_code == 201
    response = apply(candidate, vacancy=vacancy.id)
    assert field_errors(response)["vacancy"] == [str(MSG_DUPLICATE)]
    assert m.Application.objects.count() == 1


def test_the_database_constraint_backs_the_duplicate_check(candidate, vacancy, monkeypatch):
    """Two racing requests both pass the exists() check; the unique constraint must still give a 400."""
    apply(candidate, vacancy=vacancy.id)
    real_filter = m.Application.objects.filter

    class NoDuplicateSeen:
        def exists(self):
            return False

    def racing_filter(*args, **kwargs):
        return NoDuplicateSeen() if set(kwargs) == {"candidate", "vacancy", "intake"} else real_filter(*args, **kwargs)

    monkeypatch.setattr(m.Application.objects, "filter", racing_filter)
    response = apply(candidate, vacancy=vacancy.id)
    assert field_errors(response)["vacancy"] == [str(MSG_DUPLICATE)]


@pytest.mark.parametrize("make", [
    lambda: f.VacancyFactory(status="draft", published_at=None),
    lambda: f.VacancyFactory(status="closed"),
    lambda: f.VacancyFactory(published_at=TODAY() - dt.timedelta(days=30), expires_at=TODAY() - dt.timedelta(days=1)),
    lambda: f.VacancyFactory(employer=f.EmployerFactory(verified=False)),
    lambda: type("Missing", (), {"id": 99999999})(),
])
def test_only_public_vacancies_take_applications_and_unknown_ids_look_the_same(candidate, make):
    response = apply(candidate, vacancy=make().id)
    assert field_errors(response)["vacancy"] == [str(MSG_VACANCY_CLOSED)]


def test_candidate_below_the_minimum_age_cannot_apply():
    pupil = f.CandidateFactory(birth_year=TODAY().year - 16)
    vacancy = f.VacancyFactory(min_age=18)
    assert "vacancy" in field_errors(apply(pupil, vacancy=vacancy.id))
    summer_job = f.VacancyFactory(min_age=15, contract_kind="summer_job")
    assert apply(pupil, vacancy=summer_job.id).status_code == 201


def test_candidate_applies_to_an_upcoming_intake_once(candidate, intake):
    response = apply(candidate, intake=intake.id)
    assert response.status_code == 201 and response.json()["intake"]["id"] == intake.id
    assert field_errors(apply(candidate, intake=intake.id))["intake"] == [str(MSG_DUPLICATE)]


@pytest.mark.parametrize("make", [
    lambda: f.IntakeFactory(start_date=TODAY() + dt.timedelta(days=10), application_deadline=TODAY() - dt.timedelta(days=1)),
    lambda: f.IntakeFactory(start_date=TODAY() - dt.timedelta(days=1)),
    lambda: f.IntakeFactory(programme=f.ProgrammeFactory(is_active=False)),
    lambda: type("Missing", (), {"id": 99999999})(),
])
def test_closed_intakes_refuse_applications(candidate, make):
    assert field_errors(apply(candidate, intake=make().id))["intake"] == [str(MSG_INTAKE_CLOSED)]


BAD_BODIES = [
    ({}, "non_field_errors"),
    ({"message": "hi"}, "non_field_errors"),
    ({"vacancy": "abc"}, "vacancy"),
    ({"vacancy": -1}, "vacancy"),
    ({"vacancy": 0}, "vacancy"),
    ({"vacancy": 2**70}, "vacancy"),
    ({"vacancy": 1.5}, "vacancy"),
    ({"vacancy": [1]}, "vacancy"),
    ({"intake": None}, "intake"),
    ({"vacancy": "VACANCY", "intake": "INTAKE"}, "non_field_errors"),
    ({"vacancy": "VACANCY", "message": "x" * 2001}, "message"),
    ({"vacancy": "VACANCY", "message": {"html": "<b>"}}, "message"),
]


@pytest.mark.parametrize("body,field", BAD_BODIES)
def test_bad_application_bodies_answer_400_and_write_nothing(candidate, vacancy, intake, body, field):
    body = {k: {"VACANCY": vacancy.id, "INTAKE": intake.id}.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    assert field in field_errors(apply(candidate, **body))
    assert not m.Application.objects.exists()


@pytest.mark.parametrize("user_factory", [
    lambda: f.EmployerMemberFactory(),
    lambda: f.ProviderStaffFactory().user,
    lambda: f.CounsellorFactory().user,
    lambda: f.AdminUserFactory(),
    lambda: f.UserFactory(role=m.Role.CANDIDATE),  # candidate role but no profile
])
def test_only_candidates_apply(vacancy, user_factory):
    response = client_for(user_factory()).post(f"{API}/applications/", {"vacancy": vacancy.id}, format="json")
    assert response.status_code == 403


def test_applying_is_rate_limited(monkeypatch, candidate):
    monkeypatch.setattr(ApplicationCreateThrottle, "THROTTLE_RATES", {"applications": "3/min"})
    vacancies = f.VacancyFactory.create_batch(4)
    answers = [apply(candidate, vacancy=v.id) for v in vacancies]
    assert [r.status_code for r in answers] == [201, 201, 201, 429]
    assert answers[-1].has_header("Retry-After")
    assert m.Application.objects.count() == 3


# --- the status flow ---------------------------------------------------------------------------


def test_vacancy_flow_to_hired(candidate, vacancy, member):
    application_id = apply(candidate, vacancy=vacancy.id).json()["id"]
    for status, allowed_next in [("viewed", ["shortlisted", "rejected"]), ("shortlisted", ["hired", "rejected"]), ("hired", [])]:
        response = move(member, application_id, status)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status and response.json()["allowed_transitions"] == allowed_next


def test_intake_flow_to_enrolled_not_hired(candidate, intake, provider):
    application_id = apply(candidate, intake=intake.id).json()["id"]
    move(provider.user, application_id, "viewed")
    move(provider.user, application_id, "shortlisted")
    errors = field_errors(move(provider.user, application_id, "hired"))
    assert errors["allowed"] == ["enrolled", "rejected"]
    assert move(provider.user, application_id, "enrolled").json()["status"] == "enrolled"


@pytest.mark.parametrize("path,target,allowed", [
    ([], "shortlisted", ["viewed"]),
    ([], "hired", ["viewed"]),
    (["viewed"], "hired", ["shortlisted", "rejected"]),
    (["viewed", "rejected"], "shortlisted", []),
    (["viewed", "shortlisted", "hired"], "rejected", []),
])
def test_invalid_transitions_answer_400_with_the_allowed_ones(candidate, vacancy, member, path, target, allowed):
    application_id = apply(candidate, vacancy=vacancy.id).json()["id"]
    for status in path:
        assert move(member, application_id, status).status_code == 200
    errors = field_errors(move(member, application_id, target))
    assert errors["allowed"] == allowed and errors["status"]
    assert m.Application.objects.get(pk=application_id).status == (path[-1] if path else "submitted")


@pytest.mark.parametrize("path", [[], ["viewed"], ["viewed", "shortlisted"]])
def test_candidate_withdraws_from_any_non_final_state(candidate, vacancy, member, path):
    application_id = apply(candidate, vacancy=vacancy.id).json()["id"]
    for status in path:
        move(member, application_id, status)
    assert move(candidate.user, application_id, "withdrawn").json()["status"] == "withdrawn"


@pytest.mark.parametrize("final", ["rejected", "hired"])
def test_final_states_cannot_be_withdrawn(candidate, vacancy, member, final):
    application_id = apply(candidate, vacancy=vacancy.id).json()["id"]
    for status in ["viewed", "shortlisted", final] if final == "hired" else ["viewed", final]:
        move(member, application_id, status)
    assert field_errors(move(candidate.user, application_id, "withdrawn"))["allowed"] == []


def test_each_side_moves_only_its_own_statuses(candidate, vacancy, member):
    application_id = apply(candidate, vacancy=vacancy.id).json()["id"]
    assert field_errors(move(candidate.user, application_id, "viewed"))["allowed"] == ["withdrawn"]
    assert field_errors(move(member, application_id, "withdrawn"))["allowed"] == ["viewed"]


@pytest.mark.parametrize("status", ["submitted", "deleted", "", None, 3])
def test_unknown_status_values_answer_400(candidate, vacancy, member, status):
    application_id = apply(candidate, vacancy=vacancy.id).json()["id"]
    assert "status" in field_errors(move(member, application_id, status))


# --- who sees and moves which applications --------------------------------------------------------


def test_employers_see_and_move_applications_to_their_own_vacancies_only(candidate, vacancy, member):
    mine = f.ApplicationFactory(candidate=candidate, vacancy=vacancy)
    theirs = f.ApplicationFactory()
    client = client_for(member)
    assert ids(client.get(f"{API}/applications/")) == [mine.id]
    assert client.get(f"{API}/applications/{theirs.id}/").status_code == 404
    assert move(member, theirs.id, "viewed").status_code == 404
    assert m.Application.objects.get(pk=theirs.id).status == "submitted"


def test_providers_see_and_move_applications_to_their_own_intakes_only(candidate, intake, provider):
    mine = f.ApplicationFactory(candidate=candidate, vacancy=None, intake=intake)
    theirs = f.ApplicationFactory(vacancy=None, intake=f.IntakeFactory())
    f.ApplicationFactory()  # to a vacancy
    client = client_for(provider.user)
    assert ids(client.get(f"{API}/applications/")) == [mine.id]
    assert client.get(f"{API}/applications/{theirs.id}/").status_code == 404
    assert move(provider.user, theirs.id, "viewed").status_code == 404


def test_candidates_see_their_own_applications_only(candidate):
    mine = f.ApplicationFactory(candidate=candidate)
    theirs = f.ApplicationFactory()
    client = client_for(candidate.user)
    assert ids(client.get(f"{API}/applications/")) == [mine.id]
    assert client.get(f"{API}/applications/{theirs.id}/").status_code == 404
    assert move(candidate.user, theirs.id, "withdrawn").status_code == 404


def test_counsellors_read_their_caseloads_applications_but_cannot_move_them():
    counsellor = f.CounsellorFactory()
    mine = f.ApplicationFactory(candidate=f.CandidateFactory(counsellor=counsellor))
    f.ApplicationFactory()
    client = client_for(counsellor.user)
    assert ids(client.get(f"{API}/applications/")) == [mine.id]
    assert client.get(f"{API}/applications/{mine.id}/").json()["allowed_transitions"] == []
    assert move(counsellor.user, mine.id, "viewed").status_code == 403


def test_applicant_contact_details_go_to_the_posting_owner(candidate, vacancy, member):
    application = f.ApplicationFactory(candidate=candidate, vacancy=vacancy)
    data = client_for(member).get(f"{API}/applications/{application.id}/").json()
    assert data["candidate"]["email"] == candidate.user.email
    assert "birth_year" not in data["candidate"]


def test_application_ids_next_to_yours_reveal_nothing(candidate):
    before = f.ApplicationFactory()
    mine = f.ApplicationFactory(candidate=candidate)
    after = f.ApplicationFactory()
    assert (before.id, after.id) == (mine.id - 1, mine.id + 1)
    client = client_for(candidate.user)
    responses = [client.get(f"{API}/applications/{pk}/") for pk in (before.id, after.id, after.id + 50)]
    assert {r.status_code for r in responses} == {404} and len({r.content for r in responses}) == 1


@pytest.mark.parametrize("params,field", [
    ({"status": "lost"}, "status"), ({"vacancy": "abc"}, "vacancy"), ({"vacancy": "-4"}, "vacancy"),
    ({"intake": str(2**70)}, "intake"), ({"target": "both"}, "target"), ({"ordering": "candidate__birth_year"}, "ordering"),
])
def test_bad_application_filters_answer_400(candidate, params, field):
    assert field in field_errors(client_for(candidate.user).get(f"{API}/applications/", params))


def test_application_list_runs_a_fixed_number_of_queries(member, django_assert_max_num_queries):
    employer = member.employers.get()
    for _ in range(12):
        candidate = f.CandidateFactory()
        f.CandidateSkillFactory(candidate=candidate)
        f.ApplicationFactory(candidate=candidate, vacancy=f.VacancyFactory(employer=employer))
    client = client_for(member)
    with django_assert_max_num_queries(10):
        body = client.get(f"{API}/applications/").json()
    assert body["count"] == 12
