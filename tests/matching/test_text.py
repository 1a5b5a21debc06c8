"""Folding, tokens and the Latvian/English stemmer."""
from __future__ import annotations

import pytest

from matching.text import analyze, fold, normalise_title, stem, stems, tokenize


def test_fold_strips_latvian_diacritics_and_case():
    assert fold("Metināšanā ĶĒĶIS Ģirts Ļoti Ņ") == "metinasana kekis girts loti n"


def test_tokenize_keeps_offsets_into_the_original_text():
    text = "Pieredze ar Excel, C++ un Ādažu CNC!"
    tokens = tokenize(text)
    assert [(t, text[s:e]) for t, s, e in tokens][2:] == [
        ("excel", "Excel"), ("c++", "C++"), ("un", "un"), ("adazu", "Ādažu"), ("cnc", "CNC")]


def test_offsets_survive_characters_that_fold_to_two():
    text = "Straße metināšana"
    (_, s1, e1), (_, s2, e2) = tokenize(text)
    assert text[s1:e1] == "Straße" and text[s2:e2] == "metināšana"


@pytest.mark.parametrize("forms", [
    ["metināšana", "metināšanā", "metināšanas", "metinātājs", "metinātāja", "metinātājiem", "metināt", "Metinasana"],
    ["operators", "operatora", "operatoru", "operator", "operate", "operating"],
    ["skārdnieks", "skārdniece", "skārdniecei"],
    ["pārdevējs", "pārdevēja", "pārdevējiem"],
    ["welding", "welder", "welds", "welded"],
    ["system", "systems"],
    ["process", "processes"],
    ["technology", "technologies"],
])
def test_inflected_forms_share_one_stem(forms):
    assert len({stem(fold(word)) for word in forms}) == 1


def test_short_words_and_codes_are_left_alone():
    assert stem("cnc") == "cnc" and stem("c++") == "c++" and stem("iso9001") == "iso9001"


def test_stop_words_go_in_every_inflection_but_a_label_of_only_stop_words_keeps_them():
    assert [t.stem for t in analyze("pieredze ar Excel")] == ["excel"]
    assert [t.stem for t in analyze("pieredzes un Excel")] == ["excel"]
    assert stems("and or") == ["and", "or"]


def test_normalised_title_ignores_order_and_inflection():
    assert normalise_title("Noliktavas darbinieks") == normalise_title("darbiniece noliktavā")
