"""Learning to rank: graded labels, the estimator contract, promotion on held-out lists, protected features."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from matching.index import DEFAULT_WEIGHTS
from matching.ltr import (
    GRADES, MIN_LISTS, HandWeightedRanker, RankerModel, check_features, dump_model, evaluate_ndcg, load_model,
    train_and_compare, training_frame,
)

PARTS = list(DEFAULT_WEIGHTS)


def feedback(n_lists: int, *, per_list: int = 8, driver: str = "distance", seed: int = 0) -> pd.DataFrame:
    """Training frame where ``driver`` (weighted 0.05 by hand) truly decides the label."""
    rng = np.random.default_rng(seed)
    rows = []
    for list_no in range(n_lists):
        values = rng.random((per_list, len(PARTS)))
        truth = values[:, PARTS.index(driver)] + rng.normal(0, 0.1, per_list)
        labels = np.digitize(truth, [0.3, 0.55, 0.75, 0.9])
        for pos in range(per_list):
            rows.append({"list_id": f"L{list_no}", "item_id": f"v{list_no}-{pos}", "position": pos + 1,
                         "label": int(labels[pos]), **dict(zip(PARTS, values[pos]))})
    return pd.DataFrame(rows)


class ShuffledLabelRanker(RankerModel):
    """A deliberately worse candidate: learns from labels shuffled at random."""

    def fit(self, frame, y=None):
        rng = np.random.default_rng(self.random_state)
        return super().fit(frame, y=rng.permutation(frame["label"].to_numpy()))


# ------------------------------------------------------------------------- labels

def items_frame():
    return pd.DataFrame({
        "list_id": ["A", "A", "A", "A", "B", "B"],
        "item_id": ["j1", "j2", "j3", "j4", "j1", "j5"],
        "position": [1, 2, 3, 4, 1, 2],
        "person_id": ["p1", "p1", "p1", "p1", "p2", "p2"],
        "parts": [{"essential": 0.9, "distance": 0.2}, {"essential": 0.5, "distance": 0.8},
                  {"essential": 0.1, "distance": 1.0}, {"essential": 0.3, "distance": 0.3},
                  {"essential": 0.7, "distance": 0.6}, {"essential": 0.2, "distance": 0.9}],
    })


def label_of(frame, list_id, item_id):
    return int(frame.loc[(frame["list_id"] == list_id) & (frame["item_id"] == item_id), "label"].iloc[0])


def test_outcome_beats_a_later_dismissal_and_latest_wins_among_other_events():
    events = pd.DataFrame({
        "list_id": ["A", "A", "A", "A", "A", "A"],
        "item_id": ["j1", "j1", "j2", "j2", "j3", "j3"],
        "event": ["applied", "dismissed", "saved", "dismissed", "dismissed", "saved"],
        "at": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-01", "2026-01-03", "2026-01-01", "2026-01-04"]),
    })
    frame = training_frame(items_frame(), events)
    assert label_of(frame, "A", "j1") == GRADES["applied"] == 3
    assert label_of(frame, "A", "j2") == 0  # saved, then dismissed
    assert label_of(frame, "A", "j3") == GRADES["saved"] == 2  # dismissed, then saved again
    assert label_of(frame, "A", "j4") == 0  # served, nothing happened


def test_without_times_the_strongest_event_wins():
    events = pd.DataFrame({"list_id": ["A", "A", "A"], "item_id": ["j1", "j1", "j2"],
                           "event": ["viewed", "dismissed", "approved"]})
    frame = training_frame(items_frame(), events)
    assert label_of(frame, "A", "j1") == 1
    assert label_of(frame, "A", "j2") == 2


def test_grades_follow_the_documented_order():
    assert GRADES["hired"] == GRADES["enrolled"] == 4
    assert GRADES["shortlisted"] == GRADES["applied"] == 3
    assert GRADES["approved"] == GRADES["saved"] == 2
    assert GRADES["viewed"] == 1
    assert GRADES["dismissed"] == GRADES["rejected"] == 0


def test_an_event_without_a_list_labels_the_item_in_that_persons_lists_only():
    events = pd.DataFrame({"list_id": [None], "person_id": ["p2"], "item_id": ["j1"], "event": ["hired"]})
    frame = training_frame(items_frame(), events)
    assert label_of(frame, "B", "j1") == 4
    assert label_of(frame, "A", "j1") == 0  # p1 saw j1 too, but p2 was hired


def test_training_frame_spreads_parts_into_feature_columns_in_served_order():
    frame = training_frame(items_frame(), pd.DataFrame({"list_id": ["A"], "item_id": ["j2"], "event": ["hired"]}))
    assert list(frame.columns) == ["list_id", "item_id", "position", "person_id", "label", "essential", "distance"]
    assert frame["position"].tolist() == [1, 2, 3, 4, 1, 2]
    assert frame.loc[1, "distance"] == 0.8


def test_unknown_event_names_are_refused():
    with pytest.raises(ValueError, match="unknown feedback events: clicked"):
        training_frame(items_frame(), pd.DataFrame({"list_id": ["A"], "item_id": ["j1"], "event": ["clicked"]}))


# ------------------------------------------------------------------- estimator contract

@pytest.mark.parametrize("model", [RankerModel(C=0.5, random_state=3), RankerModel(method="pointwise"),
                                   HandWeightedRanker(weights={"essential": 1.0, "distance": 0.5})])
def test_estimator_contract(model):
    assert not [name for name in vars(model) if name.endswith("_")]
    with pytest.raises(NotFittedError):
        model.score(feedback(2))
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    frame = feedback(20)
    assert model.fit(frame) is model
    assert model.features_
    assert clone(model).get_params() == model.get_params()
    assert not [name for name in vars(clone(model)) if name.endswith("_")]


def test_pairwise_weights_are_readable_and_find_the_feature_that_matters():
    model = RankerModel(random_state=0).fit(feedback(120))
    assert set(model.weights_) == set(PARTS)
    assert max(model.weights_, key=model.weights_.get) == "distance"


def test_hand_weighted_ranker_is_the_sum_of_contributions():
    frame = feedback(3)
    expected = sum(DEFAULT_WEIGHTS[p] * frame[p] for p in PARTS).to_numpy()
    np.testing.assert_allclose(HandWeightedRanker().fit(frame).score(frame), expected)


@pytest.mark.parametrize("make", [lambda: RankerModel(random_state=0), lambda: RankerModel(method="pointwise",
                                                                                         random_state=0),
                                  HandWeightedRanker], ids=["pairwise", "pointwise", "hand"])
def test_score_array_scores_as_score_whatever_the_column_order_and_counts_a_missing_feature_zero(make):
    frame = feedback(60)
    model = make().fit(frame)
    shuffled = PARTS[::-1]
    np.testing.assert_allclose(model.score_array(frame[shuffled].to_numpy(), shuffled), model.score(frame))
    without = [p for p in PARTS if p != "distance"]
    np.testing.assert_allclose(model.score_array(frame[without].to_numpy(), without),
                               model.score(frame.assign(distance=0.0)))


def test_ndcg_is_one_for_the_ideal_order_and_lower_for_the_reverse():
    frame = pd.DataFrame({"list_id": ["A"] * 3, "position": [1, 2, 3], "label": [0, 1, 3],
                          "good": [0.0, 0.5, 1.0], "bad": [1.0, 0.5, 0.0]})
    assert evaluate_ndcg(HandWeightedRanker(weights={"good": 1.0}).fit(frame), frame) == pytest.approx(1.0)
    worst = (0 + 1 / np.log2(3) + 7 / np.log2(4)) / (7 + 1 / np.log2(3))
    assert evaluate_ndcg(HandWeightedRanker(weights={"bad": 1.0}).fit(frame), frame) == pytest.approx(worst)


# -------------------------------------------------------------------------- promotion

def test_a_model_that_learns_the_true_signal_is_promoted_over_the_hand_weights():
    decision = train_and_compare(feedback(150), HandWeightedRanker(), min_lists=50, test_size=0.3, random_state=1)
    assert decision["trained"] is True
    assert decision["candidate_ndcg"] > decision["active_ndcg"]
    assert decision["promote"] is True
    assert decision["train_lists"] + decision["test_lists"] == decision["lists"]  # no list on both sides
    assert decision["test_lists"] == 45


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_model_trained_on_shuffled_labels_is_not_promoted(seed):
    active = RankerModel(random_state=0).fit(feedback(150, seed=7))
    decision = train_and_compare(feedback(150, seed=seed), active, candidate=ShuffledLabelRanker(random_state=seed),
                                 min_lists=50, random_state=seed)
    assert decision["trained"] is True
    assert decision["candidate_ndcg"] < decision["active_ndcg"]
    assert decision["promote"] is False


def test_too_little_feedback_trains_nothing_and_keeps_the_hand_weights():
    frame = feedback(MIN_LISTS - 1)
    decision = train_and_compare(frame, HandWeightedRanker())
    assert decision["trained"] is False and decision["promote"] is False and decision["model"] is None
    assert decision["reason"].startswith("too little feedback")


def test_lists_without_any_difference_in_labels_do_not_count_as_feedback():
    frame = feedback(60)
    silent = frame.assign(label=0)
    assert train_and_compare(silent, HandWeightedRanker(), min_lists=50)["trained"] is False
    assert train_and_compare(frame, HandWeightedRanker(), min_lists=50)["trained"] is True


def test_dump_and_load_round_trip_gives_the_same_scores_and_checks_the_bytes():
    frame = feedback(40)
    model = RankerModel(random_state=0).fit(frame)
    blob, meta = dump_model(model, metadata={"ndcg": 0.7})
    assert isinstance(blob, bytes)
    assert meta["class"] == "RankerModel" and meta["features"] == PARTS and meta["ndcg"] == 0.7
    np.testing.assert_allclose(load_model(blob, metadata=meta).score(frame), model.score(frame))
    with pytest.raises(ValueError, match="checksum"):
        load_model(blob[:-1] + b"x", metadata=meta)


# ---------------------------------------------------------------------- protected attributes

@pytest.mark.parametrize("name", ["gender", "nationality", "disability", "age", "age_band", "candidateGender",
                                  "is_disabled", "Birth_Date"])
def test_protected_names_are_refused(name):
    with pytest.raises(ValueError, match="protected"):
        check_features(["essential", name])


def test_ordinary_parts_pass_even_when_they_contain_the_letters_of_a_protected_word():
    check_features(PARTS + ["language", "wage", "page_views", "stage"])


def test_fit_refuses_protected_features_whether_named_or_found_in_the_frame():
    frame = feedback(10).assign(gender=np.arange(80) % 2)
    with pytest.raises(ValueError, match="gender"):
        RankerModel().fit(frame)
    with pytest.raises(ValueError, match="age"):
        RankerModel(features=["essential", "age"]).fit(frame.assign(age=30))
    with pytest.raises(ValueError, match="nationality"):
        HandWeightedRanker(weights={"essential": 1.0, "nationality": 0.1}).fit()
    with pytest.raises(ValueError, match="disability"):
        training_frame(items_frame().assign(parts=[{"essential": 1.0, "disability": 1.0}] * 6),
                       pd.DataFrame({"list_id": ["A"], "item_id": ["j1"], "event": ["viewed"]}))


def test_a_single_informative_pair_is_enough_to_fit_and_orders_it():
    frame = pd.DataFrame({"list_id": ["A", "A"], "position": [1, 2], "label": [0, 4], "essential": [0.9, 0.2]})
    model = RankerModel(random_state=0).fit(frame)
    assert model.weights_["essential"] < 0
    assert evaluate_ndcg(model, frame) == pytest.approx(1.0)
