"""API URLs: /api/v1/..., the OpenAPI schema and Swagger UI."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/", include("api.urls_account")),
    path("api/v1/", include("api.urls_resources")),
    path("api/v1/", include("api.urls_matching")),
    path("api/v1/", include("api.urls_paths")),
    path("api/v1/", include("api.urls_oversight")),
    path("api/v1/", include("api.urls_insights")),
    path("api/v1/", include("api.urls_spreadsheets")),
]
