"""The employer pages' forms: a vacancy in one's own words, a move of an applicant, a spreadsheet upload."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from careers.models import (
    Application, ContractKind, EducationLevel, HoursKind, Language, Occupation, Town, WorkArrangement,
)
from web.forms import LANGUAGE_LEVELS, MAX_SALARY, AccessibleForm

MAX_DESCRIPTION = 10_000
POSTING_LANGUAGES = (Language.LATVIAN, Language.ENGLISH, Language.RUSSIAN, Language.GERMAN)
MSG_SALARY_RANGE = _("The highest pay is lower than the lowest.")
MSG_UNKNOWN_OCCUPATION = _("Unknown occupation; choose it again from the suggestions.")
MSG_REASON_REQUIRED = _("Say why the application is rejected.")
MOVES = {Application.Status.SHORTLISTED: _("Shortlist"), Application.Status.HIRED: _("Hire"),
         Application.Status.REJECTED: _("Reject")}


class VacancyForm(AccessibleForm):
    title = forms.CharField(label=_("Job title"), max_length=200,
                            help_text=_("In your own words, e.g. “Metinātājs ražotnē”."))
    description = forms.CharField(label=_("What the job is"), max_length=MAX_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 8}),
                                  help_text=_("Tasks, tools, what you expect. Skills are suggested as you type."))
    text_language = forms.ChoiceField(label=_("Language of the text"), choices=Language.choices,
                                      initial=Language.LATVIAN)
    occupation = forms.CharField(required=False, widget=forms.HiddenInput)
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.order_by("name"))
    work_arrangement = forms.ChoiceField(label=_("On site, hybrid or remote"), choices=WorkArrangement.choices,
                                         initial=WorkArrangement.ON_SITE)
    contract_kind = forms.ChoiceField(label=_("Contract"), choices=ContractKind.choices)
    hours = forms.ChoiceField(label=_("Hours"), choices=HoursKind.choices)
    salary_min = forms.IntegerField(label=_("Pay from (EUR a month, gross)"), min_value=1, max_value=MAX_SALARY,
                                    help_text=_("Latvian law requires the pay range in every vacancy notice."))
    salary_max = forms.IntegerField(label=_("Pay to (EUR a month, gross)"), min_value=1, max_value=MAX_SALARY)
    min_education = forms.TypedChoiceField(label=_("Minimum education"), choices=EducationLevel.choices, coerce=int,
                                           initial=EducationLevel.NONE)
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=13, max_value=75, initial=18,
                                 help_text=_("From 13 for light summer work; under 18 the law limits hours."))
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000, initial=1)
    expires_at = forms.DateField(label=_("Open until"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code in POSTING_LANGUAGES:
            self.fields[f"lang_{code}"] = forms.TypedChoiceField(
                label=_("Language: %(name)s") % {"name": Language(code).label}, choices=LANGUAGE_LEVELS,
                coerce=int, empty_value=None, required=False)

    def language_fields(self) -> list:
        return [self[f"lang_{code}"] for code in POSTING_LANGUAGES]

    def languages(self) -> list[tuple[str, int]]:
        return [(code, self.cleaned_data[f"lang_{code}"]) for code in POSTING_LANGUAGES
                if self.cleaned_data.get(f"lang_{code}")]

    def clean_occupation(self) -> Occupation | None:
        uri = self.cleaned_data.get("occupation", "").strip()
        if not uri:
            return None
        occupation = Occupation.objects.filter(uri=uri).first()
        if occupation is None:
            raise forms.ValidationError(MSG_UNKNOWN_OCCUPATION)
        return occupation

    def clean(self):
        data = super().clean()
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", MSG_SALARY_RANGE)
        return data

    def vacancy_fields(self) -> dict:
        names = ("title", "description", "text_language", "occupation", "town", "work_arrangement", "contract_kind",
                 "hours", "salary_min", "salary_max", "min_education", "min_age", "places", "expires_at")
        return {name: self.cleaned_data[name] for name in names}


class ApplicantMoveForm(AccessibleForm):
    status = forms.ChoiceField(label=_("Move to"), choices=list(MOVES.items()))
    reason = forms.ChoiceField(label=_("Reason"), required=False,
                               choices=[("", _("choose"))] + list(Application.RejectionReason.choices))
    note = forms.CharField(label=_("Note (optional, kept with the application)"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == Application.Status.REJECTED and not data.get("reason"):
            self.add_error("reason", MSG_REASON_REQUIRED)
        if data.get("status") != Application.Status.REJECTED:
            data["reason"], data["note"] = "", ""
        return data


class UploadForm(AccessibleForm):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"),
                           help_text=_("First a check: nothing is written until you confirm."))
