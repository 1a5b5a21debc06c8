"""Language-blocked jobs: listed apart, never in the main list, each naming the level missing."""
from __future__ import annotations

from matching.index import MatchIndex


def test_job_failing_only_on_language_is_listed_apart_with_the_level_missing(frames):
    index = MatchIndex().fit(frames)
    main = index.recommend_jobs("no-latvian", 10)["vacancy_id"].tolist()
    gap = index.recommend_language_gap_jobs("no-latvian", 10)
    assert "v-weld-val" not in main and "v-weld-ven" not in main  # Ventspils is beyond the commute
    assert gap["vacancy_id"].tolist() == ["v-weld-val"]
    assert gap["explanation"][0]["language_gaps"] == [{"language": "lv", "required": 4, "held": 0}]


def test_someone_speaking_the_language_has_no_language_gap_jobs(frames):
    index = MatchIndex().fit(frames)
    assert "v-weld-val" in index.recommend_jobs("welder", 10)["vacancy_id"].tolist()
    assert index.recommend_language_gap_jobs("welder", 10).empty


def test_a_job_failing_another_filter_too_is_not_a_language_gap(frames):
    frames.candidates.loc[frames.candidates["candidate_id"] == "no-latvian", "max_commute_km"] = 0
    frames.candidates.loc[frames.candidates["candidate_id"] == "no-latvian", "town_id"] = "cesis"
    index = MatchIndex().fit(frames)  # 32 km away with a 0 km limit: commute fails as well
    assert index.recommend_language_gap_jobs("no-latvian", 10).empty


def test_blocked_rows_name_the_gap_and_with_languages_lifts_it(frames):
    index = MatchIndex().fit(frames)
    rows, distance, gaps = index.language_blocked_vacancy_rows("no-latvian")
    assert [index.vacancies_.ids[r] for r in rows.tolist()] == ["v-weld-val"]
    assert gaps == [[{"language": "lv", "required": 4, "held": 0}]]
    lifted = index.with_languages("no-latvian", {"lv": 4})
    assert "v-weld-val" in lifted.recommend_jobs("no-latvian", 10)["vacancy_id"].tolist()
    short = index.with_languages("no-latvian", {"lv": 3})
    assert "v-weld-val" not in short.recommend_jobs("no-latvian", 10)["vacancy_id"].tolist()
    assert "v-weld-val" not in index.recommend_jobs("no-latvian", 10)["vacancy_id"].tolist()  # shared index untouched
