"""Learning paths over the API (issue 5): programmes, careers, pathways and what-if for a candidate."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from careers.models import CandidateProfile
from careers.results import REASON_MESSAGES
from careers.runtime.paths import PathService, set_path_service
from careers.runtime.matches import MatchService, set_match_service
from tests import factories as f
from tests.careers.test_recommendations import PROBE, FakeClock

pytestmark = pytest.mark.django_db
UNEMPLOYED = CandidateProfile.EmploymentStatus.UNEMPLOYED
EMPLOYED = CandidateProfile.EmploymentStatus.EMPLOYED
RIASEC = {"riasec_r": 6, "riasec_i": 3, "riasec_a": 1, "riasec_s": 1, "riasec_e": 2, "riasec_c": 4}


class World:
    """Ventspils: a CNC operator vacancy needing two skills; a reskilling candidate holding one of them."""

    def __init__(self) -> None:
        today = timezone.localdate()
        self.today = today
        self.town = f.TownFactory(name="Ventspils", latitude=57.38988, longitude=21.57288)
        self.weld = f.SkillFactory(label_en="welding", label_lv="metināšana")
        self.drawings = f.SkillFactory(label_en="read drawings", label_lv="lasīt rasējumus")
        self.cnc = f.SkillFactory(label_en="operate CNC machines", label_lv="vadīt CNC darbgaldus")
        self.cook = f.SkillFactory(label_en="cook", label_lv="gatavot ēdienu")
        self.operator = f.OccupationFactory(label_en="CNC operator", label_lv="CNC operators", **RIASEC)
        self.chef = f.OccupationFactory(label_en="cook", label_lv="pavārs", riasec_r=4, riasec_i=1, riasec_a=5,
                                        riasec_s=3, riasec_e=3, riasec_c=2)
        for skill in (self.drawings, self.cnc):
            f.OccupationSkillFactory(occupation=self.operator, skill=skill)
        f.OccupationSkillFactory(occupation=self.chef, skill=self.cook)
        self.employer = f.EmployerFactory(town=self.town)
        self.member = f.EmployerMemberFactory(employer=self.employer)
        self.vacancy = f.VacancyFactory(employer=self.employer, town=self.town, occupation=self.operator,
                                        title="CNC operators", salary_min=1300, salary_max=1700)
        for skill in (self.drawings, self.cnc):
            f.VacancySkillFactory(vacancy=self.vacancy, skill=skill)
        self.school = f.InstitutionFactory(town=self.town, name_lv="Ventspils Tehnikums",
                                           name_en="Ventspils Technical School", short_name="VT")
        self.course = f.ProgrammeFactory(institution=self.school, name_lv="CNC operatora kurss",
                                         name_en="CNC operator course", voucher_eligible=True,
                                         adult_learning_cofinanced=True, cost_eur=600, duration_months=4,
                                         mode="evening")
        self.course.skills_taught.add(self.cnc)
        self.course.leads_to.add(self.operator)
        self.past_intake = f.IntakeFactory(programme=self.course, start_date=today - dt.timedelta(days=30),
                                           application_deadline=today - dt.timedelta(days=45))
        self.intake = f.IntakeFactory(programme=self.course, start_date=today + dt.timedelta(days=60))
        self.college = f.ProgrammeFactory(institution=self.school, kind="college", name_lv="Mehatronika",
                                          name_en="Mechatronics", duration_months=24, cost_eur=1000,
                                          min_education=2, mode="full_time", eqf_level=5)
        self.college.skills_taught.add(self.cnc)
        self.college.leads_to.add(self.operator)
        f.IntakeFactory(programme=self.college, start_date=today + dt.timedelta(days=200))
        # Only a past intake: never offered.
        self.closed = f.ProgrammeFactory(institution=self.school, name_lv="Slēgts kurss", name_en="Closed course")
        self.closed.skills_taught.add(self.cnc)
        self.closed.leads_to.add(self.operator)
        f.IntakeFactory(programme=self.closed, start_date=today - dt.timedelta(days=1),
                        application_deadline=today - dt.timedelta(days=20))
        self.kitchen = f.ProgrammeFactory(institution=self.school, name_lv="Pavāru kurss", name_en="Cook course",
                                          mode="full_time")
        self.kitchen.skills_taught.add(self.cook)
        self.kitchen.leads_to.add(self.chef)
        f.IntakeFactory(programme=self.kitchen, start_date=today + dt.timedelta(days=30))
        self.couns_a = f.CounsellorFactory(town=self.town)
        self.couns_b = f.CounsellorFactory(town=self.town)
        self.cand = f.CandidateFactory(town=self.town, counsellor=self.couns_a, highest_education=1,
                                       employment_status=UNEMPLOYED, max_commute_km=30)
        for skill in (self.weld, self.drawings):
            f.CandidateSkillFactory(candidate=self.cand, skill=skill, proficiency=3)
        self.other = f.CandidateFactory(town=self.town, counsellor=self.couns_b)
        self.pupil = f.CandidateFactory(town=self.town, kind="student", employment_status="studying",
                                        birth_year=today.year - 15, highest_education=1, **RIASEC)
        self.provider = f.ProviderStaffFactory(institution=self.school).user
        self.admin = f.AdminUserFactory()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def services(clock):
    matches = MatchService(clock=clock, probe_seconds=PROBE, background=False)
    paths = PathService(clock=clock, probe_seconds=PROBE, background=False)
    previous_matches, previous_paths = set_match_service(matches), set_path_service(paths)
    yield matches, paths
    set_match_service(previous_matches)
    set_path_service(previous_paths)


@pytest.fixture
def w() -> World:
    return World()


def client_for(user=None, language: str | None = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language) if language else APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(candidate, what: str) -> str:
    return f"/api/v1/candidates/{candidate.pk}/recommendations/{what}/"


def get(candidate, what: str, user=None, language=None, **params):
    response = client_for(user or candidate.user, language).get(url(candidate, what), params)
    assert response.status_code == 200, response.content
    return response.json()


def what_if(candidate, body, user=None):
    return client_for(user or candidate.user).post(url(candidate, "what-if"), body, format="json")


# --------------------------------------------------------------------------------------------- programmes
def test_a_reskilling_candidate_gets_the_course_teaching_the_missing_skill_first(w):
    body = get(w.cand, "programmes", language="en")
    assert body["reason"] is None
    first = body["items"][0]
    assert first["programme"]["id"] == w.course.pk and first["intake"]["id"] == w.intake.pk
    assert first["programme"]["name"] == "CNC operator course"
    assert first["programme"]["institution"]["name"] == "Ventspils Technical School"
    assert first["programme"]["town"]["name"] == "Ventspils"
    assert first["intake"]["start_date"] == w.intake.start_date.isoformat()
    assert first["enrolable"] is True and first["reason"] is None
    explanation = first["explanation"]
    assert [s["uri"] for s in explanation["missing_skills_taught"]] == [w.cnc.uri]
    assert explanation["missing_skills_taught"][0]["label"] == "operate CNC machines"
    assert explanation["vacancies_unlocked"] == 1
    assert explanation["vacancies_unlocked_top"] == [{"id": w.vacancy.pk, "title": "CNC operators"}]
    assert set(explanation["parts"]) == {"gap", "unlock", "target", "interest", "distance", "mode", "cost", "start"}
    assert [i["rank"] for i in body["items"]] == list(range(1, len(body["items"]) + 1))


def test_a_programme_requiring_secondary_education_is_not_offered_but_its_career_names_it_with_the_reason(w):
    items = {i["programme"]["id"]: i for i in get(w.cand, "programmes")["items"]}
    assert w.college.pk not in items and all(i["enrolable"] for i in items.values())

    def college(language):
        careers = get(w.cand, "careers", language=language)["items"]
        operator = next(c for c in careers if c["occupation"]["id"] == w.operator.pk)
        return next(p for p in operator["explanation"]["programmes"] if p["programme"]["id"] == w.college.pk)
    latvian = college("lv")
    assert latvian["enrolable"] is False and latvian["requirements"]["failed"] == ["education"]
    assert latvian["reason"] == "nepieciešama vidējā izglītība; kandidātam ir pamatizglītība"
    assert college("en")["reason"] == "requires secondary education; the candidate has basic education"


def test_a_candidate_with_secondary_education_may_enrol_in_the_college(w):
    w.cand.highest_education = 2
    w.cand.save()
    items = {i["programme"]["id"]: i for i in get(w.cand, "programmes")["items"]}
    assert items[w.college.pk]["enrolable"] is True and items[w.college.pk]["reason"] is None


def test_intakes_in_the_past_never_appear(w):
    programmes = get(w.cand, "programmes")["items"]
    assert w.closed.pk not in {i["programme"]["id"] for i in programmes}
    assert w.past_intake.pk not in {i["intake"]["id"] for i in programmes}
    careers = get(w.cand, "careers")["items"]
    linked = [p for c in careers for p in c["explanation"]["programmes"]]
    assert linked and w.closed.pk not in {p["programme"]["id"] for p in linked}
    assert w.past_intake.pk not in {p["intake"]["id"] for p in linked}
    steps = [s for p in get(w.cand, "pathways")["items"] for s in p["steps"]]
    assert steps and w.closed.pk not in {s["programme"]["id"] for s in steps}


def test_an_intake_moved_into_the_past_disappears_before_the_next_probe(w):
    assert w.course.pk in {i["programme"]["id"] for i in get(w.cand, "programmes")["items"]}
    type(w.intake).objects.filter(pk=w.intake.pk).update(start_date=w.today - dt.timedelta(days=2),
                                                         application_deadline=w.today - dt.timedelta(days=9))
    assert w.course.pk not in {i["programme"]["id"] for i in get(w.cand, "programmes")["items"]}


# --------------------------------------------------------------------------------------------- funding
def test_a_registered_unemployed_candidate_gets_the_course_free_with_a_voucher(w):
    first = get(w.cand, "programmes")["items"][0]["explanation"]
    assert (first["funding"], first["cost_eur"], first["cost_after_funding_eur"]) == ("training_voucher", 600.0, 0.0)


def test_an_employed_adult_pays_ten_percent_with_adult_learning_cofinancing(w):
    w.cand.employment_status = EMPLOYED
    w.cand.save()
    w.cand.target_occupations.add(w.chef)  # so the cook course is listed too (a programme needs a reason)
    items = {i["programme"]["id"]: i for i in get(w.cand, "programmes")["items"]}
    course = items[w.course.pk]["explanation"]
    assert (course["funding"], course["cost_after_funding_eur"]) == ("adult_learning_cofinancing", 60.0)
    kitchen = items[w.kitchen.pk]["explanation"]
    assert (kitchen["funding"], kitchen["cost_after_funding_eur"]) == ("none", 600.0)


# --------------------------------------------------------------------------------------------- pathways
def test_a_pathway_unlocks_the_near_miss_vacancy_with_the_course(w):
    body = get(w.cand, "pathways")
    first = body["items"][0]
    assert [s["programme"]["id"] for s in first["steps"]] == [w.course.pk]
    assert first["steps"][0]["intake"]["id"] == w.intake.pk
    assert first["vacancies_unlocked"] == 1 and first["vacancy_ids"] == [w.vacancy.pk]
    assert first["vacancies"] == [{"id": w.vacancy.pk, "title": "CNC operators"}]
    assert first["steps"][0]["funding"] == "training_voucher" and first["cost_after_funding_eur"] == 0.0
    assert first["total_duration_months"] == 4 and first["first_start_date"] == w.intake.start_date.isoformat()
    assert [s["uri"] for s in first["steps"][0]["missing_skills_taught"]] == [w.cnc.uri]
    # The college teaches the same skill but needs secondary education: never in a pathway.
    assert all(s["programme"]["id"] != w.college.pk for p in body["items"] for s in p["steps"])


def test_pathway_summaries_follow_accept_language_latvian_by_default(w):
    latvian = get(w.cand, "pathways")["items"][0]
    assert latvian["summary"] == latvian["summary_lv"]
    assert latvian["summary"].startswith("pabeidz šo 4 mēnešu vakara kursu (bez maksas ar apmācību kuponu)")
    assert "1 vietējā vakance 30 km rādiusā" in latvian["summary"]
    english = get(w.cand, "pathways", language="en")["items"][0]
    assert english["summary"] == english["summary_en"] == (
        "finish this 4-month evening course (free with a training voucher) and 1 more local job within 30 km fits you")
    assert english["steps"][0]["programme"]["name"] == "CNC operator course"
    assert latvian["steps"][0]["programme"]["name"] == "CNC operatora kurss"


def test_a_candidate_who_fits_nothing_nearly_gets_no_pathway(w):
    assert get(w.other, "pathways")["items"] == []


# --------------------------------------------------------------------------------------------- careers
def test_a_pupil_with_only_riasec_answers_gets_careers_and_programmes(w):
    # Asked by staff: a minor sees only counsellor-approved items (issue 6, tests/api/test_oversight.py).
    careers = get(w.pupil, "careers", user=w.admin, language="en")
    assert careers["reason"] is None
    first = careers["items"][0]
    assert first["occupation"] == {"id": w.operator.pk, "uri": w.operator.uri, "label": "CNC operator",
                                   "isco_code": w.operator.isco_code, "description": w.operator.description_en}
    explanation = first["explanation"]
    assert explanation["interest_fit"] == 1.0 and explanation["skill_fit"] == 0.0
    assert explanation["essential_held"] == "0 of 2" and explanation["open_vacancies"] == 1
    # One posting: its count is shown, no figure is made from it.
    assert explanation["salary"]["postings"] == 1 and explanation["salary"]["median_min"] is None
    linked = {p["programme"]["id"]: p for p in explanation["programmes"]}
    assert set(linked) == {w.course.pk, w.college.pk}
    assert linked[w.course.pk]["intake"]["id"] == w.intake.pk
    assert linked[w.college.pk]["enrolable"] is False and linked[w.college.pk]["reason"]
    programmes = get(w.pupil, "programmes", user=w.admin)["items"]
    # The CNC course suits the answers; the cook course (artistic, social) does not and is not listed.
    assert w.course.pk in {i["programme"]["id"] for i in programmes}
    assert w.kitchen.pk not in {i["programme"]["id"] for i in programmes}
    assert get(w.pupil, "careers", user=w.admin, language="en")["items"][0]["occupation"]["label"] == "CNC operator"
    assert get(w.pupil, "careers", user=w.admin)["items"][0]["occupation"]["label"] == "CNC operators"


def test_career_interest_ranks_the_occupation_matching_the_answers_first(w):
    w.pupil.riasec_r, w.pupil.riasec_a, w.pupil.riasec_c = 4, 5, 2
    w.pupil.riasec_i, w.pupil.riasec_s, w.pupil.riasec_e = 1, 3, 3
    w.pupil.save()
    assert get(w.pupil, "careers", user=w.admin)["items"][0]["occupation"]["id"] == w.chef.pk


# --------------------------------------------------------------------------------------------- what-if
def test_what_if_with_the_missing_skill_shows_the_gained_vacancy(w):
    response = what_if(w.cand, {"skills": [w.cnc.uri]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reason"] is None and body["n_gained"] == 1
    assert body["vacancies_gained"] == [{"id": w.vacancy.pk, "title": "CNC operators"}]
    assert body["coverage_gained"] == [{"vacancy": {"id": w.vacancy.pk, "title": "CNC operators"},
                                        "before": 0.5, "after": 1.0}]
    assert [s["uri"] for s in body["added_skills"]] == [w.cnc.uri]
    assert w.vacancy.pk in body["top_after"]
    # Nothing was saved: the job list is unchanged.
    assert get(w.cand, "pathways")["items"][0]["vacancy_ids"] == [w.vacancy.pk]


def test_what_if_with_a_programme_adds_its_skills(w):
    response = what_if(w.cand, {"programme": w.course.pk}, user=w.couns_a.user)
    assert response.status_code == 200, response.content
    assert [v["id"] for v in response.json()["vacancies_gained"]] == [w.vacancy.pk]


def test_what_if_with_an_unrelated_skill_gains_nothing(w):
    body = what_if(w.cand, {"skills": [w.cook.uri]}).json()
    assert body["n_gained"] == 0 and body["vacancies_gained"] == []


@pytest.mark.parametrize("make_body,fields", [
    (lambda w: {"skills": [w.cnc.uri], "programme": w.course.pk}, {"skills", "programme"}),
    (lambda w: {}, {"skills", "programme"}),
    (lambda w: {"skills": ["http://data.europa.eu/esco/skill/no-such-skill"]}, {"skills"}),
    (lambda w: {"skills": [f"http://data.europa.eu/esco/skill/x{i}" for i in range(51)]}, {"skills"}),
    (lambda w: {"skills": []}, {"skills"}),
    (lambda w: {"skills": w.cnc.uri}, {"skills"}),
    (lambda w: {"skills": [w.cnc.uri, w.cnc.uri]}, {"skills"}),
    (lambda w: {"skills": ["bad\x00uri"]}, {"skills"}),
    (lambda w: {"programme": 999_999}, {"programme"}),
    (lambda w: {"programme": "course"}, {"programme"}),
    (lambda w: {"programme": w.course.pk, "top_k": 0}, {"top_k"}),
])
def test_what_if_rejects_bad_input_naming_the_field(w, make_body, fields):
    response = what_if(w.cand, make_body(w))
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == fields


def test_what_if_refuses_an_inactive_programme(w):
    w.closed.is_active = False
    w.closed.save()
    response = what_if(w.cand, {"programme": w.closed.pk})
    assert response.status_code == 400 and "programme" in response.json()["error"]["fields"]


def test_what_if_with_a_skill_added_since_the_last_refit_is_answered_not_refused(w):
    assert get(w.cand, "programmes")["items"]  # the index is built now
    new = f.SkillFactory()
    body = what_if(w.cand, {"skills": [new.uri, w.cnc.uri]}).json()
    assert [s["uri"] for s in body["added_skills"]] == [w.cnc.uri] and body["n_gained"] == 1


def test_what_if_accepts_exactly_fifty_skills(w):
    skills = [w.cnc.uri] + [f.SkillFactory().uri for _ in range(49)]
    assert what_if(w.cand, {"skills": skills}).status_code == 200


# --------------------------------------------------------------------------------------------- inputs
@pytest.mark.parametrize("what", ["programmes", "careers", "pathways"])
@pytest.mark.parametrize("top_k", ["0", "51", "x", "1.5"])
def test_top_k_out_of_range_is_a_400(w, what, top_k):
    response = client_for(w.cand.user).get(url(w.cand, what), {"top_k": top_k})
    assert response.status_code == 400 and "top_k" in response.json()["error"]["fields"]


@pytest.mark.parametrize("what", ["programmes", "careers", "pathways"])
def test_top_k_limits_the_list(w, what):
    assert len(get(w.cand, what, top_k=1)["items"]) == 1


# --------------------------------------------------------------------------------------------- permissions
ACTORS = {
    "own candidate": lambda w: w.cand.user, "other candidate": lambda w: w.other.user,
    "own counsellor": lambda w: w.couns_a.user, "other counsellor": lambda w: w.couns_b.user,
    "employer": lambda w: w.member, "provider": lambda w: w.provider, "admin": lambda w: w.admin,
    "anonymous": lambda w: None,
}
EXPECTED = {"own candidate": 200, "other candidate": 404, "own counsellor": 200, "other counsellor": 404,
            "employer": 403, "provider": 403, "admin": 200, "anonymous": 401}


@pytest.mark.parametrize("what", ["programmes", "careers", "pathways", "what-if"])
@pytest.mark.parametrize("actor", list(ACTORS))
def test_learning_path_permission_rules(w, what, actor):
    client = client_for(ACTORS[actor](w))
    if what == "what-if":
        response = client.post(url(w.cand, what), {"skills": [w.cnc.uri]}, format="json")
    else:
        response = client.get(url(w.cand, what))
    assert response.status_code == EXPECTED[actor], response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
    else:
        assert response.json()["candidate"] == w.cand.pk


def test_another_users_candidate_is_a_404_even_with_a_bad_body(w):
    response = client_for(w.other.user).post(url(w.cand, "what-if"), {}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("what", ["programmes", "careers", "pathways"])
def test_an_unknown_candidate_is_a_404(w, what):
    assert client_for(w.admin).get(f"/api/v1/candidates/999999/recommendations/{what}/").status_code == 404


# --------------------------------------------------------------------------------------------- no list
@pytest.mark.parametrize("what", ["programmes", "careers", "pathways"])
def test_a_candidate_without_processing_consent_gets_an_empty_explained_list(w, what):
    w.cand.consent_processing = False
    w.cand.save()
    body = get(w.cand, what)
    body.pop("review_notice", None)  # careers and programmes: null (nothing awaits review)
    assert body == {"candidate": w.cand.pk, "items": [], "reason": "no_processing_consent",
                    "reason_message": REASON_MESSAGES["no_processing_consent"][0]}


def test_what_if_for_a_candidate_without_processing_consent_says_why(w):
    w.cand.consent_processing = False
    w.cand.save()
    body = what_if(w.cand, {"skills": [w.cnc.uri]}).json()
    assert body["reason"] == "no_processing_consent" and body["vacancies_gained"] == [] and body["n_gained"] == 0


def test_a_supervised_candidate_gets_no_pathways_before_anything_was_released(w):
    w.cand.supervised = True
    w.cand.save()
    body = get(w.cand, "pathways")
    assert {k: body[k] for k in ("candidate", "items", "reason")} == {
        "candidate": w.cand.pk, "items": [], "reason": "not_released"}
    assert body["reason_message"].startswith(
        f"Šo sarakstu vispirms pārskatīs tavs karjeras konsultants {w.cand.counsellor.user.get_full_name()}.")


@pytest.mark.parametrize("what", ["programmes", "careers"])
def test_a_supervised_candidate_sees_careers_and_programmes_at_once_marked_not_yet_reviewed(w, what):
    w.cand.supervised = True
    w.cand.save()
    body = get(w.cand, what)
    assert body["items"] and body["reason"] is None
    assert all(i["awaiting_review"] and i["review"] is None for i in body["items"])
    assert body["review_notice"] == "Tavs karjeras konsultants šos ieteikumus vēl nav pārskatījis."
    w.cand.supervised = False
    w.cand.save()
    plain = get(w.cand, what)
    assert plain["review_notice"] is None and not any(i["awaiting_review"] for i in plain["items"])


def test_what_if_is_withheld_too_before_anything_was_released(w):
    w.cand.supervised = True
    w.cand.save()
    body = what_if(w.cand, {"skills": [w.cnc.uri]}).json()
    assert body["reason"] == "not_released" and body["vacancies_gained"] == []


# --------------------------------------------------------------------------------------------- freshness
def test_a_new_programme_and_intake_show_after_one_probe(w, clock):
    assert get(w.cand, "programmes")["items"]  # the finder is fitted now
    welding = f.ProgrammeFactory(institution=w.school, name_lv="CNC pamati", name_en="CNC basics")
    welding.skills_taught.add(w.cnc)
    f.IntakeFactory(programme=welding, start_date=w.today + dt.timedelta(days=20))
    assert welding.pk not in {i["programme"]["id"] for i in get(w.cand, "programmes")["items"]}
    clock.advance(PROBE)
    assert welding.pk in {i["programme"]["id"] for i in get(w.cand, "programmes")["items"]}


def test_the_openapi_schema_documents_the_learning_path_endpoints(w):
    paths = client_for().get("/api/schema/?format=json").json()["paths"]
    for what in ("programmes", "careers", "pathways"):
        operation = paths[f"/api/v1/candidates/{{id}}/recommendations/{what}/"]["get"]
        assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    post = paths["/api/v1/candidates/{id}/recommendations/what-if/"]["post"]
    assert {"200", "400", "401", "403", "404"} <= set(post["responses"])
    assert post["requestBody"]["content"]["application/json"]["examples"]
