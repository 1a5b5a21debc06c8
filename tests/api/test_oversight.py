"""Counsellors in the loop over the API (issue 6): caseload, reviews, release to supervised candidates, audit."""
from __future__ import annotations

import re

import pytest

from careers.models import FeedbackEvent, RecommendationItem, RecommendationList, Review, ReviewLog
from careers.runtime.matches import MatchService, set_match_service
from tests import factories as f
from tests.api.test_matching_api import World, client_for, jobs_url
from tests.careers.test_recommendations import PROBE, FakeClock

RELEASE_MESSAGE = "Šo sarakstu vispirms pārskatīs tavs karjeras konsultants %s. Konsultants par to zina"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def service():
    service = MatchService(clock=FakeClock(), probe_seconds=PROBE, background=False)
    previous = set_match_service(service)
    yield service
    set_match_service(previous)


@pytest.fixture
def w() -> World:
    return World()


def review_url(candidate, key, kind="jobs") -> str:
    return f"/api/v1/candidates/{candidate.pk}/reviews/{kind}/{key}/"


def put_review(user, candidate, key, body, kind="jobs"):
    return client_for(user).put(review_url(candidate, key, kind), body, format="json")


def job_keys(body) -> list[str]:
    return [f"vacancy:{i['vacancy']['id']}" for i in body["items"]]


# ----------------------------------------------------------------------------------------------- reviews
def test_a_counsellor_creates_then_updates_a_review_and_each_decision_is_logged(w):
    user = w.couns_a.user
    key = f"vacancy:{w.job_a.pk}"
    created = put_review(user, w.cand_a, key, {"decision": "approved", "version": 0})
    assert created.status_code == 201, created.json()
    assert created.json()["version"] == 1 and created.json()["counsellor"] == user.pk
    updated = put_review(user, w.cand_a, key, {"decision": "rejected", "reason": "location", "note": "par tālu",
                                                "version": 1})
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert updated.json()["reason"] == "location"
    log = list(ReviewLog.objects.order_by("version").values_list("decision", "version", "actor"))
    assert log == [("approved", 1, user.pk), ("rejected", 2, user.pk)]


def test_two_counsellors_editing_the_same_review_get_a_409_with_the_current_state_and_nothing_is_lost(w):
    key = f"vacancy:{w.job_a.pk}"
    assert put_review(w.couns_a.user, w.cand_a, key, {"decision": "approved"}).status_code == 201
    # Both read version 1; the admin saves first, the counsellor's stale write must not overwrite it.
    first = put_review(w.admin, w.cand_a, key, {"decision": "rejected", "reason": "not_ready", "version": 1})
    assert first.status_code == 200
    stale = put_review(w.couns_a.user, w.cand_a, key, {"decision": "approved", "note": "labi", "version": 1})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "conflict" and "version" in error["fields"]
    assert error["current"]["decision"] == "rejected" and error["current"]["version"] == 2
    review = Review.objects.get(candidate=w.cand_a, kind="jobs", item_key=key)
    assert (review.decision, review.reason, review.version, review.counsellor_id) == ("rejected", "not_ready", 2,
                                                                                        w.admin.pk)
    assert ReviewLog.objects.filter(review=review).count() == 2
    # Creating over an existing review is a conflict too (two first writes at once).
    again = put_review(w.couns_a.user, w.cand_a, key, {"decision": "approved", "version": 0})
    assert again.status_code == 409 and again.json()["error"]["current"]["version"] == 2


def test_a_rejection_without_a_reason_code_is_refused_and_writes_nothing(w):
    response = put_review(w.couns_a.user, w.cand_a, f"vacancy:{w.job_a.pk}", {"decision": "rejected"})
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    assert not Review.objects.exists() and not ReviewLog.objects.exists()


