"""Counsellors in the loop from end to end, over HTTP only (issue 6).

A 16-year-old (supervised because a minor) in a counsellor's caseload, vacancies of a verified employer: the
counsellor reads the jobs list, approves one job and rejects another with a reason code and a note; the pupil
sees only the approved one, applies, and the employer shortlists and hires; the outcomes report counts the hire.
Then the counsellor adds by hand a vacancy the ranker did not return, and the pupil sees it too. Every actor signs
in through ``/api/v1/auth/token/``; the database is read only to check the audit trail each step left.
"""
from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from careers.models import Application, FeedbackEvent, RecommendationItem, RecommendationList, Review, ReviewLog, Role
from tests import factories as f
from tests.api.test_matching_api import jobs_url
from tests.api.test_oversight import review_url, service  # noqa: F401 (the autouse fixture: an inline match index)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory's password
OTHERS = 9  # with the pupil, the ten candidates the outcomes report needs before it shows figures


def signed_in(user) -> APIClient:
    """A client with a real access token from the sign-in endpoint."""
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    return client


class World:
    def __init__(self) -> None:
        year = timezone.localdate().year
        self.town = f.TownFactory(name="Valmiera", latitude=57.54108, longitude=25.42751)
        self.weld = f.SkillFactory(label_en="welding", label_lv="metināšana")
        self.tig = f.SkillFactory(label_en="TIG welding", label_lv="TIG metināšana")
        self.excel = f.SkillFactory(label_en="use spreadsheets software", label_lv="izklājlapu lietošana")
        welder = f.OccupationFactory(label_en="welder", label_lv="metinātājs")
        accountant = f.OccupationFactory(label_en="accountant", label_lv="grāmatvedis")
        self.employer = f.EmployerFactory(town=self.town, verified=True)
        self.member = f.EmployerMemberFactory(employer=self.employer)
        self.job_a = self._vacancy("Metinātājs", welder, [(self.weld, True), (self.tig, True)])
        self.job_b = self._vacancy("Metinātāja palīgs", welder, [(self.weld, True)])
        # Shares no skill, occupation or word with the pupil: the ranker never lists it.
        self.job_c = self._vacancy("Grāmatveža palīgs", accountant, [(self.excel, True)],
                                   description="Rēķinu kārtošana birojā.")
        self.counsellor = f.CounsellorFactory(town=self.town)
        self.pupil = self._candidate(birth_year=year - 16)
        self.others = [self._candidate(birth_year=year - 30) for _ in range(OTHERS)]
        self.analyst = f.UserFactory(role=Role.ANALYST)

    def _vacancy(self, title, occupation, skills, description=None):
        # Summer-job style postings open to 15-year-olds.
        vacancy = f.VacancyFactory(employer=self.employer, title=title, occupation=occupation, town=self.town,
                                   description=description or title, min_age=15)
        for skill, essential in skills:
            f.VacancySkillFactory(vacancy=vacancy, skill=skill, essential=essential)
        return vacancy

    def _candidate(self, *, birth_year):
        candidate = f.CandidateFactory(town=self.town, counsellor=self.counsellor, birth_year=birth_year,
                                       about="Metinātājs")
        f.CandidateSkillFactory(candidate=candidate, skill=self.weld, proficiency=3)
        return candidate


def keys_of(body: dict) -> list[str]:
    return [f"vacancy:{item['vacancy']['id']}" for item in body["items"]]


def served(candidate) -> list[tuple]:
    """The audit log of the candidate's jobs lists: (who asked, for whom, item keys by rank), oldest first."""
    lists = RecommendationList.objects.filter(candidate=candidate, kind="jobs").order_by("created_at", "id")
    return [(s.requested_by_id, s.candidate_id, list(s.items.order_by("rank").values_list("item_key", flat=True)))
            for s in lists]


