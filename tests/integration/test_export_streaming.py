"""Large exports stream: rows come through a server-side cursor inside a transaction (never a
WITH HOLD cursor, which PostgreSQL materialises whole before the first row), and the XLSX leaves
as it is written. Speed and memory at size: benchmarks/bench_exports.py."""

import io

import pytest
from django.db import connection
from openpyxl import load_workbook
from rest_framework.test import APIClient

from indicators.models import IndicatorValue
from tests.integration.api_support import ingest_corpus

# Not wrapped in a test transaction: the export must open its own.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


def _open_cursors() -> list[tuple[str, bool]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, is_holdable FROM pg_cursors WHERE name <> ''")
        return cursor.fetchall()


def test_csv_export_reads_through_a_cursor_inside_a_transaction():
    """While the export is being sent, its rows come from a cursor that is not holdable (it
    lives in the export's transaction), not from a materialised WITH HOLD cursor."""
    ingest_corpus()
    total = IndicatorValue.objects.count()
    response = APIClient().get("/api/v1/indicators/values/export/", {"fields": "id,subject"})
    assert response.streaming
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first  # the first bytes leave before the rows are read
    second = next(chunks)
    cursors = _open_cursors()
    assert [holdable for _, holdable in cursors] == [False], cursors
    assert "indicators_indicatorvalue" in cursors[0][0]
    body = first + second + b"".join(chunks)
    assert _open_cursors() == []
    assert len(body.decode("utf-8-sig").splitlines()) == total + 1


def test_xlsx_export_is_streamed_as_it_is_written():
    """The XLSX export is a streamed response (no file built first) holding every row."""
    ingest_corpus()
    total = IndicatorValue.objects.count()
    response = APIClient().get(
        "/api/v1/indicators/values/export/", {"file_format": "xlsx", "fields": "id,subject"}
    )
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) >= 2
    assert chunks[0].startswith(b"PK")
    assert _open_cursors() == []
    book = load_workbook(io.BytesIO(b"".join(chunks)))
    assert len(list(book.active.iter_rows(values_only=True))) == total + 1
