"""The skill search on what people type (issue 17, part 4): MRR and hit@5 per language on a labelled query set.

``tests/data/skill_search_queries.tsv``: queries in Latvian and English as pupils and adults type them (lower
case, often without diacritics, inflected, short), each with the ESCO URI of the skill meant, all in the demo
taxonomy (fixtures/taxonomy/skills.json). The search is asked through the careers selector the API uses, on the
taxonomy ``load_reference`` loads. The floors are the figures reached when the set was written minus 0.02 (README,
"Skill search"); the issue's target is hit@5 >= 0.9 in both languages.
"""
from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from careers.models import Skill
from careers.selectors.catalogue import skills_search

QUERIES = Path(__file__).resolve().parents[1] / "data" / "skill_search_queries.tsv"
REACHED = {"lv": {"mrr": 0.953, "hit@5": 1.000}, "en": {"mrr": 0.889, "hit@5": 0.990}}
SLACK = 0.02
ISSUE_EXAMPLES = [("HTML", "use markup languages"), ("izklājlapu programmatūra", "use spreadsheets software"),
                  ("mašīnu apkope", "perform machine maintenance"), ("vadīt darbiniekus", "manage staff")]


def queries() -> list[dict]:
    with QUERIES.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def taxonomy(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def rank_of(query: str, uri: str) -> int | None:
    found = list(skills_search(query=query, limit=10).values_list("uri", flat=True))
    return found.index(uri) + 1 if uri in found else None


def test_the_query_set_is_big_enough_and_names_only_skills_of_the_demo_taxonomy():
    rows = queries()
    assert len(rows) >= 150
    assert {r["language"] for r in rows} == {"lv", "en"}
    assert min(sum(r["language"] == lang for r in rows) for lang in ("lv", "en")) >= 75
    assert len({(r["language"], r["query"]) for r in rows}) == len(rows)  # no query twice
    import json
    known = {s["uri"] for s in json.loads((QUERIES.parents[2] / "fixtures/taxonomy/skills.json").read_text())["skills"]}
    assert {r["uri"] for r in rows} <= known


@pytest.mark.django_db
@pytest.mark.usefixtures("taxonomy")
@pytest.mark.parametrize("query,meant", ISSUE_EXAMPLES)
def test_the_issues_examples_find_the_skill_first(query, meant):
    assert rank_of(query, Skill.objects.get(label_en=meant).uri) == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("taxonomy")
@pytest.mark.parametrize("language", ["lv", "en"])
def test_mrr_and_hit_at_5_stay_at_the_figures_reached(language):
    ranks = [rank_of(r["query"], r["uri"]) for r in queries() if r["language"] == language]
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    hit5 = sum(1 for r in ranks if r and r <= 5) / len(ranks)
    print(f"{language}: {len(ranks)} queries, MRR {mrr:.3f}, hit@5 {hit5:.3f}")
    assert mrr >= REACHED[language]["mrr"] - SLACK
    assert hit5 >= REACHED[language]["hit@5"] - SLACK
    assert hit5 >= 0.9
