"""Learning to rank in the service: training data from the audit, promotion by held-out nDCG, rollback, versions.

Feedback is generated from a clear rule the hand weights do not follow (candidates act on the ``distance`` part,
weighted 0.05 by hand), logged through the same audit path the API uses.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from careers.models import (
    HAND_WEIGHTED, FeedbackEvent, RankerActivation, RankerVersion, RecommendationList, Review,
)
from careers.runtime.ranker import RankerRuntime, load_version, set_ranker_runtime
from careers.services import ranking
from careers.services.oversight import log_served_list
from matching.index import DEFAULT_WEIGHTS
from matching.ltr import PROTECTED, RankerModel
from tests import factories as f

pytestmark = pytest.mark.django_db
PARTS = list(DEFAULT_WEIGHTS)
EVENT_OF_GRADE = {0: "dismissed", 1: "viewed", 2: "saved", 3: "applied"}
_ids = itertools.count()


@pytest.fixture(autouse=True)
def runtime():
    """A fresh per-process ranker cache, so no test sees another's active model."""
    fresh = RankerRuntime()
    previous = set_ranker_runtime(fresh)
    yield fresh
    set_ranker_runtime(previous)


class InvertedFeedbackRanker(RankerModel):
    """A deliberately worse candidate: learns from the feedback turned upside down."""

    def fit(self, frame, y=None):
        return super().fit(frame, y=frame["label"].max() - frame["label"])


class ShuffledFeedbackRanker(RankerModel):
    """A deliberately worse candidate: learns from labels shuffled at random."""

    def fit(self, frame, y=None):
        rng = np.random.default_rng(self.random_state)
        return super().fit(frame, y=rng.permutation(frame["label"].to_numpy()))


def serve_with_feedback(n_lists: int, *, driver: str = "distance", seed: int = 0, per_list: int = 8,
                        candidates: int = 4) -> None:
    """Log ``n_lists`` jobs lists (random score parts, hand order) and the events ``driver`` decides."""
    rng = np.random.default_rng(seed)
    people = [f.CandidateFactory() for _ in range(candidates)]
    events = []
    for number in range(n_lists):
        person = people[number % candidates]
        values = rng.random((per_list, len(PARTS)))
        hand = values @ np.array([DEFAULT_WEIGHTS[p] for p in PARTS])
        order = np.argsort(-hand, kind="stable")
        items = [{"item_key": f"vacancy:{seed * 100000 + number * 100 + i}", "rank": rank, "score": float(hand[i]),
                  "features": {"parts": dict(zip(PARTS, values[i].round(4).tolist()))}}
                 for rank, i in enumerate(order, start=1)]
        log_served_list(requested_by=person.user, candidate=person, kind="jobs", items=items)
        truth = values[order, PARTS.index(driver)] + rng.normal(0, 0.1, per_list)
        for item, grade in zip(items, np.digitize(truth, [0.3, 0.55, 0.8])):
            events.append(FeedbackEvent(actor=person.user, candidate=person, kind="jobs", item_key=item["item_key"],
                                        event=EVENT_OF_GRADE[int(grade)], client_event_id=f"t-{next(_ids)}"))
    FeedbackEvent.objects.bulk_create(events)


def promote_first_version() -> RankerVersion:
    serve_with_feedback(80)
    result = ranking.train_ranker(seed=0)
    assert result.promoted, result
    return result.version


# ----------------------------------------------------------------------------------------------- too little
def test_too_little_feedback_trains_nothing_and_the_hand_weights_stay():
    serve_with_feedback(12)
    result = ranking.train_ranker(seed=0)
    assert not result.trained and "too little feedback" in result.reason
    assert result.informative_lists == 12 and result.now_active == HAND_WEIGHTED
    assert not RankerVersion.objects.exists() and not RankerActivation.objects.exists()
    # The same lists are enough once the threshold is lowered (the threshold, not the data, held it back).
    assert ranking.train_ranker(seed=0, min_lists=10).trained


def test_no_feedback_at_all_trains_nothing():
    result = ranking.train_ranker()
    assert not result.trained and result.lists == 0 and not RankerVersion.objects.exists()


