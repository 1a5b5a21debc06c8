"""Known-answer tests of MatchIndex on the tiny frames of conftest.py."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from matching.index import ERR_K, MatchIndex
from matching.index.diversity import diverse_top
from matching.index.score import JOBS, query_terms, score_rows, top_jobs
from matching.schema import MatchFrames
from matching.sparse import LiveMatrix


def jobs(index: MatchIndex, candidate_id, k: int = 10) -> list:
    return index.recommend_jobs(candidate_id, k)["vacancy_id"].tolist()


def test_a_welder_ranks_the_welding_vacancy_first(frames):
    index = MatchIndex().fit(frames)
    assert jobs(index, "welder")[0] == "v-weld-val"


def test_valmiera_candidate_with_30_km_limit_gets_no_ventspils_jobs(frames):
    index = MatchIndex().fit(frames)
    assert "v-weld-ven" not in jobs(index, "welder")
    explanation = index.explain("welder", "v-weld-ven")
    assert explanation["filters"]["commute"] is False
    assert explanation["distance_km"] == 290.0
    assert explanation["score"] is None


def test_willing_to_relocate_brings_ventspils_back_and_says_so(frames):
    index = MatchIndex().fit(frames)
    result = index.recommend_jobs("welder-mover")
    assert "v-weld-ven" in result["vacancy_id"].tolist()
    explanation = result.set_index("vacancy_id").at["v-weld-ven", "explanation"]
    assert explanation["relocation_needed"] is True
    assert explanation["parts"]["distance"] == 0.0


def test_missing_essential_skill_appears_in_the_explanation(frames):
    index = MatchIndex().fit(frames)
    result = index.recommend_jobs("forklift-driver").set_index("vacancy_id")
    explanation = result.at["v-store", "explanation"]
    assert [s["skill_id"] for s in explanation["missing_essential"]] == ["stock"]
    assert [s["skill_id"] for s in explanation["matched_skills"]] == ["forklift"]
    assert explanation["essential_matched"] == "1 of 2"


def test_minimum_age_filter_removes_adult_only_jobs(frames):
    index = MatchIndex().fit(frames)
    teen_jobs = jobs(index, "teen")
    assert "v-bar" not in teen_jobs and "v-cook" in teen_jobs
    assert index.explain("teen", "v-bar")["filters"]["age"] is False


def test_language_filter_removes_jobs_needing_latvian(frames):
    index = MatchIndex().fit(frames)
    assert "v-weld-val" not in jobs(index, "no-latvian")
    assert index.explain("no-latvian", "v-weld-val")["filters"]["languages"] is False
    assert "v-weld-val" in jobs(index, "welder")


def test_related_skill_earns_partial_credit_with_its_source(frames):
    index = MatchIndex().fit(frames)
    explanation = index.recommend_jobs("tig-only").set_index("vacancy_id").at["v-weld-val", "explanation"]
    related = explanation["related_skills"]
    assert [(r["skill_id"], r["via"]["skill_id"]) for r in related] == [("weld", "tig")]
    assert explanation["parts"]["essential"] == pytest.approx(0.5)


def test_unrelated_jobs_are_not_recommended(frames):
    index = MatchIndex().fit(frames)
    assert jobs(index, "forklift-driver") == ["v-store"]


def test_every_returned_item_has_parts_that_sum_to_its_score(frames):
    index = MatchIndex().fit(frames)
    for row in index.recommend_jobs("welder").itertuples():
        assert sum(row.explanation["contributions"].values()) == pytest.approx(row.score, abs=2e-3)
        assert all(row.explanation["filters"].values())


def test_diversity_caps_repeats_of_employer_and_title(frames):
    extra_v = pd.DataFrame([{**frames.vacancies.iloc[0].to_dict(), "vacancy_id": f"copy-{i}",
                             "title": "metinātāja" if i % 2 else "Metinātājs"} for i in range(5)])
    frames.vacancies = pd.concat([frames.vacancies, extra_v], ignore_index=True)
    frames.vacancy_skills = pd.concat([frames.vacancy_skills, pd.DataFrame(
        [(f"copy-{i}", "weld", True) for i in range(5)], columns=["vacancy_id", "skill_id", "essential"])])
    capped = jobs(MatchIndex(max_per_group=2).fit(frames), "welder")
    uncapped = jobs(MatchIndex(max_per_group=0).fit(frames), "welder")
    same_group = {"v-weld-val", *(f"copy-{i}" for i in range(5))}
    assert sum(v in same_group for v in uncapped) == 6
    assert sum(v in same_group for v in capped) == 2


def test_candidates_for_vacancy_rank_the_skilled_candidate_first(frames):
    result = MatchIndex().fit(frames).recommend_candidates("v-weld-val")
    assert result["candidate_id"].tolist()[0] == "welder"
    assert "no-latvian" not in result["candidate_id"].tolist()
    assert "forklift-driver" not in result["candidate_id"].tolist()


def test_candidates_who_want_other_work_rank_lower(frames):
    twins = pd.DataFrame([{**frames.candidates.iloc[1].to_dict(), "candidate_id": cid, "willing_to_relocate": False}
                          for cid in ("wants-welding", "wants-cooking")])
    frames.candidates = pd.concat([frames.candidates, twins], ignore_index=True)
    frames.candidate_skills = pd.concat([frames.candidate_skills, pd.DataFrame(
        [(cid, "weld", 3) for cid in ("wants-welding", "wants-cooking")], columns=["candidate_id", "skill_id", "level"])])
    frames.candidate_languages = pd.concat([frames.candidate_languages, pd.DataFrame(
        [(cid, "lv", 6) for cid in ("wants-welding", "wants-cooking")], columns=["candidate_id", "language", "level"])])
    frames.candidate_occupations = pd.DataFrame(
        [("wants-welding", "welder", "target"), ("wants-cooking", "cook", "target")],
        columns=["candidate_id", "occupation_id", "kind"])
    ranked = MatchIndex().fit(frames).recommend_candidates("v-weld-ven", k=10)["candidate_id"].tolist()
    assert ranked == ["welder-mover"]  # the twins live 290 km away and do not relocate
    ranked = MatchIndex().fit(frames).recommend_candidates("v-weld-val", k=10)["candidate_id"].tolist()
    assert ranked.index("wants-welding") < ranked.index("wants-cooking")


def test_hours_filter_keeps_part_time_only_candidates_off_full_time_jobs(frames):
    frames.candidates.loc[frames.candidates["candidate_id"] == "welder", "available_hours"] = pd.Series(
        [["part_time"]], index=frames.candidates.index[frames.candidates["candidate_id"] == "welder"])
    index = MatchIndex().fit(frames)
    assert jobs(index, "welder") == []
    assert index.explain("welder", "v-weld-val")["filters"]["hours"] is False


def test_upsert_and_remove_vacancy_show_without_refit(frames):
    index = MatchIndex().fit(frames)
    index.upsert_vacancy(
        {"vacancy_id": "v-new", "employer_id": "e-new", "title": "TIG metinātājs", "text": "TIG metināšana",
         "occupation_id": "welder", "town_id": "valmiera", "contract_kind": "permanent", "hours": "full_time",
         "min_education": 0, "min_age": 18},
        pd.DataFrame({"skill_id": ["weld", "tig", "brand-new-skill"], "essential": [True, True, True]}),
    )
    assert "v-new" in jobs(index, "welder")
    assert index.explain("welder", "v-new")["missing_essential"] == [{"skill_id": "brand-new-skill"}]
    index.remove_vacancy("v-weld-val")
    assert "v-weld-val" not in jobs(index, "welder")
    with pytest.raises(KeyError):
        index.recommend_candidates("v-weld-val")


def test_upsert_candidate_replaces_the_profile(frames):
    index = MatchIndex().fit(frames)
    index.upsert_candidate(
        {"candidate_id": "teen", "town_id": "valmiera", "max_commute_km": 30, "willing_to_relocate": False,
         "education": 2, "age": 19, "available_hours": [], "text": ""},
        pd.DataFrame({"skill_id": ["service"], "level": [3]}),
        languages=pd.DataFrame({"language": ["lv"], "level": [6]}),
        occupations=pd.DataFrame({"occupation_id": ["barista"], "kind": ["target"]}),
    )
    assert jobs(index, "teen")[0] == "v-bar"
    index.upsert_candidate(
        {"candidate_id": "newcomer", "town_id": "valmiera", "max_commute_km": 30, "willing_to_relocate": False,
         "education": 2, "age": 30, "available_hours": [], "text": ""},
        pd.DataFrame({"skill_id": ["weld"], "level": [4]}), languages=pd.DataFrame({"language": ["lv"], "level": [5]}),
    )
    assert "newcomer" in index.recommend_candidates("v-weld-val")["candidate_id"].tolist()


def test_unknown_ids_and_bad_k_raise_clear_errors(frames):
    index = MatchIndex().fit(frames)
    with pytest.raises(KeyError, match="unknown candidate"):
        index.recommend_jobs("nobody")
    with pytest.raises(ValueError, match=ERR_K):
        index.recommend_jobs("welder", 0)


def test_batch_agrees_with_single_queries(frames):
    index = MatchIndex().fit(frames)
    batch = index.recommend_jobs_batch(k=3)
    for cid, group in batch.groupby("candidate_id"):
        assert group.sort_values("rank")["vacancy_id"].tolist() == jobs(index, cid, 3)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="town_id"):
        MatchIndex().fit(MatchFrames(vacancies=pd.DataFrame({"vacancy_id": [1]}), vacancy_skills=None))


def test_estimator_contract(frames):
    index = MatchIndex(max_per_group=3, weights={"text": 0.3})
    assert clone(index).get_params() == index.get_params()
    assert not [name for name in vars(index) if name.endswith("_")]
    assert index.fit(frames) is index
    assert np.isfinite(index.idf_).all()
    with pytest.raises(ValueError, match="unknown score parts"):
        MatchIndex(weights={"salary": 1.0}).fit(frames)


def test_relations_may_mix_explicit_weights_and_kinds(frames):
    frames.skill_relations = pd.concat([
        frames.skill_relations,
        pd.DataFrame({"skill_id": ["cook"], "related_skill_id": ["service"], "weight": [0.3]}),
    ], ignore_index=True)
    index = MatchIndex().fit(frames)
    related = index.explain("tig-only", "v-weld-val")["related_skills"]
    assert [r["skill_id"] for r in related] == ["weld"] and related[0]["credit"] == 0.5


def test_candidates_can_be_limited_to_an_allowed_set(frames):
    index = MatchIndex().fit(frames)
    assert index.recommend_candidates("v-weld-val", among=["tig-only", "nobody"])["candidate_id"].tolist() == ["tig-only"]
    assert index.recommend_candidates("v-weld-val", among=[]).empty


def test_pruned_top_k_equals_scoring_every_row():
    from matching.evaluation import jobs_benchmark, synthetic_taxonomy

    skills, occupations, links = synthetic_taxonomy(n_skills=300, n_occupations=40, skills_per_occupation=15,
                                                    random_state=1)
    frames, _, _ = jobs_benchmark(skills, occupations, links, n_occupations=30, n_vacancies=3000, n_candidates=40,
                                  filters=True, random_state=2)
    index = MatchIndex().fit(frames)
    pruned_somewhere = False
    for candidate in frames.candidates["candidate_id"]:
        c = index.candidates_.position[candidate]
        rows, scores, *_ = score_rows(index, direction=JOBS, query=c)
        full = rows[diverse_top(index, scores=scores, k=10, rows=rows)]
        evaluated, _, _, _, _, chosen = top_jobs(index, c, 10)
        pruned_somewhere |= len(evaluated) < len(rows)
        assert evaluated[chosen].tolist() == full.tolist()
    assert pruned_somewhere


def test_pruned_top_k_equals_scoring_every_row_when_many_vacancies_tie():
    """Copies of a few vacancies tie exactly at the cut; the rows kept from a tie are the first ones, as in the
    full ranking, so pruning still changes nothing."""
    from dataclasses import replace

    frames = _synthetic(n_vacancies=40, n_candidates=12)
    copies, links, languages = [], [], []
    for n in range(60):
        copy = frames.vacancies.assign(vacancy_id=frames.vacancies["vacancy_id"].astype(str) + f"-copy{n}",
                                       employer_id=frames.vacancies["employer_id"].astype(str) + f"-{n % 7}")
        copies.append(copy)
        links.append(frames.vacancy_skills.assign(vacancy_id=frames.vacancy_skills["vacancy_id"].astype(str)
                                                  + f"-copy{n}"))
        languages.append(frames.vacancy_languages.assign(
            vacancy_id=frames.vacancy_languages["vacancy_id"].astype(str) + f"-copy{n}"))
    frames = replace(frames, vacancies=pd.concat(copies, ignore_index=True),
                     vacancy_skills=pd.concat(links, ignore_index=True),
                     vacancy_languages=pd.concat(languages, ignore_index=True))
    index = MatchIndex().fit(frames)
    pruned_somewhere = False
    for candidate in frames.candidates["candidate_id"]:
        c = index.candidates_.position[candidate]
        rows, scores, *_ = score_rows(index, direction=JOBS, query=c)
        for k in (5, 10):
            full = rows[diverse_top(index, scores=scores, k=k, rows=rows)]
            evaluated, _, _, _, _, chosen = top_jobs(index, c, k)
            pruned_somewhere |= len(evaluated) < len(rows)
            assert evaluated[chosen].tolist() == full.tolist()
    assert pruned_somewhere


def _synthetic(n_vacancies: int = 600, n_candidates: int = 10):
    from matching.evaluation import jobs_benchmark, synthetic_taxonomy

    skills, occupations, links = synthetic_taxonomy(n_skills=300, n_occupations=40, skills_per_occupation=15,
                                                    random_state=1)
    return jobs_benchmark(skills, occupations, links, n_occupations=30, n_vacancies=n_vacancies,
                          n_candidates=n_candidates, filters=False, random_state=2)[0]


def test_rescore_reorders_the_pool_and_explains_only_what_it_returns():
    frames = _synthetic()
    index = MatchIndex().fit(frames)
    candidate = frames.candidates["candidate_id"].iloc[0]
    hand = index.recommend_jobs(candidate, 10)
    assert len(hand) == 10
    seen = []

    def least_essential_first(parts: np.ndarray, names: tuple) -> np.ndarray:
        seen.append(pd.DataFrame(parts, columns=names))
        return -parts[:, names.index("essential")]

    result = index.recommend_jobs(candidate, 2, pool=10, rescore=least_essential_first)
    pool = seen[0]
    assert len(pool) == len(hand) and list(pool.columns) == list(index.weights_)
    # The pool arrives in hand-weighted order with the parts the explanations show.
    assert pool["essential"].tolist() == [e["parts"]["essential"] for e in hand["explanation"]]
    order = np.argsort(pool["essential"].to_numpy(), kind="stable")[:2]
    assert result["vacancy_id"].tolist() == hand["vacancy_id"].iloc[order].tolist() != hand["vacancy_id"][:2].tolist()
    assert result["rank"].tolist() == [1, 2]
    assert result["rescore"].tolist() == (-pool["essential"].to_numpy()[order]).tolist()
    # score stays the hand-weighted sum its explanation's contributions add up to
    for score, explanation in zip(result["score"], result["explanation"]):
        assert abs(sum(explanation["contributions"].values()) - score) < 1e-3
    with pytest.raises(ValueError, match="one score per row"):
        index.recommend_jobs(candidate, 2, pool=10, rescore=lambda parts, names: np.zeros(1))


def test_text_terms_kept_do_not_depend_on_the_stored_order_of_a_row(frames):
    # A full build may store a row's terms unsorted, an upsert stores them sorted: with ties at the cut of
    # text_query_terms both must keep the same terms, or re-indexing an unchanged profile changes its scores.
    import scipy.sparse as sp

    index = MatchIndex(text_query_terms=2).fit(frames)
    weights = [0.5, 0.5, 0.5, 0.9]
    for unsorted in ([7, 3, 9, 1], [9, 7, 3, 1], [3, 9, 7, 1]):
        stored = sp.csr_matrix((weights, unsorted, [0, 4]), shape=(1, 10))
        ordered = stored.copy()
        ordered.sort_indices()
        kept = [sorted(query_terms(index, LiveMatrix(m), 0)[0].tolist()) for m in (stored, ordered)]
        assert kept[0] == kept[1] == [1, 3]


def test_a_vacancy_sharing_only_words_of_its_text_is_not_a_match(frames):
    """The welder's text says "ražotnē" like the CNC ad; sharing words but no skill lists nothing (issue 10)."""
    frames.candidates.loc[frames.candidates["candidate_id"] == "forklift-driver", "text"] = (
        "CNC darbgalu vadīšana un Excel")  # every word of the CNC ad, none of its skills
    index = MatchIndex().fit(frames)
    assert "v-cnc" not in jobs(index, "forklift-driver")
    assert index.explain("forklift-driver", "v-cnc")["shares_skill"] is False
    assert index.explain("forklift-driver", "v-store")["shares_skill"] is True
