from django.urls import path

from indicators.views import CoveragePageView, IndicatorComparePageView, IndicatorDetailPageView

app_name = "indicators"

urlpatterns = [
    path("compare/", IndicatorComparePageView.as_view(), name="compare"),
    path("coverage/", CoveragePageView.as_view(), name="coverage"),
    path("indicators/<slug:code>/", IndicatorDetailPageView.as_view(), name="detail"),
]