@pytest.mark.parametrize("decision", ["approved", "rejected"])
def test_an_empty_reason_is_not_one_of_the_reasons_and_is_refused(w, decision):
    """Issue 15, finding 7: `reason: ""` is outside the enum; omit the field (or send null) when there is none."""
    key = f"vacancy:{w.job_a.pk}"
    response = put_review(w.couns_a.user, w.cand_a, key, {"decision": decision, "reason": ""})
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["reason"]
    assert not Review.objects.exists()
    for body in ({"decision": "approved"}, {"decision": "approved", "reason": None, "version": 1}):
        assert put_review(w.couns_a.user, w.cand_a, key, body).status_code in (200, 201)
    assert Review.objects.get().reason == ""


@pytest.mark.parametrize("kind,key", [("jobs", "programme:1"), ("jobs", "vacancy:x"), ("nonsense", "vacancy:1")])
def test_a_malformed_kind_or_item_key_is_a_clear_4xx(w, kind, key):
    response = put_review(w.couns_a.user, w.cand_a, key, {"decision": "approved"}, kind=kind)
    assert response.status_code in (400, 404)
    if kind == "jobs":
        assert "item_key" in response.json()["error"]["fields"]
    assert not Review.objects.exists()


def test_a_review_of_an_item_that_does_not_exist_is_a_400_naming_item_key_and_writes_nothing(w):
    programme, occupation = f.ProgrammeFactory(), f.OccupationFactory()
    closed = f.VacancyFactory(status="closed")
    cases = [("jobs", "vacancy:999999999", 400), ("programmes", "programme:999999999", 400),
             ("careers", "occupation:999999999", 400), ("pathways", f"pathway:{programme.pk}+999999999", 400),
             ("jobs", f"vacancy:{closed.pk}", 201),  # closed since it was served: it may still be reviewed
             ("programmes", f"programme:{programme.pk}", 201), ("careers", f"occupation:{occupation.pk}", 201),
             ("pathways", f"pathway:{programme.pk}", 201)]
    for kind, key, expected in cases:
        response = put_review(w.couns_a.user, w.cand_a, key, {"decision": "approved"}, kind=kind)
        assert response.status_code == expected, (kind, key, response.content)
        if expected == 400:
            assert key in response.json()["error"]["fields"]["item_key"][0]
    assert Review.objects.count() == ReviewLog.objects.count() == 4
    latvian = client_for(w.couns_a.user).put(review_url(w.cand_a, "vacancy:999999999"), {"decision": "approved"},
                                             format="json", HTTP_ACCEPT_LANGUAGE="lv")
    assert latvian.json()["error"]["fields"]["item_key"] == ["Šāda vienuma nav: vacancy:999999999."]


def test_reviews_are_for_the_counsellors_own_caseload_only(w):
    key = f"vacancy:{w.job_a.pk}"
    # Another counsellor's candidate: 404 (existence not revealed), nothing written.
    assert put_review(w.couns_a.user, w.cand_b, key, {"decision": "approved"}).status_code == 404
    assert client_for(w.couns_a.user).get(f"/api/v1/candidates/{w.cand_b.pk}/reviews/").status_code == 404
    # Roles that never review: 403; anonymous: 401.
    for user in (w.cand_a.user, w.member_a, w.provider):
        assert put_review(user, w.cand_a, key, {"decision": "approved"}).status_code == 403
        assert client_for(user).get(f"/api/v1/candidates/{w.cand_a.pk}/reviews/").status_code == 403
    assert client_for().put(review_url(w.cand_a, key), {"decision": "approved"}, format="json").status_code == 401
    assert not Review.objects.exists()
    # Staff may review anyone.
    assert put_review(w.admin, w.cand_b, key, {"decision": "approved"}).status_code == 201
    listed = client_for(w.admin).get(f"/api/v1/candidates/{w.cand_b.pk}/reviews/").json()
    assert [r["item_key"] for r in listed] == [key]


