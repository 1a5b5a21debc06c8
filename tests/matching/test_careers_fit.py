"""RIASEC fit and the career score."""
from __future__ import annotations

import numpy as np

from matching.careers_fit import career_scores, riasec_fit


def test_identical_profile_fits_best_and_opposite_worst():
    person = (6, 2, 1, 1, 2, 3)
    occupations = np.array([person, (1, 5, 6, 6, 5, 4), (5, 3, 2, 2, 3, 4)], dtype=float)
    fit = riasec_fit(person, occupations)
    assert fit[0] == 1.0
    assert fit[0] > fit[2] > fit[1]
    assert fit[1] < 0.1


def test_flat_answers_are_compared_by_level_and_unknown_profiles_are_nan():
    fit = riasec_fit((4, 4, 4, 4, 4, 4), np.array([(4, 4, 4, 4, 4, 4), (1, 1, 1, 1, 1, 1), (np.nan,) * 6]))
    assert fit[0] == 1.0 and fit[1] == 0.5 and np.isnan(fit[2])
    assert np.isnan(riasec_fit(None, np.ones((2, 6)))).all()
    assert np.isnan(riasec_fit((1, 2, 3), np.ones((2, 6)))).all()


def test_career_score_without_interests_rests_on_skills_and_demand():
    interest = np.array([1.0, 0.0])
    score, parts = career_scores(interest, np.array([0.0, 1.0]), np.array([0, 10]), has_interests=False)
    assert score[1] == 1.0 and score[0] == 0.0
    with_interest, _ = career_scores(interest, np.array([0.0, 0.0]), np.array([0, 0]), has_interests=True)
    assert with_interest[0] > with_interest[1]
    assert parts["demand"][1] == 1.0
