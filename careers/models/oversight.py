"""Human oversight of recommendations (issue 6): the served-list audit trail, counsellor reviews, feedback events.

Recommending jobs and education is high-risk under the EU AI Act (Annex III 3–4): every served list is logged
(kept at least 6 months, then purged by ``manage.py purge_audit``), every review decision is logged with who and
when, and a review carries a version so two counsellors cannot silently overwrite each other.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import CandidateProfile

ITEM_KEY_MAX = 64


class RecommendationKind(models.TextChoices):
    JOBS = "jobs", _("jobs")
    PROGRAMMES = "programmes", _("programmes")
    CAREERS = "careers", _("careers")
    PATHWAYS = "pathways", _("pathways")


class RecommendationList(models.Model):
    """One recommendation list as served: who asked, for whom, which model."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    candidate = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="recommendation_lists")
    kind = models.CharField(_("kind"), max_length=12, choices=RecommendationKind.choices)
    model_version = models.CharField(_("model version"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["candidate", "kind", "-created_at"], name="reclist_candidate_kind")]
        constraints = [models.CheckConstraint(
            condition=models.Q(kind__in=RecommendationKind.values), name="reclist_kind_valid")]


class RecommendationItem(models.Model):
    """One served item with its rank, score and the explanation's score parts."""

    list = models.ForeignKey(RecommendationList, on_delete=models.CASCADE, related_name="items")
    item_key = models.CharField(_("item"), max_length=ITEM_KEY_MAX)
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    features = models.JSONField(_("explanation features"), default=dict)

    class Meta:
        ordering = ["list", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["list", "rank"], name="recitem_rank_unique"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="recitem_rank_positive"),
        ]


class Review(models.Model):
    """A counsellor's current decision about one item for one candidate (one row per item; see ReviewLog)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        ADDED = "added", _("added by the counsellor")

    class Reason(models.TextChoices):
        SKILLS_MISMATCH = "skills_mismatch", _("skills mismatch")
        LOCATION = "location", _("location")
        NOT_READY = "not_ready", _("not ready")
        POOR_POSTING = "poor_posting", _("poor posting")
        OTHER = "other", _("other")

    candidate = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=12, choices=RecommendationKind.choices)
    item_key = models.CharField(_("item"), max_length=ITEM_KEY_MAX)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    counsellor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["candidate", "kind", "item_key"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind", "item_key"], name="review_once_per_item"),
            models.CheckConstraint(condition=models.Q(kind__in=RecommendationKind.values), name="review_kind_valid"),
            models.CheckConstraint(condition=models.Q(decision__in=["approved", "rejected", "added"]),
                                   name="review_decision_valid"),
            models.CheckConstraint(condition=~models.Q(decision="rejected") | ~models.Q(reason=""),
                                   name="review_rejection_has_reason"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="review_version_positive"),
        ]


class ReviewLog(models.Model):
    """Every review decision ever made: who, when, what (append-only)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decision = models.CharField(max_length=8, choices=Review.Decision.choices)
    reason = models.CharField(max_length=16, choices=Review.Reason.choices, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["review", "version"]
        constraints = [models.UniqueConstraint(fields=["review", "version"], name="reviewlog_version_unique")]


class FeedbackEvent(models.Model):
    """What candidates, employers and providers did with an item; idempotent per (actor, client event id)."""

    class Event(models.TextChoices):
        VIEWED = "viewed", _("viewed")
        SAVED = "saved", _("saved")
        DISMISSED = "dismissed", _("dismissed")
        APPLIED = "applied", _("applied")
        SHORTLISTED = "shortlisted", _("shortlisted")
        REJECTED = "rejected", _("rejected")
        HIRED = "hired", _("hired")
        ENROLLED = "enrolled", _("enrolled")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_events")
    candidate = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="feedback_events")
    kind = models.CharField(max_length=12, choices=RecommendationKind.choices)
    item_key = models.CharField(max_length=ITEM_KEY_MAX)
    event = models.CharField(max_length=12, choices=Event.choices)
    client_event_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "client_event_id"], name="feedback_idempotent"),
            models.CheckConstraint(condition=models.Q(kind__in=RecommendationKind.values), name="feedback_kind_valid"),
            models.CheckConstraint(condition=models.Q(event__in=[
                "viewed", "saved", "dismissed", "applied", "shortlisted", "rejected", "hired", "enrolled"]),
                name="feedback_event_valid"),
        ]
