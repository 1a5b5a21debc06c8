"""Pages of the busiest lists read as plain rows: a few ``values_list`` queries, no model instances.

A list page shows twenty items, each with nested references (employer, town, occupation, twenty skills). Read as
model instances through nested serializers, one vacancy page cost about 25 ms of server CPU against 2.5 ms for
the towns list, most of it building and walking about a thousand objects. These functions read only the columns
the page shows and shape them as the output serializers do; tests keep both shapes equal
(``tests/api/test_list_rows.py``), the serializers stay the schema and serve the detail views.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone

from careers.models import Occupation, Skill, Vacancy, VacancyLanguage, VacancySkill
from careers.models.taxonomy import preferred_label

# What a nested reference to a concept shows (``SkillRefOutputSerializer``, ``OccupationRefOutputSerializer``):
# prefetches read only these, not the long descriptions, alternative labels and search keys.
SKILL_REF = ("id", "uri", "label_lv", "label_en")
OCCUPATION_REF = (*SKILL_REF, "isco_code")


def skill_refs() -> QuerySet[Skill]:
    return Skill.objects.only(*SKILL_REF)


def occupation_refs() -> QuerySet[Occupation]:
    return Occupation.objects.only(*OCCUPATION_REF)

VACANCY_FIELDS = ("id", "employer_id", "employer__name", "title", "description", "text_language", "occupation_id",
                  "occupation__uri", "occupation__label_lv", "occupation__label_en", "occupation__isco_code",
                  "town_id", "town__name", "work_arrangement", "contract_kind", "hours", "salary_min", "salary_max",
                  "min_education", "min_age", "places", "experience_required", "status", "published_at", "expires_at",
                  "created_at", "updated_at")


def vacancy_values(queryset: QuerySet[Vacancy]) -> QuerySet:
    """``queryset`` (filtered and ordered) as the rows :func:`vacancy_rows` shapes: page this, then shape the page."""
    return queryset.values_list(*VACANCY_FIELDS)


def vacancy_rows(page: list[tuple], *, language: str) -> list[dict]:
    """A page of :func:`vacancy_values`, each in the shape of ``VacancyOutputSerializer`` (two more queries)."""
    ids = [values[0] for values in page]
    skills = _vacancy_skills(ids, language) if ids else {}
    languages = _vacancy_languages(ids) if ids else {}
    rows = []
    for values in page:
        row = dict(zip(VACANCY_FIELDS, values))
        pk = row["id"]
        rows.append({
            "id": pk, "employer": {"id": row["employer_id"], "name": row["employer__name"]}, "title": row["title"],
            "description": row["description"], "text_language": row["text_language"],
            "occupation": _occupation(row, language), "town": {"id": row["town_id"], "name": row["town__name"]},
            **{name: row[name] for name in ("work_arrangement", "contract_kind", "hours", "salary_min", "salary_max",
                                            "min_education", "min_age", "places", "experience_required",
                                            "status")},
            "published_at": _date(row["published_at"]), "expires_at": _date(row["expires_at"]),
            "skills": skills.get(pk, []), "languages": languages.get(pk, []),
            "created_at": _datetime(row["created_at"]), "updated_at": _datetime(row["updated_at"]),
        })
    return rows


def _vacancy_skills(ids: list[int], language: str) -> dict[int, list[dict]]:
    out = defaultdict(list)
    links = (VacancySkill.objects.filter(vacancy_id__in=ids).order_by("-essential", "skill__label_en")
             .values_list("vacancy_id", "skill_id", "skill__uri", "skill__label_lv", "skill__label_en", "essential"))
    for vacancy_id, skill_id, uri, label_lv, label_en, essential in links:
        out[vacancy_id].append({"skill": {"id": skill_id, "uri": uri,
                                          "label": preferred_label(label_lv, label_en, language)},
                                "essential": essential})
    return out


def _vacancy_languages(ids: list[int]) -> dict[int, list[dict]]:
    out = defaultdict(list)
    for vacancy_id, code, level in (VacancyLanguage.objects.filter(vacancy_id__in=ids).order_by("id")
                                    .values_list("vacancy_id", "language", "level")):
        out[vacancy_id].append({"language": code, "level": level})
    return out


def _occupation(row: dict, language: str) -> dict | None:
    if row["occupation_id"] is None:
        return None
    return {"id": row["occupation_id"], "uri": row["occupation__uri"],
            "label": preferred_label(row["occupation__label_lv"], row["occupation__label_en"], language),
            "isco_code": row["occupation__isco_code"]}


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: dt.datetime | None) -> str | None:
    """As DRF's DateTimeField writes it: in the current time zone, ISO 8601, UTC as ``Z``."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
