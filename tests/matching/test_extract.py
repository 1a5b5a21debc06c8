"""Skill extraction on tiny labelled skills: Latvian inflection, diacritics, spans, fuzzy fallback."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from matching.extract import ERR_TOP_K, SkillExtractor, skills_from_text

from .conftest import skills_frame


@pytest.fixture
def extractor() -> SkillExtractor:
    return SkillExtractor().fit(skills_frame())


def ids(matches) -> list:
    return [m.skill_id for m in matches]


@pytest.mark.parametrize("text, skill, span", [
    ("Pieredze metināšanā vismaz 2 gadi.", "weld", "metināšanā"),
    ("Darbs: metinašana ražotnē", "weld", "metinašana"),
    ("Meklējam metinātājus.", "weld", "metinātājus"),
    ("Vajadzīgs CNC operatora palīgs", "cnc", "CNC operatora"),
    ("pieredze ar Excel", "excel", "Excel"),
    ("Prasmes: IZKLAJLAPU LIETOSANA", "excel", "IZKLAJLAPU LIETOSANA"),
    ("I enjoy cooking for big groups.", "cook", "cooking"),
    ("Experience operating forklifts", "forklift", "operating forklifts"),
])
def test_inflected_and_unaccented_mentions_find_the_skill_with_its_span(extractor, text, skill, span):
    found = extractor.extract(text, top_k=3)
    assert found[0].skill_id == skill
    assert found[0].span.text == span
    assert text[found[0].span.start:found[0].span.end] == span
    assert found[0].method == "phrase"


def test_several_skills_come_back_best_first(extractor):
    found = extractor.extract("Metināšana ar TIG metināšanu, klientu apkalpošana un Excel.", top_k=10)
    assert set(ids(found)) == {"weld", "tig", "service", "excel"}
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)


def test_shorter_match_inside_a_longer_one_scores_lower(extractor):
    found = {m.skill_id: m for m in extractor.extract("TIG metināšana", top_k=5)}
    assert found["tig"].score > found["weld"].score


def test_words_in_another_order_are_found_by_the_fuzzy_pass(extractor):
    found = extractor.extract("Noliktavas vadība: krājumu uzskaite noliktavas sistēmā", top_k=3)
    assert found and found[0].skill_id == "stock"
    assert SkillExtractor(fuzzy=False).fit(skills_frame()).extract("uzskaite krājumu noliktavas") == []
    fuzzy = extractor.extract("uzskaite krājumu noliktavas")
    assert fuzzy[0].skill_id == "stock" and fuzzy[0].method == "fuzzy"


def test_language_chooses_the_returned_label(extractor):
    assert extractor.extract("welding", language="lv")[0].label == "metināšana"
    assert extractor.extract("metināšana", language="en")[0].label == "welding"


def test_text_without_skills_gives_nothing(extractor):
    assert extractor.extract("Sveiki, mani sauc Anna.") == []


def test_top_k_limits_and_validates(extractor):
    assert len(extractor.extract("metināšana, Excel, klientu apkalpošana", top_k=2)) == 2
    with pytest.raises(ValueError, match=ERR_TOP_K):
        extractor.extract("x", top_k=0)
    with pytest.raises(TypeError):
        extractor.transform([None])


def test_skills_from_text_builds_a_candidate_skill_frame(extractor):
    docs = pd.DataFrame({"candidate_id": [1, 2], "text": ["Es protu metināt un gatavot ēdienu.", ""]})
    frame = skills_from_text(extractor, docs, id_column="candidate_id")
    assert set(map(tuple, frame[["candidate_id", "skill_id"]].to_numpy())) == {(1, "weld"), (1, "cook")}
    assert (frame["level"] == 2).all()


def test_estimator_contract():
    extractor = SkillExtractor(fuzzy_threshold=0.5)
    assert clone(extractor).get_params() == extractor.get_params()
    assert not [name for name in vars(extractor) if name.endswith("_")]
    assert extractor.fit(skills_frame()) is extractor
    assert np.isfinite(extractor.idf_).all()
