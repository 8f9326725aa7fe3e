"""Layout joins: a view of the text with the breaks and spaces that are layout, not text, removed.

Two kinds of layout split a figure or a word today:
- a PDF's hard line breaks: every visual line ends with ``\\n``, so ``受理11⏎2件`` or
  ``行政复⏎议`` are cut in two;
- Word's automatic spacing between Chinese and Latin characters: ``召开会议 1 次``,
  ``办理 1.3 万件``, ``满意率达 99 %``.

``join_layout`` returns a :class:`TextView`: the text with those characters left out, and for
every character of the view its offset in the original. Numbers are read in the view; their
offsets are mapped back, so a quote is still a verbatim span of the original text (it may hold the
space or line break the view left out). The view is built in one linear pass.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

_DIGITS = frozenset("0123456789０１２３４５６７８９")
_PERCENT = frozenset("%％")
_SCALES = frozenset("万亿千百")
# First characters of the measure words and currency units a number takes (件, 人次, 元 …).
_MEASURE_START = frozenset(
    "件项次人家个场份名户批支本条幢台辆处宗期卷册套部篇张类所座栋艘架间块元位起例"
)
_SPACE_RUN = re.compile(r"[ \t\u3000\xa0]+")
_BLANKS = " \t\u3000\xa0\r"
_SENTENCE_END = frozenset("。！？!?；;：:")
_NO_LINE_START = frozenset("，。、；：！？）》”’…,;:!?)%％") | frozenset(".．")
# A line opening with a heading marker or an enumeration starts a paragraph of its own.
_PARAGRAPH_OPENING = re.compile(
    r"[一二三四五六七八九十]{1,3}[、是]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、](?!\d)"
    r"|第[一二三四五六七八九十]{1,3}[，,、]|[-—•●◆■▪]"
)
#: A text is hard-wrapped when this share of its lines have the most common line length.
WRAPPED_SHARE = 0.3
MIN_WRAPPED_LINES = 3
MIN_WRAP_WIDTH = 12
MAX_WRAP_WIDTH = 90
OVERRUN = 1.3
# A page number a PDF prints between two pages: - 3 -, — 12 —, 第3页, 第 3 页 共 20 页, 3 / 20.
_FOLIO = re.compile(
    r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|\d{1,3}"
)
_MAX_FOLIO_LINES = 3
LETTER_SPACED_MIN = 9  # characters of a line, spaces included, before it can be letter-spaced
_SINGLE_SPACE = re.compile(r"(?<! ) (?! )")
LONGER_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class TextView:
    """``text`` is the joined view, made of runs of the original: the run starting at view offset
    ``starts[i]`` starts at original offset ``offsets[i]``. Both are empty when nothing was
    joined (the view is the original)."""

    text: str
    starts: tuple[int, ...] = ()
    offsets: tuple[int, ...] = ()

    @property
    def is_identity(self) -> bool:
        return not self.starts

    def to_original(self, pos: int) -> int:
        """Original offset of the view character at ``pos`` (``len(text)`` maps to the end)."""
        if not self.starts:
            return pos
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.offsets[i] + pos - self.starts[i]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original bounds of the view span ``[start, end)``: from its first character to just
        after its last, so a quote holds whatever the view left out inside it."""
        if end <= start:
            return self.to_original(start), self.to_original(end)
        return self.to_original(start), self.to_original(end - 1) + 1

    def to_view(self, pos: int) -> int:
        """View offset of the first view character at or after original offset ``pos``."""
        if not self.starts:
            return pos
        i = bisect.bisect_right(self.offsets, pos) - 1
        if i < 0:
            return 0
        run_end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text) + 1
        inside = self.starts[i] + pos - self.offsets[i]
        return inside if inside < run_end else run_end


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _joins_figure(text: str, start: int, end: int) -> bool:
    """Whether the space run ``text[start:end]`` stands inside a figure: between a number and
    the words around it (会议 1 次, 达 99 %, 1.3 万件), never between two numbers."""
    if start == 0 or end >= len(text):
        return False
    left, right = text[start - 1], text[end]
    if left in _DIGITS and right in _DIGITS:
        return _thousands_space(text, start, end)
    if left in _DIGITS:
        return _is_cjk(right) or right in _PERCENT
    if right in _DIGITS:
        return _is_cjk(left)
    if right in _PERCENT:
        return left in _DIGITS
    # 1.3 万 件: a scale written after the number, then the measure word
    return left in _SCALES and start >= 2 and text[start - 2] in _DIGITS and _is_cjk(right)


def _thousands_space(text: str, start: int, end: int) -> bool:
    """A space grouping thousands (1 236 件, GB/T 15835's quarter-em space): one to three digits
    before it, exactly three after it; any other two numbers side by side stay two."""
    group = text[end : end + 4]
    if len(group) < 3 or not all(ch in _DIGITS for ch in group[:3]):
        return False
    if len(group) == 4 and (group[3] in _DIGITS or group[3] in ".．"):
        return False
    lead = start
    while lead > 0 and text[lead - 1] in _DIGITS and start - lead < 4:
        lead -= 1
    return start - lead <= 3 and (lead == 0 or text[lead - 1] not in ".．")


