from django.urls import path

from indicators.views import CoveragePageView, IndicatorComparePageView

app_name = "indicators"

urlpatterns = [
    path("compare/", IndicatorComparePageView.as_view(), name="compare"),
    path("coverage/", CoveragePageView.as_view(), name="coverage"),
]
