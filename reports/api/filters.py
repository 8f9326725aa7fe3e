"""Query-string filters of the report, section and ingestion-job lists (django-filter)."""

import django_filters as df

from config.api.filters import ChoicesFilter, FilterSet, IdFilter, YearFilter, filter_region
from reports.models import AdminLevel, IngestionJob, IngestionOutcome, Report, Section


class ReportFilter(FilterSet):
    province = df.CharFilter(help_text="Full province name, e.g. 广东省.")
    city = df.CharFilter(help_text="Full city name, e.g. 汕尾市.")
    county = df.CharFilter(help_text="Full county/district name, e.g. 城区.")
    region = df.CharFilter(
        method="filter_region_any", help_text="Matches the province, city or county name."
    )
    admin_level = ChoicesFilter(choices=AdminLevel.choices)
    report_year = YearFilter(help_text="The year the report covers.")
    year_min = YearFilter(field_name="report_year", lookup_expr="gte")
    year_max = YearFilter(field_name="report_year", lookup_expr="lte")
    status = ChoicesFilter(choices=Report.Status.choices)
    title = df.CharFilter(lookup_expr="icontains", help_text="Substring of the title.")
    issuer = df.CharFilter(lookup_expr="icontains", help_text="Substring of the issuer.")
    published_after = df.DateFilter(field_name="published_on", lookup_expr="gte")
    published_before = df.DateFilter(field_name="published_on", lookup_expr="lte")
    source_format = df.CharFilter()
    job = IdFilter(field_name="job_id", help_text="Reports loaded by this ingestion job.")

    class Meta:
        model = Report
        fields: list[str] = []

    def filter_region_any(self, queryset, name, value):
        return filter_region(queryset, "", value)


class SectionFilter(FilterSet):
    report = IdFilter(field_name="report_id")
    level = ChoicesFilter(choices=[(i, str(i)) for i in range(1, 5)])
    marker = df.CharFilter(help_text="The marker exactly as written, e.g. 一、 or （一）.")
    title = df.CharFilter(lookup_expr="icontains", help_text="Substring of the heading title.")
    parent = IdFilter(field_name="parent_id")
    top_level = df.BooleanFilter(field_name="parent", lookup_expr="isnull")
    report_year = YearFilter(field_name="report__report_year")
    province = df.CharFilter(field_name="report__province")
    admin_level = ChoicesFilter(field_name="report__admin_level", choices=AdminLevel.choices)

    class Meta:
        model = Section
        fields: list[str] = []


class IngestionJobFilter(FilterSet):
    status = ChoicesFilter(choices=IngestionJob.Status.choices)
    source = ChoicesFilter(choices=IngestionJob.Source.choices)

    class Meta:
        model = IngestionJob
        fields: list[str] = []


class IngestionOutcomeFilter(FilterSet):
    status = ChoicesFilter(choices=IngestionOutcome.Status.choices)

    class Meta:
        model = IngestionOutcome
        fields: list[str] = []
