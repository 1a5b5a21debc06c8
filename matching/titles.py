"""Job title → occupations, from preferred and alternative labels in Latvian and English.

A title is short, so every label is a candidate and three signals are blended per label:

* **stem overlap** — Dice coefficient of the idf²-weighted stem sets of title and label
  (word order and inflection do not matter: "metinātāja" meets "metinātājs", "CNC operatora"
  meets "CNC operators");
* **character n-grams** — cosine of char 3–5-gram TF-IDF on the folded text, which catches
  Latvian compounds and typos ("punktmetinātājs" near "metinātājs", "grāmatvede" near
  "grāmatvedis");
* **exact** — the title's stems equal a label's stems.

An occupation scores the best of its labels.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .labels import concept_labels, display_label, label_stems, stem_matrix
from .text import fold, stems

__all__ = ["TitleMatch", "TitleMatcher"]

ERR_TOP_K = "top_k must be a positive integer"
ERR_TITLE = "title must be a string"


class TitleMatch(dict):
    """``{"occupation_id", "uri", "label", "score", "matched_label"}``."""


class TitleMatcher(BaseEstimator):
    """Rank occupations for a job title.

    Parameters
    ----------
    word_weight : float, default 0.6
        Weight of the stem-overlap signal; the character signal gets ``1 - word_weight``.
    ngram_range : tuple, default (3, 5)
        Character n-gram sizes (within word boundaries).
    exact_bonus : float, default 0.25
        Added when the title's stems equal a label's stems.
    """

    def __init__(self, *, word_weight: float = 0.6, ngram_range: tuple[int, int] = (3, 5), exact_bonus: float = 0.25):
        self.word_weight = word_weight
        self.ngram_range = ngram_range
        self.exact_bonus = exact_bonus

    def fit(self, occupations: pd.DataFrame, y=None) -> "TitleMatcher":
        """Index the labels of ``occupations``.

        Parameters
        ----------
        occupations : DataFrame
            One row per occupation: ``occupation_id``, ``uri``, ``label_en``, ``label_lv``,
            ``alt_labels_en``, ``alt_labels_lv`` (lists of str).

        Returns
        -------
        self
        """
        labels = concept_labels(occupations, id_column="occupation_id")
        all_stems = label_stems(labels["label"])
        matrix, vocabulary = stem_matrix(all_stems)
        df = np.asarray(matrix.sum(axis=0)).ravel()
        self.vocabulary_ = vocabulary
        self.idf_ = (np.log((1 + matrix.shape[0]) / (1 + df)) + 1).astype(np.float32)
        weights = matrix.multiply(self.idf_[None, :] ** 2).tocsr()
        self.label_mass_ = np.asarray(weights.sum(axis=1)).ravel().astype(np.float32)
        self.word_t_ = weights.T.tocsr()
        self.char_vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(self.ngram_range), sublinear_tf=True, dtype=np.float32
        )
        self.char_t_ = self.char_vectorizer_.fit_transform([fold(t) for t in labels["label"]]).T.tocsr()
        self.label_key_ = np.asarray([" ".join(sorted(set(s))) for s in all_stems], dtype=object)
        self.label_concept_ = labels["concept"].to_numpy(np.int32)
        self.label_text_ = labels["label"].to_numpy(object)
        self.label_language_ = labels["language"].to_numpy(object)
        self.occupation_ids_ = occupations["occupation_id"].to_numpy(object)
        self.uris_ = (occupations["uri"] if "uri" in occupations else occupations["occupation_id"].astype(str)).to_numpy(object)
        frame = occupations.reset_index(drop=True)
        self.display_ = {lang: display_label(frame, lang) for lang in ("lv", "en")}
        return self

    def label_scores(self, title: str) -> np.ndarray:
        """Score of every indexed label for ``title`` (dense, one entry per label)."""
        check_is_fitted(self, "word_t_")
        title_stems = sorted(set(stems(title)))
        ids = [self.vocabulary_[s] for s in title_stems if s in self.vocabulary_]
        n_labels = len(self.label_text_)
        word = np.zeros(n_labels, dtype=np.float32)
        if ids:
            query = sp.csr_matrix((np.ones(len(ids), dtype=np.float32), (np.zeros(len(ids), int), ids)),
                                  shape=(1, len(self.vocabulary_)))
            shared = (query @ self.word_t_).toarray().ravel()
            # Unknown title words still count in the title's mass, with the largest idf.
            title_mass = float((self.idf_[ids] ** 2).sum()) + (len(title_stems) - len(ids)) * float(self.idf_.max()) ** 2
            word = 2 * shared / (title_mass + self.label_mass_)
        char_query = self.char_vectorizer_.transform([fold(title)])
        char = (char_query @ self.char_t_).toarray().ravel()
        score = self.word_weight * word + (1 - self.word_weight) * char
        key = " ".join(title_stems)
        if key:
            score = score + self.exact_bonus * (self.label_key_ == key)
        return score

    def match(self, title: str, top_k: int = 10, *, language: str | None = None) -> list[TitleMatch]:
        """Occupations for ``title``, best first.

        Parameters
        ----------
        title : str
            A job title in Latvian or English, any case, with or without diacritics.
        top_k : int, default 10
        language : {'lv', 'en'}, optional
            Language of the returned ``label``; by default that of the best-matching label.

        Returns
        -------
        list of TitleMatch
            Dicts with ``occupation_id, uri, label, score, matched_label``; scores in [0, ~1.25].
        """
        if not isinstance(title, str):
            raise TypeError(ERR_TITLE)
        if not isinstance(top_k, (int, np.integer)) or isinstance(top_k, bool) or top_k < 1:
            raise ValueError(ERR_TOP_K)
        scores = self.label_scores(title)
        pool = min(len(scores), max(50, 20 * top_k))
        top = np.argpartition(-scores, pool - 1)[:pool] if pool < len(scores) else np.arange(len(scores))
        top = top[np.lexsort((top, -scores[top]))]
        best, seen = [], set()
        for label in top.tolist():
            concept = int(self.label_concept_[label])
            if scores[label] <= 0 or len(best) == top_k:
                break
            if concept not in seen:
                seen.add(concept)
                best.append((concept, scores[label], label))
        out = []
        for concept, score, label in best:
            lang = language or self.label_language_[label]
            out.append(TitleMatch(
                occupation_id=self.occupation_ids_[concept], uri=self.uris_[concept],
                label=self.display_[lang][concept], score=round(float(score), 4),
                matched_label=self.label_text_[label],
            ))
        return out
