"""Plain-data formats every layer writes: numbers as JSON numbers, CSV text for spreadsheets.

No Django or DRF here, so the services, the admin and the API all use the same ones.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as an int when it is whole, else as a float (JSON numbers, chart-ready)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


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
    that spreadsheet programs read the Chinese; each value goes through ``cell`` when given.
    Without a header (nothing to list), the byte order mark alone."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + (writer.writerow(header) if header else "")
    for row in rows:
        yield writer.writerow([cell(v) for v in row] if cell else row)
