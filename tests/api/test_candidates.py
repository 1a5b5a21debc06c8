"""Candidates: who sees whom, and exactly which fields each role gets (a snapshot per role)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from careers import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"
YEAR = timezone.localdate().year

RECRUITER_KEYS = {
    "access", "id", "town", "skills", "languages", "highest_education", "available_from", "available_hours",
    "target_occupations",
}
CONTACT_KEYS = {"first_name", "last_name", "email", "phone"}
FULL_KEYS = RECRUITER_KEYS | CONTACT_KEYS | {
    "birth_year", "is_minor", "gender", "kind", "employment_status", "max_commute_km", "willing_to_relocate",
    "current_studies", "about", "riasec", "work_history", "consent_discoverable", "consent_counsellor",
    "consent_processing", "supervised", "minor_visible_to_employers", "counsellor", "created_at", "updated_at",
}
NEVER_FOR_RECRUITERS = {"birth_year", "is_minor", "gender", "about", "first_name", "last_name", "email", "phone", "riasec"}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def discoverable(**kwargs) -> m.CandidateProfile:
    kwargs.setdefault("consent_discoverable", True)
    kwargs.setdefault("consent_discoverable_at", timezone.now())
    candidate = f.CandidateFactory(phone="+371 20000000", about="Metinātājs ar 10 gadu pieredzi.", **kwargs)
    f.CandidateSkillFactory(candidate=candidate)
    f.CandidateLanguageFactory(candidate=candidate)
    f.WorkExperienceFactory(candidate=candidate)
    candidate.target_occupations.add(f.OccupationFactory())
    return candidate


@pytest.fixture
def counsellor():
    return f.CounsellorFactory()


@pytest.fixture
def candidate(counsellor):
    return discoverable(counsellor=counsellor)


@pytest.fixture
def member():
    return f.EmployerMemberFactory()


def town_filter(candidate) -> dict:
    return {"town": candidate.town_id}


# --- field-set snapshots -------------------------------------------------------------------------


def test_candidate_sees_their_full_profile(candidate):
    data = client_for(candidate.user).get(f"{API}/candidates/{candidate.id}/").json()
    assert set(data) == FULL_KEYS and data["access"] == "full"
    assert data["birth_year"] == candidate.birth_year and data["email"] == candidate.user.email


def test_counsellor_sees_the_full_profile_of_their_caseload(candidate, counsellor):
    data = client_for(counsellor.user).get(f"{API}/candidates/{candidate.id}/").json()
    assert set(data) == FULL_KEYS


def test_admin_sees_the_full_profile():
    candidate = discoverable()
    data = client_for(f.AdminUserFactory()).get(f"{API}/candidates/{candidate.id}/").json()
    assert set(data) == FULL_KEYS


def test_employer_lists_and_reads_no_candidate_who_has_not_applied_to_them(candidate, member):
    """Issue 15, finding 3: discoverable profiles reach employers only through their own vacancies' rankings."""
    client = client_for(member)
    assert ids(client.get(f"{API}/candidates/", town_filter(candidate))) == []
    assert ids(client.get(f"{API}/candidates/")) == []
    assert client.get(f"{API}/candidates/{candidate.id}/").status_code == 404


def test_unverified_employer_sees_not_even_its_applicants(candidate):
    employer = f.EmployerFactory(verified=False)
    member = f.EmployerMemberFactory(employer=employer)
    f.ApplicationFactory(candidate=candidate, vacancy=f.VacancyFactory(employer=employer))
    client = client_for(member)
    assert ids(client.get(f"{API}/candidates/")) == []
    assert client.get(f"{API}/candidates/{candidate.id}/").status_code == 404


def test_employer_sees_contact_details_once_the_candidate_applied(candidate, member):
    vacancy = f.VacancyFactory(employer=member.employers.get())
    f.ApplicationFactory(candidate=candidate, vacancy=vacancy)
    client = client_for(member)
    detail = client.get(f"{API}/candidates/{candidate.id}/").json()
    listed = client.get(f"{API}/candidates/", town_filter(candidate)).json()["results"][0]
    assert set(detail) == RECRUITER_KEYS | CONTACT_KEYS and set(listed) == RECRUITER_KEYS | CONTACT_KEYS
    assert detail["access"] == "applicant" and detail["email"] == candidate.user.email
    assert "birth_year" not in detail


