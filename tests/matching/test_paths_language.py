"""Language steps in pathways, what-if with a language level and language courses' entry by level (no DB)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from matching.index import MatchIndex
from matching.paths import Learner, PathFinder, PathFrames

TODAY = dt.date(2026, 11, 27)
NO_LATVIAN = Learner("no-latvian", employment_status="registered_unemployed", kind="reskilling",
                     languages=(("en", 5),))


def _course(pid, level_from, level_to, town="valmiera", **kw) -> dict:
    row = {"programme_id": pid, "name_lv": pid, "name_en": pid, "kind": "continuing_course", "duration_months": 2,
           "mode": "part_time", "cost_eur": 0.0, "min_education": 0, "state_funded_places": False,
           "voucher_eligible": True, "adult_learning_cofinanced": False, "town_id": town, "teaches_language": "lv",
           "language_level_from": level_from, "language_level_to": level_to, "hours": 120, "duration_weeks": 8,
           "target_groups": ["registered_unemployed"]}
    row.update(kw)
    return row


def _finder(frames, courses: list[dict], intakes: list[tuple]) -> PathFinder:
    """v-weld-val (Valmiera, Latvian B2 = 4) is the only language-blocked job of ``no-latvian`` (a welder)."""
    index = MatchIndex().fit(frames)
    programmes = pd.DataFrame(courses)
    path_frames = PathFrames(
        programmes=programmes,
        intakes=pd.DataFrame(intakes, columns=["intake_id", "programme_id", "start_date", "application_deadline",
                                               "seats", "funded_seats"]),
        programme_skills=pd.DataFrame({"programme_id": pd.Series(dtype=object), "skill_id": pd.Series(dtype=object)}))
    return PathFinder().fit(path_frames, index)


LADDER = [_course("lv-a1", None, 1), _course("lv-a2", 1, 2), _course("lv-b1", 2, 3), _course("lv-b2", 3, 4)]
# Intakes every other month; each course lasts 8 weeks, so the next level can start two months later.
MONTHLY = [(f"i-{p}-{m}", p, f"2027-{m:02d}-05", f"2027-{m:02d}-01", 12, 12)
           for p in ("lv-a1", "lv-a2", "lv-b1", "lv-b2") for m in (1, 3, 5, 7, 9, 11)]


def test_a_chain_of_language_courses_unlocks_the_job_blocked_by_latvian(frames):
    finder = _finder(frames, LADDER, MONTHLY)
    pathways = finder.recommend_pathways(NO_LATVIAN, today=TODAY, k=5)
    spoken = [row for row in pathways.itertuples() if row.explanation.get("unlocks_by") == "language"]
    assert spoken, pathways.attrs
    steps = spoken[0].explanation["steps"]
    assert [(s["language"]["from"], s["language"]["to"]) for s in steps] == [
        (None, "A1"), ("A1", "A2"), ("A2", "B1"), ("B1", "B2")]
    starts = [dt.date.fromisoformat(s["start_date"]) for s in steps]
    ends = [dt.date.fromisoformat(s["end_date"]) for s in steps]
    assert all(later > end for end, later in zip(ends, starts[1:]))  # each course after the one before ends
    assert spoken[0].vacancy_ids == ["v-weld-val"] and spoken[0].vacancies_unlocked == 1
    assert spoken[0].summary_en.startswith("take the Latvian courses beginners→A1→A2→B1→B2 (480 hours, free")


def test_a_missing_rung_means_no_language_pathway_and_a_reason(frames):
    finder = _finder(frames, [c for c in LADDER if c["programme_id"] != "lv-b1"], MONTHLY)
    pathways = finder.recommend_pathways(NO_LATVIAN, today=TODAY, k=5)
    assert not any(row.explanation.get("unlocks_by") == "language" for row in pathways.itertuples())
    if pathways.empty:
        assert pathways.attrs["reason"] == "no_language_course"


def test_a_course_full_before_the_next_level_starts_is_skipped_for_a_later_intake(frames):
    # Only one B2 intake, starting before B1 can have ended: no chain reaches B2.
    early = [i for i in MONTHLY if i[1] != "lv-b2"] + [("i-b2-jan", "lv-b2", "2027-01-05", "2027-01-01", 12, 12)]
    finder = _finder(frames, LADDER, early)
    pathways = finder.recommend_pathways(NO_LATVIAN, today=TODAY, k=5)
    assert not any(row.explanation.get("unlocks_by") == "language" for row in pathways.itertuples())


def test_language_courses_admit_by_the_level_held_and_not_the_level_reached(frames):
    finder = _finder(frames, LADDER, MONTHLY)
    a1 = Learner("no-latvian", employment_status="registered_unemployed", languages=(("lv", 1), ("en", 5)))
    offered = set(finder.recommend_programmes(a1, today=TODAY, k=10)["programme_id"])
    assert offered == {"lv-a2"}  # not A1 (nothing new), not B1/B2 (needs A2 first)
    employed = Learner("no-latvian", employment_status="employed", languages=(("lv", 1),))
    assert finder.recommend_programmes(employed, today=TODAY, k=10).empty  # the NVA courses are for the unemployed


def test_what_if_with_latvian_b2_gains_the_blocked_job_and_b1_does_not(frames):
    finder = _finder(frames, LADDER, MONTHLY)
    b2 = finder.what_if_languages(NO_LATVIAN, today=TODAY, levels={"lv": 4})
    assert b2["vacancies_gained"] == ["v-weld-val"] and "v-weld-val" in b2["top_after"]
    assert b2["added_languages"] == [{"language": "lv", "level": 4, "held": 0}]
    b1 = finder.what_if_languages(NO_LATVIAN, today=TODAY, levels={"lv": 3})
    assert b1["vacancies_gained"] == [] and "v-weld-val" not in b1["top_after"]


def test_the_entry_level_rule_is_the_same_in_the_masks_and_in_failures(frames):
    from matching.paths.eligibility import failures

    finder = _finder(frames, LADDER, MONTHLY)
    for level in range(0, 5):
        learner = Learner("no-latvian", employment_status="registered_unemployed", languages=(("lv", level),))
        offered = set(finder.recommend_programmes(learner, today=TODAY, k=10)["programme_id"])
        for course in LADDER:
            ok = not failures(groups=frozenset({"registered_unemployed"}), age=25, education=2,
                              languages={"lv": level}, target_groups=course["target_groups"], min_age=None,
                              max_age=None, min_education=0, instruction=(), course_language="lv",
                              course_level_from=course["language_level_from"])
            new = level < course["language_level_to"]
            assert (course["programme_id"] in offered) == (ok and new), (level, course["programme_id"])
