"""Daily snapshots of the labour market: demand in open vacancies against supply among looking candidates."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .taxonomy import Skill


class MarketArea(models.TextChoices):
    """Where a snapshot row counts: everywhere, or the commute region around one of the two towns."""

    ALL = "all", _("all towns")
    VALMIERA = "valmiera", _("Valmiera commute region")
    VENTSPILS = "ventspils", _("Ventspils commute region")


class MarketSnapshot(models.Model):
    """One day's figures (``snapshot_market`` writes at most one per day)."""

    day = models.DateField(_("day"), unique=True)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data (generated history)"), default=False)

    class Meta:
        ordering = ["day"]
        verbose_name = _("market snapshot")
        verbose_name_plural = _("market snapshots")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class MarketSnapshotRow(models.Model):
    """Demand and supply of one skill in one area on the snapshot's day; ``skill`` null holds the area's totals
    (open vacancies' places, looking candidates)."""

    snapshot = models.ForeignKey(MarketSnapshot, on_delete=models.CASCADE, related_name="rows")
    area = models.CharField(_("area"), max_length=16, choices=MarketArea.choices)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    vacancies = models.PositiveIntegerField(_("open vacancies"), default=0)
    demand_essential = models.PositiveIntegerField(_("places needing it as essential"), default=0)
    demand_optional = models.PositiveIntegerField(_("places wanting it as optional"), default=0)
    supply = models.PositiveIntegerField(_("looking candidates with it"), default=0)

    class Meta:
        verbose_name = _("market snapshot row")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "area", "skill"], condition=models.Q(skill__isnull=False),
                                    name="market_row_unique_skill"),
            models.UniqueConstraint(fields=["snapshot", "area"], condition=models.Q(skill__isnull=True),
                                    name="market_row_unique_total"),
        ]
        indexes = [models.Index(fields=["area", "skill", "snapshot"], name="market_row_trend")]
