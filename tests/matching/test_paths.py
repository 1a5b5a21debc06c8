"""Learning paths on tiny known-answer frames: programmes, careers, pathways, what-if (no DB)."""
from __future__ import annotations

import datetime as dt
import itertools
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from matching.evaluation import synthetic_taxonomy
from matching.index import MatchIndex
from matching.paths import Learner, PathFinder, PathFrames
from matching.paths.evaluation import paths_benchmark
from matching.paths.funding import summary_en, summary_lv
from matching.schema import MatchFrames

TODAY = dt.date(2026, 11, 27)
RIASEC = ["riasec_r", "riasec_i", "riasec_a", "riasec_s", "riasec_e", "riasec_c"]


def _vacancy(vid, occupation, town, **kw):
    row = {"vacancy_id": vid, "employer_id": f"e-{vid}", "title": vid, "text": "", "occupation_id": occupation,
           "town_id": town, "contract_kind": "permanent", "hours": "full_time", "min_education": 0, "min_age": 15,
           "salary_min": 1000, "salary_max": 1400, "work_arrangement": "on_site"}
    row.update(kw)
    return row


def _programme(pid, town, skills_mode="evening", **kw):
    row = {"programme_id": pid, "name_lv": pid, "name_en": pid, "kind": "continuing_course", "duration_months": 3,
           "mode": skills_mode, "cost_eur": 600.0, "min_education": 1, "state_funded_places": False,
           "voucher_eligible": False, "adult_learning_cofinanced": False, "town_id": town, "popularity": 0}
    row.update(kw)
    return row


def _candidate(cid, town, **kw):
    row = {"candidate_id": cid, "town_id": town, "max_commute_km": 30, "willing_to_relocate": False,
           "education": 1, "age": 42, "available_hours": [], "text": ""}
    row.update(kw)
    return row


