"""A report's original file, as uploaded, for download."""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from config.api.filters import MAX_ID
from reports.errors import OriginalMissingError
from reports.selectors import report_original_open


def download_name(filename: str) -> str:
    """The file's own name (an archive member's path drops its folders), without control
    characters, so that it is safe in a Content-Disposition header."""
    name = PurePosixPath(filename.replace("\\", "/")).name or "report"
    return "".join(ch for ch in name if unicodedata.category(ch)[0] != "C") or "report"


class ReportOriginalView(APIView):
    """The file as it was uploaded, byte for byte, with its type and its name."""

    @extend_schema(
        operation_id="reports_original",
        summary="Download a report's original file",
        description="The bytes as uploaded (their sha256 is the report's `raw_sha256`), served as "
        "an attachment with the file's name and type. 404 `original_missing` for reports "
        "loaded before originals were kept.",
        tags=["reports"],
        responses={
            # The type is the file's own (text/plain, text/html, application/pdf, Word …).
            (200, "*/*"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The file, as an attachment."
            ),
        },
    )
    def get(self, request, pk: int):
        if pk > MAX_ID:
            raise Http404
        report, handle = report_original_open(report_id=pk)
        if handle is None:
            raise OriginalMissingError(
                f"The original file of report {pk} was not kept.", report_id=pk
            )
        return FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(report.filename),
            content_type=report.content_type or "application/octet-stream",
        )