# ----------------------------------------------------------------------------------------------- release
def test_a_supervised_candidate_sees_only_the_approved_items_and_others_see_every_item_marked(w):
    minor = w.cand_minor
    minor.counsellor = w.couns_a
    minor.save()
    for job in (w.job_a, w.job_b):  # summer-job style postings open to 15-year-olds
        job.min_age = 15
        job.save()
    assert minor.is_supervised and not minor.supervised  # supervised because a minor, not by choice
    counsellor = client_for(w.couns_a.user)
    full = counsellor.get(jobs_url(minor)).json()
    keys = job_keys(full)
    assert set(keys) == {f"vacancy:{w.job_a.pk}", f"vacancy:{w.job_b.pk}"}
    assert all(i["review"] is None for i in full["items"])
    # Nothing released yet: the minor gets an empty list that names who reviews it.
    held = client_for(minor.user).get(jobs_url(minor)).json()
    assert (held["candidate"], held["items"], held["reason"]) == (minor.pk, [], "not_released")
    assert held["reason_message"].startswith(RELEASE_MESSAGE % w.couns_a.user.get_full_name())
    approved, rejected = keys[1], keys[0]
    assert put_review(w.couns_a.user, minor, approved, {"decision": "approved"}).status_code == 201
    assert put_review(w.couns_a.user, minor, rejected, {"decision": "rejected", "reason": "skills_mismatch"}
                      ).status_code == 201
    seen = client_for(minor.user).get(jobs_url(minor)).json()
    assert job_keys(seen) == [approved] and seen["items"][0]["rank"] == 1
    assert seen["items"][0]["review"] == "approved"
    # The counsellor still sees both, each marked.
    again = counsellor.get(jobs_url(minor)).json()
    marked = dict(zip(job_keys(again), (i["review"] for i in again["items"])))
    assert marked == {approved: "approved", rejected: "rejected"}


def test_an_adult_who_is_not_supervised_sees_every_item_marked_reviewed_or_not(w):
    key = f"vacancy:{w.job_b.pk}"
    put_review(w.couns_a.user, w.cand_a, key, {"decision": "rejected", "reason": "poor_posting"})
    body = client_for(w.cand_a.user).get(jobs_url(w.cand_a)).json()
    marks = dict(zip(job_keys(body), (i["review"] for i in body["items"])))
    assert marks == {f"vacancy:{w.job_a.pk}": None, key: "rejected"}


def test_an_adult_the_counsellor_supervises_is_held_back_too(w):
    w.cand_a.supervised = True
    w.cand_a.save()
    assert client_for(w.cand_a.user).get(jobs_url(w.cand_a)).json()["reason"] == "not_released"
    put_review(w.couns_a.user, w.cand_a, f"vacancy:{w.job_a.pk}", {"decision": "approved"})
    assert job_keys(client_for(w.cand_a.user).get(jobs_url(w.cand_a)).json()) == [f"vacancy:{w.job_a.pk}"]


# ----------------------------------------------------------------------------------------------- audit
def test_every_served_list_is_logged_with_who_for_whom_items_scores_and_features(w):
    body = client_for(w.couns_a.user).get(jobs_url(w.cand_a)).json()
    served = RecommendationList.objects.get()
    assert (served.requested_by_id, served.candidate_id, served.kind) == (w.couns_a.user.pk, w.cand_a.pk, "jobs")
    assert served.model_version
    items = list(RecommendationItem.objects.filter(list=served).order_by("rank"))
    assert [i.item_key for i in items] == job_keys(body)
    assert [i.score for i in items] == pytest.approx([i["score"] for i in body["items"]])
    assert items[0].features["parts"] == pytest.approx(body["items"][0]["explanation"]["parts"])
    assert items[0].features["matched_skills"] == [w.weld.pk]
    # The supervised view logs what was really shown: the filtered list.
    client_for(w.cand_a.user).get(jobs_url(w.cand_a))
    assert RecommendationList.objects.count() == 2


