"""`train_ranker` and `rollback_ranker`: what they print, what they refuse; the demo feedback history trains."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from careers.models import FeedbackEvent, RankerActivation, RankerVersion, RecommendationList, Review
from careers.runtime.ranker import RankerRuntime, set_ranker_runtime
from careers.services import ranking
from matching.ltr import MIN_LISTS
from tests.careers.test_ranker import serve_with_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def runtime():
    previous = set_ranker_runtime(RankerRuntime())
    yield
    set_ranker_runtime(previous)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_train_ranker_prints_both_ndcg_figures_the_counts_and_the_decision():
    serve_with_feedback(80)
    out = run("train_ranker", "--seed", "0")
    version = RankerVersion.objects.get()
    assert "feedback: 80 jobs lists logged (640 items)" in out and "80 informative lists" in out
    assert f"new ltr-1 {version.ndcg:.4f}, active hand-weighted {version.baseline_ndcg:.4f}" in out
    assert "ranker ltr-1 promoted" in out and "active: ltr-1" in out
    again = run("train_ranker", "--seed", "0")
    assert "ranker not trained: no new feedback since ltr-1" in again and "active stays ltr-1" in again


def test_train_ranker_with_too_little_feedback_says_why_and_keeps_the_hand_weights():
    serve_with_feedback(5)
    out = run("train_ranker")
    assert f"too little feedback: 5 lists with feedback, {MIN_LISTS} needed" in out
    assert "active stays hand-weighted" in out and not RankerVersion.objects.exists()
    assert "ranker ltr-1" in run("train_ranker", "--min-lists", "4")


def test_train_ranker_refuses_a_minimum_below_two():
    with pytest.raises(CommandError, match="--min-lists"):
        run("train_ranker", "--min-lists", "1")


def test_rollback_ranker_switches_versions_and_lists_them():
    serve_with_feedback(80)
    run("train_ranker")
    serve_with_feedback(200, driver="text", seed=1)
    run("train_ranker")
    assert ranking.active_version().label == "ltr-2"
    assert run("rollback_ranker", "ltr-1") == "active ranker: ltr-1 (was ltr-2)\n"
    assert ranking.active_version().label == "ltr-1"
    assert "already active" in run("rollback_ranker", "ltr-1")
    assert run("rollback_ranker", "hand-weighted") == "active ranker: hand-weighted (was ltr-1)\n"
    assert ranking.active_version() is None
    listing = run("rollback_ranker", "--list").splitlines()
    rows = {line.split()[0]: line for line in listing[1:]}
    assert set(rows) == {"hand-weighted", "ltr-1", "ltr-2"}
    assert [name for name, line in rows.items() if line.rstrip().endswith("ACTIVE")] == ["hand-weighted"]
    v1, v2 = RankerVersion.objects.order_by("id")
    # version, date, time, nDCG, compared with, its nDCG, promoted
    assert rows["ltr-1"].split()[3:7] == [f"{v1.ndcg:.4f}", "hand-weighted", f"{v1.baseline_ndcg:.4f}", "yes"]
    assert rows["ltr-2"].split()[3:7] == [f"{v2.ndcg:.4f}", "ltr-1", f"{v2.baseline_ndcg:.4f}", "yes"]
    run("rollback_ranker", "ltr-2")
    listing = run("rollback_ranker", "--list").splitlines()
    assert [line.split()[0] for line in listing[1:] if line.rstrip().endswith("ACTIVE")] == ["ltr-2"]
    assert RankerActivation.objects.filter(action="rollback").count() == 3


def test_rollback_ranker_to_an_unknown_version_is_a_clear_command_error():
    serve_with_feedback(80)
    run("train_ranker")
    with pytest.raises(CommandError, match=r"unknown ranker version 'ltr-7'; stored versions: hand-weighted, ltr-1"):
        run("rollback_ranker", "ltr-7")
    with pytest.raises(CommandError, match="Name a version"):
        run("rollback_ranker")
    assert ranking.active_version().label == "ltr-1"


@pytest.mark.slow
def test_the_demo_feedback_history_is_plausible_written_once_and_trains_a_ranker():
    call_command("load_reference", stdout=StringIO())
    call_command("load_demo", "--no-logins", stdout=StringIO())
    counts = (RecommendationList.objects.count(), FeedbackEvent.objects.count(), Review.objects.count())
    call_command("load_demo", "--no-logins", stdout=StringIO())
    assert (RecommendationList.objects.count(), FeedbackEvent.objects.count(), Review.objects.count()) == counts
    assert counts[0] >= MIN_LISTS
    # Served by the hand weights with the features the API logs.
    assert set(RecommendationList.objects.values_list("model_version", flat=True)) == {"hand-weighted-1"}
    # Behaviour follows the features: applications go to closer, better-covered jobs than dismissals.
    frame = ranking.training_data().frame
    applied, dismissed = frame[frame.label >= 3], frame[frame.label == 0]
    assert applied["essential"].mean() > dismissed["essential"].mean()
    assert applied["distance"].mean() > dismissed["distance"].mean()
    assert {"viewed", "saved", "dismissed", "applied"} <= set(FeedbackEvent.objects.values_list("event", flat=True))
    assert Review.objects.filter(decision="rejected").exclude(reason="").exists()
    out = run("train_ranker")
    version = RankerVersion.objects.get()
    assert version.metadata["trained_on"]["informative_lists"] >= MIN_LISTS
    assert f"new ltr-1 {version.ndcg:.4f}, active hand-weighted {version.baseline_ndcg:.4f}" in out
