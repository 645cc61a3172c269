from django.urls import path, re_path, register_converter
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from distribution.api import views
from distribution.api.exceptions import not_found

app_name = "api"


class GuidConverter:
    # Guids carry colons (urn:newsroom:<uuid>); anything outside this set is not one of ours.
    regex = r"[A-Za-z0-9][A-Za-z0-9:._-]{0,63}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class VersionConverter:
    regex = r"[0-9]{1,6}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(GuidConverter, "guid")
register_converter(VersionConverter, "version")

urlpatterns = [
    path("v1/items/", views.ItemListView.as_view(), name="items"),
    path("v1/items/<guid:guid>/", views.ItemDetailView.as_view(), name="item"),
    path("v1/items/<guid:guid>/versions/", views.VersionListView.as_view(), name="item-versions"),
    path(
        "v1/items/<guid:guid>/versions/<version:number>/",
        views.VersionDetailView.as_view(),
        name="item-version",
    ),
    path("v1/deliveries/", views.DeliveryListView.as_view(), name="deliveries"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularRedocView.as_view(
            url_name="api:schema", template_name="distribution/api/redoc.html"
        ),
        name="docs",
    ),
    path(
        "docs/swagger/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="distribution/api/swagger.html"
        ),
        name="docs-swagger",
    ),
    # Any other path under /api/, a newline in it too, is a JSON 404.
    re_path(r"^[\s\S]*$", not_found),
]
