"""Text normalisation for Latvian and English: folding, tokens with offsets, a light stemmer.

The stemmer is deliberately crude and language-blind: job ads and CVs here mix Latvian and
English in one sentence ("pieredze ar Excel"), so every token goes through one suffix list.
What matters is that the inflected forms of one word land on one stem ("metināšanā",
"metināšana", "metinātājs", "metināt" → ``metina``) and that the taxonomy labels go through the
same function as the text, not that the stem is a real word.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "STOP_WORDS", "Token", "analyze", "fold", "normalise_title", "stem", "stems", "tokenize",
]

# Letters and digits, optionally followed by "+" or "#" so that "C++" and "C#" survive.
_TOKEN_RE = re.compile(r"[^\W_]+(?:[+#]+)?", re.UNICODE)

MIN_STEM = 3

# Feminine and masculine agent nouns fold onto one stem before the suffixes are stripped:
# "skārdniece" and "skārdnieks" must meet ("-niece"/"-niek-" and the other forms).
_FEMININE = re.compile(r"niec(e|es|ei|i|u|em|ai|em)?$")

# Endings are stripped in two steps: first one final "s" (Latvian nominative, English plural;
# never "ss", so "process" stays whole), then the longest ending below. Splitting the "s" off
# first is what makes "systems"/"system" and "operators"/"operatora"/"operator" agree.
_CASE = ("", "a", "u", "i", "e", "o", "am", "em", "im", "um", "ai", "ei", "ie", "iem", "ij", "ju", "ja", "ji")
# Derivations that carry a case ending of their own: metin-āšan-a, metin-ātāj-s, pārdev-ēj-a, oper-ator-a.
# "-oj-" is the present stem of -ot verbs: lab-oj-u ("I fix") meets lab-ot and lab-ošana.
_DERIVED = ("asan", "esan", "isan", "osan", "usan", "san", "ataj", "etaj", "itaj", "otaj", "taj", "ej", "aj", "oj",
            "ator")
_VERB = ("at", "et", "it", "ot", "t", "dam", "dama", "ti", "ta", "tu")
_ENGLISH = (
    "ation", "ating", "ated", "ate", "ing", "er", "ied", "ed", "ly", "ement", "ment", "y",
)
_SUFFIXES = tuple(sorted(
    {base + case for base in _DERIVED for case in _CASE} | set(_CASE[1:]) | set(_VERB) | set(_ENGLISH),
    key=lambda s: (-len(s), s),
))

# Words that carry no skill: dropped when matching phrases, so "operating a forklift" meets
# the label "operate forklift" and "pieredze ar Excel" meets "Excel".
STOP_WORDS = frozenset("""
a an and are as at be by for from has have in is it its of on or our the their this to
with within without you your we will can may must should other etc using use ability able
un ar vai par uz no pie pa ir bija ka kas kur lai ja arī ari gan bet tā ta to tas tie ko
kā ka mums jums mēs mes es tu viņš vins viņa vina savu savs savas sava mūsu musu jūsu jusu
ļoti loti prasmes prasme spēja speja spējas spejas pieredze pieredzi
zināšanas zinasanas darbs darba darbā darba strādāt stradat meklējam meklejam
""".split())
_STOP_STEMS: frozenset[str] = frozenset()  # filled at the end, once fold() and stem() exist


class Token(NamedTuple):
    """One token: its stem, the folded surface form and the span in the original text."""

    stem: str
    folded: str
    start: int
    end: int


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Folding is per character and cached in a str.translate table (C speed). Characters that do
# not fold to exactly one character ("ß" → "ss", "ﬁ" → "fi", lone combining marks) are noted,
# because then positions in the folded text are no longer positions in the original.
_FOLD_TABLE: dict[int, str] = {}
_IRREGULAR: set[str] = set()


def _learn(text: str) -> None:
    for ch in set(text):
        if ord(ch) not in _FOLD_TABLE:
            folded = _fold_char(ch)
            _FOLD_TABLE[ord(ch)] = folded
            if len(folded) != 1:
                _IRREGULAR.add(ch)


def fold(text: str) -> str:
    """Case-fold ``text`` and strip diacritics: ``'Metināšanā' -> 'metinasana'``.

    Parameters
    ----------
    text : str
        Any Unicode text.

    Returns
    -------
    str
        Lower-case text without combining marks (ā→a, š→s, ķ→k, ...).
    """
    _learn(text)
    return text.translate(_FOLD_TABLE)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem one folded word with the shared Latvian/English suffix list.

    Parameters
    ----------
    word : str
        A folded token (see :func:`fold`).

    Returns
    -------
    str
        The word without its longest known ending, keeping at least three letters; words
        with digits or ``+``/``#`` ("c++", "iso9001") are returned unchanged.
    """
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    word = _FEMININE.sub("niek", word)
    if word.endswith("s"):
        if word.endswith("ss"):
            # English "process", "business": a Latvian nominative never ends in a double s.
            return word
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Split ``text`` into folded word tokens with their character spans in ``text``.

    Returns
    -------
    list of (folded, start, end)
    """
    folded = fold(text)
    if len(folded) == len(text) and not _IRREGULAR.intersection(text):
        return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(folded)]
    return [(fold(m.group()), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def analyze(text: str, *, drop_stop_words: bool = True) -> list[Token]:
    """Tokens of ``text`` with stems and spans, stop words dropped unless asked.

    Parameters
    ----------
    text : str
        Free text in Latvian, English or both.
    drop_stop_words : bool, default True
        Drop :data:`STOP_WORDS` and their inflections (compared after stemming).

    Returns
    -------
    list of Token
    """
    out = []
    for folded, start, end in tokenize(text):
        stemmed = stem(folded)
        # Compared as stems, so every inflection of a stop word goes ("pieredzes", "pieredzi").
        if drop_stop_words and stemmed in _STOP_STEMS:
            continue
        out.append(Token(stemmed, folded, start, end))
    return out


def stems(text: str, *, drop_stop_words: bool = True) -> list[str]:
    """Only the stems of :func:`analyze`; a label that is all stop words keeps its words."""
    result = [t.stem for t in analyze(text, drop_stop_words=drop_stop_words)]
    if not result and drop_stop_words:
        result = [t.stem for t in analyze(text, drop_stop_words=False)]
    return result


def normalise_title(title: str) -> str:
    """A key for "the same job title": stems sorted, so word order and inflection do not matter."""
    return " ".join(sorted(set(stems(title))))


_STOP_STEMS = frozenset(stem(fold(w)) for w in STOP_WORDS)
