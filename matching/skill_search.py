"""Search taxonomy labels as people type them: exact label first, then prefix, then fuzzy (issue 17, part 4).

Every label of a concept is indexed, preferred and alternative, Latvian and English at once, so a Latvian user who
types an English word ("HTML", "Excel") finds it. Labels and the query go through the same folding (case and
diacritics optional) and the same Latvian/English stemmer as the skill extractor (``matching.text``), so the
nominative, accusative and genitive forms of one word meet ("darbinieki", "darbiniekus", "darbinieku").

A label is scored against the query in tiers, best first:

1. **exact**: the folded label is the folded query ("html" = "HTML");
2. **same words**: the same stems in any order and form ("vadīt darbiniekus" = "darbinieku vadīšana");
3. **prefix**: the label starts with what was typed ("izklāj" → "izklājlapas");
4. **every word**: each query word is in the label, whole, as a word's beginning or as a close spelling
   (``rapidfuzz``), fewer extra label words first;
5. **every word across labels**: each query word is in one of the concept's labels, not all in one (a Latvian
   word and an English one: "mašīnu maintenance");
6. **some words**: the share of query words found.

Within a tier a preferred label beats an alternative one and a shorter label a longer one. A concept scores as its
best label. The index is built once (``fit``) and answers in well under a millisecond per query on the demo
taxonomy; candidates come from inverted postings (stems, word beginnings, close spellings of the vocabulary), never
from a scan of every label.
"""
from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from .text import _STOP_STEMS as STOP_STEMS
from .text import analyze

EXACT, SAME_WORDS, PREFIX, EVERY_WORD, ACROSS_LABELS, SOME_WORDS = 5.0, 4.0, 3.0, 2.0, 1.5, 1.0
WHOLE, BEGINNING = 1.0, 0.9
FUZZY_WEIGHT = 0.8  # a close spelling counts this much of its similarity
MIN_PREFIX = 2  # letters typed before word beginnings count
MIN_FUZZY = 4  # letters in a query word before close spellings count
FUZZY_LIMIT = 12  # vocabulary words tried per query word


def fuzzy_cutoff(word: str) -> float:
    """Similarity (0–100, ``rapidfuzz.fuzz.ratio``) a close spelling needs: stricter for short words."""
    return 86.0 if len(word) <= 5 else 78.0


@dataclass(frozen=True)
class SearchHit:
    item_id: int
    score: float
    label: str
    language: str
    preferred: bool


@dataclass(frozen=True)
class _Label:
    item_id: int
    text: str
    language: str
    preferred: bool
    folded: str  # folded words joined by one space
    stems: tuple[str, ...]
    words: tuple[str, ...]  # folded words


