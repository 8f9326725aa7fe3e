"""Quantities. SCAFFOLD: replaced by the full extractor."""

from __future__ import annotations

import bisect
import re
from decimal import Decimal

from reports.parsing.types import Quantity, Section

_QTY = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>%|人次|件|项|次|家|个|名|人|份|条)")


def find_quantities(text: str, sections: tuple[Section, ...]) -> list[Quantity]:
    starts = [s.start for s in sections]
    out = []
    for m in _QTY.finditer(text):
        idx = bisect.bisect_right(starts, m.start()) - 1
        a = max(0, m.start() - 8)
        out.append(
            Quantity(
                quote=text[a : m.end()],
                subject=text[a : m.start()],
                value=Decimal(m["num"]),
                unit=m["unit"],
                start=a,
                end=m.end(),
                kind="rate" if m["unit"] == "%" else "count",
                section=idx if idx >= 0 else None,
            )
        )
    return out
