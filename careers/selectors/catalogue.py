"""Public catalogue reads: taxonomy search, verified employers."""
from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from careers.models import Employer, Skill
from careers.folding import fold
from careers.runtime.skill_search import skill_search_index

SKILL_SEARCH_LIMIT = 100  # the best matches a search returns; the list is ranked, not every label containing a word


def concepts_matching(queryset: QuerySet, *, query: str) -> QuerySet:
    """Skills or occupations whose folded labels (lv/en, preferred/alternative) contain every word of ``query``.

    ``search_text`` is stored folded (lower case, no diacritics), so folding the query makes
    'metinasana', 'Metināšana' and 'METINĀŠANA' all find "metināšana".
    """
    for word in fold(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def skills_search(*, query: str, queryset: QuerySet[Skill] | None = None,
                  limit: int = SKILL_SEARCH_LIMIT) -> QuerySet[Skill]:
    """Skills for a typed query, best first, annotated ``search_rank`` (1 = best): exact label and alternative
    labels first, then prefix, then every word, then close spellings; both languages at once, Latvian inflections
    and missing diacritics tolerated (``matching.skill_search``). ``queryset`` narrows the result (other filters).
    """
    hits = skill_search_index().search(query, k=limit)
    ids = [hit.item_id for hit in hits]
    base = Skill.objects.all() if queryset is None else queryset
    if not ids:
        return base.none().annotate(search_rank=Value(0, output_field=IntegerField()))
    rank = Case(*[When(pk=pk, then=Value(n)) for n, pk in enumerate(ids, start=1)], output_field=IntegerField())
    return base.filter(pk__in=ids).annotate(search_rank=rank).order_by("search_rank")


def employers_public() -> QuerySet[Employer]:
    """Employers staff have verified; unverified ones are not shown to anyone through the API."""
    return Employer.objects.filter(verified=True).select_related("town")
