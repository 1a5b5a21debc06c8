"""Counsellors in the loop (/api/v1/...): caseload and reviews (issue 6)."""
from django.urls import path

from api.views import oversight

urlpatterns = [
    path("counsellor/caseload/", oversight.CaseloadApi.as_view(), name="counsellor-caseload"),
    path("counsellor/unassigned/", oversight.UnassignedApi.as_view(), name="counsellor-unassigned"),
    path("candidates/<int:pk>/reviews/", oversight.CandidateReviewsApi.as_view(), name="candidate-reviews"),
    path("candidates/<int:pk>/reviews/<str:kind>/<str:item_key>/", oversight.ReviewApi.as_view(),
         name="candidate-review"),
    path("feedback/", oversight.FeedbackApi.as_view(), name="feedback"),
    path("candidates/<int:pk>/recommendations/<str:kind>/<str:item_key>/explain/", oversight.ExplainApi.as_view(),
         name="candidate-recommendation-explain"),
]
