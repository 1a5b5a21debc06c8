"""Issue 6 on the learning-path lists: the pupil (a minor) sees only approved programmes; every list is logged."""
from __future__ import annotations

import pytest

from careers.models import RecommendationItem, RecommendationList
from tests.api.test_paths_api import World, client_for, get, services  # noqa: F401 (the autouse fixture)
from tests.careers.test_recommendations import FakeClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def w() -> World:
    return World()


def test_a_minor_sees_every_programme_at_once_marked_not_yet_reviewed_and_not_the_rejected_one(w):
    w.pupil.counsellor = w.couns_a
    w.pupil.save()
    w.pupil.target_occupations.add(w.chef)  # so the cook course is listed beside the CNC course
    full = get(w.pupil, "programmes", user=w.couns_a.user)["items"]
    keys = [f"programme:{i['programme']['id']}" for i in full]
    assert len(keys) >= 2 and all(i["review"] is None and not i["awaiting_review"] for i in full)
    early = get(w.pupil, "programmes")
    assert early["reason"] is None and [f"programme:{i['programme']['id']}" for i in early["items"]] == keys
    assert all(i["awaiting_review"] for i in early["items"]) and early["review_notice"]
    approved, rejected = keys[-1], keys[0]
    for key, body in ((approved, {"decision": "approved"}), (rejected, {"decision": "rejected", "reason": "location"})):
        response = client_for(w.couns_a.user).put(f"/api/v1/candidates/{w.pupil.pk}/reviews/programmes/{key}/",
                                                  body, format="json")
        assert response.status_code == 201
    seen = get(w.pupil, "programmes")["items"]
    marks = {f"programme:{i['programme']['id']}": (i["review"], i["awaiting_review"]) for i in seen}
    assert rejected not in marks and marks[approved] == ("approved", False)
    assert all(mark == (None, True) for key, mark in marks.items() if key != approved)
    assert [i["rank"] for i in seen] == list(range(1, len(seen) + 1))
    served = RecommendationList.objects.filter(candidate=w.pupil, kind="programmes").order_by("created_at")
    assert [s.requested_by_id for s in served] == [w.couns_a.user.pk, w.pupil.user.pk, w.pupil.user.pk]
    logged = RecommendationItem.objects.filter(list=served.last()).order_by("rank").first()
    assert "parts" in logged.features and "cost_after_funding_eur" in logged.features


@pytest.mark.parametrize("what", ["careers", "pathways"])
def test_career_and_pathway_lists_are_logged_with_their_item_keys(w, what):
    items = get(w.cand, what)["items"]
    assert items
    served = RecommendationList.objects.get(candidate=w.cand, kind=what)
    assert list(served.items.order_by("rank").values_list("rank", flat=True)) == [i["rank"] for i in items]
    prefix = {"careers": "occupation:", "pathways": "pathway:"}[what]
    assert all(k.startswith(prefix) for k in served.items.values_list("item_key", flat=True))


@pytest.mark.parametrize("kind,key_of", [
    ("programmes", lambda i: f"programme:{i['programme']['id']}"),
    ("careers", lambda i: f"occupation:{i['occupation']['id']}"),
])
def test_a_programme_or_career_the_counsellor_added_by_hand_shows_even_when_the_ranker_left_it_out(w, kind, key_of):
    w.pupil.counsellor = w.couns_a
    w.pupil.save()
    w.pupil.target_occupations.add(w.chef)  # so the cook course is listed beside the CNC course
    full = get(w.pupil, kind, user=w.couns_a.user)["items"]
    assert len(full) >= 2
    first, lower = key_of(full[0]), key_of(full[-1])
    for key, decision in ((first, "approved"), (lower, "added")):
        response = client_for(w.couns_a.user).put(f"/api/v1/candidates/{w.pupil.pk}/reviews/{kind}/{key}/",
                                                  {"decision": decision}, format="json")
        assert response.status_code == 201
    # top_k=1: the ranker returns only the first; the counsellor's addition is appended, explained like the rest.
    seen = get(w.pupil, kind, top_k=1)["items"]
    assert [key_of(i) for i in seen] == [first, lower]
    assert [(i["rank"], i["review"]) for i in seen] == [(1, "approved"), (2, "added")]
    assert seen[1]["explanation"]["parts"] == next(i for i in full if key_of(i) == lower)["explanation"]["parts"]
    counsellor_view = get(w.pupil, kind, user=w.couns_a.user, top_k=1)["items"]
    assert [key_of(i) for i in counsellor_view] == [first, lower]
    served = RecommendationList.objects.filter(candidate=w.pupil, kind=kind).latest("created_at")
    assert list(served.items.order_by("rank").values_list("item_key", flat=True)) == [first, lower]
