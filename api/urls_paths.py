"""Learning-path URLs (/api/v1/...): programmes, careers, pathways and what-if for a candidate (issue 5)."""
from django.urls import path

from api.views import paths

urlpatterns = [
    path("candidates/<int:pk>/recommendations/programmes/", paths.CandidateProgrammeRecommendationsApi.as_view(),
         name="candidate-programme-recommendations"),
    path("candidates/<int:pk>/recommendations/careers/", paths.CandidateCareerRecommendationsApi.as_view(),
         name="candidate-career-recommendations"),
    path("candidates/<int:pk>/recommendations/pathways/", paths.CandidatePathwayRecommendationsApi.as_view(),
         name="candidate-pathway-recommendations"),
    path("candidates/<int:pk>/recommendations/what-if/", paths.CandidateWhatIfApi.as_view(),
         name="candidate-what-if"),
]
