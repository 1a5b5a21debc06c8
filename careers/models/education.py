"""Schools and universities, their programmes and intakes."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import CefrLevel, EducationLevel, FundingKind, Language, ProgrammeKind, ProgrammeMode
from .places import Town
from .taxonomy import Occupation, Skill


class TargetGroup(models.TextChoices):
    """Who a programme admits (the rules are matching.paths.eligibility's; the values are the same, a test checks)."""

    AFTER_BASIC_SCHOOL = "after_basic_school", _("after basic school (grade 9)")
    AFTER_SECONDARY_SCHOOL = "after_secondary_school", _("after secondary school")
    ADULTS = "adults", _("adults (18+)")
    REGISTERED_UNEMPLOYED = "registered_unemployed", _("registered unemployed (State Employment Agency)")
    EMPLOYED_ADULTS = "employed_adults", _("employed adults")
    ADULTS_25_PLUS = "adults_25_plus", _("adults aged 25 or more")


MSG_TARGET_GROUPS = "Unknown target group(s): {values}."
MSG_AGES = "The minimum age must not be above the maximum age."
MSG_LANGUAGE_COURSE = "A language course names the language it teaches and the level it leads to; the level it " \
                      "starts from, if any, is below that."
MSG_FUNDING_GROUPS = "funding_groups maps a funding kind (training_voucher, state_funded_place, " \
                     "adult_learning_cofinancing) to a list of target groups."


def _check_target_groups(values) -> None:
    if not isinstance(values, list) or any(v not in TargetGroup.values for v in values):
        raise ValidationError({"target_groups": [MSG_TARGET_GROUPS.format(values=values)]})


def _check_funding_groups(value) -> None:
    kinds = set(FundingKind.values) - {FundingKind.NONE}
    if not isinstance(value, dict) or any(k not in kinds or not isinstance(v, list)
                                          or any(g not in TargetGroup.values for g in v) for k, v in value.items()):
        raise ValidationError({"funding_groups": [MSG_FUNDING_GROUPS]})


class Institution(models.Model):
    class Kind(models.TextChoices):
        VOCATIONAL_SCHOOL = "vocational_school", _("vocational school")
        APPLIED_SCIENCES = "applied_sciences_university", _("university of applied sciences")
        UNIVERSITY = "university", _("university")
        TRAINING_CENTRE = "training_centre", _("training centre")

    name_lv = models.CharField(_("name (lv)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (en)"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="institutions")
    website = models.URLField(_("website"), blank=True)
    has_dormitory = models.BooleanField(
        _("dormitory for its learners"), default=False,
        help_text=_("A sourced fact (named in source); false where the sources are silent."))
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["name_lv"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name_lv


class Programme(models.Model):
    class CostPeriod(models.TextChoices):
        TOTAL = "total", _("whole programme")
        PER_YEAR = "per_year", _("per study year")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="programmes")
    name_lv = models.CharField(_("name (lv)"), max_length=200)
    name_en = models.CharField(_("name (en)"), max_length=200)
    description_lv = models.TextField(_("description (lv)"), blank=True)
    description_en = models.TextField(_("description (en)"), blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"))
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    languages = models.JSONField(_("languages of instruction"), default=list)
    mode = models.CharField(_("mode"), max_length=16, choices=ProgrammeMode.choices)
    cost_eur = models.DecimalField(_("cost (EUR)"), max_digits=9, decimal_places=2, default=0)
    cost_period = models.CharField(_("cost period"), max_length=10, choices=CostPeriod.choices, default=CostPeriod.TOTAL)
    state_funded_places = models.BooleanField(_("state-funded places"), default=False)
    voucher_eligible = models.BooleanField(_("State Employment Agency training voucher"), default=False)
    adult_learning_cofinanced = models.BooleanField(_("adult-learning co-financing"), default=False)
    min_education = models.PositiveSmallIntegerField(
        _("minimum prior education"), choices=EducationLevel.choices, default=EducationLevel.BASIC
    )
    target_groups = models.JSONField(
        _("target groups"), default=list, blank=True,
        help_text=_("Who may enter (any one group suffices); empty: anyone with the prior education."))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    funding_groups = models.JSONField(
        _("funding by target group"), default=dict, blank=True,
        help_text=_("Funding kind → the target groups that may use it; a kind not named follows the national rule "
                    "(voucher: registered unemployed; co-financing: employed adults; state-funded place: anyone "
                    "admitted)."))
    skills_taught = models.ManyToManyField(Skill, related_name="programmes", blank=True)
    leads_to = models.ManyToManyField(Occupation, related_name="programmes", blank=True)
    # A language course (state-language Latvian, English …) takes a person from one CEFR level to the next; the
    # pathways count it as closing a language gap (matching.paths.finder). Blank / null for other programmes.
    teaches_language = models.CharField(_("language taught"), max_length=2, choices=Language.choices, blank=True,
                                        default="")
    language_level_from = models.PositiveSmallIntegerField(
        _("language level on entry"), choices=CefrLevel.choices, null=True, blank=True,
        help_text=_("The CEFR level a learner must have to enter; empty: none needed (a beginners' course)."))
    language_level_to = models.PositiveSmallIntegerField(
        _("language level reached"), choices=CefrLevel.choices, null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("academic hours"), null=True, blank=True)
    duration_weeks = models.PositiveSmallIntegerField(_("duration (weeks)"), null=True, blank=True)
    stipend_eur_per_day = models.DecimalField(_("stipend (EUR per study day)"), max_digits=6, decimal_places=2,
                                              null=True, blank=True)
    stipend_for_lv = models.CharField(_("who gets the stipend (lv)"), max_length=200, blank=True, default="")
    stipend_for_en = models.CharField(_("who gets the stipend (en)"), max_length=200, blank=True, default="")
    source = models.TextField(_("source"), blank=True)
    is_demo = models.BooleanField(_("demo data (no fact backs it)"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # The uploader's own code for the row (spreadsheet imports are idempotent by it); blank for rows made otherwise.
    import_code = models.CharField(_("your code"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["institution__name_lv", "name_lv"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name_lv", "kind", "mode"], name="programme_unique_name"),
            models.UniqueConstraint(fields=["institution", "import_code"], condition=~models.Q(import_code=""),
                                    name="programme_unique_import_code"),
            models.CheckConstraint(condition=models.Q(eqf_level__gte=1, eqf_level__lte=8), name="programme_eqf_1_to_8"),
            models.CheckConstraint(
                condition=models.Q(duration_months__gte=1, duration_months__lte=96), name="programme_duration_range"
            ),
            models.CheckConstraint(condition=models.Q(cost_eur__gte=0), name="programme_cost_not_negative"),
            models.CheckConstraint(condition=models.Q(min_age__isnull=True) | models.Q(min_age__gte=13, min_age__lte=99),
                                   name="programme_min_age_range"),
            models.CheckConstraint(condition=models.Q(max_age__isnull=True) | models.Q(max_age__gte=13, max_age__lte=99),
                                   name="programme_max_age_range"),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True) | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")), name="programme_min_age_le_max"),
            models.CheckConstraint(
                condition=(models.Q(teaches_language="", language_level_from__isnull=True,
                                    language_level_to__isnull=True)
                           | (~models.Q(teaches_language="") & models.Q(language_level_to__isnull=False)
                              & (models.Q(language_level_from__isnull=True)
                                 | models.Q(language_level_from__lt=models.F("language_level_to"))))),
                name="programme_language_levels"),
        ]

    def clean(self) -> None:
        _check_target_groups(self.target_groups)
        _check_funding_groups(self.funding_groups)
        if self.teaches_language or self.language_level_to is not None or self.language_level_from is not None:
            if not self.teaches_language or self.language_level_to is None or (
                    self.language_level_from is not None and self.language_level_from >= self.language_level_to):
                raise ValidationError({"language_level_to": [MSG_LANGUAGE_COURSE]})
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"min_age": [MSG_AGES]})

    def __str__(self) -> str:
        return f"{self.name_lv} ({self.institution.short_name or self.institution})"

    @property
    def total_cost_eur(self):
        if self.cost_period == self.CostPeriod.PER_YEAR:
            return self.cost_eur * max(1, round(self.duration_months / 12))
        return self.cost_eur


class Intake(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="intakes")
    start_date = models.DateField(_("start date"))
    application_deadline = models.DateField(_("application deadline"))
    seats = models.PositiveIntegerField(_("seats"))
    funded_seats = models.PositiveIntegerField(_("state- or voucher-funded seats"), default=0)
    is_demo = models.BooleanField(_("demo dates (no published schedule backs them)"), default=False)
    import_code = models.CharField(_("your code"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        constraints = [
            models.UniqueConstraint(fields=["programme", "start_date"], name="intake_unique_start"),
            models.UniqueConstraint(fields=["programme", "import_code"], condition=~models.Q(import_code=""),
                                    name="intake_unique_import_code"),
            models.CheckConstraint(
                condition=models.Q(application_deadline__lte=models.F("start_date")), name="intake_deadline_before_start"
            ),
            models.CheckConstraint(condition=models.Q(seats__gte=1, seats__lte=10000), name="intake_seats_range"),
            models.CheckConstraint(condition=models.Q(funded_seats__lte=models.F("seats")), name="intake_funded_le_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name_lv} – {self.start_date:%Y-%m-%d}"
