"""The site's forms: each parses one page's input; errors go beside the field and into the summary on top.

``AccessibleForm`` ties each field's error message to its input (``aria-describedby``) so a screen reader reads it
with the field; the templates render the summary (``web/partials/error_summary.html``) with a link to each field.
"""
from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.models import (
    CandidateProfile, CandidateSkill, ContractKind, EducationLevel, HoursKind, Institution, Language, ProgrammeKind,
    Town,
)
from careers.services.accounts import MIN_CANDIDATE_AGE

MAX_TEXT = 10_000
MAX_MESSAGE = 2_000
MAX_RADIUS_KM = 500
MAX_SALARY = 100_000
MSG_RADIUS_NEEDS_TOWN = _("Choose a town to measure the distance from.")
MSG_EMPTY_RANGE = _("The start of the range is after its end.")
MSG_PASSWORDS_DIFFER = _("The two passwords differ.")
MSG_ONE_WHAT_IF = _("Choose a course or a skill, not both.")
MSG_NONE_WHAT_IF = _("Choose a course or a skill.")
MSG_LANGUAGE_WHAT_IF = _("Choose a language level alone, without a course or a skill.")
WHAT_IF_LEVELS = ("A2", "B1", "B2", "C1")
CEFR_VALUES = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
MSG_CONFIRM_DELETE = _("Type DELETE to confirm.")
FUNDING_CHOICES = [("", _("any")), ("state_funded", _("state-funded places")), ("voucher", _("training voucher")),
                   ("cofinanced", _("adult-learning co-financing"))]
LANGUAGE_LEVELS = [("", _("not spoken"))] + [(n, label) for n, label in ((1, "A1"), (2, "A2"), (3, "B1"),
                                                                        (4, "B2"), (5, "C1"), (6, "C2"))]
PROFILE_LANGUAGES = (Language.LATVIAN, Language.ENGLISH, Language.RUSSIAN, Language.GERMAN)


def _with_any(choices) -> list:
    return [("", _("any"))] + list(choices)


