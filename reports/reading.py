"""A stretch of a report's text cut into paragraphs, with figures marked where they stand. Pure.

Pieces carry plain text and the value object they belong to (or None); templates escape them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

Span = tuple[int, int, Any]  # [start, end) in the text, and what is there


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    mark: Any = None  # the value marked here, or None for plain text
    anchor: bool = False  # the first piece of its mark (where links to the mark land)


Paragraph = list[Piece]


def _owner(spans: list[Span], lo: int, hi: int) -> Any:
    """The mark of ``[lo, hi)``: of the spans covering it, the one starting last (then the
    shortest), so that a figure inside a longer quote keeps its own stretch."""
    best = None
    for s, e, mark in spans:
        if s <= lo and e >= hi and (best is None or (s, -e) > (best[0], -best[1])):
            best = (s, e, mark)
    return best[2] if best else None


def pieces_marked(text: str, start: int, end: int, spans: Sequence[Span]) -> list[Piece]:
    """``text[start:end]`` as plain pieces and marked ones, for every span starting inside it
    (clipped at ``end``). Overlapping spans share the text: each stretch goes to the span that
    starts last; a span left with no stretch of its own gets an empty anchor piece."""
    inside = [(s, min(e, end), m) for s, e, m in spans if start <= s < end and e > s]
    cuts = sorted({start, end, *(s for s, _, _ in inside), *(e for _, e, _ in inside)})
    stretches = [(lo, hi, _owner(inside, lo, hi)) for lo, hi in pairwise(cuts)]
    owners = {id(m) for _, _, m in stretches if m is not None}
    hidden: dict[int, list[Any]] = {}
    for s, _, m in inside:
        if id(m) not in owners:
            hidden.setdefault(s, []).append(m)
    out: list[Piece] = []
    seen: set[int] = set()
    for lo, hi, mark in stretches:
        out.extend(Piece("", m, True) for m in hidden.pop(lo, []))
        if out and out[-1].mark is mark and out[-1].text:
            last = out.pop()
            out.append(Piece(last.text + text[lo:hi], mark, last.anchor))
            continue
        out.append(Piece(text[lo:hi], mark, mark is not None and id(mark) not in seen))
        seen.add(id(mark))
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
