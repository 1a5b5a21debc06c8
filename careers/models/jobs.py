"""Employers and their vacancies."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CefrLevel, ContractKind, EducationLevel, HoursKind, Language, Sector, WorkArrangement
from .places import Town
from .taxonomy import Occupation, Skill


class Employer(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    registration_number = models.CharField(_("registration number"), max_length=32, unique=True, null=True, blank=True)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="employers")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    verified = models.BooleanField(_("verified by staff"), default=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="employers", blank=True)
    source = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name


class VacancyQuerySet(models.QuerySet):
    def public(self) -> "VacancyQuerySet":
        """Open, unexpired vacancies of verified employers: what anyone may see."""
        today = timezone.localdate()
        return self.filter(status=Vacancy.Status.OPEN, employer__verified=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gte=today)
        )


class Vacancy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="vacancies")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    text_language = models.CharField(_("language of the text"), max_length=2, choices=Language.choices, default="lv")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="vacancies", null=True, blank=True)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="vacancies")
    work_arrangement = models.CharField(
        _("on site / hybrid / remote"), max_length=10, choices=WorkArrangement.choices, default=WorkArrangement.ON_SITE
    )
    contract_kind = models.CharField(_("contract kind"), max_length=16, choices=ContractKind.choices)
    hours = models.CharField(_("hours"), max_length=10, choices=HoursKind.choices)
    salary_min = models.PositiveIntegerField(_("gross monthly salary from (EUR)"))
    salary_max = models.PositiveIntegerField(_("gross monthly salary to (EUR)"))
    min_education = models.PositiveSmallIntegerField(
        _("minimum education"), choices=EducationLevel.choices, default=EducationLevel.NONE
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    # "Pieredze nav nepieciešama": the employer trains beginners; such a post is an entry job for anyone allowed it.
    experience_required = models.BooleanField(_("experience required"), default=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateField(_("published"), null=True, blank=True)
    expires_at = models.DateField(_("expires"), null=True, blank=True)
    skills = models.ManyToManyField(Skill, through="VacancySkill", related_name="vacancies", blank=True)
    # The employer's own code for the row (spreadsheet imports are idempotent by it); blank for rows made otherwise.
    import_code = models.CharField(_("your code"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.UniqueConstraint(fields=["employer", "import_code"], condition=~models.Q(import_code=""),
                                    name="vacancy_unique_import_code"),
            models.CheckConstraint(condition=models.Q(salary_min__gte=1), name="vacancy_salary_positive"),
            models.CheckConstraint(condition=models.Q(salary_min__lte=models.F("salary_max")), name="vacancy_salary_min_le_max"),
            models.CheckConstraint(condition=models.Q(salary_max__lte=100000), name="vacancy_salary_max_sane"),
            # Latvian labour law: children from 13 may do light work; 75 is a sanity bound.
            models.CheckConstraint(condition=models.Q(min_age__gte=13, min_age__lte=75), name="vacancy_min_age_range"),
            models.CheckConstraint(condition=models.Q(places__gte=1, places__lte=1000), name="vacancy_places_range"),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True)
                | models.Q(published_at__isnull=True)
                | models.Q(expires_at__gte=models.F("published_at")),
                name="vacancy_expires_after_published",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="open") | models.Q(published_at__isnull=False),
                name="vacancy_open_has_published_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.employer}"


class VacancySkill(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="vacancy_links")
    essential = models.BooleanField(_("essential"), default=True)

    class Meta:
        verbose_name = _("vacancy skill")
        constraints = [models.UniqueConstraint(fields=["vacancy", "skill"], name="vacancy_skill_unique")]


class VacancyLanguage(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    level = models.PositiveSmallIntegerField(_("minimum level"), choices=CefrLevel.choices)

    class Meta:
        verbose_name = _("required language")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "language"], name="vacancy_language_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=6), name="vacancy_language_level_range"),
        ]
