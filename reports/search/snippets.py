"""Highlights and snippets on the original, unsegmented text. Pure Python.

Offsets come from a case-folded copy of the same length (``normalise``), so a highlight is always
``text[start:end]`` of the text as stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from reports.search.vectors import normalise

SNIPPET_BEFORE = 40
SNIPPET_LENGTH = 160


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str  # a window of the original text
    start: int  # offset of the window in the whole text
    highlights: tuple[tuple[int, int], ...] = field(default=())  # offsets within ``text``

    @property
    def html(self) -> str:
        """The window with each highlight in ``<mark>``, everything else escaped."""
        out, at = [], 0
        for start, end in self.highlights:
            out += [escape(self.text[at:start]), "<mark>", escape(self.text[start:end]), "</mark>"]
            at = end
        out.append(escape(self.text[at:]))
        prefix = "…" if self.start > 0 else ""
        return prefix + "".join(out)


def find_matches(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of every (normalised) term in ``text``, overlapping ones merged."""
    norm = normalise(text)
    spans = []
    for term in {t for t in terms if t}:
        at = norm.find(term)
        while at >= 0:
            spans.append((at, at + len(term)))
            at = norm.find(term, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(
    text: str, terms: Iterable[str], *, before: int = SNIPPET_BEFORE, length: int = SNIPPET_LENGTH
) -> Snippet:
    """A window of ``text`` around its first match (or its beginning), with highlights."""
    matches = find_matches(text, terms)
    first = matches[0][0] if matches else 0
    start = max(0, min(first - before, len(text) - length))
    end = min(len(text), start + length)
    inside = tuple((s - start, e - start) for s, e in matches if s >= start and e <= end)
    return Snippet(text=text[start:end], start=start, highlights=inside)
