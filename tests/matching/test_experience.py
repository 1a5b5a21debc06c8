"""Work history implies skills (issue 10 with 17): the essential skills of an occupation one worked in count at
``experience_credit`` until confirmed, and explanations name the occupation."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from matching.index import MatchIndex

OCCUPATION_SKILLS = pd.DataFrame([("welder", "weld", True), ("welder", "tig", True), ("warehouse", "forklift", True),
                                  ("warehouse", "stock", True), ("cook", "cook", True)],
                                 columns=["occupation_id", "skill_id", "essential"])


@pytest.fixture
def with_history(frames):
    """A former welder who lists no skills at all: only ``welder, 12 years`` in the history; and a one-month cook."""
    candidates = pd.concat([frames.candidates, pd.DataFrame([
        {**frames.candidates.iloc[0].to_dict(), "candidate_id": "ex-welder", "text": ""},
        {**frames.candidates.iloc[0].to_dict(), "candidate_id": "short-cook", "text": ""},
    ])], ignore_index=True)
    occupations = pd.concat([frames.candidate_occupations.assign(years=None), pd.DataFrame([
        ("ex-welder", "welder", "history", 12.0), ("short-cook", "cook", "history", 0.1),
    ], columns=["candidate_id", "occupation_id", "kind", "years"])], ignore_index=True)
    languages = pd.concat([frames.candidate_languages, pd.DataFrame([("ex-welder", "lv", 6), ("short-cook", "lv", 6)],
                                                                    columns=["candidate_id", "language", "level"])])
    return dataclasses.replace(frames, candidates=candidates, candidate_occupations=occupations,
                               candidate_languages=languages, occupation_skills=OCCUPATION_SKILLS)


def test_a_former_welder_with_no_listed_skills_gets_welding_jobs_from_his_work(with_history):
    index = MatchIndex().fit(with_history)
    listed = index.recommend_jobs("ex-welder").set_index("vacancy_id")
    assert listed.index[0] == "v-weld-val"
    e = listed.at["v-weld-val", "explanation"]
    assert e["matched_skills"] == [] and e["missing_essential"] == []
    assert {(x["skill_id"], x["occupation_id"], x["credit"]) for x in e["experience_skills"]} == {
        ("weld", "welder", 0.7), ("tig", "welder", 0.7)}
    assert e["essential_from_experience"] == 1 and e["essential_matched"] == "0 of 1"


def test_a_stated_skill_outranks_the_same_skill_implied_by_experience(with_history):
    index = MatchIndex().fit(with_history)
    stated = index.explain("welder", "v-weld-val")
    implied = index.explain("ex-welder", "v-weld-val")
    assert stated["parts"]["essential"] > implied["parts"]["essential"] > 0


def test_a_month_in_a_job_implies_nothing_and_the_credit_can_be_turned_off(with_history):
    assert "v-cook" not in index_jobs(MatchIndex().fit(with_history), "short-cook")
    assert index_jobs(MatchIndex(experience_credit=0).fit(with_history), "ex-welder") == []
    with pytest.raises(ValueError, match="experience_credit"):
        MatchIndex(experience_credit=0.4).fit(with_history)  # not above related_credit: could not be told apart


def test_an_upsert_and_what_if_keep_the_skills_implied_by_experience(with_history):
    index = MatchIndex().fit(with_history)
    before = index.explain("ex-welder", "v-weld-val")
    row = with_history.candidates.set_index("candidate_id").loc["ex-welder"].to_dict()
    index.upsert_candidate({**row, "candidate_id": "ex-welder"}, pd.DataFrame(columns=["skill_id", "level"]),
                           pd.DataFrame([("lv", 6)], columns=["language", "level"]),
                           pd.DataFrame([("welder", "history", 12.0)], columns=["occupation_id", "kind", "years"]))
    assert index.explain("ex-welder", "v-weld-val")["experience_skills"] == before["experience_skills"]
    copy = index.with_added_skills("ex-welder", ["cook"])
    assert {x["skill_id"] for x in copy.explain("ex-welder", "v-weld-val")["experience_skills"]} == {"weld", "tig"}


def index_jobs(index: MatchIndex, candidate_id) -> list:
    return index.recommend_jobs(candidate_id)["vacancy_id"].tolist()
