"""Every REST endpoint, under /api/v1/. Each app owns its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("reports.api.urls")),
    path("", include("reports.search.urls")),
    path("", include("indicators.api.urls")),
    path("", include("indicators.api.curation_urls")),
]
