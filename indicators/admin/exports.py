"""CSV downloads of the admin's selections (UTF-8 with BOM, for spreadsheet programs)."""

from __future__ import annotations

from django.http import HttpResponse

from config.formats import csv_lines
from indicators.models import CurationEvent, IndicatorValue

VALUE_CSV_HEADER = [
    "id",
    "report",
    "subject",
    "quote",
    "value",
    "unit",
    "code",
    "status",
    "corrected_value",
    "corrected_code",
    "reviewer",
    "reviewed_at",
    "audit",
]


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(
        "".join(csv_lines(header, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _audit_line(values: IndicatorValue) -> str:
    return " | ".join(
        f"{e.created_at.isoformat(timespec='seconds')} {e.user or '?'} {e.action} "
        f"{e.field}: {e.before} → {e.after}"
        for e in sorted(values.events.all(), key=lambda e: (e.created_at, e.pk))
    )


def values_csv(values) -> HttpResponse:
    rows = (
        [
            v.pk,
            v.report_id,
            v.subject,
            v.quote,
            v.value,
            v.unit,
            v.definition.code if v.definition else "",
            v.status,
            v.corrected_value,
            v.corrected_definition.code if v.corrected_definition else "",
            v.reviewer or "",
            v.reviewed_at.isoformat() if v.reviewed_at else "",
            _audit_line(v),
        ]
        for v in values
    )
    return csv_response("indicator_values.csv", VALUE_CSV_HEADER, rows)


EVENT_CSV_HEADER = ["created_at", "user", *CurationEvent.CHANGE_FIELDS, "value", "report", "note"]
