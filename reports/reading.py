"""A stretch of a report's text cut into paragraphs, with figures marked where they stand. Pure.

Pieces carry plain text and the value object they belong to (or None); templates escape them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Span = tuple[int, int, Any]  # [start, end) in the text, and what is there


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    mark: Any = None  # the value marked here, or None for plain text


Paragraph = list[Piece]


def pieces_marked(text: str, start: int, end: int, spans: Sequence[Span]) -> list[Piece]:
    """``text[start:end]`` as plain pieces and marked ones. A span is marked if it starts inside
    the stretch (clipped at its end); a span overlapping an earlier one is left out."""
    out: list[Piece] = []
    at = start
    for s, e, mark in sorted(spans, key=lambda span: (span[0], -span[1])):
        if s < at or s >= end or e <= s:
            continue
        e = min(e, end)
        if s > at:
            out.append(Piece(text[at:s]))
        out.append(Piece(text[s:e], mark))
        at = e
    if at < end:
        out.append(Piece(text[at:end]))
    return out


def paragraphs_marked(text: str, start: int, end: int, spans: Sequence[Span]) -> list[Paragraph]:
    """``text[start:end]`` split at line breaks into paragraphs of pieces; blank lines dropped,
    each paragraph's outer white space trimmed."""
    paragraphs: list[Paragraph] = []
    current: Paragraph = []
    for piece in pieces_marked(text, start, end, spans):
        if piece.mark is not None:
            current.append(piece)
            continue
        lines = piece.text.split("\n")
        for i, line in enumerate(lines):
            if i:
                paragraphs.append(current)
                current = []
            if line:
                current.append(Piece(line))
    paragraphs.append(current)
    return [p for p in (_trimmed(p) for p in paragraphs) if p]


def _trimmed(paragraph: Paragraph) -> Paragraph:
    if not paragraph:
        return paragraph
    first, last = paragraph[0], paragraph[-1]
    if first.mark is None:
        paragraph[0] = Piece(first.text.lstrip(" \t\r\u3000"))
    if last.mark is None:
        paragraph[-1] = Piece(paragraph[-1].text.rstrip(" \t\r\u3000"))
    kept = [p for p in paragraph if p.text or p.mark is not None]
    if all(p.mark is None and not p.text.strip() for p in kept):
        return []
    return kept
