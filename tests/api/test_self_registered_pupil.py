"""Issue 17, part 1 and its proof over HTTP: a pupil who signs up alone gets a counsellor and a useful list.

People written here, not the demo: Valmiera with two municipality counsellors (one already busy) and a school
counsellor at Valmieras tehnikums; Rūjiena, which no counsellor covers. Each pupil registers through
``/api/v1/auth/register/``, signs in through ``/api/v1/auth/token/`` and asks for their lists; the counsellors and
staff read the caseload and the unassigned list over HTTP too.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from careers.models import CandidateProfile, Counsellor, Role
from tests import factories as f
from tests.api.test_paths_api import services  # noqa: F401 (the autouse fixture: inline match and path indexes)
from tests.careers.test_recommendations import FakeClock

pytestmark = pytest.mark.django_db

PASSWORD = "Zila-Gaisma-2011-x"
FACTORY_PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory's
RIASEC = {"r": 7, "i": 5, "a": 2, "s": 2, "e": 3, "c": 4}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class World:
    def __init__(self) -> None:
        today = timezone.localdate()
        self.valmiera = f.TownFactory(name="Valmiera", latitude=57.54108, longitude=25.42751)
        self.rujiena = f.TownFactory(name="Rūjiena", latitude=57.8972, longitude=25.3292)
        f.TownDistanceFactory(from_town=self.valmiera, to_town=self.rujiena, road_km=50)
        self.school = f.InstitutionFactory(town=self.valmiera, name_lv="Valmieras tehnikums",
                                           name_en="Valmiera Technical School")
        self.other_school = f.InstitutionFactory(town=self.valmiera, name_lv="Vidzemes Augstskola",
                                                 name_en="Vidzeme University of Applied Sciences")
        self.school_counsellor = f.CounsellorFactory(
            town=self.valmiera, works_for=Counsellor.Employer.SCHOOL, institution=self.school,
            user=f.UserFactory(role=Role.COUNSELLOR, first_name="Inese", last_name="Skolniece"))
        self.busy = f.CounsellorFactory(town=self.valmiera, user=f.UserFactory(
            role=Role.COUNSELLOR, first_name="Dace", last_name="Aizņemtā"))
        self.free = f.CounsellorFactory(town=self.valmiera, user=f.UserFactory(
            role=Role.COUNSELLOR, first_name="Jānis", last_name="Brīvais"))
        for _ in range(2):
            f.CandidateFactory(town=self.valmiera, counsellor=self.busy)
        # A local labour market a pupil can enter: a welding helper job open at 15, a course leading there.
        weld = f.SkillFactory(label_en="welding", label_lv="metināšana")
        drawings = f.SkillFactory(label_en="read drawings", label_lv="lasīt rasējumus")
        welder = f.OccupationFactory(label_en="welder", label_lv="metinātājs", riasec_r=7, riasec_i=4, riasec_a=2,
                                     riasec_s=2, riasec_e=3, riasec_c=4)
        for skill in (weld, drawings):
            f.OccupationSkillFactory(occupation=welder, skill=skill)
        self.employer = f.EmployerFactory(town=self.valmiera, verified=True, name="SIA Metāls Valmierā")
        self.job = f.VacancyFactory(employer=self.employer, town=self.valmiera, occupation=welder, min_age=15,
                                    title="Metinātāja palīgs", contract_kind="summer_job")
        for skill in (weld, drawings):
            f.VacancySkillFactory(vacancy=self.job, skill=skill)
        course = f.ProgrammeFactory(institution=self.school, name_lv="Metinātāja kurss", name_en="Welding course",
                                    cost_eur=0, duration_months=3, mode="full_time")
        course.skills_taught.add(weld)
        course.leads_to.add(welder)
        f.IntakeFactory(programme=course, start_date=today + dt.timedelta(days=60))
        self.admin = f.AdminUserFactory()


@pytest.fixture
def w() -> World:
    return World()


def register(username: str, *, town, birth_year: int, school=None, kind="student") -> dict:
    body = {"account_type": "candidate", "username": username, "password": PASSWORD, "email": f"{username}@example.lv",
            "first_name": "Līga", "last_name": "Ozola", "kind": kind, "birth_year": birth_year, "town": town.pk,
            "employment_status": "studying", "consents": {"processing": True}}
    if school is not None:
        body["school"] = school.pk
    response = APIClient().post("/api/v1/auth/register/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def signed_in(username: str, password: str = PASSWORD) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    return client


def as_staff(user) -> APIClient:
    return signed_in(user.username, FACTORY_PASSWORD)


def lists(client: APIClient, profile_id: int) -> dict[str, dict]:
    out = {}
    for kind in ("careers", "programmes", "jobs", "pathways"):
        response = client.get(f"/api/v1/candidates/{profile_id}/recommendations/{kind}/")
        assert response.status_code == 200, response.content
        out[kind] = response.json()
    return out


def caseload(counsellor) -> dict[int, dict]:
    response = as_staff(counsellor.user).get("/api/v1/counsellor/caseload/")
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def unassigned(user) -> list[int]:
    response = as_staff(user).get("/api/v1/counsellor/unassigned/")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_a_self_registered_15_year_old_sees_careers_and_programmes_at_once_and_lands_new_in_the_schools_caseload(w):
    year = timezone.localdate().year
    me = register("liga.ozola", town=w.valmiera, birth_year=year - 15, school=w.school)
    profile_id = me["candidate"]["id"]
    # Who reviews, shown to the pupil from the first answer on.
    assert me["candidate"]["supervised"] is True
    assert me["candidate"]["counsellor"]["name"] == "Inese Skolniece"
    assert me["candidate"]["counsellor"]["institution"] == "Valmieras tehnikums"
    assert me["candidate"]["school"] == {"id": w.school.pk, "name": "Valmieras tehnikums"}
    pupil = signed_in("liga.ozola")
    assert pupil.patch("/api/v1/me/", {"candidate": {"riasec": RIASEC}}, format="json").status_code == 200

    got = lists(pupil, profile_id)
    # Careers and programmes within one request each, marked not yet reviewed.
    for kind in ("careers", "programmes"):
        assert got[kind]["items"], (kind, got[kind])
        assert got[kind]["reason"] is None
        assert all(i["awaiting_review"] and i["review"] is None for i in got[kind]["items"])
        assert got[kind]["review_notice"] == "Tavs karjeras konsultants šos ieteikumus vēl nav pārskatījis."
    assert got["careers"]["items"][0]["occupation"]["label"] == "metinātājs"
    # Jobs and pathways name employers: held, and the reason names who reviews them and that they know.
    for kind in ("jobs", "pathways"):
        assert got[kind]["items"] == [] and got[kind]["reason"] == "not_released"
        assert got[kind]["reason_message"].startswith(
            "Šo sarakstu vispirms pārskatīs tavs karjeras konsultants Inese Skolniece. Konsultants par to zina")
    english = pupil.get(f"/api/v1/candidates/{profile_id}/recommendations/jobs/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["reason_message"].startswith("Your career counsellor Inese Skolniece reviews this list first.")

    # The school counsellor has the pupil, marked new; the town's counsellors do not.
    entry = caseload(w.school_counsellor)[profile_id]
    assert entry["new"] is True and entry["counsellor_assigned_at"] and entry["pending_reviews"] > 0
    assert profile_id not in caseload(w.free) and profile_id not in caseload(w.busy)
    assert as_staff(w.school_counsellor.user).get("/api/v1/counsellor/caseload/?new=true").json()["count"] == 1
    # Staff opening the profile leave it new; the counsellor opening it does not.
    assert as_staff(w.admin).get(f"/api/v1/candidates/{profile_id}/reviews/").status_code == 200
    assert caseload(w.school_counsellor)[profile_id]["new"] is True
    assert as_staff(w.school_counsellor.user).get(f"/api/v1/candidates/{profile_id}/reviews/").status_code == 200
    assert caseload(w.school_counsellor)[profile_id]["new"] is False
    assert profile_id not in unassigned(w.admin)

    # The counsellor releases the job: the pupil sees it.
    key = f"vacancy:{w.job.pk}"
    review = as_staff(w.school_counsellor.user).put(f"/api/v1/candidates/{profile_id}/reviews/jobs/{key}/",
                                                    {"decision": "approved"}, format="json")
    assert review.status_code == 201, review.content
    jobs = pupil.get(f"/api/v1/candidates/{profile_id}/recommendations/jobs/").json()
    assert [i["vacancy"]["id"] for i in jobs["items"]] == [w.job.pk]


def test_a_pupil_of_no_listed_school_goes_to_the_least_loaded_counsellor_of_their_town(w):
    year = timezone.localdate().year
    me = register("janis.berzins", town=w.valmiera, birth_year=year - 14, school=w.other_school)
    assert me["candidate"]["counsellor"]["name"] == "Jānis Brīvais"  # busy has two, the school's covers its pupils
    assert caseload(w.free)[me["candidate"]["id"]]["new"] is True


def test_a_pupil_no_counsellor_covers_lands_in_the_unassigned_list_and_is_told_staff_will_assign_one(w):
    year = timezone.localdate().year
    me = register("anna.kalnina", town=w.rujiena, birth_year=year - 15)
    profile_id = me["candidate"]["id"]
    assert me["candidate"]["counsellor"] is None and me["candidate"]["supervised"] is True
    assert profile_id in unassigned(w.admin) and profile_id in unassigned(w.free.user)
    assert all(profile_id not in caseload(c) for c in (w.school_counsellor, w.busy, w.free))
    jobs = lists(signed_in("anna.kalnina"), profile_id)["jobs"]
    assert jobs["reason"] == "not_released"
    assert "Darbinieki par tevi ir informēti" in jobs["reason_message"]
    # Staff assign a counsellor by hand: the person leaves the list.
    CandidateProfile.objects.filter(pk=profile_id).update(counsellor=w.free)
    assert profile_id not in unassigned(w.admin)


def test_an_adult_who_registers_is_not_supervised_gets_no_counsellor_and_is_not_waiting_for_one(w):
    year = timezone.localdate().year
    me = register("ilze.liepa", town=w.rujiena, birth_year=year - 35, kind="reskilling")
    assert me["candidate"]["supervised"] is False and me["candidate"]["counsellor"] is None
    assert me["candidate"]["id"] not in unassigned(w.admin)


# ------------------------------------------------------------------------------- who may see the unassigned list
@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EMPLOYER, Role.PROVIDER, Role.ANALYST])
def test_only_counsellors_and_staff_see_the_unassigned_list(w, role):
    register("anna.kalnina", town=w.rujiena, birth_year=timezone.localdate().year - 15)
    if role == Role.CANDIDATE:
        client = signed_in("anna.kalnina")  # even the person in it
    elif role == Role.EMPLOYER:
        client = as_staff(f.EmployerMemberFactory(employer=w.employer))
    elif role == Role.PROVIDER:
        client = as_staff(f.ProviderStaffFactory(institution=w.school).user)
    else:
        client = as_staff(f.UserFactory(role=Role.ANALYST))
    assert client.get("/api/v1/counsellor/unassigned/").status_code == 403


def test_the_unassigned_list_needs_a_sign_in(w):
    assert APIClient().get("/api/v1/counsellor/unassigned/").status_code == 401


def test_a_user_with_the_counsellor_role_but_no_counsellor_record_may_not_see_it(w):
    assert as_staff(f.UserFactory(role=Role.COUNSELLOR)).get("/api/v1/counsellor/unassigned/").status_code == 403


def test_the_school_must_be_a_listed_institution(w):
    body = {"account_type": "candidate", "username": "x.y", "password": PASSWORD, "email": "x@example.lv",
            "kind": "student", "birth_year": timezone.localdate().year - 15, "town": w.valmiera.pk,
            "employment_status": "studying", "consents": {"processing": True}, "school": 999999}
    response = APIClient().post("/api/v1/auth/register/", body, format="json")
    assert response.status_code == 400 and "school" in response.json()["error"]["fields"]
