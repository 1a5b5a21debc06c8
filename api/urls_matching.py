"""Matching URLs (/api/v1/...): skill extraction, title matching and the two recommendation lists."""
from django.urls import path

from api.views import matching

urlpatterns = [
    path("skills/extract/", matching.SkillExtractApi.as_view(), name="skill-extract"),
    path("occupations/match-title/", matching.TitleMatchApi.as_view(), name="occupation-match-title"),
    path("candidates/<int:pk>/recommendations/jobs/", matching.CandidateJobRecommendationsApi.as_view(),
         name="candidate-job-recommendations"),
    path("vacancies/<int:pk>/recommendations/candidates/", matching.VacancyCandidateRecommendationsApi.as_view(),
         name="vacancy-candidate-recommendations"),
]
