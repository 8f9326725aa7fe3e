"""The reading pages: home, search and a report's reading view."""

from django.urls import path

from reports.views import HomePageView, ReportReadPageView, SearchPageView

app_name = "reports"

urlpatterns = [
    path("", HomePageView.as_view(), name="home"),
    path("search/", SearchPageView.as_view(), name="search"),
    path("reports/<int:pk>/", ReportReadPageView.as_view(), name="detail"),
]
