"""The active learned ranker in this process: cached, re-checked every few seconds, applied to jobs lists.

Each server process keeps the active :class:`~careers.models.RankerVersion` loaded; at most every
``RANKER_CHECK_SECONDS`` (default 5) a request re-reads which version is active (one indexed query for an id and a
label) and loads the new bytes only when the version changed, so a promotion or rollback reaches every gunicorn
worker within seconds, without a restart.

With a learned version active, the jobs list is re-ranked: the index takes its best ``max(3k, 30)`` items (at most
150), the model scores each item's score parts (the same features the audit logs and training reads), the best
``k`` are kept in model order and only those are explained; each explanation gets ``ranker: {version, score}``. The item's ``score``
stays the hand-weighted sum its explanation's contributions add up to. With none active (or bytes that fail to
load: logged, never a 500) the hand-weighted order is served unchanged and nothing extra is computed.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.conf import settings

from careers.models import RankerVersion, RecommendationKind
from careers.models.ranking import HAND_WEIGHTED_VERSION
from careers.runtime.holder import ProcessHolder
from matching.ltr import load_model

logger = logging.getLogger(__name__)

CHECK_SECONDS = 5.0
POOL_FACTOR, POOL_MIN, POOL_MAX = 3, 30, 150


@dataclass(frozen=True)
class ActiveRanker:
    """One snapshot: the version label that ranks jobs lists and its model (None: the hand weights)."""

    label: str
    model: object | None = None
    version_id: int | None = None

    @property
    def learned(self) -> bool:
        return self.model is not None

    def pool(self, k: int) -> int:
        """How many items to ask the index for so that re-ranking can reach beyond the hand-weighted top ``k``."""
        return min(max(POOL_FACTOR * k, POOL_MIN), POOL_MAX) if self.learned else k

    @property
    def rescore(self):
        """``MatchIndex.recommend_jobs``'s ``rescore``: the model's score of each item's score parts (None: hand)."""
        if not self.learned:
            return None
        return self.model.score_array

    def annotate(self, frame: pd.DataFrame | None) -> pd.DataFrame | None:
        """Each explanation of a re-scored list gets ``ranker: {version, score}``; other lists pass unchanged."""
        if frame is None or "rescore" not in frame:
            return frame
        frame["explanation"] = [{**e, "ranker": {"version": self.label, "score": round(float(s), 6)}}
                                for e, s in zip(frame["explanation"], frame["rescore"])]
        return frame


HAND = ActiveRanker(HAND_WEIGHTED_VERSION)


class RankerRuntime:
    """Per-process cache of the active ranker; ``clock`` (monotonic seconds) is injectable for tests."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, check_seconds: float = CHECK_SECONDS):
        self.clock = clock
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._snapshot = HAND
        self._checked = float("-inf")

    def current(self) -> ActiveRanker:
        """The active ranker, re-checked against the database when the last check is older than the interval."""
        if self.clock() - self._checked >= self.check_seconds:
            with self._lock:
                if self.clock() - self._checked >= self.check_seconds:
                    self._snapshot = self._load(self._snapshot)
                    self._checked = self.clock()
        return self._snapshot

    def last(self) -> ActiveRanker:
        """The snapshot the last :meth:`current` returned (no query)."""
        return self._snapshot

    def invalidate(self) -> None:
        """Re-check on the next :meth:`current` (after a promotion or rollback in this process)."""
        self._checked = float("-inf")

    @staticmethod
    def _load(cached: ActiveRanker) -> ActiveRanker:
        row = RankerVersion.objects.filter(is_active=True).values_list("id", "label").first()
        if row is None:
            return HAND
        if row[0] == cached.version_id:
            return cached
        try:
            model = load_version(RankerVersion.objects.get(pk=row[0]))
        except Exception:  # a broken blob must not break serving: the hand weights answer meanwhile
            logger.exception("active ranker %s failed to load; serving the hand-weighted order", row[1])
            return HAND
        logger.info("ranker %s loaded for serving", row[1])
        return ActiveRanker(row[1], model, row[0])


def load_version(version: RankerVersion):
    """The stored ranker (checksum verified against its metadata)."""
    return load_model(bytes(version.blob), metadata=version.metadata)


_HOLDER: ProcessHolder[RankerRuntime] = ProcessHolder(
    lambda: RankerRuntime(check_seconds=getattr(settings, "RANKER_CHECK_SECONDS", CHECK_SECONDS)))


def ranker_runtime() -> RankerRuntime:
    """The process-wide runtime (``RANKER_CHECK_SECONDS`` optional, default 5)."""
    return _HOLDER.get()


def set_ranker_runtime(runtime: RankerRuntime | None) -> RankerRuntime | None:
    """Replace the process-wide runtime (tests); returns the previous one."""
    return _HOLDER.replace(runtime)


def jobs_ranker() -> ActiveRanker:
    """The ranker that orders jobs lists now (see the module docstring)."""
    return ranker_runtime().current()


def served_model_version(kind: str) -> str:
    """The version label to log for a list of ``kind``: the jobs ranker's, the hand weights' for other kinds.

    Uses the snapshot the serving request just ranked with (no query), so the audit names the ranker that ordered
    the list.
    """
    return ranker_runtime().last().label if kind == RecommendationKind.JOBS else HAND_WEIGHTED_VERSION
