"""The analyst pages' forms (journey 5): which area, which period, which download."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from careers.models import MarketArea
from careers.tabular import TABULAR_FORMATS
from web.forms import MSG_EMPTY_RANGE, AccessibleForm

DOWNLOADS = ("towns", "shortages", "trend", "fairness", "outcomes")


class AreaForm(AccessibleForm):
    area = forms.ChoiceField(label=_("Area"), choices=MarketArea.choices, required=False)


class PeriodForm(AccessibleForm):
    date_from = forms.DateField(label=_("Served from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Served until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", MSG_EMPTY_RANGE)
        return data


class DownloadForm(AreaForm, PeriodForm):
    format = forms.ChoiceField(label=_("Format"), choices=[(f, f.upper()) for f in TABULAR_FORMATS])
