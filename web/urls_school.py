"""School staff's pages (provider role, journey 5), under /school/ in the ``web`` namespace."""
from django.urls import path

from web.views import school

urlpatterns = [
    path("school/", school.institution_page, name="school"),
    path("school/programmes/new/", school.programme_new, name="school_programme_new"),
    path("school/programmes/<int:pk>/edit/", school.programme_edit, name="school_programme_edit"),
    path("school/programmes/<int:pk>/active/", school.programme_active, name="school_programme_active"),
    path("school/programmes/<int:pk>/intakes/new/", school.intake_new, name="school_intake_new"),
    path("school/intakes/<int:pk>/edit/", school.intake_edit, name="school_intake_edit"),
    path("school/intakes/<int:pk>/close/", school.intake_close_view, name="school_intake_close"),
    path("school/upload/<str:kind>/", school.upload, name="school_upload"),
    path("school/upload/<str:kind>/template/", school.upload_template, name="school_upload_template"),
    path("school/demand/", school.demand, name="school_demand"),
]
