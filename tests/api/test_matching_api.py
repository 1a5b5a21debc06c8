"""Skill extraction, title matching and the two recommendation lists over the API: rules, inputs, explanations."""
from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from careers.runtime.matches import MatchService, set_match_service
from tests import factories as f
from tests.careers.test_recommendations import PROBE, FakeClock

pytestmark = pytest.mark.django_db
CONTACT = {"first_name", "last_name", "email", "phone"}


class World:
    def __init__(self) -> None:
        year = timezone.localdate().year
        self.valmiera = f.TownFactory(name="Valmiera", latitude=57.54108, longitude=25.42751)
        self.ventspils = f.TownFactory(name="Ventspils", latitude=57.3894, longitude=21.5606)
        self.weld = f.SkillFactory(label_en="welding", label_lv="metināšana", alt_labels_lv=["metināt"])
        self.tig = f.SkillFactory(label_en="TIG welding", label_lv="TIG metināšana")
        self.excel = f.SkillFactory(label_en="use spreadsheets software", label_lv="izklājlapu lietošana",
                                    alt_labels_en=["Microsoft Excel", "Excel"], alt_labels_lv=["Excel"])
        self.welder = f.OccupationFactory(label_en="welder", label_lv="metinātājs", alt_labels_lv=["metinātāja"])
        self.accountant = f.OccupationFactory(label_en="accountant", label_lv="grāmatvedis",
                                              alt_labels_lv=["grāmatvede"])
        f.OccupationSkillFactory(occupation=self.welder, skill=self.weld)
        # TIG welding is not in the welder profile here, so nothing relates it to welding: a plainly missing skill.
        self.emp_a, self.emp_b = f.EmployerFactory(town=self.valmiera), f.EmployerFactory(town=self.valmiera)
        self.member_a = f.EmployerMemberFactory(employer=self.emp_a)
        self.job_a = self._vacancy(self.emp_a, "Metinātājs", [(self.weld, True), (self.tig, True)])
        self.job_b = self._vacancy(self.emp_b, "TIG metinātājs", [(self.weld, True)])
        self.draft_a = self._vacancy(self.emp_a, "Metinātājs (melnraksts)", [(self.weld, True)], status="draft")
        self.couns_a, self.couns_b = f.CounsellorFactory(town=self.valmiera), f.CounsellorFactory(town=self.valmiera)
        self.cand_a = self._candidate(counsellor=self.couns_a, discoverable=True)
        self.cand_b = self._candidate(counsellor=self.couns_b, discoverable=True)
        self.cand_private = self._candidate(discoverable=False)
        self.cand_minor = self._candidate(discoverable=True, birth_year=year - 16)
        self.provider = f.ProviderStaffFactory().user
        self.admin = f.AdminUserFactory()

    def _vacancy(self, employer, title, skills, status="open"):
        extra = {"status": "draft", "published_at": None} if status == "draft" else {}
        vacancy = f.VacancyFactory(employer=employer, title=title, occupation=self.welder, town=self.valmiera,
                                   description=title, **extra)
        for skill, essential in skills:
            f.VacancySkillFactory(vacancy=vacancy, skill=skill, essential=essential)
        return vacancy

    def _candidate(self, *, counsellor=None, discoverable=False, birth_year=None):
        candidate = f.CandidateFactory(
            town=self.valmiera, counsellor=counsellor, consent_discoverable=discoverable,
            consent_discoverable_at=timezone.now() if discoverable else None, phone="+371 20000000",
            birth_year=birth_year or timezone.localdate().year - 30, about="Metinātājs",
        )
        f.CandidateSkillFactory(candidate=candidate, skill=self.weld, proficiency=4)
        return candidate


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def service(clock):
    service = MatchService(clock=clock, probe_seconds=PROBE, background=False)
    previous = set_match_service(service)
    yield service
    set_match_service(previous)


@pytest.fixture
def w() -> World:
    return World()


def client_for(user=None, language: str | None = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language) if language else APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def jobs_url(candidate) -> str:
    return f"/api/v1/candidates/{candidate.pk}/recommendations/jobs/"


def candidates_url(vacancy) -> str:
    return f"/api/v1/vacancies/{vacancy.pk}/recommendations/candidates/"