# ----------------------------------------------------------------------------------------------- caseload
def test_the_caseload_lists_own_candidates_with_pending_counts_filters_and_ordering(w):
    second = f.CandidateFactory(town=w.ventspils, counsellor=w.couns_a)
    counsellor = client_for(w.couns_a.user)
    counsellor.get(jobs_url(w.cand_a))  # two items served, none reviewed
    rows = counsellor.get("/api/v1/counsellor/caseload/").json()["results"]
    assert [(r["id"], r["pending_reviews"]) for r in rows] == [(w.cand_a.pk, 2), (second.pk, 0)]
    put_review(w.couns_a.user, w.cand_a, f"vacancy:{w.job_a.pk}", {"decision": "approved"})
    pending = counsellor.get("/api/v1/counsellor/caseload/?pending=true").json()["results"]
    assert [(r["id"], r["pending_reviews"]) for r in pending] == [(w.cand_a.pk, 1)]
    in_town = counsellor.get(f"/api/v1/counsellor/caseload/?town={w.ventspils.pk}").json()["results"]
    assert [r["id"] for r in in_town] == [second.pk]
    assert counsellor.get("/api/v1/counsellor/caseload/?kind=programmes").json()["results"][0]["pending_reviews"] == 0
    ascending = counsellor.get("/api/v1/counsellor/caseload/?ordering=pending").json()["results"]
    assert [r["id"] for r in ascending] == [second.pk, w.cand_a.pk]
    assert counsellor.get("/api/v1/counsellor/caseload/?ordering=age").status_code == 400
    # Another counsellor's candidates never appear; staff see everyone; other roles 403, anonymous 401.
    assert w.cand_b.pk not in {r["id"] for r in rows}
    every = client_for(w.admin).get("/api/v1/counsellor/caseload/?page_size=100").json()["results"]
    assert {w.cand_a.pk, w.cand_b.pk, second.pk} <= {r["id"] for r in every}
    for user in (w.cand_a.user, w.member_a, w.provider):
        assert client_for(user).get("/api/v1/counsellor/caseload/").status_code == 403
    assert client_for().get("/api/v1/counsellor/caseload/").status_code == 401


# ----------------------------------------------------------------------------------------------- feedback
def send(user, body):
    return client_for(user).post("/api/v1/feedback/", body, format="json")


def test_feedback_is_idempotent_by_client_event_id(w):
    body = {"client_event_id": "ev-1", "kind": "jobs", "item_key": f"vacancy:{w.job_a.pk}", "event": "saved"}
    first = send(w.cand_a.user, body)
    assert first.status_code == 201, first.json()
    again = send(w.cand_a.user, body)
    assert again.status_code == 200 and again.json() == first.json()
    assert FeedbackEvent.objects.count() == 1
    # The same id for a different event is refused; another actor may use the same id.
    assert send(w.cand_a.user, {**body, "event": "dismissed"}).status_code == 409
    assert send(w.cand_b.user, body).status_code == 201
    assert FeedbackEvent.objects.count() == 2


def test_candidates_report_only_on_their_own_visible_items_and_events(w):
    body = {"client_event_id": "ev-2", "kind": "jobs", "item_key": f"vacancy:{w.draft_a.pk}", "event": "viewed"}
    assert send(w.cand_a.user, body).status_code == 404  # a draft is not visible to them
    assert send(w.cand_a.user, {**body, "item_key": f"vacancy:{w.job_a.pk}", "candidate": w.cand_b.pk}
                ).status_code == 404  # someone else's list
    refused = send(w.cand_a.user, {**body, "item_key": f"vacancy:{w.job_a.pk}", "event": "hired"})
    assert refused.status_code == 400 and "event" in refused.json()["error"]["fields"]
    bad_key = send(w.cand_a.user, {**body, "item_key": "programme:1"})
    assert bad_key.status_code == 400 and "item_key" in bad_key.json()["error"]["fields"]
    assert not FeedbackEvent.objects.exists()


