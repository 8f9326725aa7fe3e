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
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any


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