# ----------------------------------------------------------------------------------------------- extraction
def test_extract_finds_inflected_latvian_skills_with_their_span(w):
    text = "Pieredze metināšanā un darbā ar Excel."
    response = client_for().post("/api/v1/skills/extract/", {"text": text, "top_k": 5}, format="json")
    assert response.status_code == 200
    skills = {s["uri"]: s for s in response.json()["skills"]}
    weld = skills[w.weld.uri]
    assert weld["label"] == "metināšana"
    assert text[weld["span"]["start"]:weld["span"]["end"]] == weld["span"]["text"] == "metināšanā"
    assert w.excel.uri in skills and 0 < weld["score"] <= 1


def test_extract_labels_follow_accept_language(w):
    response = client_for(language="en").post("/api/v1/skills/extract/", {"text": "metināšana"}, format="json")
    assert [s["label"] for s in response.json()["skills"]] == ["welding"]


@pytest.mark.parametrize("body,field", [
    ({"text": "metināšana", "top_k": 0}, "top_k"),
    ({"text": "metināšana", "top_k": 51}, "top_k"),
    ({"text": "metināšana", "top_k": "ten"}, "top_k"),
    ({"text": "x" * 10_001}, "text"),
    ({"text": ""}, "text"),
    ({"text": ["metināšana"]}, "text"),
    ({}, "text"),
])
def test_extract_rejects_bad_input_naming_the_field(w, body, field):
    response = client_for().post("/api/v1/skills/extract/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_extract_accepts_exactly_ten_thousand_characters(w):
    text = ("metināšana " * 1000)[:10_000]
    assert client_for().post("/api/v1/skills/extract/", {"text": text}, format="json").status_code == 200


def test_extract_is_throttled_for_anonymous_callers(w, monkeypatch):
    from api.throttles import WindowedAnonThrottle
    monkeypatch.setattr(WindowedAnonThrottle, "THROTTLE_RATES", {**WindowedAnonThrottle.THROTTLE_RATES, "anon": "2/min"})
    monkeypatch.setattr(WindowedAnonThrottle, "timer", lambda self: 6000.0)  # one window, whatever the clock
    statuses = [client_for().post("/api/v1/skills/extract/", {"text": "Excel"}, format="json").status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]


# ----------------------------------------------------------------------------------------------- titles
def test_match_title_finds_the_occupation_of_a_feminine_latvian_title(w):
    response = client_for().post("/api/v1/occupations/match-title/", {"title": "grāmatvede", "top_k": 3}, format="json")
    assert response.status_code == 200
    first = response.json()["occupations"][0]
    assert (first["uri"], first["label"]) == (w.accountant.uri, "grāmatvedis") and first["score"] > 0


@pytest.mark.parametrize("body,field", [
    ({"title": "metinātājs", "top_k": 0}, "top_k"), ({"title": "metinātājs", "top_k": 51}, "top_k"),
    ({"title": "x" * 201}, "title"), ({"title": None}, "title"), ({}, "title"),
])
def test_match_title_rejects_bad_input(w, body, field):
    response = client_for().post("/api/v1/occupations/match-title/", body, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]


# ----------------------------------------------------------------------------------------------- jobs
def test_a_candidate_gets_their_jobs_explained(w):
    response = client_for(w.cand_a.user).get(jobs_url(w.cand_a))
    assert response.status_code == 200
    body = response.json()
    assert body["candidate"] == w.cand_a.pk and body["reason"] is None
    # Both welding jobs; the one whose every essential skill the candidate holds first.
    assert [i["vacancy"]["id"] for i in body["items"]] == [w.job_b.pk, w.job_a.pk]
    assert w.draft_a.pk not in {i["vacancy"]["id"] for i in body["items"]}
    item = next(i for i in body["items"] if i["vacancy"]["id"] == w.job_a.pk)
    explanation = item["explanation"]
    assert [s["skill"]["uri"] for s in explanation["matched_skills"]] == [w.weld.uri]
    assert [s["uri"] for s in explanation["missing_essential"]] == [w.tig.uri]
    assert explanation["missing_essential"][0]["label"] == "TIG metināšana"
    assert explanation["essential_matched"] == "1 of 2"
    assert explanation["distance_km"] == 0.0 and explanation["commute_limit_km"] == 30.0
    assert set(explanation["filters"]) == {"languages", "education", "age", "hours", "commute"}
    assert all(explanation["filters"].values())
    assert set(explanation["parts"]) >= {"essential", "text", "distance", "profile"}
    assert abs(sum(explanation["contributions"].values()) - item["score"]) < 0.01
    assert [i["rank"] for i in body["items"]] == list(range(1, len(body["items"]) + 1))


def test_jobs_top_k_limits_the_list(w):
    assert len(client_for(w.cand_a.user).get(jobs_url(w.cand_a), {"top_k": 1}).json()["items"]) == 1


@pytest.mark.parametrize("top_k", ["0", "51", "x"])
def test_jobs_top_k_out_of_range_is_a_400(w, top_k):
    response = client_for(w.cand_a.user).get(jobs_url(w.cand_a), {"top_k": top_k})
    assert response.status_code == 400 and "top_k" in response.json()["error"]["fields"]


@pytest.mark.parametrize("actor,status", [
    ("own candidate", 200), ("other candidate", 404), ("own counsellor", 200), ("other counsellor", 404),
    ("employer", 403), ("provider", 403), ("admin", 200), ("anonymous", 401),
])
def test_jobs_for_a_candidate_permission_rules(w, actor, status):
    user = {
        "own candidate": w.cand_a.user, "other candidate": w.cand_b.user, "own counsellor": w.couns_a.user,
        "other counsellor": w.couns_b.user, "employer": w.member_a, "provider": w.provider, "admin": w.admin,
        "anonymous": None,
    }[actor]
    response = client_for(user).get(jobs_url(w.cand_a))
    assert response.status_code == status
    if status >= 400:
        assert set(response.json()) == {"error"}


def test_jobs_for_an_unknown_candidate_is_a_404(w):
    assert client_for(w.admin).get("/api/v1/candidates/999999/recommendations/jobs/").status_code == 404


def test_a_candidate_without_processing_consent_gets_an_empty_explained_list(w):
    w.cand_a.consent_processing = False
    w.cand_a.save()
    body = client_for(w.cand_a.user).get(jobs_url(w.cand_a)).json()
    assert body["items"] == [] and body["reason"] == "no_processing_consent"


def test_a_supervised_candidate_gets_nothing_before_their_counsellor_released_a_job(w):
    w.cand_a.supervised = True
    w.cand_a.save()
    body = client_for(w.cand_a.user).get(jobs_url(w.cand_a)).json()
    assert {k: body[k] for k in ("candidate", "items", "reason")} == {
        "candidate": w.cand_a.pk, "items": [], "reason": "not_released"}
    assert body["reason_message"].startswith("Šo sarakstu vispirms pārskat") and body["language_gap"] == []


def test_a_vacancy_closed_a_moment_ago_is_dropped_before_the_next_probe(w, service):
    client = client_for(w.cand_a.user)
    assert w.job_a.pk in {i["vacancy"]["id"] for i in client.get(jobs_url(w.cand_a)).json()["items"]}
    type(w.job_a).objects.filter(pk=w.job_a.pk).update(status="closed")
    assert w.job_a.pk not in {i["vacancy"]["id"] for i in client.get(jobs_url(w.cand_a)).json()["items"]}


def test_a_vacancy_edited_through_the_api_shows_within_one_probe(w, clock):
    candidate = client_for(w.cand_a.user)
    before = {i["vacancy"]["id"]: i for i in candidate.get(jobs_url(w.cand_a)).json()["items"]}
    assert before[w.job_a.pk]["explanation"]["essential_matched"] == "1 of 2"
    edit = {"title": "Metinātājs", "skills": [{"uri": w.weld.uri, "essential": True}]}
    response = client_for(w.member_a).patch(f"/api/v1/vacancies/{w.job_a.pk}/", edit, format="json")
    assert response.status_code == 200, response.content
    clock.advance(PROBE)
    after = {i["vacancy"]["id"]: i for i in candidate.get(jobs_url(w.cand_a)).json()["items"]}
    assert after[w.job_a.pk]["explanation"]["essential_matched"] == "1 of 1"
    assert after[w.job_a.pk]["explanation"]["missing_essential"] == []


# ----------------------------------------------------------------------------------------------- candidates
def _listed(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["candidate"]["id"] for item in response.json()["items"]]


def test_an_employer_sees_only_discoverable_adults_with_recruiter_fields(w):
    response = client_for(w.member_a).get(candidates_url(w.job_a))
    listed = _listed(response)
    assert set(listed) == {w.cand_a.pk, w.cand_b.pk}  # not the private adult, not the minor
    for item in response.json()["items"]:
        assert item["candidate"]["access"] == "recruiter"
        assert not CONTACT & set(item["candidate"]) and "birth_year" not in item["candidate"]
        assert "about" not in item["candidate"]
        assert "commute_limit_km" not in item["explanation"] and "relocation_needed" not in item["explanation"]
        assert "commute" not in item["explanation"]["filters"]  # a bound on the hidden commute limit
        assert "distance" not in item["explanation"]["parts"]
        assert [s["skill"]["uri"] for s in item["explanation"]["matched_skills"]] == [w.weld.uri]


def test_an_employer_sees_contact_details_of_a_candidate_who_applied(w):
    f.ApplicationFactory(candidate=w.cand_b, vacancy=w.job_a)
    items = client_for(w.member_a).get(candidates_url(w.job_a)).json()["items"]
    shapes = {item["candidate"]["id"]: item["candidate"] for item in items}
    assert shapes[w.cand_b.pk]["access"] == "applicant" and shapes[w.cand_b.pk]["email"] == w.cand_b.user.email
    assert shapes[w.cand_a.pk]["access"] == "recruiter" and "email" not in shapes[w.cand_a.pk]


def test_a_counsellor_sees_only_their_caseload_with_full_explanations(w):
    w.cand_private.counsellor = w.couns_a
    w.cand_private.save()
    response = client_for(w.couns_a.user).get(candidates_url(w.job_b))
    assert set(_listed(response)) == {w.cand_a.pk, w.cand_private.pk}
    item = response.json()["items"][0]
    assert item["candidate"]["access"] == "full" and "commute_limit_km" in item["explanation"]
    assert item["explanation"]["filters"]["commute"] is True


def test_admin_sees_every_indexed_candidate_the_filters_let_through(w):
    listed = _listed(client_for(w.admin).get(candidates_url(w.job_a)))
    assert set(listed) == {w.cand_a.pk, w.cand_b.pk, w.cand_private.pk}  # the 16-year-old fails min_age 18
    type(w.job_a).objects.filter(pk=w.job_a.pk).update(min_age=15, updated_at=timezone.now())
    listed = _listed(client_for(w.admin).get(candidates_url(w.job_a)))
    assert set(listed) == {w.cand_a.pk, w.cand_b.pk, w.cand_private.pk, w.cand_minor.pk}


@pytest.mark.parametrize("actor,vacancy,status", [
    ("employer", "own", 200), ("employer", "another's", 404), ("employer", "own draft", 200),
    ("counsellor", "another's", 200), ("counsellor", "own draft", 404), ("candidate", "another's", 403),
    ("provider", "another's", 403), ("admin", "another's", 200), ("anonymous", "another's", 401),
])
def test_candidates_for_a_vacancy_permission_rules(w, actor, vacancy, status):
    user = {"employer": w.member_a, "counsellor": w.couns_a.user, "candidate": w.cand_a.user, "provider": w.provider,
            "admin": w.admin, "anonymous": None}[actor]
    target = {"own": w.job_a, "another's": w.job_b, "own draft": w.draft_a}[vacancy]
    response = client_for(user).get(candidates_url(target))
    assert response.status_code == status
    if status >= 400:
        assert set(response.json()) == {"error"}


def test_an_employer_role_without_membership_gets_a_403(w):
    lone = f.UserFactory(role="employer")
    assert client_for(lone).get(candidates_url(w.job_a)).status_code == 403


def test_a_draft_vacancy_gets_an_empty_list_saying_why(w):
    body = client_for(w.member_a).get(candidates_url(w.draft_a)).json()
    assert body == {"vacancy": w.draft_a.pk, "items": [], "reason": "vacancy_not_public"}


@pytest.mark.parametrize("top_k", ["0", "51", "1.5"])
def test_candidates_top_k_out_of_range_is_a_400(w, top_k):
    response = client_for(w.member_a).get(candidates_url(w.job_a), {"top_k": top_k})
    assert response.status_code == 400 and "top_k" in response.json()["error"]["fields"]


def test_a_candidate_who_withdraws_discoverability_leaves_the_employers_list_at_once(w):
    client = client_for(w.member_a)
    assert w.cand_b.pk in _listed(client.get(candidates_url(w.job_a)))
    w.cand_b.consent_discoverable = False
    w.cand_b.save()
    assert w.cand_b.pk not in _listed(client.get(candidates_url(w.job_a)))


def test_the_openapi_schema_documents_the_matching_endpoints(w):
    schema = client_for().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    extract = paths["/api/v1/skills/extract/"]["post"]
    assert {"200", "400", "429"} <= set(extract["responses"])
    assert extract["requestBody"]["content"]["application/json"]["examples"]
    jobs = paths["/api/v1/candidates/{id}/recommendations/jobs/"]["get"]
    assert {"200", "400", "401", "403", "404"} <= set(jobs["responses"])
    assert "/api/v1/vacancies/{id}/recommendations/candidates/" in paths
    assert "/api/v1/occupations/match-title/" in paths
