"""Sections: list (cursor pages) and detail, each with its text and its heading path."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from config.api import LIST_FILTER_BACKENDS, LargeListCursorPagination
from config.api.views import SafePkMixin
from config.read_cache import AuthenticatedReadCacheMixin
from reports.api.filters import SectionFilter
from reports.api.serializers import SectionSerializer
from reports.models import Section
from reports.selectors import section_list_with_path


@extend_schema_view(
    get=extend_schema(
        operation_id="sections_list",
        summary="List sections",
        description="Filter by report, level, marker…; ordering by id, position, level. "
        "Cursor pagination (follow `next`).",
        tags=["sections"],
    )
)
class SectionListView(AuthenticatedReadCacheMixin, generics.ListAPIView):
    public_read_cache = True  # see config.read_cache
    serializer_class = SectionSerializer
    filterset_class = SectionFilter
    filter_backends = LIST_FILTER_BACKENDS
    ordering_fields = ["id", "position", "level"]
    ordering = ["id"]
    pagination_class = LargeListCursorPagination

    def get_queryset(self):
        return section_list_with_path(columns=_SECTION_COLUMNS)


# The serializer's stored fields, as columns.
_ATTNAMES = {f.name: f.attname for f in Section._meta.concrete_fields}
_SECTION_COLUMNS = tuple(
    _ATTNAMES[name]
    for name in SectionSerializer.Meta.fields
    if name not in ("report_title", "path")
)


@extend_schema_view(
    get=extend_schema(
        operation_id="sections_retrieve",
        summary="A section with its text and path",
        tags=["sections"],
    )
)
class SectionDetailView(AuthenticatedReadCacheMixin, SafePkMixin, generics.RetrieveAPIView):
    public_read_cache = True  # see config.read_cache
    serializer_class = SectionSerializer

    def get_queryset(self):
        return SectionListView().get_queryset()
