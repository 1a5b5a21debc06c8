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


def test_a_minor_sees_only_the_programme_the_counsellor_approved(w):
    w.pupil.counsellor = w.couns_a
    w.pupil.save()
    full = get(w.pupil, "programmes", user=w.couns_a.user)["items"]
    keys = [f"programme:{i['programme']['id']}" for i in full]
    assert len(keys) >= 2 and all(i["review"] is None for i in full)
    assert get(w.pupil, "programmes")["reason"] == "not_released"
    approved = keys[-1]
    response = client_for(w.couns_a.user).put(f"/api/v1/candidates/{w.pupil.pk}/reviews/programmes/{approved}/",
                                              {"decision": "approved"}, format="json")
    assert response.status_code == 201
    seen = get(w.pupil, "programmes")["items"]
    assert [f"programme:{i['programme']['id']}" for i in seen] == [approved] and seen[0]["rank"] == 1
    served = RecommendationList.objects.filter(candidate=w.pupil, kind="programmes").order_by("created_at")
    assert [s.requested_by_id for s in served] == [w.couns_a.user.pk, w.pupil.user.pk]
    logged = RecommendationItem.objects.get(list=served.last())
    assert logged.item_key == approved and "parts" in logged.features and "cost_after_funding_eur" in logged.features


@pytest.mark.parametrize("what", ["careers", "pathways"])
def test_career_and_pathway_lists_are_logged_with_their_item_keys(w, what):
    items = get(w.cand, what)["items"]
    assert items
    served = RecommendationList.objects.get(candidate=w.cand, kind=what)
    assert list(served.items.order_by("rank").values_list("rank", flat=True)) == [i["rank"] for i in items]
    prefix = {"careers": "occupation:", "pathways": "pathway:"}[what]
    assert all(k.startswith(prefix) for k in served.items.values_list("item_key", flat=True))