class AccessibleForm(forms.Form):
    """Every field with an error names its message in ``aria-describedby`` (Django adds ``aria-invalid``)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                described = [f"{self[name].auto_id}_error"]
                if self.fields[name].help_text:
                    described.append(f"{self[name].auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


# --------------------------------------------------------------------------------------------- search
class VacancySearchForm(AccessibleForm):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.order_by("name"), required=False,
                                  empty_label=_("any"))
    radius_km = forms.IntegerField(label=_("Within (km)"), required=False, min_value=0, max_value=MAX_RADIUS_KM,
                                   help_text=_("Road distance from the town."))
    contract_kind = forms.MultipleChoiceField(label=_("Contract"), choices=ContractKind.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    hours = forms.MultipleChoiceField(label=_("Hours"), choices=HoursKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    min_salary = forms.IntegerField(label=_("Minimum pay (EUR a month, gross)"), required=False, min_value=0,
                                    max_value=MAX_SALARY)
    age = forms.IntegerField(label=_("Open to my age"), required=False, min_value=MIN_CANDIDATE_AGE, max_value=99,
                             help_text=_("Only jobs whose minimum age you meet."))

    def clean(self):
        data = super().clean()
        if data.get("radius_km") is not None and not data.get("town") and "town" not in self.errors:
            self.add_error("town", MSG_RADIUS_NEEDS_TOWN)
        return data


class ProgrammeSearchForm(AccessibleForm):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    institution = forms.ModelChoiceField(label=_("School or university"), required=False, empty_label=_("any"),
                                         queryset=Institution.objects.order_by("name_lv"))
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.order_by("name"), required=False,
                                  empty_label=_("any"))
    kind = forms.ChoiceField(label=_("Kind"), choices=_with_any(ProgrammeKind.choices), required=False)
    funding = forms.ChoiceField(label=_("Funding"), choices=FUNDING_CHOICES, required=False)
    start_after = forms.DateField(label=_("Starts on or after"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    start_before = forms.DateField(label=_("Starts on or before"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start_after") and data.get("start_before") and data["start_after"] > data["start_before"]:
            self.add_error("start_before", MSG_EMPTY_RANGE)
        return data


class CareerSearchForm(AccessibleForm):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)


# --------------------------------------------------------------------------------------------- accounts
class SignInForm(AccessibleForm, AuthenticationForm):
    pass


class RegisterForm(AccessibleForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("At least 10 characters, not a common password."))
    password_again = forms.CharField(label=_("Password again"),
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1930, max_value=2020,
                                    help_text=_("Under 18: a counsellor releases your recommendations first."))
    kind = forms.ChoiceField(label=_("I am"), choices=CandidateProfile.Kind.choices, widget=forms.RadioSelect)
    employment_status = forms.ChoiceField(label=_("Now I am"), choices=CandidateProfile.EmploymentStatus.choices)
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.order_by("name"))
    school = forms.ModelChoiceField(label=_("School or college (if listed)"), required=False,
                                    queryset=Institution.objects.order_by("name_lv"),
                                    help_text=_("Its career counsellor becomes yours; else the counsellor of your "
                                                "town."))
    consent_processing = forms.BooleanField(
        label=_("I agree that the service processes my data to recommend jobs and courses (required)."))
    consent_discoverable = forms.BooleanField(label=_("Employers may find my profile (skills, town, availability; "
                                                      "no contact details until I apply)."), required=False)
    consent_counsellor = forms.BooleanField(label=_("A career counsellor may see my profile."), required=False)
    claim_explored = forms.BooleanField(label=_("Keep what I explored (interest answers, saved careers)."),
                                        required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", MSG_PASSWORDS_DIFFER)
        return data


# --------------------------------------------------------------------------------------------- onboarding
class SkillTextForm(AccessibleForm):
    text = forms.CharField(label=_("Your CV or a few sentences about what you can do"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Latvian or English. Nothing is saved until you confirm the skills."))


PROFICIENCY_CHOICES = CandidateSkill.Proficiency.choices


class ProfileForm(AccessibleForm):
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.order_by("name"))
    max_commute_km = forms.IntegerField(label=_("Longest commute (km)"), min_value=0, max_value=MAX_RADIUS_KM)
    willing_to_relocate = forms.BooleanField(label=_("I would move for the right job"), required=False)
    employment_status = forms.ChoiceField(label=_("Now I am"), choices=CandidateProfile.EmploymentStatus.choices)
    highest_education = forms.TypedChoiceField(label=_("Highest completed education"), coerce=int,
                                               choices=EducationLevel.choices)
    available_hours = forms.MultipleChoiceField(label=_("Hours I can work"), choices=HoursKind.choices,
                                                required=False, widget=forms.CheckboxSelectMultiple)
    available_from = forms.DateField(label=_("Available from"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    consent_discoverable = forms.BooleanField(label=_("Employers may find my profile (skills, town, availability; "
                                                      "no contact details until I apply)."), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code in PROFILE_LANGUAGES:
            self.fields[f"lang_{code}"] = forms.TypedChoiceField(
                label=_("Language: %(name)s") % {"name": Language(code).label}, choices=LANGUAGE_LEVELS,
                coerce=int, empty_value=None, required=False)

    def language_fields(self) -> list:
        return [self[f"lang_{code}"] for code in PROFILE_LANGUAGES]

    def languages(self) -> list[tuple[str, int]]:
        return [(code, self.cleaned_data[f"lang_{code}"]) for code in PROFILE_LANGUAGES
                if self.cleaned_data.get(f"lang_{code}")]


# --------------------------------------------------------------------------------------------- my pages
class ApplyForm(AccessibleForm):
    message = forms.CharField(label=_("Message"), max_length=MAX_MESSAGE, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Why you? A few sentences are enough."))


class WhatIfForm(AccessibleForm):
    programme = forms.TypedChoiceField(label=_("A course"), coerce=int, empty_value=None, required=False)
    skill = forms.ChoiceField(label=_("Or a skill"), required=False)
    language_level = forms.ChoiceField(label=_("Or a language level"), required=False)

    def __init__(self, *args, programmes=(), skills=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("none"))] + list(programmes)
        self.fields["skill"].choices = [("", _("none"))] + list(skills)
        self.fields["language_level"].choices = [("", _("none"))] + [
            (f"{code}:{level}", f"{name} {level}") for code, name in (("lv", _("Latvian")), ("en", _("English")))
            for level in WHAT_IF_LEVELS]

    def languages(self) -> dict[str, int] | None:
        """The chosen language level as {code: CEFR 1–6}, or None."""
        value = self.cleaned_data.get("language_level")
        if not value:
            return None
        code, level = value.split(":")
        return {code: CEFR_VALUES[level]}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("language_level"):
            if data.get("programme") or data.get("skill"):
                self.add_error("language_level", MSG_LANGUAGE_WHAT_IF)
        elif data.get("programme") and data.get("skill"):
            self.add_error("skill", MSG_ONE_WHAT_IF)
        elif not data.get("programme") and not data.get("skill"):
            self.add_error("programme", MSG_NONE_WHAT_IF)
        return data


class DeleteAccountForm(AccessibleForm):
    confirm = forms.CharField(label=_("Type DELETE to confirm"), max_length=20)

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.upper() not in ("DELETE", "DZĒST", "DZEST"):
            raise ValidationError(MSG_CONFIRM_DELETE)
        return value


def this_year() -> int:
    return timezone.localdate().year
