"""matching.market on tiny frames whose answers can be counted by hand."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from matching.market import missing_skills, monthly_trend, occupation_balance, skill_balance


def _demand(rows):
    return pd.DataFrame(rows, columns=["vacancy_id", "skill_id", "essential", "places"])


def _supply(pairs):
    return pd.DataFrame(pairs, columns=["candidate_id", "skill_id"])


def test_demand_counts_places_essential_and_optional_apart_and_supply_counts_each_candidate_once():
    demand = _demand([(1, 7, True, 3), (2, 7, False, 2), (2, 8, True, 1)])
    supply = _supply([(c, 8) for c in range(12)] + [(0, 8)])
    table = skill_balance(demand, supply).set_index("skill_id")
    assert table.loc[7, ["vacancies", "demand_essential", "demand_optional"]].tolist() == [2, 3, 2]
    assert table.loc[8, "supply"] == 12
    assert table.loc[8, "shortage_index"] == pytest.approx(1 / 12, abs=1e-4)


def test_a_supply_under_ten_is_suppressed_and_counts_as_ten_in_the_index():
    demand = _demand([(1, 7, True, 20)])
    for holders in (0, 3, 9):
        row = skill_balance(demand, _supply([(c, 7) for c in range(holders)])).iloc[0]
        assert row["suppressed"] and row["supply"] is None
        assert row["shortage_index"] == 2.0  # 20 / 10, whatever the hidden count
    row = skill_balance(demand, _supply([(c, 7) for c in range(10)])).iloc[0]
    assert not row["suppressed"] and row["supply"] == 10 and row["shortage_index"] == 2.0


def test_the_most_short_skill_comes_first_and_a_skill_only_in_supply_is_listed():
    demand = _demand([(1, 1, True, 1), (2, 2, True, 30)])
    supply = _supply([(c, 3) for c in range(15)])
    assert skill_balance(demand, supply)["skill_id"].tolist() == [2, 1, 3]


def test_occupations_compare_places_with_candidates_who_target_them():
    vacancies = pd.DataFrame([(1, 5, 4), (2, 5, 6), (3, 6, 1)], columns=["vacancy_id", "occupation_id", "places"])
    targets = pd.DataFrame([(c, 6) for c in range(20)] + [(1, 5)], columns=["candidate_id", "occupation_id"])
    table = occupation_balance(vacancies, targets).set_index("occupation_id")
    assert table.loc[5, ["vacancies", "places"]].tolist() == [2, 10]
    assert table.loc[5, "candidates"] is None and table.loc[5, "places_per_candidate"] == 1.0
    assert table.loc[6, "candidates"] == 20 and table.loc[6, "places_per_candidate"] == 0.05


def test_missing_skills_count_the_ranked_candidates_who_lack_a_required_skill():
    required = pd.DataFrame([(1, 7, True), (1, 8, False), (2, 7, True)], columns=["vacancy_id", "skill_id", "essential"])
    ranked = pd.DataFrame([(1, c) for c in range(12)] + [(2, c) for c in range(6, 20)],
                          columns=["vacancy_id", "candidate_id"])
    held = _supply([(c, 8) for c in range(12)] + [(c, 7) for c in range(18, 20)])
    table = missing_skills(required, ranked, held).set_index("skill_id")
    assert table.loc[7, ["ranked", "missing", "vacancies"]].tolist() == [20, 18, 2]
    assert table.loc[7, "missing_share"] == 0.9
    assert table.loc[8, ["ranked", "missing"]].tolist() == [12, 0]
    assert table.index.tolist() == [7, 8]


def test_missing_skills_suppress_a_skill_asked_by_vacancies_with_fewer_than_ten_ranked_candidates():
    required = pd.DataFrame([(1, 7, True)], columns=["vacancy_id", "skill_id", "essential"])
    ranked = pd.DataFrame([(1, c) for c in range(9)], columns=["vacancy_id", "candidate_id"])
    row = missing_skills(required, ranked, _supply([])).iloc[0]
    assert row["suppressed"] and row["ranked"] is None and row["missing"] is None and row["missing_share"] is None


def test_monthly_trend_averages_the_days_of_each_month():
    daily = pd.DataFrame({"day": [dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 2, 1)],
                          "vacancies": [10, 20, 5], "demand_essential": [30, 10, 4], "demand_optional": [0, 0, 2],
                          "supply": [20, 40, 3]})
    trend = monthly_trend(daily)
    assert trend["month"].tolist() == ["2026-01", "2026-02"]
    january, february = trend.to_dict("records")
    assert (january["days"], january["vacancies"], january["supply"], january["shortage_index"]) == (2, 15.0, 30.0,
                                                                                                        round(20 / 30, 4))
    assert february["suppressed"] and february["supply"] is None


def test_a_frame_without_its_columns_is_refused():
    with pytest.raises(ValueError, match="lacks columns"):
        skill_balance(pd.DataFrame({"skill_id": []}), _supply([]))


def test_empty_frames_give_empty_tables_with_integer_ids():
    empty = skill_balance(_demand([]), _supply([]))
    assert empty.empty and list(empty.columns)[0] == "skill_id"
    assert str(skill_balance(_demand([]), _supply([])).astype({"skill_id": "int64"}).dtypes["skill_id"]) == "int64"


def test_counts_kept_per_town_add_up_to_the_counts_of_the_towns_together():
    from matching.market import balance_of_counts, counts_in_towns, skill_counts

    demand = pd.DataFrame([(1, 7, True, 3, 10), (2, 7, False, 2, 20), (3, 7, True, 1, 20), (3, 8, True, 1, 20)],
                          columns=["vacancy_id", "skill_id", "essential", "places", "town_id"])
    supply = pd.DataFrame([(c, 7, 10 if c % 2 else 20) for c in range(14)],
                          columns=["candidate_id", "skill_id", "town_id"])
    by_town = pd.concat([skill_counts(demand[demand.town_id == t], supply[supply.town_id == t]).assign(town_id=t)
                         for t in (10, 20)])
    for towns in ([10], [20], [10, 20], None):
        d = demand if towns is None else demand[demand.town_id.isin(towns)]
        s = supply if towns is None else supply[supply.town_id.isin(towns)]
        expected = skill_balance(d, s)
        assert balance_of_counts(counts_in_towns(by_town, "skill_id", towns)).equals(expected), towns
