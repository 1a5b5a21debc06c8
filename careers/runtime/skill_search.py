"""The process-wide skill label index (``matching.skill_search.LabelSearch``), built once and rebuilt when the
taxonomy changes (an ESCO import, an admin edit): the search runs as one types, so it never builds per request.

Whether the taxonomy changed is checked at most every ``CHECK_SECONDS`` with one aggregate query (how many skills,
the highest id, the total length of the folded labels).
"""
from __future__ import annotations

import threading
import time

from django.db.models import Count, Max, Sum
from django.db.models.functions import Length

from careers.frames.labels import skill_labels_frame
from careers.models import Skill
from matching.skill_search import LabelSearch

CHECK_SECONDS = 10.0


def _signature() -> tuple:
    row = Skill.objects.aggregate(n=Count("pk"), top=Max("pk"), size=Sum(Length("search_text")))
    return row["n"], row["top"], row["size"]


class SkillSearchHolder:
    def __init__(self, *, check_seconds: float = CHECK_SECONDS, clock=time.monotonic) -> None:
        self._check_seconds, self._clock = check_seconds, clock
        self._lock = threading.Lock()
        self._index: LabelSearch | None = None
        self._signature: tuple | None = None
        self._checked_at = float("-inf")

    def index(self) -> LabelSearch:
        now = self._clock()
        with self._lock:
            if self._index is not None and now - self._checked_at < self._check_seconds:
                return self._index
            signature = _signature()
            self._checked_at = now
            if self._index is None or signature != self._signature:
                self._index, self._signature = LabelSearch().fit(skill_labels_frame()), signature
            return self._index

    def reset(self) -> None:
        with self._lock:
            self._index, self._signature, self._checked_at = None, None, float("-inf")


_holder = SkillSearchHolder()


def skill_search_index() -> LabelSearch:
    return _holder.index()


def skill_search_reset() -> None:
    """Forget the index (tests that change the taxonomy inside one transaction, where the signature may not move)."""
    _holder.reset()
