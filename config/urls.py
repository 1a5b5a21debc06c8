"""Top-level URLs: the admin, the API and the web site."""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("", include("web.urls")),
]
