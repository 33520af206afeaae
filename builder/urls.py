from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from builder.documents import frontend

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("builder.documents.api.urls")),
    path("api/", include("builder.insights.urls")),
    # Everything else that is not an API, admin or static path is a page of the app.
    re_path(r"^(?!api/|admin/|static/|ws/)(?P<path>.*)$", frontend.index, name="app"),
]

handler404 = "builder.documents.api.routing.not_found"
