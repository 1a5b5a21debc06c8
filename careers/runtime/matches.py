"""The in-process match index: built once per process from the database, kept fresh, shared by all threads.

One :class:`MatchService` per process (:func:`match_service`) holds

* the **taxonomy models** — :class:`~matching.extract.SkillExtractor` and :class:`~matching.titles.TitleMatcher`
  fitted on every skill and occupation label — used by skill extraction and title matching;
* the **match index** — :class:`~matching.index.MatchIndex` fitted on ``careers.frames.match_frames()``
  (public vacancies, consenting active candidates) — used by both recommendation lists.

Each is built on first use (the first request waits; ``manage.py build_index`` shows the cost) and never per
request.

Freshness (a new or edited vacancy or profile shows within 60 seconds, without a restart):

1. **Probe.** At most every ``probe_seconds`` (default 5) a request notices the probe is due and runs it — in a
   background thread in production, inline in tests. The probe reads a *fingerprint* (count, sum and max of ids
   of public vacancies and of indexed candidates; count and max id of every link table and of the taxonomy) and
   the ``(id, updated_at)`` of vacancies and profiles changed in the last ``lookback`` (2 minutes, so a
   transaction that committed late is still seen), compared with the version each row had when indexed.
2. **Incremental.** Changed rows are re-read (one query per frame for all of them) and applied with
   ``MatchIndex.upsert_*`` / ``remove_*``; a vacancy that left the public set (closed, expired, employer
   unverified) or a candidate who withdrew consent is removed; one that entered it is added.
3. **Full refit** in the background (the old index keeps answering until the new one is swapped in) when the
   taxonomy changed, when more than ``max_incremental`` rows changed at once, when a link table (skills,
   languages, work history, targets) changed without its parent being touched, and every ``refit_seconds``
   (default 1 hour: refreshes idf weights, vocabulary and drops tombstones).

Link tables have no ``updated_at``: the services (``careers.services.vacancies`` and ``accounts``) save the parent
whenever they replace its skills or languages, which bumps the parent's ``updated_at``; any other writer is caught
by the link fingerprint and answered with a full refit.

On top of the probe, the object a request is about (the candidate asking for jobs, the vacancy asking for
candidates) is checked against its indexed version and upserted at once if it differs: one's own edit shows on the
next request.

Thread safety: index queries and mutations hold one lock (numpy work is short and mostly holds the GIL anyway);
builds run without it and swap the new state in under it. Each gunicorn worker process has its own index: prefer
threads (``--threads``) to many workers.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings
from django.db import connections
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from careers.frames import (
    candidate_languages_frame, candidate_occupations_frame, candidate_skills_frame, candidates_frame, match_frames,
    occupations_frame, skills_frame, vacancies_frame, vacancy_languages_frame, vacancy_skills_frame,
    with_everyday_phrases,
)
from careers.models import (
    CandidateLanguage, CandidateProfile, CandidateSkill, Occupation, OccupationSkill, Skill, Town, TownDistance,
    Vacancy, VacancyLanguage, VacancySkill, WorkExperience,
)
from careers.runtime.heap import settle_heap
from careers.runtime.holder import ProcessHolder
from matching.extract import SkillExtractor
from matching.index import MatchIndex
from matching.titles import TitleMatcher

logger = logging.getLogger(__name__)

PROBE_SECONDS = 5.0
REFIT_SECONDS = 3600.0
MAX_INCREMENTAL = 500
LOOKBACK = dt.timedelta(minutes=2)


def indexed_candidates() -> QuerySet[CandidateProfile]:
    """Who is in the index: active users who consented to data processing (as ``careers.frames`` reads them)."""
    return CandidateProfile.objects.filter(consent_processing=True, user__is_active=True)


def indexed_vacancies() -> QuerySet[Vacancy]:
    """Which vacancies are in the index: the public ones (open, unexpired, verified employer)."""
    return Vacancy.objects.public()


def _ids(queryset: QuerySet) -> tuple:
    row = queryset.aggregate(n=Count("id"), s=Sum("id"), m=Max("id"))
    return row["n"], row["s"], row["m"]


def _count_max(model) -> tuple:
    row = model.objects.aggregate(n=Count("pk"), m=Max("pk"))
    return row["n"], row["m"]


LINK_MODELS = (VacancySkill, VacancyLanguage, CandidateSkill, CandidateLanguage, WorkExperience,
               CandidateProfile.target_occupations.through)
TAXONOMY_MODELS = (Skill, Occupation, OccupationSkill, Town, TownDistance)


def _taxonomy_fingerprint() -> tuple:
    return tuple(_count_max(m) for m in (Skill, Occupation))


def data_fingerprint() -> dict:
    """Cheap aggregates that change whenever the indexed data can have changed (see the module docstring)."""
    return {
        "vacancies": _ids(indexed_vacancies()),
        "candidates": _ids(indexed_candidates()),
        "links": tuple(_count_max(m) for m in LINK_MODELS),
        "taxonomy": tuple(_count_max(m) for m in TAXONOMY_MODELS),
    }


@dataclass
class Taxonomy:
    """Extraction and title models plus label lookups, fitted on the taxonomy."""

    extractor: SkillExtractor | None
    titles: TitleMatcher | None
    fingerprint: tuple
    n_skills: int
    n_occupations: int
    seconds: float


@dataclass
class IndexState:
    index: MatchIndex
    fingerprint: dict
    vacancy_versions: dict
    candidate_versions: dict
    vacancy_ids: set
    candidate_ids: set
    skills: dict  # skill id → (uri, label_en, label_lv)
    built_at: float  # service clock
    built_wall: dt.datetime
    seconds: float
    stats: dict = field(default_factory=dict)


class MatchService:
    """See the module docstring. ``clock`` (monotonic seconds) and ``background`` are injectable for tests.

    Parameters
    ----------
    probe_seconds : float
        Least time between two freshness probes.
    refit_seconds : float
        Age after which the index is refitted from scratch (in the background).
    max_incremental : int
        More changed rows than this in one probe → full refit instead of upserts.
    background : bool
        Run probes and full refits in a daemon thread (production) or inline (tests, commands).
    index_params : dict, optional
        Parameters of :class:`~matching.index.MatchIndex`.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, probe_seconds: float = PROBE_SECONDS,
                 refit_seconds: float = REFIT_SECONDS, max_incremental: int = MAX_INCREMENTAL,
                 background: bool = True, index_params: dict | None = None):
        self.clock = clock
        self.probe_seconds = probe_seconds
        self.refit_seconds = refit_seconds
        self.max_incremental = max_incremental
        self.background = background
        self.index_params = dict(index_params or {})
        self._lock = threading.RLock()  # index reads and writes, state swaps
        self._build_lock = threading.Lock()  # one full build at a time
        self._probe_lock = threading.Lock()  # one probe at a time
        self._taxonomy_lock = threading.Lock()  # one taxonomy build at a time
        self._taxonomy: Taxonomy | None = None
        self._taxonomy_checked = float("-inf")
        self._state: IndexState | None = None
        self._last_probe = float("-inf")
        self._probe_since: dt.datetime | None = None
        self._worker: threading.Thread | None = None
        self.log: list[dict] = []  # what the last probes did (kept short; for tests and the build command)

    # --------------------------------------------------------------------------------------------- building
    def taxonomy(self) -> Taxonomy:
        """The fitted extraction and title models (built on first use, rebuilt when skills or occupations change)."""
        taxonomy = self._taxonomy
        if taxonomy is None:
            with self._taxonomy_lock:  # not the index's build lock: extraction need not wait for an index build
                if self._taxonomy is None:
                    self._taxonomy = self._build_taxonomy()
                    self._taxonomy_checked = self.clock()
                    settle_heap()
                return self._taxonomy
        if self.clock() - self._taxonomy_checked >= self.probe_seconds:
            self._taxonomy_checked = self.clock()
            if taxonomy.fingerprint != _taxonomy_fingerprint():
                if self.background:
                    threading.Thread(target=self._retaxonomy_in_thread, name="taxonomy-refit", daemon=True).start()
                else:
                    self._taxonomy = self._build_taxonomy()
                    settle_heap()
        return self._taxonomy

    def _retaxonomy_in_thread(self) -> None:
        if not self._taxonomy_lock.acquire(blocking=False):
            return
        try:
            self._taxonomy = self._build_taxonomy()
            settle_heap()
        except Exception:
            logger.exception("taxonomy models refit failed")
        finally:
            self._taxonomy_lock.release()
            connections.close_all()

    @staticmethod
    def _build_taxonomy() -> Taxonomy:
        started = time.perf_counter()
        fingerprint = _taxonomy_fingerprint()
        skills, occupations = with_everyday_phrases(skills_frame()), occupations_frame()
        for frame in (skills, occupations):
            for column in ("alt_labels_en", "alt_labels_lv"):
                frame[column] = frame[column].map(lambda v: list(v) if isinstance(v, list) else [])
        # An empty taxonomy (a fresh database) has nothing to find: the endpoints then answer empty lists.
        extractor = SkillExtractor().fit(skills) if len(skills) else None
        titles = TitleMatcher().fit(occupations) if len(occupations) else None
        return Taxonomy(extractor, titles, fingerprint, len(skills), len(occupations), time.perf_counter() - started)

    def state(self) -> IndexState:
        """The fitted match index, built on first use and kept fresh (see the module docstring)."""
        state = self._state
        if state is None:
            with self._build_lock:
                if self._state is None:
                    self._install(self._build_state())
            return self._state
        self._maybe_probe()
        return self._state

    def build(self) -> IndexState:
        """Build (or rebuild) both the taxonomy models and the index now, in this thread."""
        with self._build_lock:
            self._taxonomy = self._build_taxonomy()
            self._install(self._build_state())
        return self._state

    def _build_state(self) -> IndexState:
        started = time.perf_counter()
        # Versions and fingerprint first: anything written after them is newer and the next probe re-reads it.
        wall = timezone.now()
        fingerprint = data_fingerprint()
        vacancy_versions = dict(indexed_vacancies().values_list("id", "updated_at"))
        candidate_versions = dict(indexed_candidates().values_list("id", "updated_at"))
        frames = match_frames()
        index = MatchIndex(**self.index_params).fit(frames)
        skills = {row.skill_id: (row.uri, row.label_en or "", row.label_lv or "") for row in frames.skills.itertuples()}
        return IndexState(
            index=index, fingerprint=fingerprint, vacancy_versions=vacancy_versions,
            candidate_versions=candidate_versions, vacancy_ids=set(frames.vacancies["vacancy_id"].tolist()),
            candidate_ids=set(frames.candidates["candidate_id"].tolist()), skills=skills, built_at=self.clock(),
            built_wall=wall, seconds=time.perf_counter() - started,
            stats={"vacancies": len(frames.vacancies), "candidates": len(frames.candidates),
                   "vacancy_skills": len(frames.vacancy_skills), "candidate_skills": len(frames.candidate_skills),
                   "skills": len(frames.skills), "skill_relations": len(frames.skill_relations)},
        )

    def _install(self, state: IndexState) -> None:
        with self._lock:
            self._state = state
            self._probe_since = state.built_wall
            self._last_probe = self.clock()
        settle_heap()  # the previous build's cycles freed, this one kept out of later collections

    # ------------------------------------------------------------------------------------------ freshness
    def _maybe_probe(self) -> None:
        if self.clock() - self._last_probe < self.probe_seconds:
            return
        if not self._probe_lock.acquire(blocking=False):
            return  # another thread is probing
        self._last_probe = self.clock()
        if self.background:
            self._worker = threading.Thread(target=self._probe_in_thread, name="match-index-probe", daemon=True)
            self._worker.start()
        else:
            try:
                self._probe()
            finally:
                self._probe_lock.release()

    def _probe_in_thread(self) -> None:
        try:
            self._probe()
        except Exception:  # a failed probe must not kill the process; the next one retries
            logger.exception("match index probe failed")
        finally:
            self._probe_lock.release()
            connections.close_all()  # this thread's connections only

    def refresh(self) -> dict:
        """Run one probe now, in this thread (tests and commands); returns what it did."""
        with self._probe_lock:
            self._last_probe = self.clock()
            return self._probe()

    def _probe(self) -> dict:
        state = self._state
        if state is None:
            return {"action": "none"}
        fingerprint = data_fingerprint()
        since = (self._probe_since or state.built_wall) - LOOKBACK
        probe_wall = timezone.now()
        changed_v = {pk for pk, ts in Vacancy.objects.filter(updated_at__gte=since).values_list("id", "updated_at")
                     if state.vacancy_versions.get(pk) != ts}
        changed_c = {pk for pk, ts in CandidateProfile.objects.filter(updated_at__gte=since)
                     .values_list("id", "updated_at") if state.candidate_versions.get(pk) != ts}
        old = state.fingerprint
        reason = None
        if fingerprint["taxonomy"] != old["taxonomy"]:
            reason = "taxonomy changed"
        elif self.clock() - state.built_at >= self.refit_seconds:
            reason = "periodic refit"
        else:
            if fingerprint["vacancies"] != old["vacancies"]:
                changed_v |= set(indexed_vacancies().values_list("id", flat=True)) ^ state.vacancy_ids
            if fingerprint["candidates"] != old["candidates"]:
                changed_c |= set(indexed_candidates().values_list("id", flat=True)) ^ state.candidate_ids
            if fingerprint["links"] != old["links"] and not (changed_v or changed_c):
                reason = "link rows changed without their parent"
            elif len(changed_v) + len(changed_c) > self.max_incremental:
                reason = f"{len(changed_v) + len(changed_c)} rows changed"
        if reason is not None:
            report = {"action": "refit", "reason": reason}
            self._refit()
        else:
            report = {"action": "incremental", **self._apply(vacancies=changed_v, candidates=changed_c)}
            with self._lock:
                state.fingerprint = fingerprint
                self._probe_since = probe_wall
        self.log = (self.log + [report])[-20:]
        return report

    def _refit(self) -> None:
        if self.background:
            threading.Thread(target=self._refit_in_thread, name="match-index-refit", daemon=True).start()
        else:
            with self._build_lock:
                self._rebuild()

    def _rebuild(self) -> None:
        """A new index (and new taxonomy models if skills or occupations changed), swapped in when ready."""
        state = self._build_state()
        taxonomy = self._taxonomy
        if taxonomy is not None and taxonomy.fingerprint != _taxonomy_fingerprint():
            self._taxonomy = self._build_taxonomy()
        self._install(state)

    def _refit_in_thread(self) -> None:
        if not self._build_lock.acquire(blocking=False):
            return  # a refit is already running
        try:
            self._rebuild()
        except Exception:
            logger.exception("match index refit failed")
        finally:
            self._build_lock.release()
            connections.close_all()

    def _apply(self, *, vacancies: Iterable[int] = (), candidates: Iterable[int] = ()) -> dict:
        """Re-read the given rows and upsert or remove them in place."""
        state = self._state
        vacancy_ids, candidate_ids = sorted(vacancies), sorted(candidates)
        done = {"vacancies_upserted": 0, "vacancies_removed": 0, "candidates_upserted": 0, "candidates_removed": 0}
        if vacancy_ids:
            versions = dict(Vacancy.objects.filter(id__in=vacancy_ids).values_list("id", "updated_at"))
            rows = vacancies_frame(vacancies=indexed_vacancies().filter(id__in=vacancy_ids))
            public = rows["vacancy_id"].tolist()
            skills = vacancy_skills_frame(vacancy_ids=public)
            languages = vacancy_languages_frame(vacancy_ids=public)
            with self._lock:
                for row in rows.to_dict("records"):
                    vid = row["vacancy_id"]
                    state.index.upsert_vacancy(row, skills[skills["vacancy_id"] == vid][["skill_id", "essential"]],
                                               languages[languages["vacancy_id"] == vid][["language", "level"]])
                    state.vacancy_ids.add(vid)
                    done["vacancies_upserted"] += 1
                for vid in set(vacancy_ids) - set(public):
                    if vid in state.vacancy_ids:
                        state.index.remove_vacancy(vid)
                        state.vacancy_ids.discard(vid)
                        done["vacancies_removed"] += 1
                for vid in vacancy_ids:
                    if vid in versions:
                        state.vacancy_versions[vid] = versions[vid]
        if candidate_ids:
            versions = dict(CandidateProfile.objects.filter(id__in=candidate_ids).values_list("id", "updated_at"))
            rows = candidates_frame(candidates=indexed_candidates().filter(id__in=candidate_ids))
            kept = rows["candidate_id"].tolist()
            skills = candidate_skills_frame(candidate_ids=kept)
            languages = candidate_languages_frame(candidate_ids=kept)
            occupations = candidate_occupations_frame(candidate_ids=kept)
            with self._lock:
                for row in rows.to_dict("records"):
                    cid = row["candidate_id"]
                    state.index.upsert_candidate(
                        row, skills[skills["candidate_id"] == cid][["skill_id", "level"]],
                        languages[languages["candidate_id"] == cid][["language", "level"]],
                        occupations[occupations["candidate_id"] == cid][["occupation_id", "kind", "years"]],
                    )
                    state.candidate_ids.add(cid)
                    done["candidates_upserted"] += 1
                for cid in set(candidate_ids) - set(kept):
                    if cid in state.candidate_ids:
                        state.index.remove_candidate(cid)
                        state.candidate_ids.discard(cid)
                        done["candidates_removed"] += 1
                for cid in candidate_ids:
                    if cid in versions:
                        state.candidate_versions[cid] = versions[cid]
        return done

    def _ensure_current(self, state: IndexState, *, vacancy: Vacancy | None = None,
                        candidate: CandidateProfile | None = None) -> None:
        """Upsert the object a request is about if its indexed version is not the one just read."""
        if vacancy is not None and state.vacancy_versions.get(vacancy.pk) != vacancy.updated_at:
            self._apply(vacancies=[vacancy.pk])
        if candidate is not None and state.candidate_versions.get(candidate.pk) != candidate.updated_at:
            self._apply(candidates=[candidate.pk])

    # ---------------------------------------------------------------------------------------------- queries
    def extract_skills(self, text: str, *, top_k: int, language: str, stances: tuple[str, ...] = ("held",)) -> list:
        extractor = self.taxonomy().extractor
        return [] if extractor is None else extractor.extract(text, top_k=top_k, language=language, stances=stances)

    def match_title(self, title: str, *, top_k: int, language: str) -> list:
        titles = self.taxonomy().titles
        return [] if titles is None else titles.match(title, top_k=top_k, language=language)

    def jobs_for(self, *, candidate: CandidateProfile, k: int, pool: int | None = None,
                 rescore=None) -> pd.DataFrame | None:
        """Explained top-``k`` vacancies, or None when the candidate is not indexable (no processing consent).

        ``pool`` and ``rescore``: a learned ranker reorders the best ``pool`` (``MatchIndex.recommend_jobs``).
        """
        state = self.state()
        self._ensure_current(state, candidate=candidate)
        with self._lock:
            if candidate.pk not in state.candidate_ids:
                return None
            return state.index.recommend_jobs(candidate.pk, k, pool=pool, rescore=rescore)

    def language_gap_jobs_for(self, *, candidate: CandidateProfile, k: int) -> pd.DataFrame | None:
        """Explained top-``k`` vacancies blocked only by a language level (``MatchIndex.recommend_language_gap_jobs``),
        or None when the candidate is not indexable."""
        state = self.state()
        self._ensure_current(state, candidate=candidate)
        with self._lock:
            if candidate.pk not in state.candidate_ids:
                return None
            return state.index.recommend_language_gap_jobs(candidate.pk, k)

    def explain_jobs(self, *, candidate: CandidateProfile, vacancy_ids: Iterable[int]) -> dict[int, dict]:
        """vacancy id → the explanation of that pair (``MatchIndex.explain``: ``score`` None when a hard filter
        fails), for the indexed ones of ``vacancy_ids``; empty when the candidate is not indexable."""
        state = self.state()
        self._ensure_current(state, candidate=candidate)
        with self._lock:
            if candidate.pk not in state.candidate_ids:
                return {}
            return {v: state.index.explain(candidate.pk, v) for v in vacancy_ids if v in state.vacancy_ids}

    def eligible_jobs(self, *, candidate: CandidateProfile, vacancy_ids: Iterable[int]) -> dict[int, float]:
        """vacancy id → distance (km, NaN unknown) for those of ``vacancy_ids`` the candidate passes every hard filter
        of (``MatchIndex.eligible_vacancy_rows``); empty when the candidate is not indexable."""
        state = self.state()
        self._ensure_current(state, candidate=candidate)
        wanted = set(vacancy_ids)
        with self._lock:
            if candidate.pk not in state.candidate_ids:
                return {}
            rows, distance = state.index.eligible_vacancy_rows(candidate.pk)
            ids = state.index.vacancies_.ids
            return {ids[r]: float(km) for r, km in zip(rows.tolist(), distance.tolist()) if ids[r] in wanted}

    def count_eligible_jobs(self, *, candidate: CandidateProfile) -> int:
        """How many indexed vacancies pass every hard filter for ``candidate`` (0 when it is not indexable)."""
        state = self.state()
        self._ensure_current(state, candidate=candidate)
        with self._lock:
            if candidate.pk not in state.candidate_ids:
                return 0
            rows, _ = state.index.eligible_vacancy_rows(candidate.pk)
            return len(rows)

    def candidates_for(self, *, vacancy: Vacancy, k: int, among: Iterable[int] | None) -> pd.DataFrame | None:
        """Explained top-``k`` candidates (only ``among`` if given), or None when the vacancy is not public."""
        state = self.state()
        self._ensure_current(state, vacancy=vacancy)
        with self._lock:
            if vacancy.pk not in state.vacancy_ids:
                return None
            return state.index.recommend_candidates(vacancy.pk, k, among=among)

    def skill_ref(self, skill_id, language: str) -> dict:
        uri, label_en, label_lv = self._state.skills.get(skill_id, ("", "", ""))
        label = (label_lv or label_en) if language == "lv" else (label_en or label_lv)
        return {"id": skill_id, "uri": uri, "label": label}


def _configured() -> MatchService:
    return MatchService(
        probe_seconds=getattr(settings, "MATCHING_PROBE_SECONDS", PROBE_SECONDS),
        refit_seconds=getattr(settings, "MATCHING_REFIT_SECONDS", REFIT_SECONDS),
        max_incremental=getattr(settings, "MATCHING_MAX_INCREMENTAL", MAX_INCREMENTAL),
        background=getattr(settings, "MATCHING_BACKGROUND", True),
        index_params=getattr(settings, "MATCHING_INDEX_PARAMS", None),
    )


_HOLDER: ProcessHolder[MatchService] = ProcessHolder(_configured)


def match_service() -> MatchService:
    """The process-wide service, configured from settings (``MATCHING_*``, all optional)."""
    return _HOLDER.get()


def set_match_service(service: MatchService | None) -> MatchService | None:
    """Replace the process-wide service (tests); returns the previous one."""
    return _HOLDER.replace(service)