def build_world():
    towns = pd.DataFrame([("valmiera", 57.54108, 25.42751), ("ventspils", 57.38988, 21.57288)],
                         columns=["town_id", "latitude", "longitude"])
    skills = pd.DataFrame([(s, f"esco:{s}", s, s) for s in
                           ("weld", "blueprint", "cnc", "cad", "cook", "service", "python", "excel")],
                          columns=["skill_id", "uri", "label_en", "label_lv"])
    vacancies = pd.DataFrame([
        _vacancy("v-cnc-1", "cnc", "ventspils"),
        _vacancy("v-cnc-2", "cnc", "ventspils", salary_min=1200, salary_max=1800),
        _vacancy("v-cad", "cnc", "ventspils"),
        _vacancy("v-weld", "welder", "ventspils"),
        _vacancy("v-cnc-val", "cnc", "valmiera"),
        _vacancy("v-cook", "cook", "ventspils"),
        _vacancy("v-dev", "programmer", "valmiera", salary_min=1500, salary_max=2500),
    ])
    vacancy_skills = pd.DataFrame([
        ("v-cnc-1", "blueprint", True), ("v-cnc-1", "cnc", True),
        ("v-cnc-2", "blueprint", True), ("v-cnc-2", "cnc", True), ("v-cnc-2", "weld", True),
        ("v-cad", "blueprint", True), ("v-cad", "cad", True),
        ("v-weld", "weld", True), ("v-weld", "blueprint", True),
        ("v-cnc-val", "blueprint", True), ("v-cnc-val", "cnc", True),
        ("v-cook", "cook", True), ("v-cook", "service", True),
        ("v-dev", "python", True), ("v-dev", "excel", False),
    ], columns=["vacancy_id", "skill_id", "essential"])
    occupation_skills = pd.DataFrame([
        ("welder", "weld", True), ("welder", "blueprint", True),
        ("cnc", "cnc", True), ("cnc", "blueprint", True), ("cnc", "cad", False),
        ("cook", "cook", True), ("cook", "service", True),
        ("programmer", "python", True), ("programmer", "excel", True),
    ], columns=["occupation_id", "skill_id", "essential"])
    candidates = pd.DataFrame([
        _candidate("metal", "ventspils"),
        _candidate("pupil", "valmiera", age=16, max_commute_km=40),
        _candidate("grad", "valmiera", age=19, education=2),
    ])
    candidate_skills = pd.DataFrame([("metal", "weld", 3), ("metal", "blueprint", 3)],
                                    columns=["candidate_id", "skill_id", "level"])
    frames = MatchFrames(vacancies=vacancies, vacancy_skills=vacancy_skills, candidates=candidates,
                         candidate_skills=candidate_skills, occupation_skills=occupation_skills, towns=towns,
                         skills=skills)
    index = MatchIndex().fit(frames)
    programmes = pd.DataFrame([
        _programme("p-cnc", "ventspils", voucher_eligible=True, popularity=5),
        _programme("p-cad", "ventspils", "online", duration_months=2, cost_eur=300.0, adult_learning_cofinanced=True,
                   popularity=1),
        _programme("p-past", "ventspils", popularity=50),
        _programme("p-sec", "ventspils", "full_time", kind="vocational_secondary", duration_months=12, cost_eur=0.0,
                   min_education=2, popularity=3),
        _programme("p-cook", "ventspils", "full_time", popularity=40),
        _programme("p-prog", "valmiera", "full_time", kind="bachelor", duration_months=36, cost_eur=2000.0,
                   min_education=2, state_funded_places=True, popularity=10),
        _programme("p-mech", "valmiera", "dual", kind="vocational_secondary", duration_months=24, cost_eur=0.0,
                   min_education=1, popularity=8),
    ])
    intakes = pd.DataFrame([
        ("i-cnc-past", "p-cnc", "2026-09-01", "2026-08-20", 12, 12),
        ("i-cnc", "p-cnc", "2027-02-02", "2027-01-20", 12, 12),
        ("i-cnc-later", "p-cnc", "2027-09-01", "2027-08-20", 12, 12),
        ("i-cad", "p-cad", "2027-01-11", "2027-01-04", 20, 0),
        ("i-past", "p-past", "2026-10-01", "2026-09-15", 20, 0),
        ("i-closed", "p-past", "2026-12-10", "2026-11-20", 20, 0),  # starts later, but the deadline has passed
        ("i-sec", "p-sec", "2027-09-01", "2027-08-01", 25, 25),
        ("i-cook", "p-cook", "2027-09-01", "2027-08-01", 25, 0),
        ("i-prog", "p-prog", "2027-09-01", "2027-07-15", 40, 20),
        ("i-mech", "p-mech", "2027-09-01", "2027-08-01", 20, 20),
    ], columns=["intake_id", "programme_id", "start_date", "application_deadline", "seats", "funded_seats"])
    programme_skills = pd.DataFrame([
        ("p-cnc", "cnc"), ("p-cad", "cad"), ("p-past", "cnc"), ("p-sec", "cnc"), ("p-sec", "cad"),
        ("p-cook", "cook"), ("p-cook", "service"), ("p-prog", "python"), ("p-prog", "excel"),
        ("p-mech", "weld"), ("p-mech", "blueprint"),
    ], columns=["programme_id", "skill_id"])
    programme_occupations = pd.DataFrame([
        ("p-cnc", "cnc"), ("p-sec", "cnc"), ("p-cook", "cook"), ("p-prog", "programmer"), ("p-mech", "welder"),
        ("p-past", "cnc"),
    ], columns=["programme_id", "occupation_id"])
    occupations = pd.DataFrame([
        ("welder", 6, 2, 1, 1, 2, 3), ("cnc", 6, 3, 1, 1, 1, 4), ("cook", 5, 1, 4, 3, 3, 2),
        ("programmer", 2, 6, 3, 1, 2, 5),
    ], columns=["occupation_id", *RIASEC])
    path_frames = PathFrames(programmes=programmes, intakes=intakes, programme_skills=programme_skills,
                             programme_occupations=programme_occupations, occupations=occupations,
                             occupation_skills=occupation_skills, vacancies=vacancies[["vacancy_id", "salary_min",
                                                                                       "salary_max"]],
                             skills=skills)
    return index, path_frames


@pytest.fixture
def world():
    index, path_frames = build_world()
    return index, PathFinder().fit(path_frames, index)


METAL = Learner("metal", employment_status="registered_unemployed", kind="reskilling")
PUPIL = Learner("pupil", employment_status="studying", kind="student", riasec=(2, 7, 3, 1, 2, 6))


def test_reskilling_candidate_gets_the_programme_teaching_the_missing_skill_first(world):
    _, finder = world
    top = finder.recommend_programmes(METAL, today=TODAY, k=3)
    assert top["programme_id"].iloc[0] == "p-cnc"
    why = top["explanation"].iloc[0]
    assert [s["skill_id"] for s in why["missing_skills_taught"]] == ["cnc"]
    assert why["vacancies_unlocked"] == 2
    assert set(why["vacancies_unlocked_top"]) == {"v-cnc-1", "v-cnc-2"}  # not the Valmiera one: out of reach
    assert why["requirements"]["enrolable"] is True


