"""Names for what the path finder ranked: its ids turned into request-language summaries.

The finder (``careers.runtime.paths``) answers with ids from its last probe; :class:`Shaper` reads each table once
per request and re-checks programmes, intakes and vacancies against the database, so one closed a moment ago is
dropped before the next probe.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from careers.models import Intake, Programme
from careers.runtime.matches import indexed_vacancies, match_service

REQUIREMENT = {"lv": "nepieciešama {need}; kandidātam ir {has}", "en": "requires {need}; the candidate has {has}"}
EDUCATION_NAMES = {
    0: ("bez formālās izglītības", "no formal education"), 1: ("pamatizglītība", "basic education"),
    2: ("vidējā izglītība", "secondary education"), 3: ("koledžas izglītība", "a college degree"),
    4: ("bakalaura grāds", "a bachelor's degree"), 5: ("maģistra grāds", "a master's degree"),
    6: ("doktora grāds", "a doctorate"),
}
GROUP_NAMES = {
    "after_basic_school": ("jauniešiem pēc pamatskolas", "young people after basic school"),
    "after_secondary_school": ("pēc vidusskolas", "people after secondary school"),
    "adults": ("pieaugušajiem (18+)", "adults (18+)"),
    "registered_unemployed": ("NVA reģistrētiem bezdarbniekiem", "people registered unemployed with the State "
                              "Employment Agency"),
    "employed_adults": ("strādājošiem pieaugušajiem", "employed adults"),
    "adults_25_plus": ("pieaugušajiem no 25 gadiem", "adults aged 25 or more"),
}
LANGUAGE_NAMES = {"lv": ("latviešu", "Latvian"), "en": ("angļu", "English"), "ru": ("krievu", "Russian"),
                  "de": ("vācu", "German")}
FAILURE_TEXT = {
    "target_group": ("paredzēta {groups}", "for {groups}"),
    "too_young": ("uzņem no {min_age} gadu vecuma", "admits from age {min_age}"),
    "too_old": ("uzņem līdz {max_age} gadu vecumam", "admits up to age {max_age}"),
    "language": ("mācību valoda: {languages} (vismaz B1)", "taught in {languages} (B1 or better needed)"),
    "language_level": ("vispirms vajag iepriekšējo valodas līmeni", "needs the language level before it first"),
}


class Shaper:
    """Request-language summaries of programmes, intakes, skills and vacancies, each table read once."""

    def __init__(self, *, language: str, programme_ids: Iterable[int] = (), intake_ids: Iterable[int] = (),
                 vacancy_ids: Iterable[int] = ()) -> None:
        self.language = language
        self.today = timezone.localdate()
        self.programmes = (Programme.objects.filter(pk__in=set(programme_ids), is_active=True)
                           .select_related("institution__town").in_bulk())
        self.intakes = Intake.objects.filter(pk__in=set(intake_ids)).in_bulk()
        self.vacancies = dict(indexed_vacancies().filter(pk__in=set(vacancy_ids)).values_list("id", "title"))
        self.matches = match_service()

    def _name(self, lv: str, en: str) -> str:
        return en if self.language == "en" and en else lv

    def open_intake(self, intake_id: int) -> bool:
        """Still upcoming in the database (the finder's rule: starts after today, deadline not passed)."""
        intake = self.intakes.get(intake_id)
        return intake is not None and intake.start_date > self.today and intake.application_deadline >= self.today

    def has(self, programme_id: int, intake_id: int) -> bool:
        return programme_id in self.programmes and self.open_intake(intake_id)

    def programme(self, pk: int) -> dict:
        p = self.programmes[pk]
        town, institution = p.institution.town, p.institution
        return {"id": p.pk, "name": self._name(p.name_lv, p.name_en), "kind": p.kind, "mode": p.mode,
                "eqf_level": p.eqf_level, "duration_months": p.duration_months,
                "institution": {"id": institution.pk, "name": self._name(institution.name_lv, institution.name_en),
                                "short_name": institution.short_name},
                "town": {"id": town.pk, "name": self._name(town.name, town.name_en)}}

    def intake(self, pk: int) -> dict:
        i = self.intakes[pk]
        return {"id": i.pk, "start_date": i.start_date, "application_deadline": i.application_deadline,
                "seats": i.seats, "funded_seats": i.funded_seats, "is_demo": i.is_demo}

    def skill(self, skill_id: int) -> dict:
        return self.matches.skill_ref(skill_id, self.language)

    def skills(self, entries: Iterable[Mapping[str, Any]]) -> list[dict]:
        return [self.skill(e["skill_id"]) for e in entries]

    def vacancy_list(self, ids: Iterable[int]) -> list[dict]:
        return [{"id": v, "title": self.vacancies[v]} for v in ids if v in self.vacancies]

    def reason(self, requirements: Mapping[str, Any]) -> str | None:
        """Why the candidate cannot enter a programme, one clause per failed rule, or None when they can."""
        failed = requirements.get("failed") or ([] if requirements["enrolable"] else ["education"])
        if not failed:
            return None
        at = 1 if self.language == "en" else 0
        clauses = []
        for code in failed:
            if code == "education":
                clauses.append(REQUIREMENT[self.language].format(
                    need=_named(EDUCATION_NAMES, requirements["min_education"], at),
                    has=_named(EDUCATION_NAMES, requirements["candidate_education"], at)))
                continue
            clauses.append(FAILURE_TEXT[code][at].format(
                groups=", ".join(_named(GROUP_NAMES, g, at) for g in requirements.get("target_groups", [])),
                min_age=requirements.get("min_age"), max_age=requirements.get("max_age"),
                languages=", ".join(_named(LANGUAGE_NAMES, c, at) for c in requirements.get("languages", []))))
        return "; ".join(clauses)


def _named(names: Mapping, key, at: int) -> str:
    return names[key][at] if key in names else str(key)


def funding(raw: Mapping[str, Any]) -> dict:
    """The cost and funding fields of a programme or a pathway step."""
    return {"cost_eur": raw["cost_eur"], "cost_after_funding_eur": raw["cost_after_funding_eur"],
            "funding": raw["funding"], "competitive": raw["competitive"]}
