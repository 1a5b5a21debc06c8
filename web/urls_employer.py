"""The employer pages (journey 3), under /employer/ in the ``web`` namespace."""
from django.urls import path

from web.views import employer

urlpatterns = [
    path("employer/", employer.organisation, name="employer"),
    path("employer/vacancies/new/", employer.vacancy_new, name="employer_vacancy_new"),
    path("employer/vacancies/suggest/", employer.suggestions, name="employer_suggest"),
    path("employer/vacancies/<int:pk>/", employer.vacancy_detail, name="employer_vacancy"),
    path("employer/vacancies/<int:pk>/edit/", employer.vacancy_edit, name="employer_vacancy_edit"),
    path("employer/vacancies/<int:pk>/status/", employer.vacancy_status, name="employer_vacancy_status"),
    path("employer/vacancies/<int:pk>/candidates/", employer.candidates, name="employer_candidates"),
    path("employer/vacancies/<int:pk>/applicants/", employer.applicants, name="employer_applicants"),
    path("employer/applications/<int:pk>/move/", employer.applicant_move, name="employer_applicant_move"),
    path("employer/missing-skills/", employer.missing_skills, name="employer_missing_skills"),
    path("employer/upload/", employer.upload, name="employer_upload"),
    path("employer/upload/template/", employer.upload_template, name="employer_upload_template"),
]
