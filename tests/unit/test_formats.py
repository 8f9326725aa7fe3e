"""The one CSV and XLSX writer: formula-looking text neutralised (OWASP), numbers kept."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from config.formats import csv_lines, spreadsheet_text, xlsx_chunks

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3行政诉讼案件",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]
HARMLESS = ["行政复议", "1+1", " =1", "a=b", ""]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_text_gets_a_leading_quote(text):
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("value", [*HARMLESS, 0, -5, 3.25, Decimal("-1.5"), None])
def test_other_values_are_left_alone(value):
    assert spreadsheet_text(value) == value


def test_csv_quotes_formula_cells_and_header_but_not_numbers():
    lines = csv_lines(["=head", "n"], [[text, -7] for text in DANGEROUS])
    rows = list(csv.reader(io.StringIO("".join(lines).lstrip("\ufeff"))))
    assert rows[0] == ["'=head", "n"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in DANGEROUS]
    assert {row[1] for row in rows[1:]} == {"-7"}


def test_xlsx_has_text_cells_for_formulas_and_numbers_for_numbers():
    """openpyxl would store ``=…`` as a live formula: every such cell is text with the quote."""
    rows = [[text, -7, 2.5, dt.date(2024, 3, 1)] for text in DANGEROUS]
    book = load_workbook(io.BytesIO(b"".join(xlsx_chunks(["t", "n", "f", "d"], rows, sheet="s"))))
    cells = list(book.active.iter_rows(min_row=2))
    assert [row[0].value for row in cells] == ["'" + text for text in DANGEROUS]
    assert {row[0].data_type for row in cells} == {"s"}
    assert {(row[1].value, row[1].data_type, row[2].value) for row in cells} == {(-7, "n", 2.5)}
    assert cells[0][3].value.date() == dt.date(2024, 3, 1)  # a date cell, read back as datetime


def test_xlsx_streams_before_the_rows_are_read():
    """The first bytes of the workbook are produced before the first row is asked for."""
    asked = []

    def rows():
        for i in range(3):
            asked.append(i)
            yield [i]

    chunks = xlsx_chunks(["n"], rows(), sheet="s")
    first = next(chunks)
    assert first.startswith(b"PK")
    assert asked == []
    rest = b"".join(chunks)
    assert asked == [0, 1, 2]
    values = [r[0].value for r in load_workbook(io.BytesIO(first + rest)).active.iter_rows()]
    assert values == ["n", 0, 1, 2]
