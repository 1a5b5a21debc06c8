"""Learning paths: programmes, careers and pathways that close skill gaps toward local jobs.

- :mod:`matching.paths.finder` — :class:`PathFinder` (fitted on :class:`PathFrames` and a fitted
  :class:`~matching.index.MatchIndex`): ``recommend_programmes``, ``recommend_careers``,
  ``recommend_pathways``, ``what_if``; :class:`Learner` carries status, kind, RIASEC, targets;
- :mod:`matching.paths.eligibility` — who may enter a programme (target groups, ages, education, language),
  which funding each group may use, who boards at a dormitory, and programmes named in a "current studies" line;
- :mod:`matching.paths.funding` — funding rules (voucher, state-funded place, adult-learning
  co-financing at 10 %) and the Latvian/English pathway summaries;
- :mod:`matching.paths.evaluation` — the seeded programme/pathway benchmark and its metrics;
- :mod:`matching.careers_fit` — RIASEC fit and the career score.
"""
from .finder import EMPTY_REASONS, PROGRAMME_WEIGHTS, Learner, PathFinder, PathFrames, ProgrammeNotOpen
from .funding import ADULT_LEARNING_SHARE, funding_for

__all__ = ["ADULT_LEARNING_SHARE", "EMPTY_REASONS", "Learner", "PROGRAMME_WEIGHTS", "PathFinder", "PathFrames",
           "ProgrammeNotOpen", "funding_for"]
