"""Learning paths in-process: one fitted :class:`~matching.paths.PathFinder` per process, on top of the match index.

:class:`PathService` holds a PathFinder fitted on ``careers.frames.path_frames()`` and on the
:class:`~matching.index.MatchIndex` that ``careers.runtime.matches.match_service()`` keeps fresh. The finder
follows the index's in-place upserts by itself (new vacancies, edited profiles); it is refitted (≈0.3 s on the demo
data) when

* the match service swapped in a new index object (a full refit): at once, in the request that notices it, since
  the old finder would not know a candidate added since;
* programmes, intakes or their links changed, an occupation's interest profile changed, or the set of public
  vacancies changed (new salaries for the careers list): noticed by a cheap fingerprint probed at most every
  ``probe_seconds``; the refit runs in a background thread in production (the old finder keeps answering) and inline
  in tests.

Programmes and intakes have no ``updated_at``, so the fingerprint reads ``(id, start_date, deadline, seats, funded
seats)`` of every intake and the fields of every programme the finder uses, hashed (a few thousand short rows),
plus count/sum/max of ids of the link tables and the sums of the occupations' RIASEC scores.

Queries hold the match service's lock, the one its upserts take, so an index is never read half-updated.
A candidate who is not in the index (no processing consent, inactive user) gets ``None`` from every query; the
views answer that with an empty, explained list as the jobs endpoint does.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.db import connections
from django.db.models import Count, Max, Sum
from django.utils import timezone

from careers.frames import RIASEC_COLUMNS, learner_for, path_frames
from careers.models import CandidateProfile, Intake, Occupation, Programme
from careers.runtime.matches import IndexState, MatchService, match_service
from careers.runtime.holder import ProcessHolder
from matching.index import MatchIndex
from matching.paths import PathFinder

logger = logging.getLogger(__name__)

PROBE_SECONDS = 5.0
PROGRAMME_FIELDS = ("id", "is_active", "name_lv", "name_en", "kind", "duration_months", "mode", "cost_eur",
                    "cost_period", "min_education", "state_funded_places", "voucher_eligible",
                    "adult_learning_cofinanced", "institution_id", "institution__town_id", "target_groups", "min_age",
                    "max_age", "languages", "funding_groups", "institution__has_dormitory", "teaches_language",
                    "language_level_from", "language_level_to", "hours", "duration_weeks")
INTAKE_FIELDS = ("id", "programme_id", "start_date", "application_deadline", "seats", "funded_seats")


def _ids(model) -> tuple:
    row = model.objects.aggregate(n=Count("pk"), s=Sum("pk"), m=Max("pk"))
    return row["n"], row["s"], row["m"]


def _rows_hash(queryset, fields) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for row in queryset.order_by("id").values_list(*fields):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def catalogue_fingerprint() -> tuple:
    """What the finder was fitted on beside the index: changes whenever a programme, intake or link changed."""
    riasec = Occupation.objects.aggregate(**{name: Sum(name) for name in RIASEC_COLUMNS})
    return (
        _rows_hash(Programme.objects.all(), PROGRAMME_FIELDS),
        _rows_hash(Intake.objects.all(), INTAKE_FIELDS),
        _ids(Programme.skills_taught.through),
        _ids(Programme.leads_to.through),
        tuple(sorted((k, v) for k, v in riasec.items())),
    )


@dataclass
class PathState:
    finder: PathFinder
    index: MatchIndex  # the index object the finder is fitted on
    fingerprint: tuple
    vacancies: tuple  # the match state's public-vacancy fingerprint when fitted
    built_at: float
    seconds: float


class PathService:
    """See the module docstring. ``clock`` and ``background`` are injectable for tests, as in MatchService.

    Parameters
    ----------
    matches : callable, default ``match_service``
        Returns the MatchService whose index the finder is fitted on.
    probe_seconds : float
        Least time between two catalogue probes.
    background : bool
        Catalogue refits in a daemon thread (production) or inline (tests, commands).
    finder_params : dict, optional
        Parameters of :class:`~matching.paths.PathFinder`.
    """

    def __init__(self, *, matches: Callable[[], MatchService] = match_service,
                 clock: Callable[[], float] = time.monotonic, probe_seconds: float = PROBE_SECONDS,
                 background: bool = True, finder_params: dict | None = None):
        self.matches = matches
        self.clock = clock
        self.probe_seconds = probe_seconds
        self.background = background
        self.finder_params = dict(finder_params or {})
        self._state: PathState | None = None
        self._build_lock = threading.Lock()
        self._probe_lock = threading.Lock()
        self._last_probe = float("-inf")
        self.log: list[dict] = []  # what the last probes did (tests)

    # --------------------------------------------------------------------------------------------- building
    def _build(self, match: IndexState) -> PathState:
        started = time.perf_counter()
        fingerprint = catalogue_fingerprint()  # before reading: a later write is seen by the next probe
        vacancies = match.fingerprint.get("vacancies")
        finder = PathFinder(**self.finder_params).fit(path_frames(), match.index)
        return PathState(finder=finder, index=match.index, fingerprint=fingerprint, vacancies=vacancies,
                         built_at=self.clock(), seconds=time.perf_counter() - started)

    def state(self) -> tuple[IndexState, PathState]:
        """The match state and a finder fitted on its index (built now if the index object is new)."""
        match = self.matches().state()
        paths = self._state
        if paths is None or paths.index is not match.index:
            with self._build_lock:
                paths = self._state
                if paths is None or paths.index is not match.index:
                    paths = self._build(match)
                    self._state = paths
                    self._last_probe = self.clock()
                    self.log = (self.log + [{"action": "refit", "reason": "new index"}])[-20:]
            return match, paths
        self._maybe_probe(match)
        return match, self._state

    def _maybe_probe(self, match: IndexState) -> None:
        if self.clock() - self._last_probe < self.probe_seconds:
            return
        if not self._probe_lock.acquire(blocking=False):
            return
        self._last_probe = self.clock()
        if self.background:
            threading.Thread(target=self._probe_in_thread, args=(match,), name="path-finder-probe",
                             daemon=True).start()
        else:
            try:
                self._probe(match)
            finally:
                self._probe_lock.release()

    def _probe_in_thread(self, match: IndexState) -> None:
        try:
            self._probe(match)
        except Exception:  # the next probe retries; the old finder keeps answering
            logger.exception("path finder probe failed")
        finally:
            self._probe_lock.release()
            connections.close_all()

    def _probe(self, match: IndexState) -> dict:
        paths = self._state
        if paths is None or paths.index is not match.index:
            return {"action": "none"}
        reason = None
        if match.fingerprint.get("vacancies") != paths.vacancies:
            reason = "public vacancies changed"
        elif catalogue_fingerprint() != paths.fingerprint:
            reason = "programmes changed"
        report = {"action": "none"}
        if reason is not None:
            with self._build_lock:
                if self._state is paths:
                    self._state = self._build(match)
            report = {"action": "refit", "reason": reason}
        self.log = (self.log + [report])[-20:]
        return report

    def refresh(self) -> dict:
        """Run one probe now, in this thread (tests and commands)."""
        match = self.matches().state()
        with self._probe_lock:
            self._last_probe = self.clock()
            return self._probe(match)

    # ---------------------------------------------------------------------------------------------- queries
    def _ask(self, candidate: CandidateProfile, ask: Callable):
        service = self.matches()
        match, paths = self.state()
        service._ensure_current(match, candidate=candidate)  # one's own profile edit shows at once
        learner = learner_for(candidate=candidate)
        today = timezone.localdate()
        with service._lock:
            if candidate.pk not in match.candidate_ids:
                return None
            return ask(paths.finder, learner, today)

    def programmes_for(self, *, candidate: CandidateProfile, k: int, include=()) -> pd.DataFrame | None:
        """Ranked programmes with upcoming intakes (``PathFinder.recommend_programmes``), or None if not indexed.

        ``include``: programme ids wanted after the top ``k`` as well (a counsellor's additions).
        """
        return self._ask(candidate, lambda finder, learner, today: finder.recommend_programmes(
            learner, today=today, k=k, include=include))

    def careers_for(self, *, candidate: CandidateProfile, k: int, include=()) -> pd.DataFrame | None:
        return self._ask(candidate, lambda finder, learner, today: finder.recommend_careers(
            learner, today=today, k=k, include=include))

    def pathways_for(self, *, candidate: CandidateProfile, k: int) -> pd.DataFrame | None:
        return self._ask(candidate, lambda finder, learner, today: finder.recommend_pathways(
            learner, today=today, k=k))

    def what_if(self, *, candidate: CandidateProfile, skill_ids=(), programme_id=None, k: int = 10) -> dict | None:
        """``PathFinder.what_if`` for skill ids (or a programme id); raises ``ValueError`` for an unknown programme.

        A programme the finder does not know yet is fitted first (one refit), so what-if works for a course created
        a moment ago.

        Skills the index does not know yet (added to the taxonomy since its last refit) are left out: no indexed
        vacancy can ask for them, so they gain nothing until the refit that a taxonomy change triggers.
        """
        if programme_id is not None:
            match, paths = self.state()
            if programme_id not in paths.finder.programme_ids_:
                # Created since the last refit (a counsellor showing a brand-new course): refit now, once.
                with self._build_lock:
                    if self._state is paths:
                        self._state = self._build(match)
                        self.log = (self.log + [{"action": "refit", "reason": "programme not fitted yet"}])[-20:]

        def ask(finder, learner, today):
            known = [s for s in skill_ids if s in finder.index_.skill_index_]
            return finder.what_if(learner, today=today, skill_ids=known, programme_id=programme_id, k=k)

        return self._ask(candidate, ask)

    def what_if_languages(self, *, candidate: CandidateProfile, levels: dict, k: int = 10) -> dict | None:
        """``PathFinder.what_if_languages``: the jobs with the language levels ``levels`` ({code: CEFR 1–6})."""
        return self._ask(candidate, lambda finder, learner, today: finder.what_if_languages(
            learner, today=today, levels=levels, k=k))


def _configured() -> PathService:
    return PathService(
        probe_seconds=getattr(settings, "MATCHING_PROBE_SECONDS", PROBE_SECONDS),
        background=getattr(settings, "MATCHING_BACKGROUND", True),
        finder_params=getattr(settings, "PATHS_FINDER_PARAMS", None),
    )


_HOLDER: ProcessHolder[PathService] = ProcessHolder(_configured)


def path_service() -> PathService:
    """The process-wide service (``MATCHING_PROBE_SECONDS``, ``MATCHING_BACKGROUND``, ``PATHS_FINDER_PARAMS``)."""
    return _HOLDER.get()


def set_path_service(service: PathService | None) -> PathService | None:
    """Replace the process-wide service (tests); returns the previous one."""
    return _HOLDER.replace(service)
