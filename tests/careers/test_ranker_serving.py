"""The active learned ranker orders the jobs list the API serves, is logged with the list, and follows rollbacks.

Models here are hand-made (:class:`~matching.ltr.HandWeightedRanker` with weights unlike the served ones) so the
expected order is known exactly; training itself is tested in ``test_ranker.py``.
"""
from __future__ import annotations

import pytest

from careers.models import HAND_WEIGHTED, RankerVersion, RecommendationList
from careers.runtime.ranker import RankerRuntime, load_version, jobs_ranker, set_ranker_runtime
from careers.services import ranking
from matching.ltr import HandWeightedRanker, dump_model
from tests import factories as f
from tests.api.test_matching_api import World, client_for, jobs_url
from tests.api.test_matching_api import clock, service  # noqa: F401  (fixtures: the match index per test)
from tests.careers.test_recommendations import FakeClock

pytestmark = pytest.mark.django_db

# Fewest essential skills covered first: the opposite of what the hand weights prefer.
LEAST_COVERED_FIRST = {"essential": -1.0, "text": -0.01}
MOST_COVERED_FIRST = {"essential": 1.0, "similarity": 0.5}


@pytest.fixture(autouse=True)
def runtime():
    runtime = RankerRuntime(clock=FakeClock(), check_seconds=5.0)
    previous = set_ranker_runtime(runtime)
    yield runtime
    set_ranker_runtime(previous)


@pytest.fixture
def w() -> World:
    world = World()
    # A third welding job the candidate covers half of the essential skills of, with an optional skill.
    world.job_c = world._vacancy(world.emp_b, "Metinātājs ar TIG", [(world.weld, True), (world.tig, False)])
    extra = f.SkillFactory(label_en="read drawings", label_lv="rasējumu lasīšana")
    f.VacancySkillFactory(vacancy=world.job_c, skill=extra, essential=True)
    return world


def store(label: str, weights: dict) -> RankerVersion:
    blob, metadata = dump_model(HandWeightedRanker(weights=weights).fit())
    return RankerVersion.objects.create(label=label, blob=blob, metadata=metadata, baseline_label=HAND_WEIGHTED)


def served(w, **params) -> tuple[dict, RecommendationList]:
    response = client_for(w.cand_a.user).get(jobs_url(w.cand_a), params)
    assert response.status_code == 200, response.content
    return response.json(), RecommendationList.objects.filter(candidate=w.cand_a).first()


def ids(body) -> list[int]:
    return [i["vacancy"]["id"] for i in body["items"]]


def test_with_a_learned_model_active_the_jobs_list_is_ordered_by_its_score_and_logged_with_its_version(w):
    hand, hand_log = served(w)
    assert hand_log.model_version == "hand-weighted-1"
    assert all("ranker" not in i["explanation"] for i in hand["items"])
    hand_order = ids(hand)
    assert len(hand_order) == 3
    store("ltr-1", LEAST_COVERED_FIRST)
    ranking.rollback("ltr-1")
    body, log = served(w)
    model = load_version(RankerVersion.objects.get(label="ltr-1"))
    expected = [float(model.score(_parts(i))[0]) for i in body["items"]]
    scores = [i["explanation"]["ranker"]["score"] for i in body["items"]]
    assert scores == pytest.approx(expected) and scores == sorted(scores, reverse=True)
    assert {i["explanation"]["ranker"]["version"] for i in body["items"]} == {"ltr-1"}
    assert ids(body) != hand_order and set(ids(body)) == set(hand_order)
    assert [i["rank"] for i in body["items"]] == [1, 2, 3]
    # The score shown is the one that ordered the list (the ranker's); the hand-weighted parts stay in the
    # explanation, and their contributions are not what ordered it.
    assert [i["score"] for i in body["items"]] == pytest.approx(scores)
    assert any(abs(sum(i["explanation"]["contributions"].values()) - i["score"]) > 0.01 for i in body["items"])
    # The audit names the ranker and keeps the served order and its scores.
    assert log.model_version == "ltr-1"
    logged = list(log.items.order_by("rank").values_list("item_key", "features"))
    assert [key for key, _ in logged] == [f"vacancy:{v}" for v in ids(body)]
    assert [feat["ranker"]["score"] for _, feat in logged] == pytest.approx(scores)


def test_the_model_reranks_beyond_the_hand_weighted_top_k(w):
    hand_first = ids(served(w, top_k=1)[0])
    store("ltr-1", LEAST_COVERED_FIRST)
    ranking.rollback("ltr-1")
    full = ids(served(w)[0])
    body, _ = served(w, top_k=1)
    assert ids(body) == full[:1] and ids(body) != hand_first


def test_rollback_changes_the_served_order_and_the_logged_version(w):
    store("ltr-1", MOST_COVERED_FIRST)
    store("ltr-2", LEAST_COVERED_FIRST)
    ranking.rollback("ltr-2")
    newer, newer_log = served(w)
    ranking.rollback("ltr-1")
    older, older_log = served(w)
    assert (newer_log.model_version, older_log.model_version) == ("ltr-2", "ltr-1")
    assert ids(older) == list(reversed(ids(newer)))
    ranking.rollback(HAND_WEIGHTED)
    hand, hand_log = served(w)
    assert hand_log.model_version == "hand-weighted-1"
    assert all("ranker" not in i["explanation"] for i in hand["items"])


def test_a_version_activated_by_another_process_serves_after_the_next_check(w, runtime):
    store("ltr-1", LEAST_COVERED_FIRST)
    assert jobs_ranker().label == "hand-weighted-1"
    # Another worker (or the rollback command) switched the version: this process has not looked yet.
    RankerVersion.objects.filter(label="ltr-1").update(is_active=True)
    runtime.clock.advance(4.0)
    assert served(w)[1].model_version == "hand-weighted-1"
    runtime.clock.advance(1.0)
    assert served(w)[1].model_version == "ltr-1"
    RankerVersion.objects.filter(label="ltr-1").update(is_active=False)
    runtime.clock.advance(5.0)
    assert served(w)[1].model_version == "hand-weighted-1"


def test_an_active_version_whose_bytes_do_not_load_serves_the_hand_weighted_order(w, caplog):
    hand = ids(served(w)[0])
    version = store("ltr-1", LEAST_COVERED_FIRST)
    RankerVersion.objects.filter(pk=version.pk).update(blob=b"garbage", is_active=True)
    set_ranker_runtime(RankerRuntime(clock=FakeClock()))
    body, log = served(w)
    assert ids(body) == hand and log.model_version == "hand-weighted-1"
    assert "ltr-1 failed to load" in caplog.text


def test_other_kinds_of_list_keep_the_hand_weighted_label(w):
    from careers.services.oversight import log_served_list

    store("ltr-1", LEAST_COVERED_FIRST)
    ranking.rollback("ltr-1")
    served(w)
    programmes = log_served_list(requested_by=None, candidate=w.cand_a, kind="programmes", items=[])
    assert programmes.model_version == "hand-weighted-1"


def _parts(item: dict):
    import pandas as pd

    return pd.DataFrame([item["explanation"]["parts"]])