def test_application_to_another_employer_shows_the_candidate_to_nobody_else(candidate, member):
    f.ApplicationFactory(candidate=candidate)  # to someone else's vacancy
    assert client_for(member).get(f"{API}/candidates/{candidate.id}/").status_code == 404


def test_withdrawn_application_hides_the_candidate_again(candidate, member):
    vacancy = f.VacancyFactory(employer=member.employers.get())
    f.ApplicationFactory(candidate=candidate, vacancy=vacancy, status=m.Application.Status.WITHDRAWN)
    assert client_for(member).get(f"{API}/candidates/{candidate.id}/").status_code == 404


# --- who is visible to employers ------------------------------------------------------------------


def applied_to(member, candidate) -> m.CandidateProfile:
    f.ApplicationFactory(candidate=candidate, vacancy=f.VacancyFactory(employer=member.employers.get()))
    return candidate


def test_employer_sees_its_consenting_adult_applicants_and_allowed_minors_only(member):
    town = f.TownFactory()
    adult = applied_to(member, discoverable(town=town))
    just_adult = applied_to(member, discoverable(town=town, birth_year=YEAR - 18))
    allowed_minor = applied_to(member, discoverable(town=town, birth_year=YEAR - 16, minor_visible_to_employers=True))
    applied_to(member, discoverable(town=town, birth_year=YEAR - 17))  # minor, counsellor has not allowed it
    applied_to(member, discoverable(town=town, consent_discoverable=False, consent_discoverable_at=None))
    discoverable(town=town)  # discoverable, never applied
    gone = applied_to(member, discoverable(town=town))
    gone.user.is_active = False
    gone.user.save()
    listed = ids(client_for(member).get(f"{API}/candidates/", {"town": town.id}))
    assert sorted(listed) == sorted([adult.id, just_adult.id, allowed_minor.id])


def test_hidden_candidates_answer_404_to_employers(member):
    minor = applied_to(member, discoverable(birth_year=YEAR - 16))
    private = applied_to(member, discoverable(consent_discoverable=False, consent_discoverable_at=None))
    client = client_for(member)
    assert client.get(f"{API}/candidates/{minor.id}/").status_code == 404
    assert client.get(f"{API}/candidates/{private.id}/").status_code == 404


def test_employer_pages_hold_at_most_20(member):
    town = f.TownFactory()
    for _ in range(25):
        applied_to(member, f.CandidateFactory(town=town, consent_discoverable=True, consent_discoverable_at=timezone.now()))
    body = client_for(member).get(f"{API}/candidates/", {"page_size": 100}).json()
    assert body["count"] == 25 and len(body["results"]) == 20


def test_search_finds_candidates_by_name_without_case_or_diacritics(counsellor):
    anna = f.CandidateFactory(counsellor=counsellor, user__first_name="Anna", user__last_name="Bērziņa")
    f.CandidateFactory(counsellor=counsellor, user__first_name="Jānis", user__last_name="Ozols")
    client = client_for(counsellor.user)
    assert ids(client.get(f"{API}/candidates/", {"search": "berzina"})) == [anna.id]
    assert ids(client.get(f"{API}/candidates/", {"search": "ANNA bērz"})) == [anna.id]
    assert ids(client.get(f"{API}/candidates/", {"search": "anna ozols"})) == []


def test_counsellor_pages_are_not_capped_at_20(counsellor):
    for _ in range(25):
        f.CandidateFactory(counsellor=counsellor)
    body = client_for(counsellor.user).get(f"{API}/candidates/", {"page_size": 100}).json()
    assert len(body["results"]) == 25


# --- everyone else -----------------------------------------------------------------------------