def test_pathway_unlocks_the_near_miss_vacancy_with_the_course(world):
    _, finder = world
    paths = finder.recommend_pathways(METAL, today=TODAY, k=5)
    with_cnc = paths[paths["programme_ids"].map(lambda ids: "p-cnc" in ids)]
    assert len(with_cnc)
    assert {"v-cnc-1", "v-cnc-2"} <= set(with_cnc["vacancy_ids"].iloc[0])
    assert "v-cnc-val" not in {v for ids in paths["vacancy_ids"] for v in ids}
    assert "v-weld" not in {v for ids in paths["vacancy_ids"] for v in ids}  # fits already: not "more"
    single = paths[paths["programme_ids"].map(lambda ids: ids == ["p-cnc"])].iloc[0]
    assert single["vacancies_unlocked"] == 2
    assert single["first_start_date"] == "2027-02-02"
    assert single["cost_after_funding_eur"] == 0
    assert single["summary_en"] == ("finish this 3-month evening course (free with a training voucher) "
                                    "and 2 more local jobs within 30 km fit you")
    assert single["summary_lv"] == ("pabeidz šo 3 mēnešu vakara kursu (bez maksas ar apmācību kuponu), "
                                    "un tev atbilst vēl 2 vietējās vakances 30 km rādiusā")


def test_pathway_combines_courses_and_sums_duration_and_cost(world):
    _, finder = world
    paths = finder.recommend_pathways(METAL, today=TODAY, k=5)
    both = paths[paths["programme_ids"].map(lambda ids: set(ids) == {"p-cnc", "p-cad"})].iloc[0]
    assert set(both["vacancy_ids"]) == {"v-cnc-1", "v-cnc-2", "v-cad"}
    assert both["total_duration_months"] == 5
    assert both["cost_after_funding_eur"] == 300.0  # voucher for p-cnc; p-cad is not voucher-eligible
    assert both["first_start_date"] == "2027-01-11"
    assert paths["rank"].tolist() == list(range(1, len(paths) + 1))
    assert paths["score"].is_monotonic_decreasing


def test_programme_requiring_secondary_education_is_not_offered_but_careers_name_it_as_a_later_step(world):
    _, finder = world
    top = finder.recommend_programmes(METAL, today=TODAY, k=10)
    assert "p-sec" not in set(top["programme_id"]) and top["enrolable"].all()
    paths = finder.recommend_pathways(METAL, today=TODAY, k=10)
    assert "p-sec" not in {p for ids in paths["programme_ids"] for p in ids}
    careers = finder.recommend_careers(METAL, today=TODAY, k=10).set_index("occupation_id")
    cnc = {p["programme_id"]: p for p in careers.loc["cnc", "explanation"]["programmes"]}
    assert cnc["p-sec"]["enrolable"] is False and "secondary" in cnc["p-sec"]["reason"]
    assert cnc["p-sec"]["requirements"]["failed"] == ["education"]
    assert cnc["p-cnc"]["enrolable"] is True


def test_intakes_in_the_past_or_past_deadline_never_appear(world):
    _, finder = world
    programmes = finder.recommend_programmes(METAL, today=TODAY, k=20)
    assert "p-past" not in set(programmes["programme_id"])
    assert not {"i-cnc-past", "i-past", "i-closed"} & set(programmes["intake_id"])
    assert programmes.set_index("programme_id").loc["p-cnc", "intake_id"] == "i-cnc"
    careers = finder.recommend_careers(PUPIL, today=TODAY, k=10)
    listed = {p["programme_id"] for why in careers["explanation"] for p in why["programmes"]}
    assert "p-past" not in listed
    # Once the February intake has started, the September one is offered.
    later = finder.recommend_programmes(METAL, today=dt.date(2027, 2, 5), k=20)
    assert later.set_index("programme_id").loc["p-cnc", "intake_id"] == "i-cnc-later"