def _wrap_width(lines: list[str]) -> int | None:
    """The line width of a hard-wrapped text: its most common line length, when enough lines have
    it; None for a text whose lines are paragraphs."""
    lengths = [len(line) for line in lines if len(line) >= MIN_WRAP_WIDTH]
    if len(lengths) < MIN_WRAPPED_LINES:
        return None
    counts = Counter(lengths)
    width, _ = counts.most_common(1)[0]
    near = counts[width - 1] + counts[width] + counts[width + 1]
    if width > MAX_WRAP_WIDTH or near < max(MIN_WRAPPED_LINES, WRAPPED_SHARE * len(lengths)):
        return None
    # Lines of a wrapped text never run much past its width (half-width digits and letters
    # make a line a little longer); a text with many longer lines has paragraphs for lines.
    longer = sum(n for length, n in counts.items() if length > width * OVERRUN + 2)
    return None if longer > LONGER_SHARE * len(lengths) else width


def _joins_lines(before: str, after: str, *, full: bool) -> bool:
    """Whether a line break between the line ``before`` and the line ``after`` is a wrap;
    ``full`` says ``before`` runs to the width of a hard-wrapped text."""
    if not before or not after or _PARAGRAPH_OPENING.match(after):
        return False
    last, first = before[-1], after[0]
    if first in _NO_LINE_START:
        return True  # no paragraph opens with a comma or a closing bracket: a wrap
    if last in _DIGITS and (
        first in _DIGITS or first in _PERCENT or first in _SCALES or first in _MEASURE_START
    ):
        return True  # a figure cut in two: 受理11⏎2件, 受理112⏎件
    if not full or last in _SENTENCE_END:
        return False
    return _is_cjk(first) or first in _DIGITS or first in "“《（("


def _removals(text: str) -> list[tuple[int, int]]:
    removals: list[tuple[int, int]] = []
    if "\n" in text:
        removals.extend(_line_joins(text))
    removals.extend(m.span() for m in _SPACE_RUN.finditer(text) if _joins_figure(text, *m.span()))
    removals.extend(_letter_spacing(text))
    return removals


def _letter_spacing(text: str) -> list[tuple[int, int]]:
    """Single spaces of a letter-spaced line (受 理 1 1 2 件, as some PDFs' text layers come
    out): a line where most characters are followed by one space has no spaces of its own."""
    out: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        body = line.strip(_BLANKS)
        if len(body) >= LETTER_SPACED_MIN and body.count(" ") * 2 >= len(body) - 1:
            lead = start + len(line) - len(line.lstrip(_BLANKS))
            out.extend((lead + m.start(), lead + m.end()) for m in _SINGLE_SPACE.finditer(body))
        start += len(line) + 1
    return out


def _line_joins(text: str) -> list[tuple[int, int]]:
    """Spans from the end of a line's text to the start of the next line's text, for every line
    break that is a wrap. A PDF's page number (- 3 -, 第3页) between two lines is skipped: the
    paragraph runs on across the page break."""
    lines = text.split("\n")
    stripped = [line.strip(_BLANKS) for line in lines]
    width = _wrap_width([line.rstrip(_BLANKS) for line in lines])
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    joins: list[tuple[int, int]] = []
    i = 0
    while i < len(lines) - 1:
        j = i + 1
        while j < len(lines) - 1 and j - i <= _MAX_FOLIO_LINES and _FOLIO.fullmatch(stripped[j]):
            j += 1
        full = len(lines[i].rstrip(_BLANKS)) >= width - 1 if width else False
        if _joins_lines(stripped[i], stripped[j], full=full):
            start = starts[i] + len(lines[i].rstrip(_BLANKS))
            lead = len(lines[j]) - len(lines[j].lstrip(_BLANKS))
            joins.append((start, starts[j] + lead))
        i = j
    return joins


def _collapsed_breaks(text: str) -> list[tuple[int, int]]:
    """Space runs between two ideographs: on a page whose line breaks were collapsed into
    spaces they stand for a break (一、加强组织领导 全年受理…), so the view reads them as one."""
    return [
        m.span()
        for m in _SPACE_RUN.finditer(text)
        if m.start()
        and m.end() < len(text)
        and _is_cjk(text[m.start() - 1])
        and _is_cjk(text[m.end()])
    ]


def join_layout(text: str) -> TextView:
    """The view of ``text`` with layout breaks and spaces inside figures left out, and a space
    between two ideographs read as the line break it stands for."""
    if "\n" not in text and " " not in text and "\u3000" not in text and "\t" not in text:
        return TextView(text)
    removals = _removals(text)
    breaks = _collapsed_breaks(text)
    if breaks:
        pieces = []
        pos = 0
        for start, end in breaks:
            pieces.append(text[pos:start])
            pieces.append("\n")
            pos = start + 1
            if end - start > 1:
                removals.append((start + 1, end))
        pieces.append(text[pos:])
        text = "".join(pieces)
    if not removals:
        return TextView(text, (0,), (0,)) if breaks else TextView(text)
    removals.sort()
    kept: list[str] = []
    starts: list[int] = []
    offsets: list[int] = []
    pos = view_pos = 0
    for start, end in removals:
        start = max(start, pos)
        if end <= start:
            continue
        if start > pos:
            kept.append(text[pos:start])
            starts.append(view_pos)
            offsets.append(pos)
            view_pos += start - pos
        pos = end
    kept.append(text[pos:])
    starts.append(view_pos)
    offsets.append(pos)
    return TextView("".join(kept), tuple(starts), tuple(offsets))
