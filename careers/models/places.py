"""Towns and the road distances between them."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Town(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)
    name_en = models.CharField(_("name (en)"), max_length=64, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="town_coordinates_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TownDistance(models.Model):
    """A known road distance; stored once per unordered pair (from < to by id)."""

    from_town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="distances_from")
    to_town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="distances_to")
    road_km = models.PositiveIntegerField(_("road distance (km)"))
    is_estimate = models.BooleanField(_("estimated"), default=False)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("road distance")
        verbose_name_plural = _("road distances")
        constraints = [
            models.UniqueConstraint(fields=["from_town", "to_town"], name="town_distance_unique_pair"),
            models.CheckConstraint(condition=~models.Q(from_town=models.F("to_town")), name="town_distance_distinct"),
            models.CheckConstraint(condition=models.Q(road_km__gt=0, road_km__lt=5000), name="town_distance_km_range"),
        ]

    def __str__(self) -> str:
        return f"{self.from_town} – {self.to_town}: {self.road_km} km"
