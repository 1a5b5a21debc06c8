"""Job title → occupation, Latvian feminine forms and missing diacritics included."""
from __future__ import annotations

import pytest
from sklearn.base import clone

from matching.titles import ERR_TOP_K, TitleMatcher

from .conftest import occupations_frame


@pytest.fixture
def matcher() -> TitleMatcher:
    return TitleMatcher().fit(occupations_frame())


@pytest.mark.parametrize("title, occupation", [
    ("metinātāja", "welder"),
    ("Metinataja", "welder"),
    ("metinātājs", "welder"),
    ("pavāre", "cook"),
    ("Pavārs", "cook"),
    ("CNC operatora", "cnc"),
    ("skārdniece", "tinsmith"),
    ("Skardnieks", "tinsmith"),
    ("grāmatvede", "accountant"),
    ("noliktavas darbiniece", "warehouse"),
    ("Welding worker", "welder"),
    ("bookkeeper", "accountant"),
])
def test_title_finds_its_occupation_first(matcher, title, occupation):
    assert matcher.match(title, top_k=3)[0]["occupation_id"] == occupation


def test_result_carries_uri_label_and_score_best_first(matcher):
    found = matcher.match("metinātāja", top_k=6, language="en")
    assert found[0]["uri"] == "esco:occ/welder" and found[0]["label"] == "welder"
    scores = [m["score"] for m in found]
    assert scores == sorted(scores, reverse=True)
    assert len({m["occupation_id"] for m in found}) == len(found)


def test_unknown_title_gives_nothing_or_low_scores(matcher):
    assert all(m["score"] < 0.5 for m in matcher.match("astronauts"))


def test_bad_input_is_rejected(matcher):
    with pytest.raises(ValueError, match=ERR_TOP_K):
        matcher.match("x", top_k=0)
    with pytest.raises(TypeError):
        matcher.match(None)


def test_estimator_contract():
    matcher = TitleMatcher(word_weight=0.5)
    assert clone(matcher).get_params() == matcher.get_params()
    assert not [name for name in vars(matcher) if name.endswith("_")]
    assert matcher.fit(occupations_frame()) is matcher
