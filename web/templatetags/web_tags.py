"""Labels for the plain values the use-case records carry (choice codes, euros, kilometres), in the page language."""
from __future__ import annotations

import re

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from careers.models import (
    Application, ContractKind, EducationLevel, FundingKind, HoursKind, ProgrammeKind, ProgrammeMode, WorkArrangement,
)

register = template.Library()
CHOICES = {
    "contract": dict(ContractKind.choices), "hours": dict(HoursKind.choices), "funding": dict(FundingKind.choices),
    "mode": dict(ProgrammeMode.choices), "programme_kind": dict(ProgrammeKind.choices),
    "arrangement": dict(WorkArrangement.choices), "education": dict(EducationLevel.choices),
    "status": dict(Application.Status.choices),
}
REVIEWS = {"approved": _("approved by your counsellor"), "added": _("added by your counsellor"),
           "rejected": _("your counsellor advised against it")}


@register.filter
def label(value, kind: str) -> str:
    """The translated label of a choice code: ``{{ v.contract_kind|label:"contract" }}``."""
    return str(CHOICES[kind].get(value, value if value is not None else ""))


@register.filter
def eur(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{number_format(round(float(value)), decimal_pos=0, use_l10n=True, force_grouping=True)} EUR"


@register.filter
def km(value) -> str:
    if value is None:
        return "—"
    return f"{number_format(round(float(value)), decimal_pos=0, use_l10n=True)} km"


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{round(float(value) * 100)} %"


@register.filter
def n_of_m(value) -> str:
    """The index's "n of m" (essential skills held) in the page language."""
    found = re.fullmatch(r"\s*(\d+) of (\d+)\s*", str(value or ""))
    if not found:
        return str(value or "")
    return _("%(n)s of %(m)s") % {"n": found.group(1), "m": found.group(2)}


@register.filter
def review_label(value) -> str:
    return str(REVIEWS.get(value, ""))


@register.filter
def bound(form, name: str):
    return form[name]


@register.filter
def join_labels(entries) -> str:
    """The skill labels of explanation entries (``{"skill": {"label": …}}``), comma-separated."""
    return ", ".join(e["skill"]["label"] for e in entries if e.get("skill"))
