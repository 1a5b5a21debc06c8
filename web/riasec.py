"""The interest questionnaire: 30 short statements, five for each RIASEC type (Holland's six interest types).

The statements are this project's own, written for young people and adults in Vidzeme and Kurzeme (not O*NET's
Interest Profiler items). Each is answered on a five-point scale; a type's score is the mean of its five answers
mapped from 1–5 to the 1–7 scale occupations' RIASEC profiles use (O*NET interests), so the person's profile and the
occupations' compare directly (``matching.careers_fit.riasec_fit``).
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from careers.models.taxonomy import RIASEC_FIELDS
from web.forms import AccessibleForm

TYPES = {
    "riasec_r": _("Realistic: hands-on work with tools, machines, plants or animals"),
    "riasec_i": _("Investigative: finding out how things work, science, data"),
    "riasec_a": _("Artistic: creating, designing, writing, performing"),
    "riasec_s": _("Social: helping, teaching, caring for people"),
    "riasec_e": _("Enterprising: leading, selling, starting things"),
    "riasec_c": _("Conventional: order, numbers, records, clear procedures"),
}

ITEMS = (
    ("riasec_r", _("Repair a bicycle, a moped or a car")),
    ("riasec_r", _("Build something from wood or metal")),
    ("riasec_r", _("Operate a machine, a crane or a tractor")),
    ("riasec_r", _("Install wiring or plumbing in a house")),
    ("riasec_r", _("Work outdoors in a forest, on a farm or at a port")),
    ("riasec_i", _("Find out why a machine or a program does not work")),
    ("riasec_i", _("Do experiments in a laboratory")),
    ("riasec_i", _("Analyse numbers to find a pattern")),
    ("riasec_i", _("Read about new discoveries in science or technology")),
    ("riasec_i", _("Write a computer program that solves a puzzle")),
    ("riasec_a", _("Draw, paint or make photos")),
    ("riasec_a", _("Design a poster, a web page or clothes")),
    ("riasec_a", _("Play music, act or dance in front of others")),
    ("riasec_a", _("Write stories, poems or song lyrics")),
    ("riasec_a", _("Decorate a room or plan how a garden looks")),
    ("riasec_s", _("Explain something to a younger pupil")),
    ("riasec_s", _("Look after people who are ill or old")),
    ("riasec_s", _("Help a friend solve a personal problem")),
    ("riasec_s", _("Organise games or activities for children")),
    ("riasec_s", _("Volunteer for a local good cause")),
    ("riasec_e", _("Sell something at a fair or online")),
    ("riasec_e", _("Lead a team or a school project")),
    ("riasec_e", _("Start my own small business")),
    ("riasec_e", _("Persuade others to support my idea")),
    ("riasec_e", _("Negotiate a price or a deal")),
    ("riasec_c", _("Keep a list, a schedule or a budget in order")),
    ("riasec_c", _("Check documents or figures for mistakes")),
    ("riasec_c", _("Work with spreadsheets")),
    ("riasec_c", _("Sort and file things so that they are easy to find")),
    ("riasec_c", _("Follow clear instructions step by step")),
)
ANSWERS = [(1, _("Dislike")), (2, _("Rather dislike")), (3, _("Not sure")), (4, _("Rather like")), (5, _("Like"))]
SCALE_FROM, SCALE_TO = (1, 5), (1, 7)


def scale(mean: float) -> float:
    """1–5 (the answers) onto 1–7 (occupation profiles)."""
    (a, b), (c, d) = SCALE_FROM, SCALE_TO
    return round(c + (mean - a) * (d - c) / (b - a), 3)


def scores(answers: dict[int, int]) -> dict[str, float]:
    """Item number → answer (1–5) for all 30 items → RIASEC field name → score on 1–7."""
    out = {}
    for field in RIASEC_FIELDS:
        values = [answers[n] for n, (kind, _text) in enumerate(ITEMS) if kind == field]
        out[field] = scale(sum(values) / len(values))
    return out


class InterestForm(AccessibleForm):
    """One required five-point question per statement, in the order of ``ITEMS``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for n, (_kind, text) in enumerate(ITEMS):
            self.fields[f"q{n}"] = forms.TypedChoiceField(label=text, choices=ANSWERS, coerce=int,
                                                          widget=forms.RadioSelect)

    def riasec(self) -> dict[str, float]:
        return scores({n: self.cleaned_data[f"q{n}"] for n in range(len(ITEMS))})
