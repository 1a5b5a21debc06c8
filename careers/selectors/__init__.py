"""Reads: who may see what. Views and later features (recommendations, counsellor review) reuse these."""
from .applications import applications_managed_by, applications_visible_to, with_application_detail
from .candidates import (
    CandidateAccess,
    candidate_access_for,
    candidates_discoverable,
    candidates_visible_to,
    with_candidate_access,
    with_candidate_profile,
)
from .catalogue import concepts_matching, employers_public
from .programmes import (
    intakes_managed_by,
    intakes_visible_to,
    programmes_managed_by,
    programmes_visible_to,
    institution_for_new_programme,
    programme_for_new_intake,
    with_intake_detail,
    with_programme_detail,
)
from .roles import candidate_of, employers_of, institution_of, is_admin, is_counsellor, is_employer_member, is_provider_staff
from .vacancies import employer_for_new_vacancy, vacancies_managed_by, vacancies_visible_to, with_vacancy_detail

__all__ = [
    "employer_for_new_vacancy", "institution_for_new_programme", "programme_for_new_intake",
    "CandidateAccess", "applications_managed_by", "applications_visible_to", "candidate_access_for", "candidate_of",
    "candidates_discoverable", "candidates_visible_to", "concepts_matching", "employers_of", "employers_public",
    "institution_of", "intakes_managed_by", "intakes_visible_to", "is_admin", "is_counsellor", "is_employer_member",
    "is_provider_staff", "programmes_managed_by", "programmes_visible_to", "vacancies_managed_by",
    "vacancies_visible_to", "with_application_detail", "with_candidate_access", "with_candidate_profile",
    "with_intake_detail", "with_programme_detail", "with_vacancy_detail",
]
