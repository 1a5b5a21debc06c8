"""The school staff pages' forms: a programme, an intake, the area of the demand table."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from careers.models import EducationLevel, Language, MarketArea, Programme, ProgrammeKind, ProgrammeMode, Skill
from careers.spreadsheets.cells import CellError, as_concepts, lookups_for, split_list
from web.forms import AccessibleForm

MSG_DEADLINE_AFTER_START = _("The application deadline is after the start.")
MSG_FUNDED_OVER_SEATS = _("More funded seats than seats.")
TEACHING_LANGUAGES = (Language.LATVIAN, Language.ENGLISH, Language.RUSSIAN, Language.GERMAN)


class ProgrammeForm(AccessibleForm):
    name_lv = forms.CharField(label=_("Name in Latvian"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    description_lv = forms.CharField(label=_("Description in Latvian"), max_length=10_000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    description_en = forms.CharField(label=_("Description in English"), max_length=10_000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices)
    eqf_level = forms.IntegerField(label=_("EQF level"), min_value=1, max_value=8)
    duration_months = forms.IntegerField(label=_("Duration (months)"), min_value=1, max_value=96)
    languages = forms.MultipleChoiceField(label=_("Languages of instruction"), widget=forms.CheckboxSelectMultiple,
                                          choices=[(c.value, c.label) for c in TEACHING_LANGUAGES])
    mode = forms.ChoiceField(label=_("Mode"), choices=ProgrammeMode.choices)
    cost_eur = forms.DecimalField(label=_("Cost (EUR)"), min_value=Decimal(0), max_value=Decimal(1_000_000),
                                  decimal_places=2, initial=0, localize=True)
    cost_period = forms.ChoiceField(label=_("The cost is"), choices=Programme.CostPeriod.choices)
    state_funded_places = forms.BooleanField(label=_("State-funded places"), required=False)
    voucher_eligible = forms.BooleanField(label=_("State Employment Agency training voucher"), required=False)
    adult_learning_cofinanced = forms.BooleanField(label=_("Adult-learning co-financing"), required=False)
    min_education = forms.TypedChoiceField(label=_("Minimum education"), choices=EducationLevel.choices, coerce=int,
                                           initial=EducationLevel.BASIC)
    skills_taught = forms.CharField(label=_("Skills taught"), required=False, max_length=20_000,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Exact skill names or ESCO URIs, separated by ; (as in the spreadsheet)."))

    def clean_skills_taught(self) -> list[Skill]:
        text = self.cleaned_data.get("skills_taught", "")
        if not split_list(text):
            return []
        known = lookups_for("programmes").skills  # every skill label: read only when skills are given
        try:
            uris = as_concepts(text, known)
        except CellError as error:
            raise forms.ValidationError(str(error)) from None
        found = Skill.objects.in_bulk(uris, field_name="uri")
        return [found[u] for u in dict.fromkeys(uris) if u in found]

    def programme_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("skills_taught", None)
        return data


class IntakeForm(AccessibleForm):
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    application_deadline = forms.DateField(label=_("Application deadline"),
                                           widget=forms.DateInput(attrs={"type": "date"}))
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10_000)
    funded_seats = forms.IntegerField(label=_("State- or voucher-funded seats"), min_value=0, max_value=10_000,
                                      initial=0)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("application_deadline") \
                and data["application_deadline"] > data["start_date"]:
            self.add_error("application_deadline", MSG_DEADLINE_AFTER_START)
        if data.get("seats") is not None and data.get("funded_seats") is not None \
                and data["funded_seats"] > data["seats"]:
            self.add_error("funded_seats", MSG_FUNDED_OVER_SEATS)
        return data


class DemandForm(AccessibleForm):
    area = forms.ChoiceField(label=_("Area"), choices=MarketArea.choices, required=False)
