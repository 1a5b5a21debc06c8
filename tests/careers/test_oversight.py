"""Oversight models and services (issue 6): DB constraints, audit purge, review compare-and-set."""
from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from careers.models import FeedbackEvent, RecommendationItem, RecommendationList, Review
from careers.services.oversight import ReviewConflict, log_served_list, save_review
from tests import factories as f

pytestmark = pytest.mark.django_db


def _served(candidate, *, days_ago: int, n: int = 2) -> RecommendationList:
    served = log_served_list(requested_by=None, candidate=candidate, kind="jobs", items=[
        {"item_key": f"vacancy:{i}", "rank": i, "score": 1 / i, "features": {"parts": {"skills": 0.5}}}
        for i in range(1, n + 1)])
    RecommendationList.objects.filter(pk=served.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return served


def test_purge_deletes_only_lists_older_than_six_months_and_prints_counts():
    candidate = f.CandidateFactory()
    old, recent = _served(candidate, days_ago=200, n=3), _served(candidate, days_ago=100)
    out = StringIO()
    call_command("purge_audit", stdout=out)
    assert "purged 1 recommendation lists and 3 items" in out.getvalue()
    assert list(RecommendationList.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not RecommendationItem.objects.filter(list_id=old.pk).exists()
    assert RecommendationItem.objects.filter(list=recent).count() == 2


def test_purge_refuses_less_than_six_months_unless_forced():
    candidate = f.CandidateFactory()
    _served(candidate, days_ago=100)
    with pytest.raises(CommandError, match="183"):
        call_command("purge_audit", "--older-than-days", "30", stdout=StringIO())
    assert RecommendationList.objects.count() == 1
    call_command("purge_audit", "--older-than-days", "30", "--force", stdout=StringIO())
    assert RecommendationList.objects.count() == 0


def test_logging_a_served_list_keeps_numpy_and_decimal_features_as_json():
    import numpy as np
    from decimal import Decimal

    candidate = f.CandidateFactory()
    served = log_served_list(requested_by=None, candidate=candidate, kind="programmes", items=[
        {"item_key": "programme:1", "rank": 1, "score": np.float64(0.5),
         "features": {"n": np.int64(3), "cost": Decimal("12.50"), "start": dt.date(2027, 9, 1)}}])
    item = RecommendationItem.objects.get(list=served)
    assert item.features == {"n": 3, "cost": 12.5, "start": "2027-09-01"} and item.score == 0.5


def test_the_database_refuses_a_rejection_without_reason_and_a_second_review_of_an_item():
    candidate = f.CandidateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(candidate=candidate, kind="jobs", item_key="vacancy:1", decision="rejected", reason="")
    Review.objects.create(candidate=candidate, kind="jobs", item_key="vacancy:1", decision="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(candidate=candidate, kind="jobs", item_key="vacancy:1", decision="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(candidate=candidate, kind="gigs", item_key="vacancy:2", decision="approved")


def test_feedback_events_are_unique_per_actor_and_client_event_id():
    candidate = f.CandidateFactory()
    row = {"actor": candidate.user, "candidate": candidate, "kind": "jobs", "item_key": "vacancy:1",
           "event": "viewed", "client_event_id": "e-1"}
    FeedbackEvent.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackEvent.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackEvent.objects.create(**{**row, "client_event_id": "e-2", "event": "liked"})


def test_a_stale_version_raises_a_conflict_carrying_the_stored_review():
    candidate, counsellor = f.CandidateFactory(), f.CounsellorFactory().user
    args = {"actor": counsellor, "candidate": candidate, "kind": "jobs", "item_key": "vacancy:1", "note": ""}
    save_review(**args, decision="approved", reason="", version=None)
    save_review(**args, decision="rejected", reason="other", version=1)
    with pytest.raises(ReviewConflict) as conflict:
        save_review(**args, decision="approved", reason="", version=1)
    assert conflict.value.current.version == 2 and conflict.value.current.decision == "rejected"
