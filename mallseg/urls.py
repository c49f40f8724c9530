from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api.routing import token_or_session_only
from core.health import health
from mallseg import api_urls

admin.site.site_header = "mallseg administration"
admin.site.site_title = "mallseg admin"

urlpatterns = [
    path("healthz/", health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("customers/", include("customers.urls")),
    path("rfm/", include("rfm.urls")),
    path("predictions/", include("predictions.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((token_or_session_only(api_urls.urlpatterns), "api"))),
    *token_or_session_only([path("api/schema/", SpectacularAPIView.as_view(), name="api-schema")]),
    # The split view serves Swagger UI's start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("segmentation.urls")),
]

handler404 = "core.api.errors.not_found"
