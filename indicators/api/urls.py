"""Catalogue and indicator-value routes (under /api/v1/)."""

from django.urls import path

from indicators.api import views

urlpatterns = [
    path(
        "indicators/definitions/",
        views.IndicatorDefinitionListView.as_view(),
        name="indicator-definition-list",
    ),
    path(
        "indicators/definitions/<slug:code>/",
        views.IndicatorDefinitionDetailView.as_view(),
        name="indicator-definition-detail",
    ),
    path("indicators/values/", views.IndicatorValueListView.as_view(), name="indicator-value-list"),
    path(
        "indicators/values/export/",
        views.IndicatorValueExportView.as_view(),
        name="indicator-value-export",
    ),
    path(
        "indicators/values/<int:pk>/",
        views.IndicatorValueDetailView.as_view(),
        name="indicator-value-detail",
    ),
]
