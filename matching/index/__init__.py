"""Jobs for a candidate and candidates for a vacancy, explained, from an in-memory index.

:class:`MatchIndex` is fitted once on :class:`~matching.schema.MatchFrames` and then answers
queries in a few milliseconds at 100k vacancies: a query reads only the postings of its own
skills and terms (``np.bincount`` over the gathered entries, see
:func:`matching.sparse.gather_rows`), applies vectorised hard filters over all items, and takes
the top-k with ``argpartition``. Explanations are built only for the returned items.

Score (all parts in [0, 1], weighted sum; weights in :data:`DEFAULT_WEIGHTS`):

``essential``    idf-weighted share of the vacancy's essential skills the candidate covers
                 (rarer skills weigh more; a related skill earns partial credit);
``optional``     the same for optional skills (equals ``essential`` if there are none);
``similarity``   idf-weighted cosine of the two skill vectors (penalises a vacancy that uses
                 little of what the candidate offers, so specific matches beat generic ones);
``proficiency``  mean proficiency (1–4 → 0.25–1) over exactly matched skills;
``text``         TF-IDF cosine of the candidate's text and the vacancy's title and text;
``occupation``   fit with the candidate's target occupations (1) and work history (0.8),
                 similar occupations partly; 0.5 when the candidate states neither;
``profile``      idf-weighted cosine of the candidate's skills and the taxonomy profile
                 (essential and optional skills) of the vacancy's occupation: "your skills are
                 those of a welder" even where the employer listed only three skills;
``distance``     1 − distance / commute limit (remote: 1; beyond the limit, relocating: 0);
``contract``     1 if the candidate accepts the contract kind (no stated preference: 1).

Items that share no skill (held or related) are never returned, however near they are and however
many words their texts share: they are not even scored (see "candidate rows" in
:mod:`matching.index.score`).

Hard filters (both directions): required languages at CEFR level, minimum education,
minimum age, the hours the candidate can work, and the commute limit unless the candidate is
willing to relocate or the job is remote. The last three parts make "candidates for a vacancy"
reciprocal: a candidate who wants other work, lives far or wants another contract ranks lower.

Diversity: at most ``max_per_group`` vacancies of one employer with the same normalised title
(stems, sorted) enter one list; further copies are skipped and the next best item takes the
place, so ten openings for "noliktavas darbinieks" at one warehouse show as two.

Freshness: :meth:`MatchIndex.upsert_vacancy`, :meth:`~MatchIndex.remove_vacancy` and the
candidate counterparts change one row in O(nnz) (tens of milliseconds at 100k vacancies),
keeping the fitted idf and text vocabulary; a periodic :meth:`~MatchIndex.fit` refreshes them.

Modules (by concern; :class:`MatchIndex` wires them into the scikit-learn contract):

=============  ======================================================================================
estimator      :class:`MatchIndex`: parameters, ``fit``, the queries and updates (public API)
defaults       :data:`DEFAULT_WEIGHTS`, :data:`FILTERS`, error messages
encode         frames → universes, idf, text vocabulary, occupation profiles, the two sides
score          one scoring path for both directions (:class:`~matching.index.score.Direction`),
               hard filters, the pruned top-k for jobs
diversity      the ``max_per_group`` cap
explain        explanation records (typed in :mod:`matching.schema`) for the returned items
update         upserts, removals and the what-if working copy
=============  ======================================================================================
"""
from .defaults import DEFAULT_WEIGHTS, ERR_K, ERR_UNKNOWN_CANDIDATE, ERR_UNKNOWN_VACANCY, ERR_WEIGHTS, FILTERS
from .estimator import MatchIndex

__all__ = ["DEFAULT_WEIGHTS", "ERR_K", "ERR_UNKNOWN_CANDIDATE", "ERR_UNKNOWN_VACANCY", "ERR_WEIGHTS", "FILTERS",
           "MatchIndex"]
