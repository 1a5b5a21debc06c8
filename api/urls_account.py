"""Sign-in, registration and own-data URLs."""
from django.urls import path

from api.views.account import (
    LogoutApi,
    MeApi,
    MeExportApi,
    MeSkillsFromWorkApi,
    RegisterApi,
    TokenObtainApi,
    TokenRefreshApi,
    TokenVerifyApi,
)

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="auth-token"),
    path("auth/token/refresh/", TokenRefreshApi.as_view(), name="auth-token-refresh"),
    path("auth/token/verify/", TokenVerifyApi.as_view(), name="auth-token-verify"),
    path("auth/logout/", LogoutApi.as_view(), name="auth-logout"),
    path("auth/register/", RegisterApi.as_view(), name="auth-register"),
    path("me/", MeApi.as_view(), name="me"),
    path("me/export/", MeExportApi.as_view(), name="me-export"),
    path("me/skills/from-work/", MeSkillsFromWorkApi.as_view(), name="me-skills-from-work"),
]
