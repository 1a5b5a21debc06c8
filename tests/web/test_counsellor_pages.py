"""The counsellor pages (journey 4) over Django's test client, on the demo world.

Each rule has a test that fails if the rule is removed: visitors are sent to sign in and other roles get 403
(``counsellor_required``); a person outside the caseload is 404 (``caseload_of``); a decision needs a reason to
reject, the CSRF token and a POST; a stale version is answered 409 with both versions and writes nothing.
"""
from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from careers.models import Application, CandidateProfile, Programme, Review, User, Vacancy
from careers.services.oversight import save_review
from tests.web.conftest import signed_in
from web.forms_counsellor import MSG_REASON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]

COUNSELLOR = "counsellor.ventspils"
OTHER_COUNSELLOR = "counsellor.valmiera"
WELDER = "welder.ventspils"


def text(response) -> str:
    return response.content.decode()


def person(username: str) -> CandidateProfile:
    return CandidateProfile.objects.select_related("user").get(user__username=username)


def queue_keys(response) -> list[str]:
    return re.findall(r'name="item_key" value="([^"]+)"', text(response))


def pages(pk: int) -> list[str]:
    return ["/counsellor/", "/counsellor/outcomes/", f"/counsellor/people/{pk}/", f"/counsellor/people/{pk}/print/"]


def decide(client: Client, pk: int, key: str, *, decision: str, version: int = 0, reason: str = "", note: str = "",
           kind: str = "jobs", **extra):
    return client.post(f"/counsellor/people/{pk}/review/", {"kind": kind, "item_key": key, "version": version,
                                                            "decision": decision, "reason": reason, "note": note},
                       **extra)


# ------------------------------------------------------------------------------------------- who may
def test_visitors_are_sent_to_sign_in():
    pk = person(WELDER).pk
    for url in pages(pk):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/signin/"), url


@pytest.mark.parametrize("username", [WELDER, "employer.valmiera", "provider.vtech", "analyst.valmiera"])
def test_other_roles_get_403(username):
    pk = person(WELDER).pk
    client = signed_in(username)
    assert [client.get(url).status_code for url in pages(pk)] == [403] * 4
    assert decide(client, pk, "vacancy:1", decision="approved").status_code == 403


def test_a_person_outside_the_caseload_is_404_for_reading_and_deciding():
    welder = person(WELDER)
    assert welder.counsellor.user.username == COUNSELLOR
    other = signed_in(OTHER_COUNSELLOR)
    for url in pages(welder.pk)[2:]:
        assert other.get(url).status_code == 404, url
    key = f"vacancy:{Vacancy.objects.public().first().pk}"
    assert decide(other, welder.pk, key, decision="approved").status_code == 404
    assert not Review.objects.filter(candidate=welder).filter(item_key=key, counsellor__username=OTHER_COUNSELLOR)


def test_the_caseload_lists_only_ones_own_people_pending_first():
    response = signed_in(COUNSELLOR).get("/counsellor/")
    assert response.status_code == 200
    shown = [int(pk) for pk in re.findall(r'href="/counsellor/people/(\d+)/"', text(response))]
    own = set(CandidateProfile.objects.filter(counsellor__user__username=COUNSELLOR).values_list("pk", flat=True))
    assert shown and set(shown) <= own
    pending = response.context["page"].object_list
    counts = [p.pending_reviews for p in pending]
    assert counts == sorted(counts, reverse=True)


def test_staff_see_every_caseload():
    response = signed_in("admin").get(f"/counsellor/people/{person(WELDER).pk}/")
    assert response.status_code == 200


def test_the_caseload_filters_by_kind_and_school():
    client = signed_in(COUNSELLOR)
    students = client.get("/counsellor/", {"kind": "student"}).context["page"].paginator.object_list
    assert students and all(p.kind == "student" for p in students)
    schools = client.get("/counsellor/").context["form"].fields["school"].choices[1:]
    assert schools
    school, _label = schools[0]
    at_school = client.get("/counsellor/", {"school": school}).context["page"].paginator.object_list
    everyone = CandidateProfile.objects.filter(counsellor__user__username=COUNSELLOR)
    expected = {p.pk for p in everyone if p.current_studies.split(",")[0].strip() == school}
    assert expected and {p.pk for p in at_school} == expected


