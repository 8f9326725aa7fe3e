"""Report, section, search, ingestion-job, export and status routes (under /api/v1/)."""

from django.urls import path

from reports.api import jobs, originals, search, sections, status, views

urlpatterns = [
    path("reports/", views.ReportListUploadView.as_view(), name="report-list"),
    path("reports/export/", views.ReportExportView.as_view(), name="report-export"),
    path("reports/reparse/", views.ReportBulkReparseView.as_view(), name="report-reparse-bulk"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/parsed/", views.ReportParsedView.as_view(), name="report-parsed"),
    path(
        "reports/<int:pk>/original/",
        originals.ReportOriginalView.as_view(),
        name="report-original",
    ),
    path("reports/<int:pk>/reparse/", views.ReportReparseView.as_view(), name="report-reparse"),
    path("sections/", sections.SectionListView.as_view(), name="section-list"),
    path("sections/<int:pk>/", sections.SectionDetailView.as_view(), name="section-detail"),
    path("search/sections/", search.SectionSearchView.as_view(), name="search-sections"),
    path("search/reports/", search.ReportSearchView.as_view(), name="search-reports"),
    path("ingestion-jobs/", jobs.IngestionJobListView.as_view(), name="ingestion-job-list"),
    path(
        "ingestion-jobs/<int:pk>/",
        jobs.IngestionJobDetailView.as_view(),
        name="ingestion-job-detail",
    ),
    path(
        "ingestion-jobs/<int:pk>/outcomes/",
        jobs.IngestionOutcomeListView.as_view(),
        name="ingestion-job-outcomes",
    ),
    path("status/", status.SystemStatusView.as_view(), name="system-status"),
]