def _analysed(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(folded text, stems, folded words): stop words left out of the stems and words unless the text is nothing
    but stop words; the folded text keeps every word."""
    tokens = analyze(text, drop_stop_words=False)
    kept = [t for t in tokens if t.stem not in STOP_STEMS] or tokens
    return " ".join(t.folded for t in tokens), tuple(t.stem for t in kept), tuple(t.folded for t in kept)


class LabelSearch:
    """Rank concepts by how well one of their labels matches a typed query (see the module docstring)."""

    def fit(self, labels: pd.DataFrame) -> "LabelSearch":
        """``labels``: columns ``item_id, label, language, preferred`` (one row per label)."""
        self.labels_: list[_Label] = []
        self.by_folded_: dict[str, list[int]] = defaultdict(list)
        self.by_stem_: dict[str, set[int]] = defaultdict(set)
        self.by_word_: dict[str, set[int]] = defaultdict(set)
        self.by_key_: dict[tuple[str, ...], list[int]] = defaultdict(list)
        seen: dict[str, tuple] = {}
        for row in labels.itertuples(index=False):
            if not isinstance(row.label, str) or not row.label.strip():
                continue
            if row.label not in seen:
                seen[row.label] = _analysed(row.label)
            folded, stems, words = seen[row.label]
            label = _Label(int(row.item_id), row.label, str(row.language), bool(row.preferred), folded, stems, words)
            index = len(self.labels_)
            self.labels_.append(label)
            self.by_folded_[folded].append(index)
            self.by_key_[tuple(sorted(set(stems)))].append(index)
            for stem in stems:
                self.by_stem_[stem].add(index)
            for word in words:
                self.by_word_[word].add(index)
        self.stems_ = sorted(self.by_stem_)
        self.words_ = sorted(self.by_word_)
        return self

    # ------------------------------------------------------------------------------------------ candidates
    @staticmethod
    def _beginning(vocabulary: list[str], prefix: str) -> list[str]:
        start = bisect.bisect_left(vocabulary, prefix)
        end = bisect.bisect_left(vocabulary, prefix + "\uffff")
        return vocabulary[start:end]

    def _close(self, stem: str) -> dict[str, float]:
        """Vocabulary stems spelled close to ``stem`` → similarity 0–1."""
        if len(stem) < MIN_FUZZY:
            return {}
        found = process.extract(stem, self.stems_, scorer=fuzz.ratio, score_cutoff=fuzzy_cutoff(stem),
                                limit=FUZZY_LIMIT)
        return {word: score / 100.0 for word, score, _ in found}

    # ------------------------------------------------------------------------------------------- scoring
    def _credits(self, stem: str, word: str) -> dict[int, float]:
        """label index → the credit one query word earns in it: whole word, a word's beginning, a close spelling.

        Built from the postings, never by reading the labels."""
        credits: dict[int, float] = {}
        for match in self._close(stem).items():
            weight = FUZZY_WEIGHT * match[1]
            for index in self.by_stem_[match[0]]:
                credits[index] = max(credits.get(index, 0.0), weight)
        beginnings: set[int] = set()
        if len(word) >= MIN_PREFIX:
            for match in self._beginning(self.words_, word):
                beginnings |= self.by_word_[match]
        if len(stem) >= 3:
            for match in self._beginning(self.stems_, stem):
                beginnings |= self.by_stem_[match]
        credits.update(dict.fromkeys(beginnings, BEGINNING))
        credits.update(dict.fromkeys(self.by_stem_.get(stem, ()), WHOLE))
        credits.update(dict.fromkeys(self.by_word_.get(word, ()), WHOLE))
        return credits

    def _score(self, label: _Label, query: str, key: tuple[str, ...], credits: list[float]) -> float:
        tie = (0.05 if label.preferred else 0.0) - 0.002 * len(label.words)
        if label.folded == query:
            return EXACT + tie
        if key and tuple(sorted(set(label.stems))) == key:
            return SAME_WORDS + tie
        if len(query) >= MIN_PREFIX and label.folded.startswith(query):
            return PREFIX + len(query) / max(len(label.folded), 1) * 0.5 + tie
        found = sum(1 for c in credits if c > 0)
        if not found:
            return 0.0
        quality = sum(credits) / len(credits)
        coverage = min(found, len(label.words)) / max(len(label.words), 1)  # fewer words left over: closer
        tier = EVERY_WORD if found == len(credits) else SOME_WORDS
        return tier + 0.5 * quality + 0.3 * coverage + tie

    def search(self, query: str, *, k: int = 20) -> list[SearchHit]:
        """The ``k`` best concepts for ``query``, best first (an empty list for a query without letters)."""
        folded, stems, words = _analysed(query)
        if not folded:
            return []
        key = tuple(sorted(set(stems)))
        per_word = [self._credits(stem, word) for stem, word in zip(stems, words)]
        candidates: set[int] = set(self.by_folded_.get(folded, ())) | set(self.by_key_.get(key, ()))
        for credits in per_word:
            candidates.update(credits)
        best: dict[int, tuple[float, _Label]] = {}
        union: dict[int, list[float]] = {}
        for index in candidates:
            label = self.labels_[index]
            credits = [c.get(index, 0.0) for c in per_word]
            score = self._score(label, folded, key, credits)
            seen = union.get(label.item_id)
            union[label.item_id] = credits if seen is None else [max(a, b) for a, b in zip(seen, credits)]
            if score > 0 and (label.item_id not in best or score > best[label.item_id][0]):
                best[label.item_id] = (score, label)
        for item, credits in union.items():
            if len(credits) > 1 and all(c > 0 for c in credits) and best[item][0] < ACROSS_LABELS:
                best[item] = (ACROSS_LABELS + 0.4 * sum(credits) / len(credits), best[item][1])
        ranked = heapq.nsmallest(k, best.items(), key=lambda kv: (-kv[1][0], len(kv[1][1].text), kv[0]))
        return [SearchHit(item_id=item, score=round(score, 4), label=label.text, language=label.language,
                          preferred=label.preferred) for item, (score, label) in ranked]
