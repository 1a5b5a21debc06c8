"""matching.skill_search on tiny known-answer label sets (no database)."""
from __future__ import annotations

import pandas as pd

from matching.skill_search import LabelSearch

LABELS = [
    # item, label, language, preferred
    (1, "use markup languages", "en", True), (1, "iezīmēšanas valodu lietošana (HTML)", "lv", True),
    (1, "HTML", "lv", False),
    (2, "PHP", "en", True), (2, "PHP programmēšana", "lv", True),
    (3, "manage staff", "en", True), (3, "personāla vadīšana", "lv", True), (3, "darbinieku vadība", "lv", False),
    (4, "recruit employees", "en", True), (4, "darbinieku atlase", "lv", True),
    (5, "use spreadsheets software", "en", True), (5, "darbs ar Microsoft Excel", "lv", True),
    (5, "izklājlapas", "lv", False),
    (6, "machine learning", "en", True), (6, "mašīnmācīšanās", "lv", True),
    (7, "cyber security", "en", True), (7, "kiberdrošība", "lv", True),
]


def index() -> LabelSearch:
    return LabelSearch().fit(pd.DataFrame(LABELS, columns=["item_id", "label", "language", "preferred"]))


def ids(query: str, k: int = 5) -> list[int]:
    return [hit.item_id for hit in index().search(query, k=k)]


def test_an_exact_alternative_label_comes_before_a_label_merely_containing_the_letters():
    assert ids("HTML")[0] == 1
    assert ids("html")[0] == 1


def test_latvian_inflections_and_missing_diacritics_meet_the_label():
    assert ids("vadīt darbiniekus")[0] == 3  # "vadīšana" / "vadība" and "darbinieku" in another form
    assert ids("darbinieku vadiba")[0] == 3
    assert ids("izklajlapu programmatura")[0] == 5  # one word of two, in the genitive, no diacritics


def test_what_is_being_typed_finds_the_label_it_begins():
    assert ids("izklāj")[0] == 5
    assert ids("spreadsh")[0] == 5


def test_both_languages_at_once():
    assert ids("excel")[0] == 5
    assert ids("izklajlapas")[0] == 5
    assert ids("spreadsheets")[0] == 5


def test_a_close_spelling_still_finds_the_skill():
    assert ids("spredsheets")[0] == 5
    assert ids("kiberdrosiba")[0] == 7


def test_the_hit_names_the_label_that_matched():
    hit = index().search("HTML", k=1)[0]
    assert (hit.item_id, hit.label, hit.language, hit.preferred) == (1, "HTML", "lv", False)


def test_a_query_without_letters_or_with_nothing_like_a_label_finds_nothing():
    assert ids("!!!") == [] and ids("") == []
    assert ids("zzzqqq") == []


def test_k_limits_the_answer():
    assert len(ids("a", k=2)) <= 2