# ----------------------------------------------------------------------------------------------- promotion
def test_a_model_learned_from_a_rule_the_hand_weights_miss_is_promoted_and_stored():
    serve_with_feedback(80)
    result = ranking.train_ranker(seed=0)
    assert result.trained and result.promoted
    assert result.ndcg > result.active_ndcg and result.active_label == HAND_WEIGHTED
    version = RankerVersion.objects.get()
    assert version.is_active and version.promoted and version.label == "ltr-1"
    assert (version.ndcg, version.baseline_ndcg, version.baseline_label) == (result.ndcg, result.active_ndcg,
                                                                             HAND_WEIGHTED)
    assert version.activated_by == "train_ranker"
    meta = version.metadata
    assert meta["trained_on"]["lists"] == 80 and meta["trained_on"]["items"] == 640
    assert meta["trained_on"]["train_lists"] + meta["trained_on"]["test_lists"] == meta["trained_on"]["lists"]
    assert set(meta["features"]) <= set(PARTS) and not set(meta["features"]) & PROTECTED
    # It learned what the feedback says: distance weighs most.
    assert max(meta["weights"], key=meta["weights"].get) == "distance"
    model = load_version(version)
    assert model.features_ == meta["features"]
    log = RankerActivation.objects.get()
    assert (log.action, log.label, log.previous_label, log.actor) == ("promoted", "ltr-1", HAND_WEIGHTED,
                                                                      "train_ranker")


@pytest.mark.parametrize("worse", [InvertedFeedbackRanker, ShuffledFeedbackRanker])
def test_a_deliberately_worse_model_is_stored_but_not_promoted(worse):
    first = promote_first_version()
    result = ranking.train_ranker(seed=0, candidate=worse(features=PARTS, random_state=0))
    assert result.trained and not result.promoted
    assert result.ndcg < result.active_ndcg and result.active_label == first.label
    second = RankerVersion.objects.get(label="ltr-2")
    assert not second.is_active and not second.promoted and second.baseline_label == "ltr-1"
    assert ranking.active_version() == first
    assert RankerActivation.objects.count() == 1  # only the first promotion


def test_a_model_equal_to_the_active_one_is_not_promoted():
    """Strictly better only: the same training again ties and the active version stays."""
    first = promote_first_version()
    result = ranking.train_ranker(seed=0, force=True)
    assert result.trained and result.ndcg == result.active_ndcg and not result.promoted
    assert ranking.active_version() == first


def test_new_feedback_the_active_model_misses_promotes_a_newer_version():
    first = promote_first_version()
    serve_with_feedback(200, driver="text", seed=1)  # people now care about what the ad says
    result = ranking.train_ranker(seed=0)
    assert result.promoted and result.active_label == first.label and result.ndcg > result.active_ndcg
    assert ranking.active_version().label == "ltr-2"
    assert list(RankerActivation.objects.order_by("id").values_list("action", "previous_label")) == [
        ("promoted", HAND_WEIGHTED), ("promoted", "ltr-1")]


def test_the_same_feedback_is_not_trained_again_unless_forced():
    promote_first_version()
    again = ranking.train_ranker(seed=0)
    assert not again.trained and "no new feedback since ltr-1" in again.reason
    assert RankerVersion.objects.count() == 1
    assert ranking.train_ranker(seed=1).trained  # another seed is another training
    assert ranking.train_ranker(seed=1, force=True).trained
    assert RankerVersion.objects.count() == 3


# ----------------------------------------------------------------------------------------------- rollback
def test_rollback_restores_an_earlier_version_or_the_hand_weights_and_logs_each():
    first = promote_first_version()
    serve_with_feedback(200, driver="text", seed=1)
    assert ranking.train_ranker(seed=0).promoted
    done = ranking.rollback("ltr-1", actor="ops")
    assert (done.previous, done.active, done.changed) == ("ltr-2", "ltr-1", True)
    assert ranking.active_version() == first
    assert RankerVersion.objects.get(label="ltr-1").activated_by == "ops"
    done = ranking.rollback("hand-weighted", actor="ops")
    assert (done.previous, done.active) == ("ltr-1", HAND_WEIGHTED) and ranking.active_version() is None
    assert not ranking.rollback("hand-weighted").changed
    last = RankerActivation.objects.order_by("-id")[:2]
    assert [(a.action, a.label, a.previous_label) for a in last] == [
        ("rollback", HAND_WEIGHTED, "ltr-1"), ("rollback", "ltr-1", "ltr-2")]
    assert RankerVersion.objects.filter(is_active=True).count() == 0


