"""CSV and XLSX exports of any filtered list: every row, chosen columns, streamed.

A list view's export shares its queryset, filters and ordering; ``ExportColumn`` names one column
(its query-string name, its header and the ORM lookup it reads). Rows are read through a
server-side cursor inside a transaction (outside one, PostgreSQL would materialise a WITH HOLD
cursor's whole result before the first row), so memory stays flat and the first bytes leave at
once at any size: CSV is streamed as it is written, XLSX as openpyxl's write-only sheet writer
writes it into the zip (``config.formats.xlsx_chunks``). Every text cell is neutralised against
formula injection there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import generics, renderers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from config.formats import csv_lines, json_number, xlsx_chunks

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_ROWS = 2000


@dataclass(frozen=True)
class ExportColumn:
    name: str
    header: str
    lookup: str


class CSVRenderer(renderers.BaseRenderer):
    """A list of flat objects (or one) as CSV with a BOM; lets clients ask for ``Accept:
    text/csv``. (An export view streams its body itself, without it.)"""

    media_type = CSV_MEDIA_TYPE
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = data if isinstance(data, list) else [data]
        header = list(rows[0]) if rows else []
        lines = csv_lines(header, ([row.get(name) for name in header] for row in rows))
        return "".join(lines).encode("utf-8")


class XLSXRenderer(renderers.BaseRenderer):
    """Lets clients ask for the XLSX media type; the export view writes the workbook itself."""

    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data)


def _cell(value):
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _csv_cell(value):
    if value is None:
        return ""
    value = _cell(value)
    return value.isoformat() if isinstance(value, dt.date) else value


def rows_streamed(queryset, lookups: Sequence[str]) -> Iterator[tuple]:
    """The rows of ``queryset``, read in chunks through a server-side cursor that lives in a
    transaction of its own for as long as the response is being sent."""
    with transaction.atomic():
        yield from queryset.values_list(*lookups).iterator(chunk_size=CHUNK_ROWS)


def export_parameters(columns: Sequence[ExportColumn]) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "file_format",
            OpenApiTypes.STR,
            enum=["csv", "xlsx"],
            description="File format (default csv).",
        ),
        OpenApiParameter(
            "fields",
            OpenApiTypes.STR,
            description="Comma-separated columns, in order (default all): "
            + ", ".join(c.name for c in columns),
        ),
    ]


EXPORT_RESPONSES = {
    (200, CSV_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.STR, description="CSV, UTF-8 with BOM."),
    (200, XLSX_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Excel workbook."),
}


class ExportView(generics.GenericAPIView):
    """Base of the export endpoints: the list's filters and ordering, no pagination."""

    columns: Sequence[ExportColumn] = ()
    file_stem = "export"
    pagination_class = None
    renderer_classes = [renderers.JSONRenderer, CSVRenderer, XLSXRenderer]

    def chosen_columns(self) -> list[ExportColumn]:
        by_name = {c.name: c for c in self.columns}
        raw = self.request.query_params.get("fields", "")
        names = [n.strip() for n in raw.split(",") if n.strip()]
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise ValidationError({"fields": [f"Unknown column(s): {', '.join(unknown)}."]})
        return [by_name[n] for n in names] if names else list(self.columns)

    def file_format(self) -> str:
        chosen = self.request.query_params.get("file_format", "csv")
        if chosen not in ("csv", "xlsx"):
            raise ValidationError({"file_format": ["Choose csv or xlsx."]})
        return chosen

    def get(self, request, *args, **kwargs):
        file_format = self.file_format()
        columns = self.chosen_columns()
        queryset = self.filter_queryset(self.get_queryset())
        rows = rows_streamed(queryset, [c.lookup for c in columns])
        header = [c.header for c in columns]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        filename = f"{self.file_stem}-{stamp}.{file_format}"
        if file_format == "xlsx":
            workbook = xlsx_chunks(header, rows, sheet=self.file_stem, cell=_cell)
            response = StreamingHttpResponse(workbook, content_type=XLSX_MEDIA_TYPE)
        else:
            lines = csv_lines(header, rows, cell=_csv_cell)
            response = StreamingHttpResponse(lines, content_type=f"{CSV_MEDIA_TYPE}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever representation the client asked for.
        if isinstance(response, Response):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)
