"""Who may enter a programme, what is within reach, what one already has, and why a list is empty (no DB)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from matching.index import MatchIndex
from matching.paths import Learner, PathFinder, ProgrammeNotOpen
from matching.paths.eligibility import TARGET_GROUPS, failures, funding_allowed, person_groups, programmes_named
from tests.matching.test_paths import TODAY, build_world

METAL = Learner("metal", employment_status="registered_unemployed", kind="reskilling", languages=(("lv", 6),))
# Interests every occupation of the test world fits (RIASEC fit ≥ 0.5): a programme is listed only for a reason of
# the person's own, and for a pupil with no skills that reason is interest.
BROAD = (6, 4, 4, 3, 3, 4)


def _fit(programmes: pd.DataFrame, frames, index) -> PathFinder:
    return PathFinder().fit(dataclasses.replace(frames, programmes=programmes), index)


def _with(frames, pid: str, **columns) -> pd.DataFrame:
    """The programmes frame with ``columns`` set on programme ``pid`` (None elsewhere)."""
    programmes = frames.programmes.copy()
    for name, value in columns.items():
        old = programmes[name].tolist() if name in programmes else [None] * len(programmes)
        programmes[name] = pd.Series([value if p == pid else o for p, o in zip(programmes["programme_id"], old)],
                                     index=programmes.index, dtype=object)
    return programmes


@pytest.fixture
def world():
    return build_world()


def _ids(frame) -> set:
    return set(frame["programme_id"])


# ----------------------------------------------------------------------------------------------- the rules
def test_person_groups_follow_age_education_and_status():
    assert person_groups(age=16, education=1, employment_status="studying", kind="student") == {"after_basic_school"}
    assert person_groups(age=42, education=2, employment_status="registered_unemployed", kind="reskilling") == {
        "after_secondary_school", "adults", "adults_25_plus", "registered_unemployed"}
    assert "employed_adults" in person_groups(age=30, education=2, employment_status="employed", kind="reskilling")
    assert "employed_adults" not in person_groups(age=20, education=2, employment_status="employed", kind="student")


def test_failures_name_every_rule_broken():
    pupil = {"groups": frozenset({"after_basic_school"}), "age": 16, "education": 1, "languages": {"lv": 6}}
    assert failures(**pupil, target_groups=["employed_adults"], min_age=25, max_age=None, min_education=1,
                    instruction=["lv"]) == ["target_group", "too_young"]
    assert failures(**pupil, target_groups=["after_secondary_school"], min_age=None, max_age=None, min_education=2,
                    instruction=["lv"]) == ["education"]
    assert failures(**pupil, target_groups=[], min_age=None, max_age=15, min_education=1,
                    instruction=["en"]) == ["too_old", "language"]
    assert failures(**pupil, target_groups=["after_basic_school"], min_age=15, max_age=None, min_education=1,
                    instruction=["lv"]) == []


def test_the_voucher_is_for_the_registered_unemployed_unless_the_programme_says_otherwise():
    unemployed, pupil = frozenset({"adults", "registered_unemployed"}), frozenset({"after_basic_school"})
    assert funding_allowed("training_voucher", unemployed, {}) and not funding_allowed("training_voucher", pupil, {})
    assert funding_allowed("state_funded_place", pupil, {})
    assert not funding_allowed("state_funded_place", unemployed, {"state_funded_place": ["after_basic_school"]})


def test_vectorised_eligibility_agrees_with_the_rule_for_every_person_and_programme(world):
    index, frames = world
    rng = np.random.default_rng(0)
    programmes = frames.programmes.copy()
    programmes["target_groups"] = [list(rng.choice(TARGET_GROUPS, size=rng.integers(0, 3), replace=False))
                                   for _ in range(len(programmes))]
    programmes["min_age"] = [float(rng.choice([np.nan, 18, 25])) for _ in range(len(programmes))]
    programmes["max_age"] = [float(rng.choice([np.nan, 30])) for _ in range(len(programmes))]
    programmes["languages"] = [list(rng.choice(["lv", "en", "ru"], size=rng.integers(0, 3), replace=False))
                               for _ in range(len(programmes))]
    finder = _fit(programmes, frames, index)
    for cid in ("metal", "pupil", "grad"):
        for status in ("registered_unemployed", "employed", "studying"):
            learner = Learner(cid, employment_status=status, languages=(("en", 4),))
            gap, _ = finder._gap(learner, TODAY)
            slow = [not finder._requirements(p, gap)["failed"] for p in range(len(programmes))]
            assert gap.admitted.tolist() == slow


# ---------------------------------------------------------------------------------------------- eligibility
def test_a_course_for_the_registered_unemployed_is_not_offered_to_an_employed_adult(world):
    index, frames = world
    finder = _fit(_with(frames, "p-cnc", target_groups=["registered_unemployed"]), frames, index)
    assert "p-cnc" in _ids(finder.recommend_programmes(METAL, today=TODAY, k=20))
    employed = dataclasses.replace(METAL, employment_status="employed")
    assert "p-cnc" not in _ids(finder.recommend_programmes(employed, today=TODAY, k=20))
    assert "p-cnc" not in {p for ids in finder.recommend_pathways(employed, today=TODAY)["programme_ids"] for p in ids}


def test_a_course_for_25_plus_is_not_offered_to_a_pupil_and_what_if_refuses_it(world):
    index, frames = world
    finder = _fit(_with(frames, "p-mech", min_age=25), frames, index)
    pupil = Learner("pupil", employment_status="studying", kind="student")
    assert "p-mech" not in _ids(finder.recommend_programmes(pupil, today=TODAY, k=20))
    with pytest.raises(ProgrammeNotOpen) as refused:
        finder.what_if(pupil, today=TODAY, programme_id="p-mech")
    assert refused.value.requirements["failed"] == ["too_young"]


def test_a_course_taught_in_a_language_one_does_not_speak_is_not_offered(world):
    index, frames = world
    finder = _fit(_with(frames, "p-cnc", languages=["lv"]), frames, index)
    english_only = dataclasses.replace(METAL, languages=(("en", 5), ("lv", 2)))
    assert "p-cnc" not in _ids(finder.recommend_programmes(english_only, today=TODAY, k=20))
    assert "p-cnc" in _ids(finder.recommend_programmes(METAL, today=TODAY, k=20))


def test_state_funded_place_follows_the_programme_funding_groups(world):
    index, frames = world
    finder = _fit(_with(frames, "p-prog", funding_groups={"state_funded_place": ["after_basic_school"]}), frames,
                  index)
    grad = Learner("grad", employment_status="studying", kind="student")
    row = finder.recommend_programmes(grad, today=TODAY, k=20).set_index("programme_id").loc["p-prog"]
    assert row["explanation"]["funding"] == "none" and row["explanation"]["cost_after_funding_eur"] == 2000.0


# -------------------------------------------------------------------------------------- nothing one has
def test_the_programme_one_studies_and_a_course_of_skills_one_holds_are_not_offered(world):
    index, frames = world
    finder = PathFinder().fit(frames, index)
    pupil = Learner("pupil", employment_status="studying", kind="student", riasec=BROAD)
    assert "p-mech" in _ids(finder.recommend_programmes(pupil, today=TODAY, k=20))
    studying = dataclasses.replace(pupil, studied_programmes=("p-mech",), in_programme=True)
    assert "p-mech" not in _ids(finder.recommend_programmes(studying, today=TODAY, k=20))
    # The metalworker holds welding and blueprints: the course teaching only those is nothing new.
    assert "p-mech" not in _ids(finder.recommend_programmes(METAL, today=TODAY, k=20))


def test_programmes_named_in_a_current_studies_line():
    schools = [(1, ("Valmieras tehnikums", "Valmiera Technical School", ""), ("Mehatronika", "Mechatronics")),
               (2, ("Vidzemes Augstskola", "Vidzeme University of Applied Sciences", "ViA"),
                ("Mehatronika", "Mechatronics")),
               (3, ("Vidzemes Augstskola", "", "ViA"), ("Informācijas tehnoloģijas", "Information Technology"))]
    assert programmes_named("Valmieras tehnikums, mehatronika, 1. kurss", schools) == [1]
    assert programmes_named("Vidzemes Augstskola, mehatronika (koledža), 1. kurss", schools) == [2]
    assert programmes_named("mehatronika", schools) == []  # two schools teach it: not guessed
    assert programmes_named("informācijas tehnoloģijas", schools) == [3]
    assert programmes_named("vidusskola, 10. klase", schools) == []


# --------------------------------------------------------------------------------------------------- reach
def test_a_far_school_with_a_dormitory_is_within_reach_of_a_pupil_choosing_a_school_but_not_of_an_adult(world):
    index, frames = world
    programmes = frames.programmes.assign(has_dormitory=frames.programmes["programme_id"] == "p-cook")
    finder = _fit(programmes, frames, index)
    pupil = Learner("pupil", employment_status="studying", kind="student", riasec=BROAD)
    row = finder.recommend_programmes(pupil, today=TODAY, k=20).set_index("programme_id").loc["p-cook"]
    assert row["explanation"]["within_reach"] and row["explanation"]["reach"] == "dormitory"
    enrolled = dataclasses.replace(pupil, studied_programmes=("p-mech",), in_programme=True)
    assert "p-cook" not in _ids(finder.recommend_programmes(enrolled, today=TODAY, k=20))
    plain = PathFinder().fit(frames, index)
    assert "p-cook" not in _ids(plain.recommend_programmes(pupil, today=TODAY, k=20))


def test_out_of_reach_programmes_appear_only_when_nothing_within_reach_fits_and_are_marked(world):
    index, frames = world
    is_far = (frames.programmes["town_id"] == "ventspils") & (frames.programmes["mode"] != "online")
    far = frames.programmes[is_far]["programme_id"]
    finder = PathFinder().fit(frames, index)
    grad = Learner("grad", employment_status="studying", kind="student", riasec=BROAD)
    near = finder.recommend_programmes(grad, today=TODAY, k=20)
    assert near.attrs["reason"] is None and near["explanation"].map(lambda e: e["within_reach"]).all()
    assert not set(far) & _ids(near)
    only_far = _fit(frames.programmes[is_far], frames, index)
    listed = only_far.recommend_programmes(grad, today=TODAY, k=20)
    assert len(listed) and listed.attrs["reason"] == "out_of_reach_only"
    assert not listed["explanation"].map(lambda e: e["within_reach"]).any()


# ------------------------------------------------------------------------------------- unlocking, reasons
def test_a_course_unlocks_a_vacancy_of_which_one_holds_no_skill(world):
    index, frames = world
    finder = PathFinder().fit(frames, index)
    cook = finder.recommend_pathways(METAL, today=TODAY, k=10)
    by_route = {tuple(ids): set(v) for ids, v in zip(cook["programme_ids"], cook["vacancy_ids"])}
    assert "v-cook" in by_route[("p-cook",)]  # 0 of 2 held; the cook course teaches both


def test_empty_lists_say_why(world):
    index, frames = world
    finder = PathFinder().fit(frames, index)
    later = dt.date(2028, 1, 1)
    assert finder.recommend_programmes(METAL, today=later).attrs["reason"] == "no_open_intakes"
    assert finder.recommend_pathways(METAL, today=later).attrs["reason"] in {"no_open_intakes",
                                                                           "no_vacancies_within_reach"}
    nobody = _fit(frames.programmes.assign(target_groups=[["adults_25_plus"]] * len(frames.programmes)), frames,
                  index)
    pupil = Learner("pupil", employment_status="studying", kind="student")
    assert nobody.recommend_programmes(pupil, today=TODAY).attrs["reason"] == "no_eligible_programmes"
    assert nobody.recommend_pathways(pupil, today=TODAY).attrs["reason"] in {"no_eligible_programmes",
                                                                           "no_vacancies_within_reach"}


def test_a_candidate_with_no_skills_and_no_course_to_give_them_gets_no_skills_yet():
    index, frames = build_world()
    finder = _fit(frames.programmes[frames.programmes["programme_id"] == "p-prog"], frames, index)
    grad = Learner("grad", employment_status="studying", kind="student")
    frame = finder.recommend_pathways(grad, today=TODAY)
    assert len(frame) or frame.attrs["reason"] in {"no_skills_yet", "no_vacancies_within_reach"}


# ---------------------------------------------------------------------------------------------------- pay
def test_career_pay_is_per_contract_kind_and_never_from_fewer_than_three_postings():
    index, frames = build_world()
    vacancies = pd.concat([frames.vacancies.assign(contract_kind="permanent"), pd.DataFrame([
        {"vacancy_id": "v-cnc-1", "salary_min": 400, "salary_max": 500, "contract_kind": "summer_job"}])])
    vacancies = vacancies.drop_duplicates("vacancy_id", keep="last")
    finder = PathFinder().fit(dataclasses.replace(frames, vacancies=vacancies), index)
    careers = finder.recommend_careers(METAL, today=TODAY, k=10).set_index("occupation_id")
    salary = careers.loc["cnc", "explanation"]["salary"]
    kinds = {c["contract_kind"]: c for c in salary["by_contract"]}
    assert kinds["summer_job"]["postings"] == 1 and kinds["summer_job"]["median_min"] is None
    assert salary["postings"] == sum(c["postings"] for k, c in kinds.items() if k != "summer_job")
    assert (salary["median_min"] is None) == (salary["postings"] < 3)
