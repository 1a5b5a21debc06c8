"""Names for what the path finder ranked: its ids turned into request-language summaries.

The finder (``careers.runtime.paths``) answers with ids from its last probe; :class:`Shaper` reads each table once
per request and re-checks programmes, intakes and vacancies against the database, so one closed a moment ago is
dropped before the next probe.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from careers.models import EducationLevel, Intake, Programme
from careers.runtime.matches import indexed_vacancies, match_service

REQUIREMENT = {"lv": "nepieciešama {need}; kandidātam ir {has}", "en": "requires {need}; the candidate has {has}"}


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
                "seats": i.seats, "funded_seats": i.funded_seats}

    def skill(self, skill_id: int) -> dict:
        return self.matches.skill_ref(skill_id, self.language)

    def skills(self, entries: Iterable[Mapping[str, Any]]) -> list[dict]:
        return [self.skill(e["skill_id"]) for e in entries]

    def vacancy_list(self, ids: Iterable[int]) -> list[dict]:
        return [{"id": v, "title": self.vacancies[v]} for v in ids if v in self.vacancies]

    def reason(self, *, need: int, has: int, enrolable: bool) -> str | None:
        """Why the candidate cannot enter a programme (education), or None when they can."""
        if enrolable:
            return None
        return REQUIREMENT[self.language].format(need=EducationLevel(need).label, has=EducationLevel(has).label)


def funding(raw: Mapping[str, Any]) -> dict:
    """The cost and funding fields of a programme or a pathway step."""
    return {"cost_eur": raw["cost_eur"], "cost_after_funding_eur": raw["cost_after_funding_eur"],
            "funding": raw["funding"], "competitive": raw["competitive"]}
