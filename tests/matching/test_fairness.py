"""Fairness: exposure and approval by group on known answers, suppression, rankings blind to protected attributes."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matching.fairness import age_band, exposure_report
from matching.index import DEFAULT_WEIGHTS
from matching.ltr import HandWeightedRanker, RankerModel


def toy():
    """Town A: 10 people at positions 1 (approved) and 3 (rejected) → exposure 1.5, approval 0.5.
    Town B: 10 people at position 3, half approved, half unreviewed → exposure 0.5, approval 1.0.
    Town C: 12 people, six at position 1 (rejected), six served nothing → exposure 0.5, approval 0.0."""
    people, served = [], []
    for i in range(10):
        people.append({"person_id": f"a{i}", "town": "A", "gender": "m" if i < 3 else "f", "age": 16})
        served += [{"person_id": f"a{i}", "list_id": f"la{i}", "position": 1, "approved": True},
                   {"person_id": f"a{i}", "list_id": f"la{i}", "position": 3, "approved": False}]
    for i in range(10):
        people.append({"person_id": f"b{i}", "town": "B", "gender": "f", "age": 30})
        served.append({"person_id": f"b{i}", "list_id": f"lb{i}", "position": 3,
                       "approved": True if i < 5 else None})
    for i in range(12):
        people.append({"person_id": f"c{i}", "town": "C", "gender": "f", "age": 52})
        if i < 6:
            served.append({"person_id": f"c{i}", "list_id": f"lc{i}", "position": 1, "approved": False})
    return pd.DataFrame(served), pd.DataFrame(people)


def row(report, attribute, group):
    return report[(report["attribute"] == attribute) & (report["group"] == group)].iloc[0]


def test_known_exposures_approval_rates_and_ratios_against_the_best_off_group():
    served, people = toy()
    report = exposure_report(served, people, group_columns=("town",))
    a, b, c = (row(report, "town", t) for t in "ABC")
    assert (a["people"], b["people"], c["people"]) == (10, 10, 12)
    assert (a["exposure"], b["exposure"], c["exposure"]) == (1.5, 0.5, 0.5)
    assert (a["approval_rate"], b["approval_rate"], c["approval_rate"]) == (0.5, 1.0, 0.0)
    assert (a["reviewed"], b["reviewed"], c["reviewed"]) == (20, 5, 6)
    assert (a["exposure_ratio"], b["exposure_ratio"], c["exposure_ratio"]) == (1.0, 0.3333, 0.3333)
    assert (a["approval_ratio"], b["approval_ratio"], c["approval_ratio"]) == (0.5, 1.0, 0.0)


def test_ratios_against_everybody():
    served, people = toy()
    report = exposure_report(served, people, group_columns=("town",), reference="overall")
    overall = (10 * 1.5 + 10 * 0.5 + 6 * 1.0) / 32
    assert row(report, "town", "A")["exposure_ratio"] == round(1.5 / overall, 4)
    assert row(report, "town", "C")["approval_ratio"] == 0.0


def test_groups_under_ten_people_are_suppressed_and_do_not_set_the_reference():
    served, people = toy()
    report = exposure_report(served, people, group_columns=("gender",))
    men, women = row(report, "gender", "m"), row(report, "gender", "f")
    assert men["suppressed"] and men["people"] == "<10" and men["served"] == "<10"
    assert men["exposure"] is None and men["approval_rate"] is None and men["exposure_ratio"] is None
    assert not women["suppressed"] and women["people"] == 29
    # the three men are all best-exposed (town A); were they the reference, women would read below 1
    assert women["exposure_ratio"] == 1.0


def test_suppression_threshold_is_a_parameter():
    served, people = toy()
    report = exposure_report(served, people, group_columns=("gender",), min_group=3)
    assert not row(report, "gender", "m")["suppressed"]
    assert row(report, "gender", "m")["exposure"] == 1.5


def test_age_band_is_derived_from_age_and_missing_values_form_their_own_group():
    served, people = toy()
    people.loc[people["person_id"] == "c0", "town"] = None
    report = exposure_report(served, people, group_columns=("age_band", "town"))
    assert row(report, "age_band", "13-17")["people"] == 10
    assert row(report, "age_band", "50+")["people"] == 12
    assert row(report, "town", "unknown")["suppressed"]
    assert row(report, "town", "C")["people"] == 11


@pytest.mark.parametrize("age, band", [(13, "13-17"), (17, "13-17"), (18, "18-24"), (24, "18-24"), (25, "25-34"),
                                       (34, "25-34"), (35, "35-49"), (49, "35-49"), (50, "50+"), (87, "50+"),
                                       (12, None), (None, None), (float("nan"), None)])
def test_age_bands(age, band):
    assert age_band(age) == band


# ------------------------------------------------------------ invariance to protected attributes

def served_with_people(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 60
    frame = pd.DataFrame(rng.random((n, len(DEFAULT_WEIGHTS))), columns=list(DEFAULT_WEIGHTS))
    frame.insert(0, "list_id", [f"L{i // 6}" for i in range(n)])
    frame.insert(1, "position", [i % 6 + 1 for i in range(n)])
    frame["label"] = np.digitize(frame["profile"] + rng.normal(0, 0.1, n), [0.3, 0.6, 0.85])
    return frame


def ranks(model, frame) -> list:
    scored = frame.assign(score=model.score(frame))
    return scored.sort_values(["list_id", "score"], ascending=[True, False], kind="stable").index.tolist()


@pytest.mark.parametrize("model", [HandWeightedRanker(), RankerModel(random_state=0),
                                   RankerModel(method="pointwise", random_state=0)])
def test_changing_protected_attributes_changes_no_ranking(model):
    train = served_with_people(0)
    model.fit(train)
    frame = served_with_people(1)
    rng = np.random.default_rng(5)
    people = frame.assign(gender=rng.choice(["f", "m"], len(frame)), nationality=rng.choice(["LV", "UA"], len(frame)),
                          disability=rng.random(len(frame)) < 0.2, age=rng.integers(15, 60, len(frame)))
    changed = people.assign(gender=np.where(people["gender"] == "f", "m", "f"), nationality="EE",
                            disability=~people["disability"], age=people["age"] + 20)
    before, after = model.score(people), model.score(changed)
    np.testing.assert_array_equal(before, after)
    assert ranks(model, people) == ranks(model, changed)
    # the ranking does react to a real feature, so the comparison above can fail
    moved = people.assign(profile=1.0 - people["profile"], essential=1.0 - people["essential"])
    assert ranks(model, moved) != ranks(model, people)
