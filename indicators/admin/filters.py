"""The review queue's list filters."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from indicators.models import IndicatorDefinition
from reports.models import Report


class CodeFilter(admin.SimpleListFilter):
    title = "code"
    parameter_name = "code"

    def lookups(self, request, model_admin):
        return [("-", "(unmapped)"), *IndicatorDefinition.objects.values_list("code", "code")]

    def queryset(self, request, queryset):
        if self.value() == "-":
            return queryset.filter(definition=None, corrected_definition=None)
        if self.value():
            definition = IndicatorDefinition.objects.filter(code=self.value()).first()
            return queryset.filter(Q(definition=definition) | Q(corrected_definition=definition))
        return queryset


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"
    BANDS = {"low": (0.0, 0.5), "medium": (0.5, 0.8), "high": (0.8, 1.01)}

    def lookups(self, request, model_admin):
        return [("low", "< 0.5"), ("medium", "0.5–0.8"), ("high", "≥ 0.8")]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        return queryset.filter(confidence__gte=band[0], confidence__lt=band[1])


class ConflictFilter(admin.SimpleListFilter):
    title = "re-parse conflict"
    parameter_name = "conflict"

    def lookups(self, request, model_admin):
        return [("yes", "yes"), ("no", "no")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(parse_conflict__isnull=self.value() == "no")
        return queryset


class ProvinceFilter(admin.SimpleListFilter):
    title = "province"
    parameter_name = "province"

    def lookups(self, request, model_admin):
        provinces = Report.objects.exclude(province="").values_list("province", flat=True)
        return [(p, p) for p in provinces.distinct().order_by("province")]

    def queryset(self, request, queryset):
        return queryset.filter(report__province=self.value()) if self.value() else queryset


class YearFilter(admin.SimpleListFilter):
    title = "report year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Report.objects.exclude(report_year=None).values_list("report_year", flat=True)
        return [(str(y), str(y)) for y in years.distinct().order_by("-report_year")]

    def queryset(self, request, queryset):
        return queryset.filter(report__report_year=self.value()) if self.value() else queryset
