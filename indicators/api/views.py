"""The indicator catalogue and extracted indicator values (reads and exports)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from config.api import (
    LIST_FILTER_BACKENDS,
    LargeListCursorPagination,
    StandardPagination,
    exports,
)
from config.api.views import SafePkMixin
from config.read_cache import AuthenticatedReadCacheMixin
from indicators.api.filters import IndicatorDefinitionFilter, IndicatorValueFilter
from indicators.api.serializers import (
    INDICATOR_VALUE_COLUMNS,
    IndicatorDefinitionSerializer,
    IndicatorValueSerializer,
)
from indicators.selectors import indicator_definition_list, indicator_value_queryset

VALUE_ORDERING_FIELDS = ["id", "value", "extracted_value", "confidence", "report"]
VALUE_ORDERING_ALIASES = {
    "value": "current_value",
    "extracted_value": "value",
    "report": "report_id",
}


@extend_schema_view(
    get=extend_schema(
        operation_id="indicator_definitions_list",
        summary="The indicator catalogue",
        description="Filter by category (S1–S7), kind, name; ordering by code, name, category.",
        tags=["indicators"],
    )
)
class IndicatorDefinitionListView(AuthenticatedReadCacheMixin, generics.ListAPIView):
    public_read_cache = True  # see config.read_cache
    serializer_class = IndicatorDefinitionSerializer
    filterset_class = IndicatorDefinitionFilter
    filter_backends = LIST_FILTER_BACKENDS
    ordering_fields = ["code", "name", "category", "kind"]
    ordering = ["category", "code"]
    pagination_class = StandardPagination

    def get_queryset(self):
        return indicator_definition_list()


@extend_schema_view(
    get=extend_schema(
        operation_id="indicator_definitions_retrieve",
        summary="One catalogue indicator, by code",
        tags=["indicators"],
    )
)
class IndicatorDefinitionDetailView(AuthenticatedReadCacheMixin, generics.RetrieveAPIView):
    public_read_cache = True  # see config.read_cache
    serializer_class = IndicatorDefinitionSerializer
    lookup_field = "code"

    def get_queryset(self):
        return IndicatorDefinitionListView().get_queryset()


VALUE_LIST_DESCRIPTION = (
    "Every extracted quantity with its quote, section and report. Filter by `code` (effective: "
    "the corrected code where corrected), region, admin level, covered year or range, review "
    "status, effective value range…; `ordering` by id, value (effective), extracted_value, "
    "confidence, report. Cursor pagination (follow `next`)."
)


@extend_schema_view(
    get=extend_schema(
        operation_id="indicator_values_list",
        summary="List indicator values",
        description=VALUE_LIST_DESCRIPTION,
        tags=["indicators"],
    )
)
class IndicatorValueListView(AuthenticatedReadCacheMixin, generics.ListAPIView):
    public_read_cache = True  # see config.read_cache
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    filter_backends = LIST_FILTER_BACKENDS
    ordering_fields = VALUE_ORDERING_FIELDS
    ordering_aliases = VALUE_ORDERING_ALIASES
    ordering = ["id"]
    pagination_class = LargeListCursorPagination

    # Built once (DRF clones it per request): rows of the columns shown, not model instances.
    queryset = indicator_value_queryset().values(*INDICATOR_VALUE_COLUMNS)


@extend_schema_view(
    get=extend_schema(
        operation_id="indicator_values_retrieve",
        summary="One indicator value with its quote, section and report",
        tags=["indicators"],
    )
)
class IndicatorValueDetailView(AuthenticatedReadCacheMixin, SafePkMixin, generics.RetrieveAPIView):
    public_read_cache = True  # see config.read_cache
    serializer_class = IndicatorValueSerializer

    queryset = IndicatorValueListView.queryset


VALUE_EXPORT_COLUMNS = [
    exports.ExportColumn(name, name, lookup)
    for name, lookup in [
        ("id", "id"),
        ("code", "current_code"),
        ("name", "current_name"),
        ("subject", "subject"),
        ("value", "current_value"),
        ("extracted_value", "value"),
        ("unit", "unit"),
        ("qualifier", "qualifier"),
        ("kind", "kind"),
        ("scope", "scope"),
        ("status", "status"),
        ("confidence", "confidence"),
        ("quote", "quote"),
        ("report_id", "report_id"),
        ("report_title", "report__title"),
        ("province", "report__province"),
        ("city", "report__city"),
        ("county", "report__county"),
        ("admin_level", "report__admin_level"),
        ("report_year", "report__report_year"),
        ("section_id", "section_id"),
        ("section_marker", "section__marker"),
        ("section_title", "section__title"),
        ("reviewed_at", "reviewed_at"),
    ]
]


@extend_schema_view(
    get=extend_schema(
        operation_id="indicator_values_export",
        summary="Export the filtered indicator-value list (CSV or XLSX)",
        description="Every row matching the list's filters, in the list's ordering, streamed.",
        tags=["exports"],
        parameters=exports.export_parameters(VALUE_EXPORT_COLUMNS),
        responses=exports.EXPORT_RESPONSES,
    )
)
class IndicatorValueExportView(exports.ExportView):
    columns = VALUE_EXPORT_COLUMNS
    file_stem = "indicator-values"
    filterset_class = IndicatorValueFilter
    filter_backends = LIST_FILTER_BACKENDS
    ordering_fields = VALUE_ORDERING_FIELDS
    ordering_aliases = VALUE_ORDERING_ALIASES
    ordering = ["id"]

    def get_queryset(self):
        return indicator_value_queryset()