def test_candidate_sees_only_themself(candidate):
    other = discoverable()
    client = client_for(candidate.user)
    assert ids(client.get(f"{API}/candidates/")) == [candidate.id]
    assert client.get(f"{API}/candidates/{other.id}/").status_code == 404


def test_counsellor_sees_only_their_caseload(candidate, counsellor):
    other = discoverable(counsellor=f.CounsellorFactory())
    unassigned = discoverable()
    client = client_for(counsellor.user)
    assert ids(client.get(f"{API}/candidates/")) == [candidate.id]
    assert client.get(f"{API}/candidates/{other.id}/").status_code == 404
    assert client.get(f"{API}/candidates/{unassigned.id}/").status_code == 404


def test_ids_next_to_yours_reveal_nothing():
    before = discoverable()
    mine = discoverable()
    after = discoverable()
    assert (before.id, after.id) == (mine.id - 1, mine.id + 1)
    client = client_for(mine.user)
    responses = [client.get(f"{API}/candidates/{pk}/") for pk in (before.id, after.id, after.id + 100)]
    assert {r.status_code for r in responses} == {404}
    assert len({r.content for r in responses}) == 1


@pytest.mark.parametrize("role", [m.Role.PROVIDER, m.Role.ANALYST])
def test_roles_without_candidate_access_get_403(role, candidate):
    user = f.ProviderStaffFactory().user if role == m.Role.PROVIDER else f.UserFactory(role=role)
    client = client_for(user)
    assert client.get(f"{API}/candidates/").status_code == 403
    assert client.get(f"{API}/candidates/{candidate.id}/").status_code == 403


def test_anonymous_gets_401(candidate):
    assert APIClient().get(f"{API}/candidates/").status_code == 401
    assert APIClient().get(f"{API}/candidates/{candidate.id}/").status_code == 401


@pytest.mark.parametrize("params,field", [
    ({"skill": "http://data.europa.eu/esco/skill/none"}, "skill"),
    ({"town": "abc"}, "town"),
    ({"town": "-3"}, "town"),
    ({"language": "xx"}, "language"),
    ({"min_education": "99"}, "min_education"),
    ({"kind": "alien"}, "kind"),
    ({"available_by": "soon"}, "available_by"),
    ({"ordering": "birth_year"}, "ordering"),
])
def test_bad_candidate_filters_answer_400(counsellor, params, field):
    response = client_for(counsellor.user).get(f"{API}/candidates/", params)
    assert response.status_code == 400 and field in response.json()["error"]["fields"]


def test_candidate_filters_for_counsellor(counsellor):
    welding = f.SkillFactory()
    a = f.CandidateFactory(counsellor=counsellor, highest_education=m.EducationLevel.BACHELOR,
                           available_from=timezone.localdate() + dt.timedelta(days=90))
    b = f.CandidateFactory(counsellor=counsellor, kind=m.CandidateProfile.Kind.STUDENT)
    f.CandidateSkillFactory(candidate=a, skill=welding)
    f.CandidateLanguageFactory(candidate=b, language="ru")
    client = client_for(counsellor.user)
    assert ids(client.get(f"{API}/candidates/", {"skill": welding.uri})) == [a.id]
    assert ids(client.get(f"{API}/candidates/", {"language": "ru"})) == [b.id]
    assert ids(client.get(f"{API}/candidates/", {"min_education": m.EducationLevel.BACHELOR})) == [a.id]
    assert ids(client.get(f"{API}/candidates/", {"kind": "student"})) == [b.id]
    assert ids(client.get(f"{API}/candidates/", {"available_by": timezone.localdate().isoformat()})) == [b.id]


def test_candidate_list_runs_a_fixed_number_of_queries(member, django_assert_max_num_queries):
    town = f.TownFactory()
    for _ in range(15):
        candidate = discoverable(town=town)
        f.ApplicationFactory(candidate=candidate, vacancy=f.VacancyFactory(employer=member.employers.get()))
    client = client_for(member)
    with django_assert_max_num_queries(9):
        body = client.get(f"{API}/candidates/", {"town": town.id}).json()
    assert body["count"] == 15 and all(row["access"] == "applicant" for row in body["results"])
