"""Report metadata. SCAFFOLD: replaced by the full reader."""

from __future__ import annotations

import re

from reports.parsing.gazetteer import Gazetteer
from reports.parsing.types import Metadata

_YEAR = re.compile(r"(20\d\d)年(?:度)?法治政府建设")


def read_metadata(text: str, *, body: str, gazetteer: Gazetteer) -> Metadata:
    m = _YEAR.search(body)
    return Metadata(report_year=int(m.group(1)) if m else None)
