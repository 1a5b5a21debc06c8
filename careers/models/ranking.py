"""Learned rankers (issue 6, learning to rank): every trained version is stored, at most one is active.

The blob is what :func:`matching.ltr.dump_model` wrote (only this application's own bytes are ever loaded). The
versions live in the database, not in files, so every server process sees the same active version
(``careers.runtime.ranker`` re-checks it every few seconds). No active version means the hand-weighted scorer.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

HAND_WEIGHTED = "hand-weighted"
# The label audit logs give the hand-weighted scorers of matching/ (a learned jobs ranker logs its own label).
HAND_WEIGHTED_VERSION = "hand-weighted-1"
LABEL_MAX = 32


class RankerVersion(models.Model):
    """One trained ranker of jobs lists: its bytes, what it was trained on, how it compared, whether it serves."""

    label = models.CharField(_("version"), max_length=LABEL_MAX, unique=True)  # "ltr-3"
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    blob = models.BinaryField(_("model bytes"))
    metadata = models.JSONField(_("metadata"), default=dict)  # features, params, weights, counts, checksum
    ndcg = models.FloatField(_("held-out nDCG@10"), null=True)
    baseline_label = models.CharField(_("compared with"), max_length=LABEL_MAX)  # the then-active version
    baseline_ndcg = models.FloatField(_("held-out nDCG@10 of the compared version"), null=True)
    promoted = models.BooleanField(_("promoted when trained"), default=False)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.CharField(_("activated by"), max_length=150, blank=True)  # "train_ranker", "rollback …"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True),
                                    name="rankerversion_one_active"),
        ]

    def __str__(self) -> str:
        return self.label


class RankerActivation(models.Model):
    """Append-only log of which ranker serves from when: promotions and rollbacks (``version`` null: hand-weighted)."""

    class Action(models.TextChoices):
        PROMOTED = "promoted", _("promoted by training")
        ROLLBACK = "rollback", _("rolled back")

    version = models.ForeignKey(RankerVersion, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="activations")
    previous_label = models.CharField(max_length=LABEL_MAX)
    action = models.CharField(max_length=8, choices=Action.choices)
    actor = models.CharField(max_length=150)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(action__in=["promoted", "rollback"]),
                                              name="rankeractivation_action_valid")]

    @property
    def label(self) -> str:
        return self.version.label if self.version_id else HAND_WEIGHTED
