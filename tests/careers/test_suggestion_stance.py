"""Issue 17, part 5: the free-text suggester respects what the text says, on the demo taxonomy, in lv and en.

Negated mentions are not suggested; wanted ones come back as skills to learn (and an occupation when one is
named); plain mentions are suggested as before; through the use case the API and the site call, and over HTTP.
"""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from careers.runtime.matches import MatchService, set_match_service
from careers.selectors.recommendations import suggestions_in_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def taxonomy(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference", stdout=StringIO())
    previous = set_match_service(MatchService(background=False))
    yield
    set_match_service(previous)
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def said(text: str, language: str = "en"):
    found = suggestions_in_text(text=text, top_k=10, language=language)
    return ([s.label for s in found.skills], [s.label for s in found.to_learn],
            [o.label for o in found.target_occupations])


@pytest.mark.parametrize("text, skill", [
    ("I speak English well but almost no Latvian.", "Latvian"),
    ("I have almost no English, I speak Russian.", "English"),
    ("Nav pieredzes ar Excel.", "use spreadsheets software"),
    ("Es nerunāju angliski.", "English"),
    ("I have never used Excel.", "use spreadsheets software"),
    ("Bez autovadītāja apliecības.", "drive vehicles"),
])
def test_a_negated_mention_is_not_suggested_at_all(taxonomy, text, skill):
    held, to_learn, _ = said(text)
    assert skill not in held and skill not in to_learn


@pytest.mark.parametrize("text, skill, language", [
    ("I am learning Latvian.", "Latvian", "en"),
    ("Gribu apgūt metināšanu.", "metināšana", "lv"),
    ("I want to learn welding.", "operate welding equipment", "en"),
    ("Mācos latviešu valodu.", "latviešu valoda", "lv"),
])
def test_a_wanted_mention_is_a_skill_to_learn_not_one_held(taxonomy, text, skill, language):
    held, to_learn, _ = said(text, language)
    assert skill in to_learn and skill not in held


@pytest.mark.parametrize("text, occupation, language", [
    ("I want to become a welder.", "welder", "en"),
    ("Gribu apgūt metināšanu.", "metinātājs", "lv"),
])
def test_an_aspiration_names_the_occupation_when_one_fits(taxonomy, text, occupation, language):
    assert occupation in said(text, language)[2]


def test_held_and_wanted_in_one_text_are_told_apart(taxonomy):
    held, to_learn, _ = said("Strādāju ar autokrāvēju, bet gribu apgūt metināšanu.")
    assert "operate forklift" in held and "operate forklift" not in to_learn
    assert "operate welding equipment" in to_learn and "operate welding equipment" not in held


@pytest.mark.parametrize("text", ["learning", "drošība", "datori"])
def test_one_general_word_yields_no_specific_skill_in_either_list(taxonomy, text):
    held, to_learn, occupations = said(text)
    assert held == [] and to_learn == [] and occupations == []


def test_plain_mentions_are_suggested_as_before(taxonomy):
    held, to_learn, occupations = said("Strādāju par metinātāju 15 gadus, protu lasīt rasējumus un strādāt ar CNC.")
    assert {"operate welding equipment", "read standard blueprints"} <= set(held)
    assert to_learn == [] and occupations == []
    held, _, _ = said("I have experience in machine learning and Python.")
    assert {"machine learning", "Python (computer programming)"} <= set(held)


def test_the_suggester_endpoint_returns_the_skills_to_learn_apart(taxonomy):
    response = APIClient().post("/api/v1/skills/extract/", {"text": "Protu lietot Excel, bet gribu apgūt "
                                                                    "metināšanu. Angliski gandrīz nerunāju."},
                                format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    body = response.json()
    held = [s["label"] for s in body["skills"]]
    assert "use spreadsheets software" in held and "operate welding equipment" not in held
    assert "English" not in held and "interact verbally in English" not in held
    wanted = body["to_learn"][0]
    assert wanted["label"] == "operate welding equipment" and wanted["span"]["text"].lower().startswith("metin")
    assert [o["label"] for o in body["target_occupations"]] == ["welder"]