def test_employers_report_only_on_applicants_to_their_own_vacancies(w):
    body = {"client_event_id": "ev-3", "kind": "jobs", "item_key": f"vacancy:{w.job_a.pk}", "event": "shortlisted",
            "candidate": w.cand_a.pk}
    assert send(w.member_a, body).status_code == 404  # no application yet
    f.ApplicationFactory(candidate=w.cand_a, vacancy=w.job_a)
    f.ApplicationFactory(candidate=w.cand_b, vacancy=w.job_b)
    assert send(w.member_a, body).status_code == 201
    other = {**body, "client_event_id": "ev-4", "item_key": f"vacancy:{w.job_b.pk}", "candidate": w.cand_b.pk}
    assert send(w.member_a, other).status_code == 404  # employer B's vacancy
    assert send(w.couns_a.user, {**body, "client_event_id": "ev-5"}).status_code == 403
    assert send(w.admin, {**body, "client_event_id": "ev-6"}).status_code == 403
    assert client_for().post("/api/v1/feedback/", body, format="json").status_code == 401
    assert list(FeedbackEvent.objects.values_list("actor", "candidate", "event")) == [
        (w.member_a.pk, w.cand_a.pk, "shortlisted")]


def test_providers_report_enrolments_only_for_applicants_to_their_intakes(w):
    staff = f.ProviderStaffFactory()
    intake = f.IntakeFactory(programme=f.ProgrammeFactory(institution=staff.institution))
    elsewhere = f.IntakeFactory()
    body = {"client_event_id": "ev-7", "kind": "programmes", "item_key": f"programme:{intake.programme_id}",
            "event": "enrolled", "candidate": w.cand_a.pk}
    assert send(staff.user, body).status_code == 404
    f.ApplicationFactory(candidate=w.cand_a, vacancy=None, intake=intake)
    f.ApplicationFactory(candidate=w.cand_a, vacancy=None, intake=elsewhere)
    assert send(staff.user, body).status_code == 201
    assert send(staff.user, {**body, "client_event_id": "ev-8", "item_key": f"programme:{elsewhere.programme_id}"}
                ).status_code == 404


# ----------------------------------------------------------------------------------------------- explain
def explain_url(candidate, key, kind="jobs") -> str:
    return f"/api/v1/candidates/{candidate.pk}/recommendations/{kind}/{key}/explain/"


def test_explain_tells_the_candidate_why_in_latvian_and_english_from_the_logged_list(w):
    key = f"vacancy:{w.job_a.pk}"
    assert client_for(w.cand_a.user).get(explain_url(w.cand_a, key)).status_code == 404  # never served
    client_for(w.cand_a.user).get(jobs_url(w.cand_a))
    en = client_for(w.cand_a.user, "en").get(explain_url(w.cand_a, key))
    assert en.status_code == 200, en.json()
    text = " ".join(en.json()["sentences"])
    assert "welding" in text and "Essential skills you do not have yet: TIG welding." in text
    assert en.json()["language"] == "en" and en.json()["model_version"]
    lv = " ".join(client_for(w.cand_a.user, "lv").get(explain_url(w.cand_a, key)).json()["sentences"])
    # An adult is addressed as "Jūs"; numbers are written with a decimal comma in Latvian.
    assert "metināšana" in lv and "Būtiskās prasmes, kuru Jums vēl nav: TIG metināšana." in lv
    assert re.search(r"novērtējums \d,\d\d\)", lv) and " tev " not in lv
    # The counsellor may ask; another counsellor, an employer and a provider may not.
    assert client_for(w.couns_a.user).get(explain_url(w.cand_a, key)).status_code == 200
    assert client_for(w.couns_b.user).get(explain_url(w.cand_a, key)).status_code == 404
    assert client_for(w.member_a).get(explain_url(w.cand_a, key)).status_code == 403
    assert client_for(w.provider).get(explain_url(w.cand_a, key)).status_code == 403


def test_a_supervised_candidate_gets_no_explanation_of_an_item_not_released(w):
    w.cand_a.supervised = True
    w.cand_a.save()
    key = f"vacancy:{w.job_a.pk}"
    client_for(w.couns_a.user).get(jobs_url(w.cand_a))
    assert client_for(w.cand_a.user).get(explain_url(w.cand_a, key)).status_code == 404
    put_review(w.couns_a.user, w.cand_a, key, {"decision": "approved"})
    assert client_for(w.cand_a.user).get(explain_url(w.cand_a, key)).status_code == 200
