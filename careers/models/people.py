"""Users and their roles: candidates, counsellors, provider staff; and applications."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CefrLevel, EducationLevel, Language, Role
from .education import Institution, Intake
from .jobs import Vacancy
from .places import Town
from .taxonomy import Occupation, Skill

ADULT_AGE = 18


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CANDIDATE, db_index=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=[("lv", "latviešu"), ("en", "English")], default="lv"
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class Counsellor(models.Model):
    class Employer(models.TextChoices):
        SCHOOL = "school", _("school")
        MUNICIPALITY = "municipality", _("municipality")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counsellor")
    works_for = models.CharField(_("works for"), max_length=16, choices=Employer.choices)
    institution = models.ForeignKey(
        Institution, on_delete=models.SET_NULL, null=True, blank=True, related_name="counsellors"
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="counsellors")

    class Meta:
        verbose_name = _("career counsellor")
        verbose_name_plural = _("career counsellors")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(works_for="school") | models.Q(institution__isnull=False),
                name="school_counsellor_has_institution",
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class ProviderStaff(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_staff")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="staff")

    class Meta:
        verbose_name = _("provider staff member")
        verbose_name_plural = _("provider staff")

    def __str__(self) -> str:
        return f"{self.user.username} @ {self.institution}"


class CandidateProfile(models.Model):
    class Kind(models.TextChoices):
        STUDENT = "student", _("student / young person")
        RESKILLING = "reskilling", _("reskilling candidate")

    class EmploymentStatus(models.TextChoices):
        STUDYING = "studying", _("studying")
        EMPLOYED = "employed", _("employed")
        UNEMPLOYED = "registered_unemployed", _("registered unemployed")
        OTHER = "other", _("other")

    class Gender(models.TextChoices):
        """Protected attribute: kept for fairness monitoring, never a ranking feature."""

        FEMALE = "female", _("female")
        MALE = "male", _("male")
        OTHER = "other", _("other")
        UNDISCLOSED = "undisclosed", _("prefer not to say")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    employment_status = models.CharField(_("employment status"), max_length=24, choices=EmploymentStatus.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="candidates")
    max_commute_km = models.PositiveSmallIntegerField(_("maximum commute (km)"), default=30)
    willing_to_relocate = models.BooleanField(_("willing to relocate"), default=False)
    highest_education = models.PositiveSmallIntegerField(
        _("highest completed education"), choices=EducationLevel.choices, default=EducationLevel.BASIC
    )
    current_studies = models.CharField(_("current studies"), max_length=200, blank=True)
    about = models.TextField(_("about me / CV text"), blank=True)
    # RIASEC interests on the same 1–7 scale as occupations.
    riasec_r = models.FloatField(_("realistic"), null=True, blank=True)
    riasec_i = models.FloatField(_("investigative"), null=True, blank=True)
    riasec_a = models.FloatField(_("artistic"), null=True, blank=True)
    riasec_s = models.FloatField(_("social"), null=True, blank=True)
    riasec_e = models.FloatField(_("enterprising"), null=True, blank=True)
    riasec_c = models.FloatField(_("conventional"), null=True, blank=True)
    target_occupations = models.ManyToManyField(Occupation, related_name="targeted_by", blank=True)
    available_hours = models.JSONField(_("hours the candidate can work"), default=list, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    consent_discoverable = models.BooleanField(_("discoverable by employers"), default=False)
    consent_discoverable_at = models.DateTimeField(null=True, blank=True)
    consent_counsellor = models.BooleanField(_("shared with a counsellor"), default=False)
    consent_counsellor_at = models.DateTimeField(null=True, blank=True)
    consent_processing = models.BooleanField(_("data processing"), default=False)
    consent_processing_at = models.DateTimeField(null=True, blank=True)
    counsellor = models.ForeignKey(
        Counsellor, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    # When the counsellor was assigned and when they first opened the profile since: new in the caseload until then.
    counsellor_assigned_at = models.DateTimeField(_("counsellor assigned at"), null=True, blank=True)
    counsellor_seen_at = models.DateTimeField(_("counsellor opened the profile at"), null=True, blank=True)
    # The school or college the person attends, if they named one: its counsellor is theirs (careers.services.caseload).
    school = models.ForeignKey(
        Institution, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils",
        verbose_name=_("school"),
    )
    # Only a counsellor's choice to supervise an adult: minors are supervised by age (is_supervised), so nothing
    # stored has to change on an 18th birthday. Read is_supervised, not this field.
    supervised = models.BooleanField(_("recommendations released by the counsellor"), default=False)
    # A minor is hidden from employers unless the counsellor switches this on.
    minor_visible_to_employers = models.BooleanField(_("minor visible to employers"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("candidate profile")
        verbose_name_plural = _("candidate profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__gte=1930, birth_year__lte=2020), name="candidate_birth_year_range"
            ),
            models.CheckConstraint(condition=models.Q(max_commute_km__lte=500), name="candidate_commute_range"),
            models.CheckConstraint(
                condition=models.Q(consent_discoverable=False) | models.Q(consent_discoverable_at__isnull=False),
                name="candidate_discoverable_consent_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(consent_counsellor=False) | models.Q(consent_counsellor_at__isnull=False),
                name="candidate_counsellor_consent_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(consent_processing=False) | models.Q(consent_processing_at__isnull=False),
                name="candidate_processing_consent_dated",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__isnull": True})
                    | models.Q(**{f"{name}__gte": 1, f"{name}__lte": 7}),
                    name=f"candidate_{name}_1_to_7",
                )
                for name in ("riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c")
            ],
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username

    def age(self, on: "timezone.datetime | None" = None) -> int:
        """Age reached in the current year (birth date is not stored, only the year)."""
        year = (on or timezone.localdate()).year
        return year - self.birth_year

    @property
    def is_minor(self) -> bool:
        return self.age() < ADULT_AGE

    @property
    def is_supervised(self) -> bool:
        return self.supervised or self.is_minor

    @property
    def new_in_caseload(self) -> bool:
        """Assigned to a counsellor by the assignment rule (careers.services.caseload) who has not opened the profile
        since. Assignments made by hand (no assigned time) are not flagged."""
        return (self.counsellor_id is not None and self.counsellor_assigned_at is not None
                and (self.counsellor_seen_at is None or self.counsellor_seen_at < self.counsellor_assigned_at))

    @property
    def visible_to_employers(self) -> bool:
        return self.consent_discoverable and (not self.is_minor or self.minor_visible_to_employers)


class CandidateSkill(models.Model):
    class Proficiency(models.IntegerChoices):
        BASIC = 1, _("basic")
        INTERMEDIATE = 2, _("intermediate")
        ADVANCED = 3, _("advanced")
        EXPERT = 4, _("expert")

    candidate = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="candidate_links")
    proficiency = models.PositiveSmallIntegerField(choices=Proficiency.choices, default=Proficiency.INTERMEDIATE)

    class Meta:
        verbose_name = _("candidate skill")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "skill"], name="candidate_skill_unique"),
            models.CheckConstraint(condition=models.Q(proficiency__gte=1, proficiency__lte=4), name="candidate_skill_level_1_to_4"),
        ]


class CandidateLanguage(models.Model):
    candidate = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=CefrLevel.choices)

    class Meta:
        verbose_name = _("candidate language")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "language"], name="candidate_language_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=6), name="candidate_language_level_range"),
        ]


class WorkExperience(models.Model):
    candidate = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="work_history")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("job title"), max_length=200, blank=True)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    years = models.DecimalField(_("years"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("work experience")
        constraints = [
            models.CheckConstraint(condition=models.Q(years__gt=0, years__lte=60), name="work_experience_years_range")
        ]


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        VIEWED = "viewed", _("viewed")
        SHORTLISTED = "shortlisted", _("shortlisted")
        REJECTED = "rejected", _("rejected")
        HIRED = "hired", _("hired")
        ENROLLED = "enrolled", _("enrolled")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class RejectionReason(models.TextChoices):
        SKILLS = "skills", _("skills or experience do not fit")
        LANGUAGE = "language", _("language requirements not met")
        AVAILABILITY = "availability", _("hours or start date do not fit")
        FILLED = "filled", _("the position is filled")
        OTHER = "other", _("another reason")

    candidate = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="applications")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, null=True, blank=True, related_name="applications")
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, null=True, blank=True, related_name="applications")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    message = models.TextField(_("cover message"), blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=12, choices=RejectionReason.choices,
                                        blank=True)
    rejection_note = models.CharField(_("note on the rejection"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vacancy__isnull=False, intake__isnull=True)
                | models.Q(vacancy__isnull=True, intake__isnull=False),
                name="application_one_target",
            ),
            models.UniqueConstraint(
                fields=["candidate", "vacancy"], condition=models.Q(vacancy__isnull=False), name="application_once_per_vacancy"
            ),
            models.UniqueConstraint(
                fields=["candidate", "intake"], condition=models.Q(intake__isnull=False), name="application_once_per_intake"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.vacancy or self.intake} ({self.status})"