def test_funding_follows_the_candidate_status(world):
    _, finder = world
    def row(learner, pid):
        frame = finder.recommend_programmes(learner, today=TODAY, k=20).set_index("programme_id")
        return frame.loc[pid, "explanation"]
    unemployed = row(METAL, "p-cnc")
    assert (unemployed["cost_after_funding_eur"], unemployed["funding"]) == (0.0, "training_voucher")
    employed = Learner("metal", employment_status="employed", kind="reskilling")
    assert (row(employed, "p-cnc")["cost_after_funding_eur"], row(employed, "p-cnc")["funding"]) == (600.0, "none")
    cad = row(employed, "p-cad")
    assert (cad["cost_after_funding_eur"], cad["funding"]) == (30.0, "adult_learning_cofinancing")
    other = Learner("metal", employment_status="other")
    assert row(other, "p-cad")["funding"] == "none"
    student = row(Learner("grad", employment_status="studying", kind="student"), "p-prog")
    assert (student["cost_after_funding_eur"], student["funding"], student["competitive"]) == \
        (0.0, "state_funded_place", True)


def test_mode_fit_prefers_evening_and_online_for_employed_adults(world):
    _, finder = world
    employed = Learner("metal", employment_status="employed")
    frame = finder.recommend_programmes(employed, today=TODAY, k=20).set_index("programme_id")
    assert frame.loc["p-cnc", "explanation"]["mode_fit"] > frame.loc["p-cook", "explanation"]["mode_fit"]


def test_pupil_with_only_riasec_answers_gets_careers_and_programmes(world):
    _, finder = world
    careers = finder.recommend_careers(PUPIL, today=TODAY, k=4)
    assert careers["occupation_id"].iloc[0] == "programmer"  # investigative + conventional answers
    why = careers["explanation"].iloc[0]
    assert why["skill_fit"] == 0.0 and why["essential_held"] == "0 of 2"
    assert why["open_vacancies"] == 1
    assert why["salary"]["postings"] == 1 and why["salary"]["median_min"] is None  # no figure from one posting
    assert why["programmes"][0]["programme_id"] == "p-prog"
    assert why["programmes"][0]["enrolable"] is False  # a bachelor needs secondary education
    programmes = finder.recommend_programmes(PUPIL, today=TODAY, k=5)
    assert "p-prog" not in set(programmes["programme_id"])  # not enterable before secondary school
    # Welding does not suit investigative and conventional answers: nothing else is listed, and the list says why.
    assert programmes.empty and programmes.attrs["reason"] == "no_programme_fits"


def test_a_programme_is_listed_only_for_a_reason_of_the_persons_own(world):
    _, finder = world
    for learner in (METAL, Learner("grad", employment_status="studying", kind="student")):
        listed = finder.recommend_programmes(learner, today=TODAY, k=50)
        assert len(listed)
        for parts in (e["parts"] for e in listed["explanation"]):  # near, cheap and soon is not a reason alone
            assert parts["gap"] > 0 or parts["unlock"] > 0 or parts["target"] > 0 or parts["interest"] >= 0.5
    realistic = Learner("pupil", employment_status="studying", kind="student", riasec=(7, 1, 1, 1, 1, 1))
    assert finder.recommend_programmes(realistic, today=TODAY)["programme_id"].tolist() == ["p-mech"]
    social = Learner("pupil", employment_status="studying", kind="student", riasec=(1, 1, 1, 7, 1, 1))
    nothing = finder.recommend_programmes(social, today=TODAY)
    assert nothing.empty and nothing.attrs["reason"] == "no_programme_fits"
    added = finder.recommend_programmes(social, today=TODAY, include=["p-mech"])  # a counsellor's choice stays
    assert added["programme_id"].tolist() == ["p-mech"]


def test_careers_without_riasec_rank_by_skills_and_demand(world):
    _, finder = world
    careers = finder.recommend_careers(METAL, today=TODAY, k=4)
    assert careers["occupation_id"].iloc[0] in {"welder", "cnc"}
    assert careers["explanation"].iloc[0]["interest_fit"] is None
    welder = careers.set_index("occupation_id").loc["welder", "explanation"]
    assert welder["essential_held"] == "2 of 2"


def test_what_if_shows_vacancies_gained_without_touching_the_index(world):
    index, finder = world
    before = index.recommend_jobs("metal", 10, explain=False)
    n_candidates = len(index.candidates_)
    result = finder.what_if(METAL, today=TODAY, skill_ids=["esco:cnc"])
    assert set(result["vacancies_gained"]) == {"v-cnc-1", "v-cnc-2"}
    gains = {g["vacancy_id"]: (g["before"], g["after"]) for g in result["coverage_gained"]}
    assert gains["v-cnc-1"] == (0.5, 1.0)
    assert "v-cnc-val" not in gains
    assert set(result["top_after"]) >= {"v-cnc-1", "v-cnc-2"}
    by_programme = finder.what_if(METAL, today=TODAY, programme_id="p-cnc")
    assert by_programme["vacancies_gained"] == result["vacancies_gained"]
    pd.testing.assert_frame_equal(index.recommend_jobs("metal", 10, explain=False), before)
    assert len(index.candidates_) == n_candidates