def test_a_bad_filter_is_400_beside_the_field():
    response = signed_in(COUNSELLOR).get("/counsellor/", {"kind": "wizard", "school": "Hogwarts"})
    assert response.status_code == 400
    assert 'id="id_kind_error"' in text(response) and 'id="id_school_error"' in text(response)


# ------------------------------------------------------------------------------------------- decisions
def test_approving_and_rejecting_write_a_versioned_review():
    welder, client = person(WELDER), signed_in(COUNSELLOR)
    keys = queue_keys(client.get(f"/counsellor/people/{welder.pk}/"))
    assert len(keys) >= 2
    response = decide(client, welder.pk, keys[0], decision="approved", note="Labs darbs")
    assert response.status_code == 302
    review = Review.objects.get(candidate=welder, kind="jobs", item_key=keys[0])
    assert (review.decision, review.version, review.note, review.counsellor.username) == (
        "approved", 1, "Labs darbs", COUNSELLOR)
    response = decide(client, welder.pk, keys[0], decision="rejected", reason="location", version=1)
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.decision, review.reason, review.version) == ("rejected", "location", 2)


def test_rejecting_without_a_reason_is_400_and_writes_nothing():
    welder, client = person(WELDER), signed_in(COUNSELLOR)
    key = queue_keys(client.get(f"/counsellor/people/{welder.pk}/"))[0]
    before = Review.objects.filter(candidate=welder, item_key=key).first()
    response = decide(client, welder.pk, key, decision="rejected", version=before.version if before else 0)
    assert response.status_code == 400
    with translation.override("lv"):
        message = str(MSG_REASON)
    assert message != "Say why you reject it." and message in text(response)
    assert 'class="error-summary"' in text(response)
    after = Review.objects.filter(candidate=welder, item_key=key).first()
    assert (after.version if after else None) == (before.version if before else None)


@pytest.mark.parametrize("key", ["vacancy:abc", "programme:1", "vacancy:999999999", "", "vacancy:1;drop"])
def test_a_bad_item_is_400_never_500(key):
    response = decide(signed_in(COUNSELLOR), person(WELDER).pk, key, decision="approved")
    assert response.status_code == 400


def test_decisions_are_post_only_and_need_the_csrf_token():
    welder = person(WELDER)
    client = signed_in(COUNSELLOR)
    assert client.get(f"/counsellor/people/{welder.pk}/review/").status_code == 405
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(User.objects.get(username=COUNSELLOR))
    key = f"vacancy:{Vacancy.objects.public().first().pk}"
    before = list(Review.objects.filter(candidate=welder, item_key=key).values_list("version", flat=True))
    assert decide(guarded, welder.pk, key, decision="approved").status_code == 403
    assert list(Review.objects.filter(candidate=welder, item_key=key).values_list("version", flat=True)) == before


def test_a_stale_version_shows_both_decisions_and_overwrites_nothing():
    welder, client = person(WELDER), signed_in(COUNSELLOR)
    key = queue_keys(client.get(f"/counsellor/people/{welder.pk}/"))[0]
    Review.objects.filter(candidate=welder, kind="jobs", item_key=key).delete()
    rival = User.objects.get(username="admin")
    save_review(actor=rival, candidate=welder, kind="jobs", item_key=key, decision="rejected", reason="not_ready",
                note="Vēl par agru", version=None)
    response = decide(client, welder.pk, key, decision="approved", note="Mans viedoklis", version=0)
    assert response.status_code == 409
    html = text(response)
    assert "Vēl par agru" in html and "Mans viedoklis" in html
    stored = Review.objects.get(candidate=welder, kind="jobs", item_key=key)
    assert (stored.decision, stored.version, stored.note) == ("rejected", 1, "Vēl par agru")
    # choosing one's own: sent again with the version now stored
    assert re.search(r'name="version" value="1"', html)
    response = decide(client, welder.pk, key, decision="approved", note="Mans viedoklis", version=1)
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.decision, stored.version, stored.counsellor.username) == ("approved", 2, COUNSELLOR)


