"""Reads for writing a vacancy in one's own words: the occupation its title proposes and the skills its text names.

The same extraction as ``POST skills/extract/`` and ``POST occupations/match-title/`` (``skills_in_text``,
``occupations_for_title``), put together for a posting: each skill keeps the words that suggested it and is proposed
as essential unless the proposed occupation lists it as optional (ESCO's essential/optional relation).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from careers.models import Occupation, OccupationSkill, Skill
from careers.models.choices import RelationType
from careers.models.taxonomy import preferred_label

from .catalogue import concepts_matching
from .recommendations import occupations_for_title, skills_in_text

SUGGESTED_SKILLS = 15
SKILL_SEARCH_RESULTS = 10


@dataclass(frozen=True)
class SuggestedSkill:
    uri: str
    label: str
    words: str  # the words of the text that suggested it
    essential: bool


@dataclass(frozen=True)
class PostingSuggestions:
    occupation: dict | None  # {id, uri, label} of the proposed occupation
    skills: tuple[SuggestedSkill, ...]


def _occupation(title: str, language: str) -> Occupation | None:
    found = occupations_for_title(title=title, top_k=1, language=language) if title.strip() else []
    return Occupation.objects.filter(uri=found[0].uri).first() if found else None


def vacancy_posting_suggestions(*, title: str, description: str, language: str,
                                top_k: int = SUGGESTED_SKILLS) -> PostingSuggestions:
    """The occupation the title proposes and the skills title and description name, best first."""
    occupation = _occupation(title, language)
    text = f"{title}\n{description}".strip()
    found = skills_in_text(text=text, top_k=top_k, language=language) if text else []
    optional: set[str] = set()
    if occupation is not None:
        optional = set(OccupationSkill.objects.filter(occupation=occupation, relation=RelationType.OPTIONAL)
                       .values_list("skill__uri", flat=True))
    skills = tuple(SuggestedSkill(uri=s.uri, label=s.label, words=s.span["text"], essential=s.uri not in optional)
                   for s in found)
    ref = None
    if occupation is not None:
        ref = {"id": occupation.pk, "uri": occupation.uri,
               "label": preferred_label(occupation.label_lv, occupation.label_en, language)}
    return PostingSuggestions(occupation=ref, skills=skills)


def skills_search(*, query: str, limit: int = SKILL_SEARCH_RESULTS) -> QuerySet[Skill]:
    """Skills whose labels contain every word of ``query`` (diacritics optional), for adding one by hand."""
    if not query.strip():
        return Skill.objects.none()
    return concepts_matching(Skill.objects.all(), query=query).order_by("label_en")[:limit]
