"""The labour-market counts in-process: computed once per data version, shared by every request and thread.

The insight tables (``careers.selectors.market``) are sums of three per-town count tables — per town and skill, per
town and occupation, per town — that ``careers.frames.market`` reads in a few GROUP BY queries. :class:`MarketCache`
holds them with the **version** they were read at; every request first reads the version again (a handful of
aggregates, each answered from an index or a small table) and recomputes the counts only when it differs. So a
published, closed, expired or edited vacancy, a new or hired candidate, a withdrawn consent or a changed skill list
shows in the very next answer; nothing is served from a stale version.

The version (:func:`market_version`), like the match index's fingerprint (``careers.runtime.matches``):

* public vacancies: count, sum of ids (one leaving and another entering the public set changes it) and the latest
  ``updated_at`` (an edited vacancy — places, town — is saved, which bumps it; the services save the parent when
  they replace its skills);
* looking candidates: count and sum of ids (consent, an active account and no hired application decide who looks),
  and the latest ``updated_at`` of any profile (a move to another town);
* count and max id of the link tables (vacancy skills, candidate skills, target occupations) and of the taxonomy and
  the towns (labels, the commute regions).

Public vacancies are read with the clock (``Vacancy.objects.public()``), so one that expires changes the version too.
Derived answers (one table per scope and language: labels, suppression, order) are memoised on the counts object
(:meth:`MarketTables.derived`) and so die with it. Rows handed out are shared between requests: read them, copy
before changing.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db import connection

from careers.frames.market import (
    looking_candidates, occupation_counts_by_town, open_vacancies, skill_counts_by_town, totals_by_town,
)
from careers.models import CandidateProfile, CandidateSkill, Occupation, Skill, Town, TownDistance, VacancySkill
from careers.runtime.holder import ProcessHolder

MAX_DERIVED = 256  # answers memoised per version (scopes × languages × tables); past it the memo starts afresh
LINK_MODELS = (VacancySkill, CandidateSkill, CandidateProfile.target_occupations.through, Skill, Occupation, Town,
               TownDistance)


def _derived_table(queryset, columns: str) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return f"(SELECT {columns} FROM ({sql}) AS rows_)", tuple(params)


def market_version() -> tuple:
    """Cheap aggregates that change whenever a market count can have changed (see the module docstring), read in
    one statement: one round trip per request, whatever the size of the tables."""
    quote = connection.ops.quote_name
    parts = [
        _derived_table(open_vacancies().values("id", "updated_at"), "COUNT(*), SUM(id), MAX(updated_at)"),
        _derived_table(looking_candidates().values("id"), "COUNT(*), SUM(id)"),
        (f"(SELECT MAX({quote('updated_at')}) FROM {quote(CandidateProfile._meta.db_table)})", ()),
    ]
    for model in LINK_MODELS:
        pk, table = quote(model._meta.pk.column), quote(model._meta.db_table)
        parts.append((f"(SELECT COUNT({pk}), MAX({pk}) FROM {table})", ()))
    sql = "SELECT * FROM " + ", ".join(f"{part} AS part_{n}" for n, (part, _) in enumerate(parts))
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in parts for param in params])
        return tuple(cursor.fetchone())


@dataclass
class MarketTables:
    """The per-town counts of one data version (frames as ``careers.frames.market`` documents them)."""

    version: tuple
    skills: pd.DataFrame
    occupations: pd.DataFrame
    totals: pd.DataFrame
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
    """One :class:`MarketTables` at a time, replaced when :func:`market_version` moves on."""

    def __init__(self, *, version: Callable[[], tuple] = market_version) -> None:
        self._version = version
        self._tables: MarketTables | None = None
        self._lock = threading.Lock()
        self.builds = 0  # how often the counts were read (tests, benchmarks)

    def tables(self) -> MarketTables:
        version = self._version()
        tables = self._tables
        if tables is not None and tables.version == version:
            return tables
        with self._lock:  # one thread reads the counts; the others wait for them rather than read them too
            tables = self._tables
            if tables is None or tables.version != version:
                # Version first: a write landing while the counts are read makes the next version differ, and the
                # next request reads them again.
                tables = MarketTables(version, skill_counts_by_town(), occupation_counts_by_town(), totals_by_town())
                self._tables = tables
                self.builds += 1
        return tables


_holder: ProcessHolder[MarketCache] = ProcessHolder(MarketCache)


def market_cache() -> MarketCache:
    return _holder.get()


def set_market_cache(cache: MarketCache | None) -> MarketCache | None:
    """Swap the process's cache (tests); None makes a new one on next use. Returns the previous one."""
    return _holder.replace(cache)