def test_an_htmx_decision_answers_the_item_only():
    welder, client = person(WELDER), signed_in(COUNSELLOR)
    key = queue_keys(client.get(f"/counsellor/people/{welder.pk}/"))[0]
    current = Review.objects.filter(candidate=welder, kind="jobs", item_key=key).first()
    response = decide(client, welder.pk, key, decision="approved", version=current.version if current else 0,
                      HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith('<li class="result review-item') and "<html" not in html
    assert "Decision saved." in html or "Lēmums saglabāts." in html


def test_adding_by_hand_releases_the_item_at_once():
    welder, client = person(WELDER), signed_in(COUNSELLOR)
    programme = Programme.objects.filter(is_active=True).order_by("pk").first()
    Review.objects.filter(candidate=welder, kind="programmes", item_key=f"programme:{programme.pk}").delete()
    response = client.post(f"/counsellor/people/{welder.pk}/add/", {"programme": programme.pk, "note": "Der"})
    assert response.status_code == 302
    review = Review.objects.get(candidate=welder, kind="programmes", item_key=f"programme:{programme.pk}")
    assert review.decision == "added" and review.note == "Der"


@pytest.mark.parametrize("data", [{}, {"vacancy": "1", "programme": "1"}, {"vacancy": "999999999"},
                                  {"programme": "abc"}])
def test_adding_needs_exactly_one_known_item(data):
    welder = person(WELDER)
    before = Review.objects.filter(candidate=welder, decision="added").count()
    response = signed_in(COUNSELLOR).post(f"/counsellor/people/{welder.pk}/add/", data)
    assert response.status_code == 400 and 'class="error-summary"' in text(response)
    assert Review.objects.filter(candidate=welder, decision="added").count() == before


def test_releasing_approves_what_is_pending_and_keeps_others_decisions():
    welder, client = person(WELDER), signed_in(COUNSELLOR)
    keys = queue_keys(client.get(f"/counsellor/people/{welder.pk}/"))[:3]
    Review.objects.filter(candidate=welder, kind="jobs", item_key__in=keys).delete()
    save_review(actor=User.objects.get(username="admin"), candidate=welder, kind="jobs", item_key=keys[0],
                decision="rejected", reason="location", note="", version=None)
    response = client.post(f"/counsellor/people/{welder.pk}/release/", {"kind": "jobs", "keys": " ".join(keys)})
    assert response.status_code == 302
    decisions = dict(Review.objects.filter(candidate=welder, kind="jobs", item_key__in=keys)
                     .values_list("item_key", "decision"))
    assert decisions == {keys[0]: "rejected", keys[1]: "approved", keys[2]: "approved"}


def test_a_bad_release_writes_nothing():
    welder = person(WELDER)
    before = Review.objects.count()
    response = signed_in(COUNSELLOR).post(f"/counsellor/people/{welder.pk}/release/",
                                          {"kind": "jobs", "keys": "vacancy:x programme:1"})
    assert response.status_code == 302 and Review.objects.count() == before


# ------------------------------------------------------------------------------------------- print, outcomes
def test_the_printable_page_holds_only_what_is_released():
    welder, client = person(WELDER), signed_in(COUNSELLOR)
    response = client.get(f"/counsellor/people/{welder.pk}/")
    keys = queue_keys(response)
    Review.objects.filter(candidate=welder, kind="jobs", item_key__in=keys[:2]).delete()
    decide(client, welder.pk, keys[0], decision="approved")
    decide(client, welder.pk, keys[1], decision="rejected", reason="location")
    queue = {q.key: q for q in response.context["queue"].items}
    approved, rejected = (queue[k].item.vacancy["title"] for k in keys[:2])
    html = text(client.get(f"/counsellor/people/{welder.pk}/print/"))
    assert approved in html
    if rejected != approved:
        section = html.split('id="print-jobs"')[1].split("</section>")[0]
        assert rejected not in section
    assert "@media print" not in html  # the print rules live in the stylesheet


def test_the_caseload_outcomes_count_applications_hires_and_enrolments():
    response = signed_in(COUNSELLOR).get("/counsellor/outcomes/")
    assert response.status_code == 200
    totals = response.context["outcomes"].totals
    mine = Application.objects.filter(candidate__counsellor__user__username=COUNSELLOR)
    assert totals["applications"] == mine.exclude(status="withdrawn").count()
    assert totals["hired"] == mine.filter(status="hired").count()
    assert totals["enrolled"] == mine.filter(status="enrolled").count()
    assert totals["people"] == CandidateProfile.objects.filter(counsellor__user__username=COUNSELLOR).count()
