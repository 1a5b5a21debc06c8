"""What a text says about a skill it names: held, negated or wanted (issue 17, part 5).

"almost no English", "nav pieredzes ar Excel", "I have never welded" name a skill the person does not have;
"I am learning Latvian", "gribu apgūt metināšanu", "I want to learn welding" name one they want. A cue word before
a mention, in the same clause, gives the mention its stance; a mention without a cue is held. The scope of a cue
ends at the end of a sentence, at a contrast word ("but", "bet", "taču") or at a comma that starts a new clause
("…, I speak English"; "…, es protu Word"), and after ``SCOPE_WORDS`` words.

Rules in plain words, Latvian and English alike; they are matched on folded words (no diacritics, lower case), so
"velos" and "vēlos" are one word. A cue word inside a skill's own label ("machine learning", "production planning")
is no cue: the extractor drops cues that lie inside a mention.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .text import fold, tokenize

HELD, NEGATED, WANTED = "held", "negated", "wanted"
SCOPE_WORDS = 8

_SENTENCE_END = re.compile(r"[.;!?\n\r•|]")
CONTRAST = frozenset(fold(w) for w in "but however although though yet bet taču tomēr lai gan savukārt".split())
# A comma ends a cue's scope when a new clause starts after it (a subject or a verb of its own).
NEW_CLAUSE = frozenset(fold(w) for w in """
i we my he she they es mēs man mans mana viņš viņa protu māku zinu strādāju strādāju esmu varu runāju have can
speak know am work
""".split())

# Single words that negate what follows: English, and Latvian verbs in their negated forms.
NEGATION_WORDS = frozenset(fold(w) for w in """
no not never without lack lacking none nor neither hardly barely
nav neesmu neesam nebija nekad bez neprotu nemāku nezinu nerunāju nevaru nelietoju nepārzinu nepazīstu
nestrādāju trūkst
""".split())
# Contractions come apart as two tokens: "don't" → "don", "t".
NEGATED_AUXILIARIES = frozenset("don doesn didn can couldn won wouldn haven hasn isn aren wasn weren".split())

# Words that make what follows something the person wants to learn or do, not something they hold.
ASPIRATION_WORDS = frozenset(fold(w) for w in """
learn learning learnt study studying want wants wanting wish hope hoping plan planning become dream aspire
interested improve
gribu gribētu vēlos vēlētos vēlme mācos mācīties mācāmies apgūt apgūstu apgūšu iemācīties iemācos plānoju
sapņoju kļūt interesē
""".split())
# "improve" and "uzlabot" keep a skill held ("improve my English": some English there is).
HELD_DESPITE = frozenset(fold(w) for w in "improve improving uzlabot uzlaboju pilnveidot".split())


class Cue(NamedTuple):
    stance: str
    start: int  # character offset of the cue word
    end: int
    scope_end: int  # character offset where its scope ends


def cues(text: str) -> list[Cue]:
    """Every negation or aspiration cue in ``text`` with the character span its scope covers."""
    tokens = tokenize(text)
    ends = [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    found = []
    for n, (word, start, end) in enumerate(tokens):
        following = tokens[n + 1][0] if n + 1 < len(tokens) else ""
        if word in HELD_DESPITE:
            continue
        if word in NEGATION_WORDS or (word in NEGATED_AUXILIARIES and following == "t"):
            stance = NEGATED
        elif word in ASPIRATION_WORDS:
            stance = WANTED
        else:
            continue
        scope_end = next(e for e in ends if e >= end)
        for m, (later, later_start, _later_end) in enumerate(tokens[n + 1:], start=1):
            if later_start >= scope_end:
                break
            between = text[tokens[n + m - 1][2]:later_start]
            if (later in CONTRAST or m > SCOPE_WORDS or ("," in between and later in NEW_CLAUSE)
                    or (stance == WANTED and later in HELD_DESPITE)):
                scope_end = later_start
                break
        found.append(Cue(stance, start, end, scope_end))
    return found


def stance_of(span_start: int, span_end: int, found: list[Cue]) -> str:
    """The stance of a mention at ``[span_start, span_end)``: that of the cues before it whose scope its start lies
    in; negation wins over aspiration ("I don't want to learn …" is not a wish); held without a cue."""
    covering = [c for c in found if c.end <= span_start < c.scope_end]
    if not covering:
        return HELD
    if any(c.stance == NEGATED for c in covering):
        return NEGATED
    return WANTED


def aspirations(text: str) -> list[tuple[int, int]]:
    """Character spans of what the text says the person wants (from after the last aspiration cue of a chain to its
    scope's end), for naming an occupation ("I want to become a welder" → "a welder"); none under a negation."""
    found = cues(text)
    wanted = [c for c in found
              if c.stance == WANTED and not any(n.stance == NEGATED and n.end <= c.start < n.scope_end for n in found)]
    # "I want to learn welding", "gribu kļūt par pavāru": the last cue of a chain says what is wanted.
    return [(c.end, c.scope_end) for c in wanted if not any(c.end <= o.start < c.scope_end for o in wanted)]
