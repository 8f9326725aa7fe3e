"""Search routes (under /api/v1/)."""

from django.urls import path

from reports.search.api import ReportSearchView, SectionSearchView

urlpatterns = [
    path("search/sections/", SectionSearchView.as_view(), name="search-sections"),
    path("search/reports/", ReportSearchView.as_view(), name="search-reports"),
]
