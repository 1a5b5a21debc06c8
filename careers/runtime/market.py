"""The labour-market counts in-process: computed once per data version, shared by every request and thread.

The insight tables (``careers.selectors.market``) are sums of three per-town count tables — per town and skill, per
town and occupation, per town — that ``careers.frames.market`` reads in a few GROUP BY queries. :class:`MarketCache`
holds them with the version they were read at and recomputes them only when the version moves on. As the match
index (``careers.runtime.matches``) does, it knows two versions:

* the **stamp** (:func:`market_stamp`), read on every request in one statement whose every part an index or a
  small table answers, whatever the number of vacancies: today's date (vacancies expire by the day), the latest
  ``updated_at`` and id of vacancies and of candidate profiles (the services save a vacancy or profile whenever
  they change it, its status, consent or skill lists), count and sum of ids of verified employers, the number of
  hired applications and the latest application id, and the latest id of each link table and of the taxonomy and
  towns. So a published, closed, edited or expired vacancy, a new, edited or hired candidate, a withdrawn consent
  shows in the very next answer.
* the **fingerprint** (:func:`market_version`), read at most every ``probe_seconds`` (5): exact aggregates of the
  public vacancies and looking candidates (count, sum of ids) and count and max id of the link tables, one statement
  that scans them. It catches what the stamp cannot: deletions, and writers that bypass the services
  (``QuerySet.update``, raw SQL), within ``probe_seconds``.

Derived answers (one table per scope and language: labels, suppression, order) are memoised on the counts object
(:meth:`MarketTables.derived`) and so die with it. Rows handed out are shared between requests: read them, copy
before changing.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db import connection

from careers.frames.market import (
    looking_candidates, occupation_counts_by_town, open_vacancies, skill_counts_by_town, totals_by_town,
)
from django.utils import timezone

from careers.models import (
    Application, CandidateProfile, CandidateSkill, Employer, Occupation, Skill, Town, TownDistance, Vacancy,
    VacancySkill,
)
from careers.runtime.holder import ProcessHolder

PROBE_SECONDS = 5.0
MAX_DERIVED = 256  # answers memoised per version (scopes × languages × tables); past it the memo starts afresh
LINK_MODELS = (VacancySkill, CandidateSkill, CandidateProfile.target_occupations.through, Skill, Occupation, Town,
               TownDistance)


def _derived_table(queryset, columns: str) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return f"(SELECT {columns} FROM ({sql}) AS rows_)", tuple(params)


def _one_row(parts: list[tuple[str, tuple]]) -> tuple:
    sql = "SELECT * FROM " + ", ".join(f"{part} AS part_{n}" for n, (part, _) in enumerate(parts))
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in parts for param in params])
        return tuple(cursor.fetchone())


def market_version() -> tuple:
    """The fingerprint: exact aggregates that change whenever a market count can have changed (see the module
    docstring), read in one statement."""
    quote = connection.ops.quote_name
    parts = [
        _derived_table(open_vacancies().values("id", "updated_at"), "COUNT(*), SUM(id), MAX(updated_at)"),
        _derived_table(looking_candidates().values("id"), "COUNT(*), SUM(id)"),
        (f"(SELECT MAX({quote('updated_at')}) FROM {quote(CandidateProfile._meta.db_table)})", ()),
    ]
    for model in LINK_MODELS:
        pk, table = quote(model._meta.pk.column), quote(model._meta.db_table)
        parts.append((f"(SELECT COUNT({pk}), MAX({pk}) FROM {table})", ()))
    return _one_row(parts)


def market_stamp() -> tuple:
    """The stamp read on every request (see the module docstring): each part answered by an index or a small
    table, in one statement."""
    quote = connection.ops.quote_name

    def latest(model, *columns: str) -> tuple[str, tuple]:
        picked = ", ".join(f"MAX({quote(column)})" for column in columns)
        return f"(SELECT {picked} FROM {quote(model._meta.db_table)})", ()
    parts = [
        latest(Vacancy, "updated_at", "id"), latest(CandidateProfile, "updated_at", "id"),
        _derived_table(Employer.objects.filter(verified=True).values("id"), "COUNT(*), SUM(id)"),
        _derived_table(Application.objects.filter(status=Application.Status.HIRED).values("id"), "COUNT(*)"),
        latest(Application, "id"),
        *(latest(model, model._meta.pk.column) for model in LINK_MODELS),
    ]
    return (timezone.localdate(), *_one_row(parts))


@dataclass
class MarketTables:
    """The per-town counts of one data version, ``(stamp, fingerprint)`` (frames as ``careers.frames.market``
    documents them)."""

    version: tuple
    skills: pd.DataFrame
    occupations: pd.DataFrame
    totals: pd.DataFrame
    probed: float = 0.0  # when the fingerprint was last read (the cache's clock)
    _derived: dict = field(default_factory=dict, repr=False)

    def derived(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """``make()`` once per key for this version (a race may make it twice; either answer is the same)."""
        try:
            return self._derived[key]
        except KeyError:
            pass
        value = make()
        if len(self._derived) >= MAX_DERIVED:
            self._derived.clear()
        self._derived[key] = value
        return value


class MarketCache:
    """One :class:`MarketTables` at a time, replaced when the stamp or (probed every ``probe_seconds``) the
    fingerprint moves on."""

    def __init__(self, *, stamp: Callable[[], tuple] = market_stamp,
                 fingerprint: Callable[[], tuple] = market_version, probe_seconds: float = PROBE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._stamp, self._fingerprint = stamp, fingerprint
        self.probe_seconds, self._clock = probe_seconds, clock
        self._tables: MarketTables | None = None
        self._lock = threading.Lock()
        self.builds = 0  # how often the counts were read (tests, benchmarks)

    def _current(self, tables: MarketTables | None, stamp: tuple) -> bool:
        if tables is None or tables.version[0] != stamp:
            return False
        now = self._clock()
        if now - tables.probed < self.probe_seconds:
            return True
        tables.probed = now
        return tables.version[1] == self._fingerprint()

    def tables(self) -> MarketTables:
        stamp = self._stamp()
        tables = self._tables
        if self._current(tables, stamp):
            return tables
        with self._lock:  # one thread reads the counts; the others wait for them rather than read them too
            latest = self._tables
            if latest is not tables and latest is not None and latest.version[0] == stamp:
                return latest  # another thread read them meanwhile
            # Versions first: a write landing while the counts are read makes the next version differ, and the
            # next request reads them again.
            version = (stamp, self._fingerprint())
            tables = MarketTables(version, skill_counts_by_town(), occupation_counts_by_town(), totals_by_town(),
                                  probed=self._clock())
            self._tables = tables
            self.builds += 1
        return tables


_holder: ProcessHolder[MarketCache] = ProcessHolder(MarketCache)


def market_cache() -> MarketCache:
    return _holder.get()


def set_market_cache(cache: MarketCache | None) -> MarketCache | None:
    """Swap the process's cache (tests); None makes a new one on next use. Returns the previous one."""
    return _holder.replace(cache)
