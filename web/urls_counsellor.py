"""The counsellor pages (journey 4), included into the ``web`` namespace."""
from django.urls import path

from web.views import counsellor

urlpatterns = [
    path("counsellor/", counsellor.caseload, name="counsellor_caseload"),
    path("counsellor/outcomes/", counsellor.outcomes, name="counsellor_outcomes"),
    path("counsellor/people/<int:pk>/", counsellor.person, name="counsellor_person"),
    path("counsellor/people/<int:pk>/review/", counsellor.review, name="counsellor_review"),
    path("counsellor/people/<int:pk>/add/", counsellor.add_item, name="counsellor_add"),
    path("counsellor/people/<int:pk>/release/", counsellor.release, name="counsellor_release"),
    path("counsellor/people/<int:pk>/print/", counsellor.printable, name="counsellor_print"),
]
