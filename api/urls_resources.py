"""Catalogue, vacancies, programmes, candidates and applications URLs (/api/v1/...)."""
from django.urls import path

from api.views import resources_applications as applications
from api.views import resources_candidates as candidates
from api.views import resources_catalogue as catalogue
from api.views import resources_programmes as programmes
from api.views import resources_vacancies as vacancies

urlpatterns = [
    path("skills/", catalogue.SkillListApi.as_view(), name="skill-list"),
    path("skills/<int:pk>/", catalogue.SkillDetailApi.as_view(), name="skill-detail"),
    path("occupations/", catalogue.OccupationListApi.as_view(), name="occupation-list"),
    path("occupations/<int:pk>/", catalogue.OccupationDetailApi.as_view(), name="occupation-detail"),
    path("towns/", catalogue.TownListApi.as_view(), name="town-list"),
    path("towns/<int:pk>/", catalogue.TownDetailApi.as_view(), name="town-detail"),
    path("institutions/", catalogue.InstitutionListApi.as_view(), name="institution-list"),
    path("institutions/<int:pk>/", catalogue.InstitutionDetailApi.as_view(), name="institution-detail"),
    path("employers/", catalogue.EmployerListApi.as_view(), name="employer-list"),
    path("employers/<int:pk>/", catalogue.EmployerDetailApi.as_view(), name="employer-detail"),
    path("programmes/", programmes.ProgrammeListCreateApi.as_view(), name="programme-list"),
    path("programmes/<int:pk>/", programmes.ProgrammeDetailApi.as_view(), name="programme-detail"),
    path("intakes/", programmes.IntakeListCreateApi.as_view(), name="intake-list"),
    path("intakes/<int:pk>/", programmes.IntakeDetailApi.as_view(), name="intake-detail"),
    path("vacancies/", vacancies.VacancyListCreateApi.as_view(), name="vacancy-list"),
    path("vacancies/<int:pk>/", vacancies.VacancyDetailApi.as_view(), name="vacancy-detail"),
    path("vacancies/<int:pk>/status/", vacancies.VacancyStatusApi.as_view(), name="vacancy-status"),
    path("candidates/", candidates.CandidateListApi.as_view(), name="candidate-list"),
    path("candidates/<int:pk>/", candidates.CandidateDetailApi.as_view(), name="candidate-detail"),
    path("applications/", applications.ApplicationListCreateApi.as_view(), name="application-list"),
    path("applications/<int:pk>/", applications.ApplicationDetailApi.as_view(), name="application-detail"),
    path("applications/<int:pk>/status/", applications.ApplicationStatusApi.as_view(), name="application-status"),
]
