"""What pupils and adults actually write finds skills; one general word alone finds none (issue 10, item 9).

Over the curated taxonomy (``load_reference``) and the everyday phrases of
``fixtures/reference/everyday_skill_phrases.json``, through the same use case the API and the site call.
"""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from careers.runtime.matches import MatchService, set_match_service
from careers.selectors.recommendations import skills_in_text

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


def found(text: str, language: str = "en") -> list[str]:
    return [s.label for s in skills_in_text(text=text, top_k=5, language=language)]


@pytest.mark.parametrize(("text", "skill"), [
    ("laboju velosipēdus", "perform repairs on bicycles"),
    ("Vasarā laboju kaimiņu riteņus", "perform repairs on bicycles"),
    ("fixing bikes", "perform repairs on bicycles"),
    ("zīmēju", "create sketches"),
    ("I like drawing", "create sketches"),
    ("strādāju ar CNC", "tend CNC milling machine"),
    ("Python at school", "Python (computer programming)"),
    ("mašīnu apkope", "perform machine maintenance"),
    ("vadīt darbiniekus", "manage staff"),
    ("izklājlapu programmatūra", "use spreadsheets software"),
])
def test_everyday_phrasing_finds_the_skill_meant(taxonomy, text, skill):
    assert skill in found(text)[:2], found(text)


@pytest.mark.parametrize("text", ["design", "infrastructure", "grow", "learning", "drošība", "datori"])
def test_one_general_word_alone_finds_no_skill(taxonomy, text):
    assert found(text) == []


def test_a_general_word_still_counts_inside_a_longer_phrase(taxonomy):
    assert "social media management" in found("social media management")
    assert "customer service" in found("I like customer service")


def test_the_everyday_phrases_are_matched_but_never_shown(taxonomy):
    labels = found("fixing bikes") + found("laboju velosipēdus", "lv")
    assert "fixing bikes" not in labels and "laboju velosipēdus" not in labels
