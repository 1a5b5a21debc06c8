"""ESCO skills and occupations, labelled in English and Latvian."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from careers.folding import fold

from .choices import RelationType, SkillType

RIASEC_FIELDS = ("riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c")


def preferred_label(label_lv: str, label_en: str, language: str) -> str:
    """The label in ``language`` ('lv' or 'en'), falling back to the other (for rows read without a model)."""
    return (label_lv or label_en) if language == "lv" else (label_en or label_lv)


class LabelledConcept(models.Model):
    """A taxonomy concept with labels in both languages and a folded search key."""

    uri = models.CharField(_("ESCO URI"), max_length=255, unique=True)
    label_en = models.CharField(_("preferred label (en)"), max_length=255)
    label_lv = models.CharField(_("preferred label (lv)"), max_length=255, blank=True)
    alt_labels_en = models.JSONField(_("alternative labels (en)"), default=list, blank=True)
    alt_labels_lv = models.JSONField(_("alternative labels (lv)"), default=list, blank=True)
    description_en = models.TextField(_("description (en)"), blank=True)
    description_lv = models.TextField(_("description (lv)"), blank=True)
    # Lower-case, diacritics removed, all labels joined by "|": what label search runs on.
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label_lv or self.label_en

    def all_labels(self) -> list[str]:
        return [self.label_en, self.label_lv, *self.alt_labels_en, *self.alt_labels_lv]

    def refresh_search_text(self) -> None:
        self.search_text = "|".join(fold(label) for label in self.all_labels() if label)

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_text()
        super().save(*args, **kwargs)

    def label(self, language: str) -> str:
        """The preferred label in ``language`` ('lv' or 'en'), falling back to the other."""
        return preferred_label(self.label_lv, self.label_en, language)


class Skill(LabelledConcept):
    skill_type = models.CharField(_("type"), max_length=16, choices=SkillType.choices, default=SkillType.SKILL)
    reuse_level = models.CharField(_("reuse level"), max_length=32, blank=True)
    broader = models.ManyToManyField("self", symmetrical=False, related_name="narrower", blank=True)
    related = models.ManyToManyField("self", symmetrical=False, related_name="related_from", blank=True)

    class Meta:
        ordering = ["label_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        indexes = [models.Index(fields=["skill_type"])]


class Occupation(LabelledConcept):
    isco_code = models.CharField(_("ISCO-08 code"), max_length=8, blank=True, db_index=True)
    lv_classifier_code = models.CharField(
        _("Latvian occupation classifier code"), max_length=16, blank=True, db_index=True
    )
    skills = models.ManyToManyField(Skill, through="OccupationSkill", related_name="occupations", blank=True)
    # RIASEC interest profile on O*NET's occupational-interest scale (1–7); empty where unknown.
    riasec_r = models.FloatField(_("realistic"), null=True, blank=True)
    riasec_i = models.FloatField(_("investigative"), null=True, blank=True)
    riasec_a = models.FloatField(_("artistic"), null=True, blank=True)
    riasec_s = models.FloatField(_("social"), null=True, blank=True)
    riasec_e = models.FloatField(_("enterprising"), null=True, blank=True)
    riasec_c = models.FloatField(_("conventional"), null=True, blank=True)

    class Meta:
        ordering = ["label_en"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True})
                | models.Q(**{f"{name}__gte": 1, f"{name}__lte": 7}),
                name=f"occupation_{name}_1_to_7",
            )
            for name in RIASEC_FIELDS
        ]

    @property
    def riasec(self) -> tuple[float | None, ...]:
        return tuple(getattr(self, name) for name in RIASEC_FIELDS)


class OccupationSkill(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links")
    relation = models.CharField(max_length=10, choices=RelationType.choices, default=RelationType.ESSENTIAL)

    class Meta:
        verbose_name = _("occupation skill")
        constraints = [models.UniqueConstraint(fields=["occupation", "skill"], name="occupation_skill_unique")]

    def __str__(self) -> str:
        return f"{self.occupation} – {self.skill} ({self.relation})"

