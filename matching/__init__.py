"""The matching library: plain pandas/numpy/scipy/scikit-learn, no Django (a test enforces it).

- :mod:`matching.text` — Latvian/English folding, tokens with spans, a light stemmer;
- :mod:`matching.extract` — :class:`~matching.extract.SkillExtractor`: text → taxonomy skills with spans;
- :mod:`matching.titles` — :class:`~matching.titles.TitleMatcher`: job title → occupations;
- :mod:`matching.index` — :class:`~matching.index.MatchIndex`: explained jobs for a
  candidate and candidates for a vacancy, from frames described in :mod:`matching.schema`;
- :mod:`matching.evaluation` — metrics, the seeded synthetic benchmark and baselines;
- :mod:`matching.ltr` — learning to rank from feedback: graded labels, :class:`~matching.ltr.RankerModel`,
  :class:`~matching.ltr.HandWeightedRanker`, promotion on held-out lists, model bytes;
- :mod:`matching.fairness` — exposure and approval rates by group with small groups suppressed.
"""
