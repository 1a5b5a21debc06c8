"""Skill extraction: free Latvian or English text → ranked taxonomy skills with the matched span.

Two passes over the stemmed tokens of the text (see :mod:`matching.text`):

1. **Phrases.** Every label's stem sequence is a key in a hash table, and every prefix of it in
   a prefix set, so the text is scanned once: from each token the n-gram grows while it is still
   a prefix of some label. Cost is O(tokens × longest partial match), independent of the size
   of the taxonomy. A hit's score grows with the idf mass of the matched words (one common word
   such as "management" is weak evidence; "metināšana" or "forklift" is strong) and shrinks when
   the span lies inside a longer hit of another skill ("Excel" inside "use Microsoft Excel").
2. **Fuzzy fallback.** Per clause, a bag of stems is multiplied with an idf²-weighted label ×
   stem matrix (one sparse product for a whole batch), which gives the share of every label's
   weight that the clause contains. Labels whose words are all there but in another order or with
   words between ("operation of forklifts") score up to ``fuzzy_weight``, always below a phrase.
"""
from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .labels import concept_labels, display_label, label_stems, stem_matrix
from .stance import HELD, NEGATED, WANTED, cues, stance_of
from .text import Token, analyze, fold, stem

__all__ = ["STANCES", "SkillExtractor", "SkillMatch", "Span", "skills_from_text"]

STANCES = (HELD, NEGATED, WANTED)

ERR_TOP_K = "top_k must be a positive integer"
ERR_TEXT = "text must be a string"

# Words too general to name a skill on their own: one of them alone ("design", "learning", "drošība") finds
# nothing; in a phrase with other words ("web design", "machine learning") it counts as any word does.
GENERIC_ALONE = frozenset("""
design designing grow growing learning learn learned infrastructure management manage planning plan communication
work working system systems technology technologies safety security data computer computers service services
quality development develop support process processes
dizains dizainu mācīties mācos mācības audzēt audzēšana infrastruktūra vadība vadīt plānošana komunikācija
drošība drošības dati datu dators datori datoru sistēma sistēmas tehnoloģijas pakalpojumi kvalitāte attīstība
""".split())

# Clause boundaries for the fuzzy pass: words from different sentences are not one skill.
_CLAUSE_RE = re.compile(r"[.;!?\n\r•·|:()\[\]]")


class Span(NamedTuple):
    start: int
    end: int
    text: str


class SkillMatch(NamedTuple):
    """One extracted skill; ``span`` is the matched text, ``method`` 'phrase' or 'fuzzy'."""

    skill_id: object
    uri: str
    label: str
    score: float
    span: Span
    method: str
    matched_label: str
    stance: str = HELD  # held | negated | wanted (matching.stance): what the text says about the skill