def test_what_if_rejects_unknown_skills_and_programmes(world):
    _, finder = world
    with pytest.raises(ValueError, match="unknown skills: nope"):
        finder.what_if(METAL, today=TODAY, skill_ids=["cnc", "nope"])
    with pytest.raises(ValueError, match="unknown programme"):
        finder.what_if(METAL, today=TODAY, programme_id="p-none")


def test_new_vacancy_in_the_index_is_followed_without_refit(world):
    index, finder = world
    index.upsert_vacancy(_vacancy("v-cnc-3", "cnc", "ventspils"),
                         pd.DataFrame([("blueprint", True), ("cnc", True)], columns=["skill_id", "essential"]))
    top = finder.recommend_programmes(METAL, today=TODAY, k=1)
    assert top["explanation"].iloc[0]["vacancies_unlocked"] == 3


def test_estimator_contract(world):
    index, _ = world
    finder = PathFinder(beam_width=2)
    assert clone(finder).get_params() == finder.get_params()
    with pytest.raises(NotFittedError):
        finder.recommend_programmes(METAL, today=TODAY)
    _, frames = build_world()
    assert finder.fit(frames, index) is finder
    assert hasattr(finder, "index_") and not hasattr(PathFinder(), "index_")
    with pytest.raises(ValueError):
        PathFinder(fit_threshold=1.5).fit(frames, index)


def test_bad_arguments_raise_value_errors(world):
    _, finder = world
    with pytest.raises(ValueError):
        finder.recommend_pathways(METAL, today="2026-11-27")
    with pytest.raises(ValueError):
        finder.recommend_programmes(METAL, today=TODAY, k=0)
    with pytest.raises(KeyError):
        finder.recommend_careers(Learner("ghost"), today=TODAY)


def test_results_are_deterministic():
    def run():
        index, frames = build_world()
        finder = PathFinder().fit(frames, index)
        return (finder.recommend_programmes(METAL, today=TODAY).to_json(),
                finder.recommend_pathways(METAL, today=TODAY).to_json(),
                finder.recommend_careers(PUPIL, today=TODAY).to_json())
    assert run() == run()


def test_greedy_beam_of_one_still_finds_the_best_single_course(world):
    index, _ = world
    _, frames = build_world()
    greedy = PathFinder(beam_width=1, max_steps=1).fit(frames, index)
    paths = greedy.recommend_pathways(METAL, today=TODAY)
    assert paths["programme_ids"].iloc[0] == ["p-cnc"]


def test_summaries_agree_in_number():
    step = {"kind": "continuing_course", "mode": "online", "duration_months": 1, "cost_after_funding_eur": 45.0,
            "funding": "adult_learning_cofinancing"}
    assert summary_en([step], 1, 40) == ("finish this 1-month online course (EUR 45 with adult-learning "
                                         "co-financing) and 1 more local job within 40 km fits you")
    assert summary_lv([step], 21, 40).startswith("pabeidz šo 1 mēneša tiešsaistes kursu")
    assert "vēl 21 vietējā vakance" in summary_lv([step], 21, 40)
    assert "vēl 11 vietējās vakances" in summary_lv([step], 11, 40)
    assert np.isfinite(len(summary_en([step, step], 3, 40)))


def test_vectorised_costs_agree_with_the_funding_rules(world):
    _, finder = world
    rows = np.flatnonzero(finder._upcoming(TODAY) >= 0)
    intakes = finder._upcoming(TODAY)[rows]
    for status in ("registered_unemployed", "employed", "studying", "other"):
        for kind in ("student", "reskilling"):
            gap, _ = finder._gap(Learner("metal", employment_status=status, kind=kind), TODAY)
            fast = finder._costs_after(rows, intakes, gap)
            slow = [finder._funding(p, i, gap)["cost_after_funding_eur"] for p, i in zip(rows, intakes)]
            assert fast.tolist() == slow


