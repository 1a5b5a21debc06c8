"""``GET /api/v1/skills/?search=``: ranked as people type (issue 17, part 4)."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills():
    return {
        "html": f.SkillFactory(label_en="use markup languages", label_lv="iezīmēšanas valodu lietošana (HTML)",
                               alt_labels_lv=["HTML", "XML"]),
        "php": f.SkillFactory(label_en="PHP", label_lv="PHP programmēšana", alt_labels_lv=["PHP"],
                              alt_labels_en=["PHP: Hypertext Preprocessor", "HTML-embedded scripting"]),
        "staff": f.SkillFactory(label_en="manage staff", label_lv="personāla vadīšana",
                                alt_labels_lv=["darbinieku vadība"]),
        "recruit": f.SkillFactory(label_en="recruit employees", label_lv="darbinieku atlase"),
        "weld": f.SkillFactory(label_en="operate welding equipment", label_lv="metināšana", skill_type="skill"),
        "welding": f.SkillFactory(label_en="welding techniques", label_lv="metināšanas tehnoloģijas",
                                  skill_type="knowledge"),
    }


def search(**params) -> list[int]:
    response = APIClient().get("/api/v1/skills/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_html_finds_the_html_skill_before_php(skills):
    assert search(search="HTML")[:2] == [skills["html"].pk, skills["php"].pk]


def test_a_latvian_inflection_finds_the_skill_first(skills):
    assert search(search="vadīt darbiniekus")[0] == skills["staff"].pk
    assert search(search="metinasanu")[0] == skills["weld"].pk


def test_other_filters_still_narrow_the_ranked_list(skills):
    assert search(search="metinasana", skill_type="knowledge") == [skills["welding"].pk]


def test_an_explicit_ordering_wins_over_the_ranking(skills):
    ranked = search(search="darbinieku")
    by_label = search(search="darbinieku", ordering="label_en")
    assert sorted(ranked) == sorted(by_label)
    assert by_label == sorted(by_label, key=lambda pk: {s.pk: s.label_en for s in skills.values()}[pk])


def test_nothing_like_a_skill_finds_nothing(skills):
    assert search(search="zzzqqq") == [] and search(search="!!!") == []


def test_a_search_too_long_is_a_400_naming_the_field(skills):
    response = APIClient().get("/api/v1/skills/", {"search": "x" * 101})
    assert response.status_code == 400 and "search" in response.json()["error"]["fields"]


def test_a_skill_added_since_the_index_was_built_is_found(skills):
    assert search(search="HTML")
    new = f.SkillFactory(label_en="use CSS", label_lv="CSS lietošana")
    from careers.runtime import skill_search

    skill_search._holder._checked_at = float("-inf")  # as if the check interval had passed
    assert search(search="css") == [new.pk]
