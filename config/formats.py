"""Plain-data formats every layer writes: numbers as JSON numbers, CSV and XLSX for spreadsheets.

No Django or DRF here, so the services, the admin and the API all use the same ones.

Every text cell a spreadsheet might run is neutralised the way OWASP recommends for CSV
injection: a text starting with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), a tab or
a carriage return gets a leading ``'``, so spreadsheet programs show it as text instead of
evaluating it. Numbers are never touched: they stay numbers. Both writers here do it for every
cell and header, so no caller can forget it.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as an int when it is whole, else as a float (JSON numbers, chart-ready)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# Characters a spreadsheet reads as the start of a formula (a tab or a carriage return is
# stripped by some programs on import, which leaves the formula after it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_text(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    cell: Callable[[Any], Any] | None = None,
) -> Iterator[str]:
    """CSV text, one line at a time (for streaming), starting with a UTF-8 byte order mark so
    that spreadsheet programs read the Chinese; each value goes through ``cell`` when given,
    then is neutralised (``spreadsheet_text``). Without a header (nothing to list), the byte
    order mark alone."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + (writer.writerow([spreadsheet_text(h) for h in header]) if header else "")
    for row in rows:
        values = [cell(v) for v in row] if cell else row
        yield writer.writerow([spreadsheet_text(v) for v in values])


class _Chunks:
    """A write-only, unseekable file that keeps what is written until it is taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def xlsx_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str,
    cell: Callable[[Any], Any] | None = None,
    rows_per_chunk: int = 500,
) -> Iterator[bytes]:
    """An XLSX workbook of one sheet, as bytes while it is written: the sheet's rows first,
    streamed through openpyxl's write-only worksheet writer into the zip as they come, then
    the parts that describe them (styles, workbook, content types). Memory stays flat at any
    size and the first bytes leave before the first row is read. Cells as in ``csv_lines``."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(title=sheet[:31] or "Sheet")
        worksheet._id = 1
        with archive.open(worksheet.path[1:], "w", force_zip64=True) as entry:
            worksheet._writer = WorksheetWriter(worksheet, out=entry)
            worksheet._writer.write_top()
            worksheet.append([spreadsheet_text(h) for h in header])
            yield sink.take()
            for number, row in enumerate(rows, start=1):
                values = [cell(v) for v in row] if cell else row
                worksheet.append([spreadsheet_text(v) for v in values])
                if number % rows_per_chunk == 0:
                    yield sink.take()
            worksheet.close()
        _SheetWrittenExcelWriter(workbook, archive).write_data()
    yield sink.take()


class _SheetWrittenExcelWriter(ExcelWriter):
    """openpyxl's workbook writer for a write-only sheet already streamed into the archive: it
    writes every other part as openpyxl does, the sheet's relations and manifest entry
    included."""

    def write_worksheet(self, ws) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        ws._rels = ws._writer._rels
        self.manifest.append(ws)
