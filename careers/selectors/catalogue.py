"""Public catalogue reads: taxonomy search, verified employers."""
from __future__ import annotations

from django.db.models import QuerySet

from careers.models import Employer
from careers.folding import fold


def concepts_matching(queryset: QuerySet, *, query: str) -> QuerySet:
    """Skills or occupations whose folded labels (lv/en, preferred/alternative) contain every word of ``query``.

    ``search_text`` is stored folded (lower case, no diacritics), so folding the query makes
    'metinasana', 'Metināšana' and 'METINĀŠANA' all find "metināšana".
    """
    for word in fold(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def employers_public() -> QuerySet[Employer]:
    """Employers staff have verified; unverified ones are not shown to anyone through the API."""
    return Employer.objects.filter(verified=True).select_related("town")
