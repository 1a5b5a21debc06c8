"""Writes for human oversight (issue 6): served-list audit, counsellor reviews with optimistic concurrency, purge."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from careers.models import (
    CandidateProfile, FeedbackEvent, RecommendationItem, RecommendationList, Review, ReviewLog,
)
from careers.models.ranking import HAND_WEIGHTED_VERSION
from careers.runtime.ranker import served_model_version

MODEL_VERSION = HAND_WEIGHTED_VERSION  # what lists of every kind but a learned jobs ranker's are logged under
AUDIT_RETENTION_DAYS = 183  # at least six months (EU AI Act logging)


def _plain(value):
    """JSON for numpy scalars, decimals and dates that explanation features may carry."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _features(value) -> dict:
    return json.loads(json.dumps(value or {}, default=_plain))


def log_served_list(*, requested_by, candidate: CandidateProfile, kind: str, items: list[dict],
                    model_version: str | None = None) -> RecommendationList:
    """Log one served list; ``items`` are dicts with item_key, rank, score, features. Two inserts in all.

    ``model_version`` defaults to the ranker that orders lists of ``kind`` in this process now.
    """
    if model_version is None:
        model_version = served_model_version(kind)
    with transaction.atomic():
        served = RecommendationList.objects.create(
            requested_by=requested_by if requested_by is not None and requested_by.is_authenticated else None,
            candidate=candidate, kind=kind, model_version=model_version)
        RecommendationItem.objects.bulk_create([
            RecommendationItem(list=served, item_key=i["item_key"], rank=i["rank"], score=float(i["score"]),
                               features=_features(i.get("features")))
            for i in items
        ])
    return served


class ReviewConflict(Exception):
    """The client's version is not the stored one: ``current`` is the stored review (None if there is none)."""

    def __init__(self, current: Review | None) -> None:
        super().__init__("review version conflict")
        self.current = current


@dataclass(frozen=True)
class ReviewResult:
    review: Review
    created: bool


def _log(review: Review, actor) -> None:
    ReviewLog.objects.create(review=review, actor=actor, decision=review.decision, reason=review.reason,
                             note=review.note, version=review.version)


def save_review(*, actor, candidate: CandidateProfile, kind: str, item_key: str, decision: str, reason: str,
                note: str, version: int | None) -> ReviewResult:
    """Create (``version`` None or 0) or update (``version`` = the stored version) a review; log the decision.

    The update is a compare-and-set (``UPDATE … WHERE version = %s``), so of two counsellors who read version 3
    only the first write wins; the second gets :class:`ReviewConflict` with the stored state and nothing is lost.
    """
    reason = reason if decision == Review.Decision.REJECTED else (reason or "")
    fields = {"decision": decision, "reason": reason, "note": note, "counsellor": actor}
    lookup = {"candidate": candidate, "kind": kind, "item_key": item_key}
    with transaction.atomic():
        if not version:
            try:
                with transaction.atomic():
                    review = Review.objects.create(**lookup, **fields, version=1)
            except IntegrityError:
                raise ReviewConflict(Review.objects.filter(**lookup).first()) from None
            _log(review, actor)
            return ReviewResult(review, True)
        updated = Review.objects.filter(**lookup, version=version).update(
            **fields, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            raise ReviewConflict(Review.objects.filter(**lookup).first())
        review = Review.objects.get(**lookup)
        _log(review, actor)
        return ReviewResult(review, False)


def purge_audit(*, older_than_days: int = AUDIT_RETENTION_DAYS, now: dt.datetime | None = None) -> dict:
    """Delete served lists (and their items) older than ``older_than_days``; returns the counts deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    old = RecommendationList.objects.filter(created_at__lt=cutoff)
    _, per_model = old.delete()  # items go with their list (CASCADE)
    return {"lists": per_model.get(RecommendationList._meta.label, 0),
            "items": per_model.get(RecommendationItem._meta.label, 0), "cutoff": cutoff}


@dataclass(frozen=True)
class FeedbackResult:
    event: FeedbackEvent
    created: bool


class FeedbackReplayMismatch(Exception):
    """The client event id was already used by this actor for a different event: ``stored`` is that event."""

    def __init__(self, stored: FeedbackEvent) -> None:
        super().__init__("client event id reused for another event")
        self.stored = stored


def record_feedback(*, actor, candidate: CandidateProfile, kind: str, item_key: str, event: str,
                    client_event_id: str) -> FeedbackResult:
    """Store one feedback event once per (actor, client event id); a replay returns the stored event."""
    wanted = {"candidate_id": candidate.pk, "kind": kind, "item_key": item_key, "event": event}

    def replay(stored: FeedbackEvent) -> FeedbackResult:
        if {k: getattr(stored, k) for k in wanted} != wanted:
            raise FeedbackReplayMismatch(stored)
        return FeedbackResult(stored, False)

    stored = FeedbackEvent.objects.filter(actor=actor, client_event_id=client_event_id).first()
    if stored is not None:
        return replay(stored)
    try:
        with transaction.atomic():
            created = FeedbackEvent.objects.create(actor=actor, client_event_id=client_event_id, **wanted)
    except IntegrityError:  # the same event sent twice at once: the other request stored it first
        return replay(FeedbackEvent.objects.get(actor=actor, client_event_id=client_event_id))
    return FeedbackResult(created, True)