def test_vacancy_needing_two_courses_is_unlocked_only_by_the_pair(world):
    index, finder = world
    index.upsert_vacancy(_vacancy("v-combo", "cnc", "ventspils"), pd.DataFrame(
        [("weld", True), ("blueprint", True), ("cnc", True), ("cad", True)], columns=["skill_id", "essential"]))
    paths = finder.recommend_pathways(METAL, today=TODAY, k=10)
    by_set = {frozenset(ids): set(vacancies) for ids, vacancies in zip(paths["programme_ids"], paths["vacancy_ids"])}
    assert "v-combo" in by_set[frozenset({"p-cnc", "p-cad"})]
    assert "v-combo" not in by_set[frozenset({"p-cnc"})]


def test_included_programmes_and_careers_come_after_the_top_k_in_rank_order(world):
    _, finder = world
    every = finder.recommend_programmes(METAL, today=TODAY, k=50)
    assert len(every) >= 3
    last, second = every["programme_id"].iloc[-1], every["programme_id"].iloc[1]
    picked = finder.recommend_programmes(METAL, today=TODAY, k=1, include=[last, second, "no-such-programme"])
    assert picked["programme_id"].tolist() == [every["programme_id"].iloc[0], second, last]
    assert picked["explanation"].iloc[2]["parts"] == every["explanation"].iloc[-1]["parts"]
    assert finder.recommend_programmes(METAL, today=TODAY, k=1, include=[every["programme_id"].iloc[0]]).shape[0] == 1
    careers = finder.recommend_careers(METAL, today=TODAY, k=50)
    assert len(careers) >= 3
    lowest = careers["occupation_id"].iloc[-1]
    with_added = finder.recommend_careers(METAL, today=TODAY, k=1, include=[lowest])
    assert with_added["occupation_id"].tolist() == [careers["occupation_id"].iloc[0], lowest]
    assert with_added["explanation"].iloc[1]["parts"] == careers["explanation"].iloc[-1]["parts"]


# ------------------------------------------------------------------ the search bound


@pytest.fixture(scope="module")
def search_world():
    """A seeded synthetic world whose pathway searches score from a few to a few hundred combinations."""
    skills, occupations, links = synthetic_taxonomy(n_skills=300, n_occupations=40, skills_per_occupation=15,
                                                    random_state=1)
    frames, path_frames, learners, _ = paths_benchmark(
        skills, occupations, links, n_occupations=30, n_vacancies=600, n_programmes=120, n_candidates=20,
        n_job_candidates=20, filters=False, today=TODAY, random_state=3)
    return MatchIndex().fit(frames), path_frames, learners


def _searches(finder: PathFinder, learners: list) -> list[str]:
    return [finder.recommend_pathways(learner, today=TODAY).to_json() for learner in learners]


def _search(paths: pd.DataFrame) -> dict:
    return paths["explanation"].iloc[0]["search"]


def test_pathways_do_not_depend_on_the_clock(search_world, monkeypatch):
    index, path_frames, learners = search_world
    finder = PathFinder().fit(path_frames, index)
    calm = _searches(finder, learners)
    assert max(_search(finder.recommend_pathways(learner, today=TODAY))["evaluated"] for learner in learners) > 200
    # Every reading of the clock an hour after the last: a wall-clock budget would end each search at once.
    hours = itertools.count(start=0.0, step=3600.0)
    monkeypatch.setattr(time, "perf_counter", lambda: next(hours))
    monkeypatch.setattr(time, "monotonic", lambda: next(hours))
    assert _searches(finder, learners) == calm


def test_the_evaluation_bound_is_honoured_and_truncates_only_when_reached(search_world):
    index, path_frames, learners = search_world
    finder = PathFinder().fit(path_frames, index)
    learner = max(learners, key=lambda one: _search(finder.recommend_pathways(one, today=TODAY))["evaluated"])
    full = finder.recommend_pathways(learner, today=TODAY)
    needed = _search(full)["evaluated"]
    assert not _search(full)["truncated"]
    for bound in (needed // 4, needed // 2, needed - 1):
        search = _search(PathFinder(max_evaluations=bound).fit(path_frames, index)
                         .recommend_pathways(learner, today=TODAY))
        assert search == {**search, "evaluated": bound, "truncated": True}
    exact = PathFinder(max_evaluations=needed).fit(path_frames, index).recommend_pathways(learner, today=TODAY)
    assert exact.to_json() == full.to_json()
    with pytest.raises(ValueError, match="max_evaluations"):
        PathFinder(max_evaluations=0).fit(path_frames, index)
