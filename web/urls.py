"""The web site's URLs (namespace ``web``), beside the API under /api/ and the admin."""
from django.urls import include, path

from web.views import account, data, explore, me

app_name = "web"

urlpatterns = [
    path("", explore.home, name="home"),
    path("signin/", account.SignInView.as_view(), name="signin"),
    path("signout/", account.SignOutView.as_view(), name="signout"),
    path("register/", account.register, name="register"),
    path("language/", account.language, name="language"),
    path("jobs/", explore.jobs, name="jobs"),
    path("jobs/<int:pk>/", explore.job_detail, name="job"),
    path("jobs/<int:pk>/apply/", me.apply_job, name="apply_job"),
    path("programmes/", explore.programmes, name="programmes"),
    path("programmes/<int:pk>/", explore.programme_detail, name="programme"),
    path("intakes/<int:pk>/apply/", me.apply_intake, name="apply_intake"),
    path("careers/", explore.careers, name="careers"),
    path("careers/<int:pk>/", explore.career_detail, name="career"),
    path("careers/<int:pk>/save/", explore.career_save, name="career_save"),
    path("interests/", explore.interests, name="interests"),
    path("explored/", explore.explored_page, name="explored"),
    path("me/", me.dashboard, name="me"),
    path("me/skills/", me.skills, name="skills"),
    path("me/profile/", me.profile, name="profile"),
    path("me/jobs/", me.my_jobs, name="my_jobs"),
    path("me/programmes/", me.my_programmes, name="my_programmes"),
    path("me/careers/", me.my_careers, name="my_careers"),
    path("me/pathways/", me.my_pathways, name="my_pathways"),
    path("me/what-if/", me.what_if, name="what_if"),
    path("me/applications/", me.applications, name="applications"),
    path("me/applications/<int:pk>/withdraw/", me.application_withdraw, name="withdraw"),
    path("me/data/", data.my_data, name="my_data"),
    path("me/data/export/", data.export, name="export"),
    path("me/data/consent/", data.withdraw_consent, name="withdraw_consent"),
    path("me/data/delete/", data.delete_account, name="delete_account"),
    path("", include("web.urls_employer")),
    path("", include("web.urls_school")),
    path("", include("web.urls_counsellor")),
    path("", include("web.urls_analyst")),
]
