"""Every ORM → DataFrame adapter: querysets in, the frames ``matching`` documents out (nothing here scores).

``matching`` — the match index's frames (vacancies, candidates, skills, towns); ``paths`` — the learning paths'
(programmes, intakes, the learner); ``feedback`` — served lists and feedback events for learning to rank;
``insights`` — recommendation outcomes for the municipality's reports.
"""
from .matching import (
    vacancies_frame, vacancy_skills_frame, vacancy_languages_frame, candidates_frame, candidate_skills_frame,
    candidate_languages_frame, candidate_occupations_frame, skills_frame, occupations_frame,
    occupation_skills_frame, skill_relations_frame, towns_frame, town_distances_frame, match_frames, with_everyday_phrases,
)
from .paths import (
    RIASEC_COLUMNS, programmes_frame, intakes_frame, programme_skills_frame, programme_occupations_frame,
    occupations_riasec_frame, vacancy_salaries_frame, path_frames, learner_for,
)
