"""Section tree. SCAFFOLD: replaced by the full splitter."""

from __future__ import annotations

import re

from reports.parsing.types import Section

_HEADING = re.compile(
    r"^[ \t\u3000]*(?P<marker>[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]"
    r"|\d{1,2}[.．、]|[(（]\d{1,2}[)）])"
    r"(?P<title>[^。；\n]*)",
    re.M,
)


def _level(marker: str) -> int:
    if marker.endswith("、") and not marker[0].isdigit():
        return 1
    if marker[0] in "(（":
        return 4 if marker[1].isdigit() else 2
    return 3


def split_sections(text: str) -> tuple[Section, ...]:
    found = list(_HEADING.finditer(text))
    sections = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        sections.append(
            Section(
                level=_level(m["marker"]),
                marker=m["marker"],
                title=m["title"].strip(),
                text=text[m.end() : end].strip(),
                start=m.start("marker"),
                end=end,
            )
        )
    return tuple(sections)