def test_rollback_to_an_unknown_version_changes_nothing():
    first = promote_first_version()
    with pytest.raises(ranking.UnknownVersion, match="ltr-9.*hand-weighted, ltr-1"):
        ranking.rollback("ltr-9")
    assert ranking.active_version() == first and RankerActivation.objects.count() == 1


def test_rollback_refuses_a_version_whose_bytes_fail_their_checksum():
    first = promote_first_version()
    ranking.rollback("hand-weighted")
    RankerVersion.objects.filter(pk=first.pk).update(blob=b"not the model")
    with pytest.raises(ValueError, match="checksum"):
        ranking.rollback("ltr-1")
    assert ranking.active_version() is None


def test_the_database_allows_one_active_version_at_most():
    from django.db import IntegrityError, transaction

    first = promote_first_version()
    other = RankerVersion.objects.create(label="ltr-2", blob=b"x", metadata={}, baseline_label=HAND_WEIGHTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        RankerVersion.objects.filter(pk=other.pk).update(is_active=True)
    assert ranking.active_version() == first


# ----------------------------------------------------------------------------------------------- training data
def test_events_and_reviews_label_the_latest_list_served_before_them():
    person = f.CandidateFactory()
    counsellor = f.CounsellorFactory()
    parts = {p: 0.5 for p in PARTS}
    items = [{"item_key": f"vacancy:{i}", "rank": i, "score": 0.5, "features": {"parts": parts}} for i in (1, 2, 3)]
    early = FeedbackEvent.objects.create(actor=person.user, candidate=person, kind="jobs", item_key="vacancy:3",
                                         event="applied", client_event_id="before-any-list")
    first = log_served_list(requested_by=person.user, candidate=person, kind="jobs", items=items)
    FeedbackEvent.objects.create(actor=person.user, candidate=person, kind="jobs", item_key="vacancy:1",
                                 event="saved", client_event_id="a")
    second = log_served_list(requested_by=person.user, candidate=person, kind="jobs", items=items)
    FeedbackEvent.objects.create(actor=person.user, candidate=person, kind="jobs", item_key="vacancy:2",
                                 event="viewed", client_event_id="b")
    Review.objects.create(candidate=person, kind="jobs", item_key="vacancy:1", decision="rejected",
                          reason="location", counsellor=counsellor.user)
    Review.objects.create(candidate=person, kind="jobs", item_key="vacancy:3", decision="added",
                          counsellor=counsellor.user)
    # Another kind's feedback and lists are not jobs feedback.
    log_served_list(requested_by=person.user, candidate=person, kind="programmes", items=[
        {"item_key": "programme:1", "rank": 1, "score": 1.0, "features": {"parts": parts}}])
    data = ranking.training_data()
    labels = {(row.list_id, row.item_id): row.label for row in data.frame.itertuples()}
    assert labels == {
        (first.pk, "vacancy:1"): 2, (first.pk, "vacancy:2"): 0, (first.pk, "vacancy:3"): 0,  # saved; applied came
        (second.pk, "vacancy:1"): 0, (second.pk, "vacancy:2"): 1, (second.pk, "vacancy:3"): 2,  # before any list
    }
    assert early.pk and data.lists == 2 and data.items == 6 and data.events == 4
    assert list(data.frame.columns[-len(PARTS):]) == PARTS


def test_missing_score_parts_count_as_zero():
    person = f.CandidateFactory()
    log_served_list(requested_by=person.user, candidate=person, kind="jobs", items=[
        {"item_key": "vacancy:1", "rank": 1, "score": 0.4, "features": {"parts": {"essential": 0.4}}},
        {"item_key": "vacancy:2", "rank": 2, "score": 0.1, "features": {}}])
    frame = ranking.training_data().frame
    assert frame[PARTS].isna().sum().sum() == 0
    assert frame.loc[frame.item_id == "vacancy:1", "essential"].item() == 0.4
    assert frame.loc[frame.item_id == "vacancy:2", PARTS].to_numpy().sum() == 0


def test_served_lists_carry_the_hand_weighted_label_while_no_model_is_active():
    serve_with_feedback(3)
    assert set(RecommendationList.objects.values_list("model_version", flat=True)) == {"hand-weighted-1"}
