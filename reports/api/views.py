"""Reports: generics for reads, APIView + one service for each write; the report export."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import LIST_FILTER_BACKENDS, StandardPagination, exports
from config.api.filters import MAX_ID
from config.api.views import SafePkMixin
from config.read_cache import AuthenticatedReadCacheMixin
from reports.api.contract import ReportContractSerializer, report_contract
from reports.api.filters import ReportFilter
from reports.api.serializers import (
    REPORT_DETAIL_COLUMNS,
    REPORT_INDICATOR_COLUMNS,
    REPORT_LIST_COLUMNS,
    SECTION_NODE_COLUMNS,
    IngestionJobSerializer,
    ReparseQueuedSerializer,
    ReportDetailSerializer,
    ReportListSerializer,
    ReportMetadataUpdateInputSerializer,
    ReportReparseInputSerializer,
    ReportUploadInputSerializer,
)
from reports.models import PARSED_METADATA_FIELDS, Report
from reports.selectors import report_detail_row, report_queryset, report_with_parse
from reports.services.manage import report_delete, report_update_metadata
from reports.services.parse import report_reparse_enqueue
from reports.services.uploads import report_ingest_upload

REPORT_ORDERING_FIELDS = [
    "id",
    "report_year",
    "published_on",
    "created_at",
    "updated_at",
    "title",
    "province",
    "admin_level",
    "status",
]


# ---------------------------------------------------------------------------------------------
# Reports


@extend_schema_view(
    get=extend_schema(
        operation_id="reports_list",
        summary="List reports",
        description="Filter by region, level, year, status…; `ordering` by "
        + ", ".join(REPORT_ORDERING_FIELDS)
        + " (prefix `-` for descending). Page-number pagination.",
        tags=["reports"],
    ),
    post=extend_schema(
        operation_id="reports_upload",
        summary="Upload report files",
        description="Multipart upload of one or many files (txt, html, docx, pdf) or zip "
        "archives. Answers 202 with the ingestion job to poll. Needs `reports.add_report`.",
        tags=["reports"],
        request={"multipart/form-data": ReportUploadInputSerializer},
        responses={202: IngestionJobSerializer},
    ),
)
class ReportListUploadView(AuthenticatedReadCacheMixin, generics.ListAPIView):
    public_read_cache = True  # see config.read_cache
    serializer_class = ReportListSerializer
    filterset_class = ReportFilter
    filter_backends = LIST_FILTER_BACKENDS
    ordering_fields = REPORT_ORDERING_FIELDS
    ordering = ["-id"]
    pagination_class = StandardPagination
    parser_classes = [MultiPartParser]
    documents_upload_limits = True
    documented_errors = ("503",)  # the upload cannot be queued
    # Built once (DRF clones it per request): rows of the columns shown, not model instances.
    # A report flagged as a possible copy of another is listed once a curator keeps it.
    queryset = report_queryset().counted().values(*REPORT_LIST_COLUMNS)

    def post(self, request, *args, **kwargs):
        serializer = ReportUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = report_ingest_upload(**serializer.to_service_kwargs(), started_by=request.user)
        location = reverse("v1:ingestion-job-detail", kwargs={"pk": job.pk})
        return Response(
            IngestionJobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="reports_retrieve",
        summary="A report: metadata, section tree and indicators",
        tags=["reports"],
    ),
    patch=extend_schema(
        operation_id="reports_metadata_update",
        summary="Correct a report's metadata",
        description="The fields given are pinned: a re-parse keeps them. Each change is recorded "
        "as a curation event. Needs `reports.change_report`.",
        tags=["reports"],
        request=ReportMetadataUpdateInputSerializer,
        responses={200: ReportDetailSerializer},
    ),
    delete=extend_schema(
        operation_id="reports_destroy",
        summary="Delete a report with its sections and indicators",
        description="Needs `reports.delete_report`.",
        tags=["reports"],
        responses={204: OpenApiResponse(description="Deleted.")},
    ),
)
class ReportDetailView(AuthenticatedReadCacheMixin, SafePkMixin, generics.RetrieveAPIView):
    public_read_cache = True  # see config.read_cache
    serializer_class = ReportDetailSerializer
    parser_classes = [JSONParser, FormParser]

    def get_queryset(self):
        return report_queryset()

    def retrieve(self, request, *args, **kwargs):
        return Response(ReportDetailSerializer(self._detail_row()).data)

    def _detail_row(self) -> dict:
        pk = self.kwargs["pk"]
        row = None
        if pk <= MAX_ID:
            row = report_detail_row(
                pk=pk,
                columns=REPORT_DETAIL_COLUMNS,
                section_columns=SECTION_NODE_COLUMNS,
                indicator_columns=REPORT_INDICATOR_COLUMNS,
            )
        if row is None:
            raise Http404
        return row

    def patch(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = ReportMetadataUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report_update_metadata(report=report, fields=serializer.validated_data, user=request.user)
        return Response(ReportDetailSerializer(self._detail_row()).data)

    def delete(self, request, *args, **kwargs):
        report_delete(report=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        operation_id="reports_parsed",
        summary="A report's parse in the parse-contract shape",
        description="`sections` in document order, `indicators` with `section` as an index into "
        "`sections`; values and codes as curated (corrected where corrected, rejected ones "
        "left out).",
        tags=["reports"],
    )
)
class ReportParsedView(AuthenticatedReadCacheMixin, SafePkMixin, generics.RetrieveAPIView):
    public_read_cache = True  # see config.read_cache
    serializer_class = ReportContractSerializer

    def get_queryset(self):
        return report_with_parse()

    def retrieve(self, request, *args, **kwargs):
        return Response(ReportContractSerializer(report_contract(self.get_object())).data)


class ReportReparseView(APIView):
    """Queue one report for parsing again (reviewed values and pinned metadata are kept)."""

    documented_errors = ("503",)  # the parse cannot be queued
    write_permissions = {"POST": ["reports.change_report"]}

    @extend_schema(
        operation_id="reports_reparse",
        summary="Re-parse a report",
        description="Queues the report for parsing. Needs `reports.change_report`.",
        tags=["reports"],
        request=None,
        responses={202: ReparseQueuedSerializer},
    )
    def post(self, request, pk: int):
        if pk > MAX_ID:
            raise Http404
        report = get_object_or_404(Report.objects.only("id"), pk=pk)
        queued = report_reparse_enqueue(report_ids=[report.pk])
        return Response({"queued": queued}, status=status.HTTP_202_ACCEPTED)


class ReportBulkReparseView(APIView):
    """Queue many reports for parsing again."""

    documented_errors = ("503",)  # the parse cannot be queued
    write_permissions = {"POST": ["reports.change_report"]}
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="reports_reparse_bulk",
        summary="Re-parse reports in bulk",
        description="By ids, all failed reports, or all reports. Needs `reports.change_report`.",
        tags=["reports"],
        request=ReportReparseInputSerializer,
        responses={202: ReparseQueuedSerializer},
    )
    def post(self, request):
        serializer = ReportReparseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        queued = report_reparse_enqueue(**serializer.validated_data)
        return Response({"queued": queued}, status=status.HTTP_202_ACCEPTED)


REPORT_EXPORT_COLUMNS = [
    exports.ExportColumn(name, name, name)
    for name in (
        "id",
        *PARSED_METADATA_FIELDS,
        "status",
        "filename",
        "source_format",
        "source_url",
        "section_count",
        "indicator_count",
        "created_at",
    )
]


@extend_schema_view(
    get=extend_schema(
        operation_id="reports_export",
        summary="Export the filtered report list (CSV or XLSX)",
        description="Every row matching the list's filters, in the list's ordering, streamed.",
        tags=["exports"],
        parameters=exports.export_parameters(REPORT_EXPORT_COLUMNS),
        responses=exports.EXPORT_RESPONSES,
    )
)
class ReportExportView(exports.ExportView):
    columns = REPORT_EXPORT_COLUMNS
    file_stem = "reports"
    filterset_class = ReportFilter
    filter_backends = LIST_FILTER_BACKENDS
    ordering_fields = REPORT_ORDERING_FIELDS
    ordering = ["-id"]

    def get_queryset(self):
        return report_queryset()
