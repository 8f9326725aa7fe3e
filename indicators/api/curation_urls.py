from django.urls import path

from indicators.api.curation_views import (
    CoverageView,
    IndicatorCompareView,
    IndicatorValueAuditView,
    IndicatorValueConflictView,
    IndicatorValueCorrectView,
    IndicatorValueRejectView,
    IndicatorValueVerifyView,
)

urlpatterns = [
    path(
        "indicators/values/<int:pk>/verify/",
        IndicatorValueVerifyView.as_view(),
        name="indicator-value-verify",
    ),
    path(
        "indicators/values/<int:pk>/reject/",
        IndicatorValueRejectView.as_view(),
        name="indicator-value-reject",
    ),
    path(
        "indicators/values/<int:pk>/correct/",
        IndicatorValueCorrectView.as_view(),
        name="indicator-value-correct",
    ),
    path(
        "indicators/values/<int:pk>/conflict/",
        IndicatorValueConflictView.as_view(),
        name="indicator-value-conflict",
    ),
    path(
        "indicators/values/<int:pk>/audit/",
        IndicatorValueAuditView.as_view(),
        name="indicator-value-audit",
    ),
    path("indicators/compare/", IndicatorCompareView.as_view(), name="indicator-compare"),
    path("coverage/", CoverageView.as_view(), name="coverage"),
]