class SkillExtractor(BaseEstimator):
    """Find taxonomy skills in free text (Latvian, English, mixed; inflected; no diacritics).

    Parameters
    ----------
    fuzzy : bool, default True
        Run the bag-of-stems fallback for labels not found as a phrase.
    fuzzy_threshold : float, default 0.67
        Minimum share of a label's idf² weight that a clause must contain.
    fuzzy_weight : float, default 0.55
        Score of a fully covered fuzzy match (phrases score higher).
    shadow_penalty : float, default 0.75
        Factor for a phrase whose span lies strictly inside a longer phrase of another skill.
    max_df : float, default 0.02
        Stems in more than this share of labels only count toward coverage, never start a
        fuzzy candidate on their own (keeps the sparse product small).
    """

    def __init__(
        self,
        *,
        fuzzy: bool = True,
        fuzzy_threshold: float = 0.67,
        fuzzy_weight: float = 0.55,
        shadow_penalty: float = 0.75,
        max_df: float = 0.02,
    ):
        self.fuzzy = fuzzy
        self.fuzzy_threshold = fuzzy_threshold
        self.fuzzy_weight = fuzzy_weight
        self.shadow_penalty = shadow_penalty
        self.max_df = max_df

    # ------------------------------------------------------------------ fit
    def fit(self, skills: pd.DataFrame, y=None) -> "SkillExtractor":
        """Index the labels of ``skills``.

        Parameters
        ----------
        skills : DataFrame
            One row per skill: ``skill_id``, ``uri`` and label columns ``label_en``,
            ``label_lv``, ``alt_labels_en``, ``alt_labels_lv`` (lists), optionally
            ``hidden_labels_en``/``hidden_labels_lv``.

        Returns
        -------
        self
        """
        labels = concept_labels(skills, id_column="skill_id")
        all_stems = label_stems(labels["label"])
        matrix, vocabulary = stem_matrix(all_stems)
        df = np.asarray(matrix.sum(axis=0)).ravel()
        self.vocabulary_ = vocabulary
        self.idf_ = (np.log((1 + matrix.shape[0]) / (1 + df)) + 1).astype(np.float32)
        self._fit_phrases(all_stems)
        self.label_stems_ = [tuple(label) for label in all_stems]
        self._fit_fuzzy(matrix, all_stems, df)
        self.label_concept_ = labels["concept"].to_numpy(np.int32)
        self.label_text_ = labels["label"].to_numpy(object)
        self.label_language_ = labels["language"].to_numpy(object)
        self.label_kind_ = labels["kind"].to_numpy(np.int8)
        self.skill_ids_ = skills["skill_id"].to_numpy(object)
        self.uris_ = (skills["uri"] if "uri" in skills else skills["skill_id"].astype(str)).to_numpy(object)
        self.display_ = {lang: display_label(skills.reset_index(drop=True), lang) for lang in ("lv", "en")}
        return self

    def _fit_phrases(self, all_stems: list[list[str]]) -> None:
        phrases: dict[tuple[str, ...], list[int]] = {}
        prefixes: set[tuple[str, ...]] = set()
        weights = np.zeros(len(all_stems), dtype=np.float32)
        for row, label in enumerate(all_stems):
            if not label:
                continue
            key = tuple(label)
            phrases.setdefault(key, []).append(row)
            prefixes.update(key[:n] for n in range(1, len(key) + 1))
            mass = sum(float(self.idf_[self.vocabulary_[s]]) for s in label)
            # Saturating in the idf mass: one common word ≈ 0.7, one rare word ≈ 0.9, two or more ≈ 1.
            weights[row] = 1.0 - 0.5 * np.exp(-mass / 8.0)
        self.phrases_ = {k: np.asarray(v, dtype=np.int32) for k, v in phrases.items()}
        self.prefixes_ = prefixes
        self.max_phrase_len_ = max((len(k) for k in phrases), default=0)
        self.phrase_weight_ = weights
        self.generic_stems_ = frozenset(stem(fold(word)) for word in GENERIC_ALONE)

    def _fit_fuzzy(self, matrix: sp.csr_matrix, all_stems: list[list[str]], df: np.ndarray) -> None:
        weights = matrix.multiply(self.idf_[None, :] ** 2).tocsr()
        norms = np.asarray(weights.sum(axis=1)).ravel()
        norms[norms == 0] = 1.0
        coverage = sp.diags((1.0 / norms).astype(np.float32)) @ weights
        self.label_length_ = np.asarray([len(set(s)) for s in all_stems], dtype=np.int16)
        # Candidates come only from informative stems; common ones are added per candidate.
        self.rare_stem_ = df <= max(2, self.max_df * matrix.shape[0])
        # One-word labels are found by the phrase pass or not at all: keep them out of the product.
        multi = sp.diags((self.label_length_ >= 2).astype(np.float32))
        coverage = (multi @ coverage).tocsr()
        coverage.eliminate_zeros()
        self.coverage_t_ = coverage.T.tocsr().astype(np.float32)

    # -------------------------------------------------------------- extract
    def extract(self, text: str, top_k: int = 10, *, language: str | None = None,
                stances: tuple[str, ...] = (HELD,)) -> list[SkillMatch]:
        """Skills found in ``text``, best first.

        Parameters
        ----------
        text : str
            Free text: a vacancy description, a CV, a few sentences.
        top_k : int, default 10
            How many skills to return at most.
        language : {'lv', 'en'}, optional
            Language of the returned ``label``; by default that of the matched label.

        Returns
        -------
        list of SkillMatch
            ``(skill_id, uri, label, score, span, method, matched_label, stance)``, best first. By default only
            skills the text says the person holds: a negated ("almost no English", "nav pieredzes ar …") or wanted
            ("I am learning Latvian", "gribu apgūt …") mention is left out unless its stance is in ``stances``.
        """
        return self.transform([text], top_k=top_k, language=language, stances=stances)[0]

    def transform(self, texts: list[str], top_k: int = 10, *, language: str | None = None,
                  stances: tuple[str, ...] = (HELD,)) -> list[list[SkillMatch]]:
        """:meth:`extract` for many texts at once (one sparse product for the fuzzy pass)."""
        check_is_fitted(self, "phrases_")
        if not isinstance(top_k, (int, np.integer)) or isinstance(top_k, bool) or top_k < 1:
            raise ValueError(ERR_TOP_K)
        if any(not isinstance(t, str) for t in texts):
            raise TypeError(ERR_TEXT)
        analysed = [analyze(t) for t in texts]
        hits = [self._phrase_hits(tokens) for tokens in analysed]
        if self.fuzzy:
            self._add_fuzzy_hits(texts, analysed, hits)
        return [self._rank(text, doc_hits, top_k, language, stances) for text, doc_hits in zip(texts, hits)]

    def extract_frame(self, documents: pd.DataFrame, top_k: int = 20, *, id_column: str = "doc_id") -> pd.DataFrame:
        """Long frame of skills found in ``documents[["<id_column>", "text"]]``.

        Returns
        -------
        DataFrame
            ``<id_column>, skill_id, score, rank, start, end, method``.
        """
        results = self.transform(documents["text"].fillna("").astype(str).tolist(), top_k=top_k)
        rows = [
            (doc, m.skill_id, m.score, rank, m.span.start, m.span.end, m.method)
            for doc, matches in zip(documents[id_column].tolist(), results)
            for rank, m in enumerate(matches, start=1)
        ]
        return pd.DataFrame(rows, columns=[id_column, "skill_id", "score", "rank", "start", "end", "method"])

    # ------------------------------------------------------------ internals
    def _phrase_hits(self, tokens: list[Token]) -> dict[int, tuple[float, int, int, int, str]]:
        """Best phrase hit per concept: concept → (score, start, end, label row, method)."""
        found = []  # (i, j, rows)
        stems_ = [t.stem for t in tokens]
        limit = self.max_phrase_len_
        for i in range(len(stems_)):
            for j in range(i + 1, min(len(stems_), i + limit) + 1):
                key = tuple(stems_[i:j])
                if key not in self.prefixes_:
                    break
                rows = self.phrases_.get(key)
                if rows is not None:
                    found.append((i, j, rows))
        best: dict[int, tuple[float, int, int, int, str]] = {}
        for i, j, rows in found:
            if j - i == 1 and stems_[i] in self.generic_stems_:
                continue  # one general word alone names no skill
            shadowed = any(a <= i and j <= b and (b - a) > (j - i) for a, b, _ in found)
            factor = self.shadow_penalty if shadowed else 1.0
            start, end = tokens[i].start, tokens[j - 1].end
            for row in rows.tolist():
                score = float(self.phrase_weight_[row]) * factor + (0.01 if self.label_kind_[row] == 0 else 0.0)
                concept = int(self.label_concept_[row])
                if concept not in best or score > best[concept][0]:
                    best[concept] = (score, start, end, row, "phrase")
        return best

    def _fuzzy_queries(self, texts: list[str], analysed: list[list[Token]]):
        """One query row per clause that has an informative stem: (rows, cols, owners, tokens)."""
        rows, cols, owners, clause_tokens = [], [], [], []
        vocabulary, rare = self.vocabulary_, self.rare_stem_
        for doc, (text, tokens) in enumerate(zip(texts, analysed)):
            bounds = [m.start() for m in _CLAUSE_RE.finditer(text)] + [len(text) + 1]
            clause, members, ids = 0, [], set()
            for token in tokens + [None]:
                if token is None or token.start > bounds[clause]:
                    if ids and any(rare[v] for v in ids):
                        row = len(owners)
                        owners.append(doc)
                        clause_tokens.append(members)
                        rows.extend([row] * len(ids))
                        cols.extend(ids)
                    if token is None:
                        break
                    while token.start > bounds[clause]:
                        clause += 1
                    members, ids = [], set()
                v = vocabulary.get(token.stem)
                if v is not None:
                    members.append(token)
                    ids.add(v)
        return rows, cols, owners, clause_tokens

    def _add_fuzzy_hits(self, texts: list[str], analysed: list[list[Token]], hits: list[dict]) -> None:
        rows, cols, owners, clause_tokens = self._fuzzy_queries(texts, analysed)
        if not owners:
            return
        query = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(owners), len(self.vocabulary_))
        )
        coverage = (query @ self.coverage_t_).tocsr()
        entry_row = np.repeat(np.arange(len(owners)), np.diff(coverage.indptr))
        keep = coverage.data >= self.fuzzy_threshold
        by_row: dict[int, list[tuple[int, float]]] = {}
        for row, label, value in zip(
            entry_row[keep].tolist(), coverage.indices[keep].tolist(), coverage.data[keep].tolist()
        ):
            by_row.setdefault(row, []).append((label, value))
        for row, found in by_row.items():
            self._record_fuzzy(hits[owners[row]], found, clause_tokens[row])

    def _record_fuzzy(self, best: dict, found: list[tuple[int, float]], tokens: list[Token]) -> None:
        by_stem = {}
        for t in tokens:
            by_stem.setdefault(t.stem, t)
        for label, value in found:
            concept = int(self.label_concept_[label])
            score = self.fuzzy_weight * min(1.0, value)
            if concept in best and best[concept][0] >= score:
                continue
            present = [by_stem[s] for s in self.label_stems_[label] if s in by_stem]
            if len({t.stem for t in present}) < 2:
                continue  # a label of several words found from one of them alone ("learning" is not "machine learning")
            start, end = min(t.start for t in present), max(t.end for t in present)
            best[concept] = (score, start, end, label, "fuzzy")

    def _rank(self, text: str, best: dict, top_k: int, language: str | None,
              stances: tuple[str, ...] = (HELD,)) -> list[SkillMatch]:
        phrases = [(start, end) for _score, start, end, _label, method in best.values() if method == "phrase"]
        # A cue word inside a phrase found is part of a skill's name ("machine learning"), not a cue.
        found = [c for c in cues(text) if not any(a <= c.start and c.end <= b for a, b in phrases)]
        stance = {}
        for concept, (_score, start, end, _label, method) in best.items():
            # A fuzzy hit gathers words from the whole clause ("speak … no Latvian"): its last word counts too.
            seen = {stance_of(start, end, found)} | ({stance_of(end - 1, end, found)} if method == "fuzzy" else set())
            stance[concept] = NEGATED if NEGATED in seen else WANTED if WANTED in seen else HELD
        kept = {concept: hit for concept, hit in best.items() if stance[concept] in stances}
        order = sorted(kept.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))[:top_k]
        out = []
        for concept, (score, start, end, label, method) in order:
            lang = language or self.label_language_[label]
            out.append(SkillMatch(
                skill_id=self.skill_ids_[concept],
                uri=self.uris_[concept],
                label=self.display_[lang][concept],
                score=round(float(score), 4),
                span=Span(start, end, text[start:end]),
                method=method,
                matched_label=self.label_text_[label],
                stance=stance[concept],
            ))
        return out


def skills_from_text(extractor: SkillExtractor, documents: pd.DataFrame, *, id_column: str, min_score: float = 0.6,
                     level: int = 2, top_k: int = 20) -> pd.DataFrame:
    """Skills a fitted extractor finds in free text, as a ``<id_column>, skill_id, level`` frame.

    Used to complete a candidate's picked skills with those written in their CV text (level
    ``level``, as nobody stated a proficiency); phrases below ``min_score`` are left out.
    """
    found = extractor.extract_frame(documents[[id_column, "text"]], top_k=top_k, id_column=id_column)
    found = found[found["score"] >= min_score]
    return pd.DataFrame({id_column: found[id_column].to_numpy(), "skill_id": found["skill_id"].to_numpy(),
                         "level": np.full(len(found), level, dtype=np.int64)})