def test_a_supervised_pupil_sees_what_the_counsellor_released_applies_and_is_hired_and_every_step_is_logged():
    w = World()
    counsellor, pupil, employer = signed_in(w.counsellor.user), signed_in(w.pupil.user), signed_in(w.member)
    key_a, key_b, key_c = (f"vacancy:{v.pk}" for v in (w.job_a, w.job_b, w.job_c))

    # 1. The counsellor reads the pupil's list: every item, none reviewed yet. The pupil gets nothing yet.
    full = counsellor.get(jobs_url(w.pupil))
    assert full.status_code == 200, full.content
    assert sorted(keys_of(full.json())) == sorted([key_a, key_b])  # not key_c: the ranker does not list it
    assert [i["review"] for i in full.json()["items"]] == [None, None]
    held = pupil.get(jobs_url(w.pupil))
    assert {k: held.json()[k] for k in ("candidate", "items", "reason")} == {
        "candidate": w.pupil.pk, "items": [], "reason": "not_released"}
    assert w.counsellor.user.get_full_name() in held.json()["reason_message"]
    assert served(w.pupil) == [(w.counsellor.user.pk, w.pupil.pk, keys_of(full.json()))]  # withheld: not served

    # 2. One approved, the other rejected with a reason code and a note.
    approved, rejected = keys_of(full.json())[1], keys_of(full.json())[0]
    yes = counsellor.put(review_url(w.pupil, approved), {"decision": "approved", "version": 0}, format="json")
    no = counsellor.put(review_url(w.pupil, rejected), {"decision": "rejected", "reason": "not_ready",
                                                        "note": "Vispirms jāapgūst TIG.", "version": 0}, format="json")
    assert (yes.status_code, no.status_code) == (201, 201), (yes.content, no.content)
    assert (no.json()["reason"], no.json()["note"], no.json()["counsellor"]) == (
        "not_ready", "Vispirms jāapgūst TIG.", w.counsellor.user.pk)

    # 3. The pupil sees only the approved job, ranked first and marked.
    seen = pupil.get(jobs_url(w.pupil)).json()
    assert keys_of(seen) == [approved] and seen["reason"] is None
    assert (seen["items"][0]["rank"], seen["items"][0]["review"]) == (1, "approved")

    # 4. The pupil applies to it; the employer views, shortlists and hires. Each side reports its events.
    applied = pupil.post("/api/v1/applications/", {"vacancy": seen["items"][0]["vacancy"]["id"],
                                                   "message": "Vasarā varu strādāt."}, format="json")
    assert applied.status_code == 201, applied.content
    application = applied.json()["id"]
    assert feedback(pupil, "e2e-applied", approved, "applied").status_code == 201
    for status in ("viewed", "shortlisted", "hired"):
        moved = employer.post(f"/api/v1/applications/{application}/status/", {"status": status}, format="json")
        assert moved.status_code == 200 and moved.json()["status"] == status, moved.content
        if status != "viewed":
            assert feedback(employer, f"e2e-{status}", approved, status, candidate=w.pupil).status_code == 201
    assert pupil.get(f"/api/v1/applications/{application}/").json()["status"] == "hired"

    # 5. The outcomes report counts the hire (ten candidates were served lists, so the figures are shown).
    for other in w.others:
        assert counsellor.get(jobs_url(other)).status_code == 200
    report = signed_in(w.analyst).get("/api/v1/insights/outcomes/?kind=jobs")
    assert report.status_code == 200, report.content
    recommended = RecommendationItem.objects.filter(list__kind="jobs").values("list__candidate", "item_key")
    total = report.json()["total"]
    assert (total["candidates"], total["recommended"], total["applied"], total["hired"], total["suppressed"]) == (
        OTHERS + 1, recommended.distinct().count(), 1, 1, False)
    assert [(r["id"], r["hired"]) for r in report.json()["by_counsellor"]] == [(w.counsellor.pk, 1)]

    # 6. The counsellor adds by hand a vacancy the ranker did not return: the pupil now sees it after the approved
    #    one, and may ask why it is there.
    added = counsellor.put(review_url(w.pupil, key_c), {"decision": "added", "note": "Der arī birojā."},
                           format="json")
    assert added.status_code == 201, added.content
    marked = counsellor.get(jobs_url(w.pupil)).json()
    assert dict(zip(keys_of(marked), (i["review"] for i in marked["items"]))) == {
        approved: "approved", rejected: "rejected", key_c: "added"}
    now = pupil.get(jobs_url(w.pupil)).json()
    assert keys_of(now) == [approved, key_c]
    assert [(i["rank"], i["review"]) for i in now["items"]] == [(1, "approved"), (2, "added")]
    assert now["items"][1]["vacancy"]["title"] == "Grāmatveža palīgs"
    why = pupil.get(f"/api/v1/candidates/{w.pupil.pk}/recommendations/jobs/{key_c}/explain/",
                    HTTP_ACCEPT_LANGUAGE="en")
    assert why.status_code == 200 and "number 2" in why.json()["sentences"][0], why.content

    # 7. The audit trail: every served list with who asked and for whom; every decision with who and when.
    c, p = w.counsellor.user.pk, w.pupil.pk
    assert served(w.pupil) == [
        (c, p, keys_of(full.json())),
        (w.pupil.user.pk, p, [approved]),
        (c, p, keys_of(marked)),
        (w.pupil.user.pk, p, [approved, key_c]),
    ]
    log = ReviewLog.objects.filter(review__candidate=w.pupil).select_related("review").order_by("created_at", "id")
    assert [(r.review.item_key, r.actor_id, r.decision, r.reason, r.note, r.version) for r in log] == [
        (approved, c, "approved", "", "", 1),
        (rejected, c, "rejected", "not_ready", "Vispirms jāapgūst TIG.", 1),
        (key_c, c, "added", "", "Der arī birojā.", 1),
    ]
    assert all(r.created_at is not None for r in log)
    assert Review.objects.filter(candidate=w.pupil).count() == 3
    events = FeedbackEvent.objects.filter(candidate=w.pupil).order_by("created_at", "id")
    assert [(e.actor_id, e.item_key, e.event) for e in events] == [
        (w.pupil.user.pk, approved, "applied"), (w.member.pk, approved, "shortlisted"),
        (w.member.pk, approved, "hired")]
    hired = Application.objects.get(pk=application)
    assert (hired.candidate_id, f"vacancy:{hired.vacancy_id}", hired.status) == (p, approved, "hired")


def feedback(client: APIClient, event_id: str, key: str, event: str, *, candidate=None):
    body = {"client_event_id": event_id, "kind": "jobs", "item_key": key, "event": event}
    if candidate is not None:
        body["candidate"] = candidate.pk
    return client.post("/api/v1/feedback/", body, format="json")
