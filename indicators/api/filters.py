"""Query-string filters of the indicator catalogue and of indicator values (django-filter)."""

import django_filters as df
from django.db.models import Q

from config.api.filters import ChoicesFilter, FilterSet, IdFilter, YearFilter, filter_region
from indicators.models import IndicatorDefinition, IndicatorValue
from reports.models import AdminLevel


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


class IndicatorDefinitionFilter(FilterSet):
    category = df.CharFilter(help_text="Report area, S1–S7.")
    kind = ChoicesFilter(choices=IndicatorDefinition.Kind.choices)
    name = df.CharFilter(lookup_expr="icontains", help_text="Substring of the name.")

    class Meta:
        model = IndicatorDefinition
        fields: list[str] = []


class IndicatorValueFilter(FilterSet):
    code = df.CharFilter(
        method="filter_code",
        help_text="Catalogue code(s), comma-separated; matches the corrected code where a "
        "curator changed it.",
    )
    has_code = df.BooleanFilter(
        method="filter_has_code", help_text="Only values mapped (true) or not mapped (false)."
    )
    report = IdFilter(field_name="report_id")
    section = IdFilter(field_name="section_id")
    region = df.CharFilter(
        method="filter_region_any", help_text="Matches the report's province, city or county."
    )
    province = df.CharFilter(field_name="report__province")
    city = df.CharFilter(field_name="report__city")
    county = df.CharFilter(field_name="report__county")
    admin_level = ChoicesFilter(field_name="report__admin_level", choices=AdminLevel.choices)
    year = YearFilter(field_name="report__report_year", help_text="The year the report covers.")
    year_min = YearFilter(field_name="report__report_year", lookup_expr="gte")
    year_max = YearFilter(field_name="report__report_year", lookup_expr="lte")
    status = ChoicesFilter(choices=IndicatorValue.Status.choices)
    value_min = df.NumberFilter(
        field_name="current_value", lookup_expr="gte", help_text="Effective value ≥ this."
    )
    value_max = df.NumberFilter(
        field_name="current_value", lookup_expr="lte", help_text="Effective value ≤ this."
    )
    unit = df.CharFilter(help_text="Unit exactly as normalised, e.g. 件, %, 万元.")
    kind = df.CharFilter(help_text="count, rate, money, change or measure.")
    subject = df.CharFilter(lookup_expr="icontains", help_text="Substring of the subject.")
    confidence_min = df.NumberFilter(field_name="confidence", lookup_expr="gte")

    class Meta:
        model = IndicatorValue
        fields: list[str] = []

    def filter_code(self, queryset, name, value):
        ids = list(
            IndicatorDefinition.objects.filter(code__in=_codes(value)).values_list("id", flat=True)
        )
        return queryset.mapped_to(ids, lookup="in")

    def filter_has_code(self, queryset, name, value):
        mapped = Q(corrected_definition_id__isnull=False) | Q(definition_id__isnull=False)
        return queryset.filter(mapped) if value else queryset.exclude(mapped)

    def filter_region_any(self, queryset, name, value):
        return filter_region(queryset, "report__", value)
