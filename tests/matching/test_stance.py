"""matching.stance: negation and aspiration cues and their scope (no database)."""
from __future__ import annotations

import pytest

from matching.extract import SkillExtractor
from matching.stance import HELD, NEGATED, WANTED, aspirations, cues, stance_of

from .conftest import skills_frame


def stance_at(text: str, word: str) -> str:
    start = text.index(word)
    return stance_of(start, start + len(word), cues(text))


@pytest.mark.parametrize("text, word, stance", [
    ("almost no English", "English", NEGATED),
    ("I don't know Excel", "Excel", NEGATED),
    ("nav pieredzes ar Excel", "Excel", NEGATED),
    ("Es nemāku metināt", "metināt", NEGATED),
    ("bez autovadītāja apliecības", "autovadītāja", NEGATED),
    ("I am learning Latvian", "Latvian", WANTED),
    ("gribu apgūt metināšanu", "metināšanu", WANTED),
    ("Vēlos iemācīties grāmatvedību", "grāmatvedību", WANTED),
    ("I want to learn welding", "welding", WANTED),
    ("I don't want to learn welding", "welding", NEGATED),
    ("I speak English", "English", HELD),
    ("I want to improve my English", "English", HELD),
])
def test_a_cue_before_a_mention_gives_it_its_stance(text, word, stance):
    assert stance_at(text, word) == stance


@pytest.mark.parametrize("text, word", [
    ("Nav pieredzes ar Excel, bet protu Word", "Word"),  # a contrast word ends the scope
    ("I am learning Latvian, I speak English", "English"),  # a comma starting a new clause
    ("Gribu apgūt CNC. Metināšana man padodas", "Metināšana"),  # a new sentence
    ("Not now. Excel every day", "Excel"),
])
def test_a_cue_reaches_no_further_than_its_clause(text, word):
    assert stance_at(text, word) == HELD


def test_a_list_after_one_cue_shares_it():
    text = "Gribu apgūt metināšanu, CNC un grāmatvedību"
    assert {stance_at(text, w) for w in ("metināšanu", "CNC", "grāmatvedību")} == {WANTED}


def test_the_wanted_part_is_after_the_last_cue_of_a_chain():
    text = "I want to become a welder. I can cook."
    assert [text[a:b] for a, b in aspirations(text)] == [" a welder"]
    assert aspirations("I do not want to become a welder") == []


def test_the_extractor_leaves_negated_and_wanted_skills_out_unless_asked():
    extractor = SkillExtractor().fit(skills_frame())
    text = "Nav pieredzes ar Excel. Gribu apgūt metināšanu. Protu gatavot ēdienu."
    held = extractor.extract(text, top_k=10)
    every = {m.skill_id: m.stance for m in extractor.extract(text, top_k=10, stances=(HELD, NEGATED, WANTED))}
    assert "excel" not in {m.skill_id for m in held} and "weld" not in {m.skill_id for m in held}
    assert every["excel"] == NEGATED and every["weld"] == WANTED
    assert all(m.stance == HELD for m in held) and held
