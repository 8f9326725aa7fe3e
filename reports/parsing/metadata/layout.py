"""Where things are on the page: the report's first paragraph, its title, its opening sentence."""

from __future__ import annotations

import re

from reports.parsing.metadata.common import (
    CN_YEAR,
    HEAD_LIMIT,
    PARTY_PREFIX,
    YEAR,
    fold,
    label_values,
)

_TITLE_END = r"(?:报告|情况|工作总结|总结|年报)(?:[(（][^()（）\n]{1,12}[)）])?"
_TITLE_CHARS = r"[^\s。；，,;!！?？]"
_TITLE_PATTERN = (
    r"^(?:{c}{{0,50}}?(?:法治|依法行政|依法治){c}{{0,40}}?{end}|关于{c}{{2,60}}?{end})$"
)
_TITLE = re.compile(_TITLE_PATTERN.format(c=_TITLE_CHARS, end=_TITLE_END))

# A title on a line of its own may hold single spaces (中共某县委 某县人民政府关于…).
_TITLE_LINE = re.compile(_TITLE_PATTERN.format(c=r"(?:[^\s。；，,;!！?？]| (?! ))", end=_TITLE_END))
TITLE_SUBJECT_END = re.compile(r"关于|" + YEAR + r"|法治|依法行政|依法治")
_FIRST_PARAGRAPH = re.compile(
    r"^\s*(?:(?:[2２][0０][0-9０-９]{2}|" + CN_YEAR + r")\s*年(?:度)?(?:以来)?\s*(?:[，,]|是)"
    r"|[一二三四五六七八九十]{1,3}、)"
    r"|^[ \t\u3000]*\S[^\n]{59,}",
    re.MULTILINE,
)
_SENTENCE_MARK = re.compile(r"[，。；,;]")
_FILE_NUMBER = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d\d\s*[〕\]］】)）]\s*\d{1,4}\s*号$")
# A title run into the opening sentence where the page's line breaks were dropped
# (…情况的报告2023年，省政府坚持…).
_TITLE_RUN_ON = re.compile(
    _TITLE_PATTERN.format(c=_TITLE_CHARS, end=_TITLE_END).strip("^$")
    + r"(?=(?:20\d\d|"
    + CN_YEAR
    + r")\s*年(?:度)?(?:以来)?\s*[，,])"
)
_INNER_OPENING = re.compile(r"\s(?:20\d\d|" + CN_YEAR + r")\s*年(?:度)?(?:以来)?\s*(?:[，,]|是)")


def body_start(body: str) -> int:
    """Offset of the report's first paragraph: the opening sentence (``2022年，…``), the first
    heading, or the first long line that has a sentence in it (a long title has none)."""
    for match in _FIRST_PARAGRAPH.finditer(body, 0, HEAD_LIMIT + 2000):
        found = match.group(0)
        if len(found.strip()) >= 60 and not _SENTENCE_MARK.search(found):
            continue
        start = match.start() + len(found) - len(found.lstrip())
        for part in re.finditer(r"\S+", found):
            run_on = _TITLE_RUN_ON.match(part.group(0))
            if run_on and not _SENTENCE_MARK.search(found, 0, part.start()):
                return match.start() + part.start() + run_on.end()
        inner = _INNER_OPENING.search(found)  # one-line page: title, then 2022年，…
        if inner and not _SENTENCE_MARK.search(found, 0, inner.start()):
            return match.start() + inner.start() + 1
        return start
    return min(len(body), HEAD_LIMIT)


def read_title(text: str, body: str, head: str, start: int) -> str | None:
    """The report's own title: a standalone line (or whitespace-bounded segment, or two short
    lines that make one title) before the opening paragraph; else a 标题/名称 header value; else
    the last item of the breadcrumb. A title that names a year or a unit beats a generic one
    such as a column name; a page title's ``_site name`` tail is dropped."""
    best: tuple[int, int, str] | None = None
    segments = _segments(body, 0, start + 1)
    for index, (segment_start, _, _) in enumerate(segments):
        found = _title_at(segments, index, body)
        if found is None:
            continue
        length, candidate = found
        written = text[segment_start : segment_start + length] if length else candidate
        score = _title_score(fold(candidate))
        if best is None or score > best[0]:
            best = (score, segment_start, written)
    if best is not None:
        return best[2]
    labels = label_values(head)
    crumbs = _BREADCRUMB.findall(head)
    for value in (labels.get("标题"), labels.get("名称"), crumbs[-1] if crumbs else None):
        if value and _TITLE.match(value):
            return value
    return None


def _title_at(
    segments: list[tuple[int, str, bool]], index: int, body: str
) -> tuple[int, str] | None:
    """``(length in the text, title)`` of a title starting at segment ``index``; length 0 when
    the title joins two lines (then the title is returned without the line break)."""
    segment_start, segment, whole_line = segments[index]
    if (_TITLE_LINE if whole_line else _TITLE).match(segment):
        return len(segment), segment
    run_on = _TITLE_RUN_ON.match(body, segment_start)
    if run_on:
        return len(run_on.group(0)), run_on.group(0)
    page_title = _SITE_TAIL.split(segment, maxsplit=1)[0]
    if page_title != segment and _TITLE.match(page_title):
        return len(page_title), page_title
    if whole_line and index + 1 < len(segments):
        next_start, following, next_whole = segments[index + 1]
        gap = body[segment_start + len(segment) : next_start]
        joined = segment + following
        if _FILE_NUMBER.search(segment):  # 粤司〔2024〕12号 above the title is not part of it
            return None
        if next_whole and not gap.strip() and gap.count("\n") == 1 and _TITLE.match(joined):
            return 0, joined
    return None


# The tail a page title carries: ``…年度报告_某县人民政府`` or ``… - 某市政府门户网站``.
_SITE_TAIL = re.compile(r"_| - |－|—{1,2}(?=[^—]{2,30}(?:政府|网|网站)$)|\|")
# The items of a breadcrumb in the page header (``首页 > 专题 > …``).
_BREADCRUMB = re.compile(r"[>»＞›/]\s*([^\s>»＞›/]{4,80})\s*$", re.MULTILINE)


def _title_score(title: str) -> int:
    score = 2 if re.search(YEAR, title) else 0
    match = TITLE_SUBJECT_END.search(title)
    return score + (1 if match and match.start() > 0 else 0)


def _segments(body: str, start: int, end: int) -> list[tuple[int, str, bool]]:
    """Stripped lines of ``body[start:end]`` (flag True) and, within them, the runs between
    spaces (flag False)."""
    out = []
    for match in re.finditer(r"[^\n]+", body[:end]):
        if match.end() <= start:
            continue
        line = match.group(0)
        stripped = line.strip()
        if not stripped:
            continue
        line_start = match.start() + line.index(stripped[0])
        if "  " not in stripped:
            out.append((line_start, stripped, True))
        if " " in stripped:
            out.extend(
                (match.start() + part.start(), part.group(0), False)
                for part in re.finditer(r"\S+", line)
            )
    return out


def opening(body: str, start: int) -> str:
    """The first sentence of the first paragraph."""
    match = _SENTENCE.match(body, start)
    return match.group(0).strip() if match else ""


_SENTENCE = re.compile(r"[^\n。]{0,300}")


def title_subject(title: str | None) -> str | None:
    """The unit a title names: before the year (``汕尾市城区2023年…``), before 关于
    (``…人民政府关于…``), or after a leading 关于 or year (``关于天宁区2023年…``)."""
    if not title:
        return None
    folded = PARTY_PREFIX.sub("", fold(title).replace(" ", ""))
    match = TITLE_SUBJECT_END.search(folded)
    if match is None:
        return None
    subject = folded[: match.start()]
    if not subject:
        rest = folded[match.end() :].lstrip("度")
        following = TITLE_SUBJECT_END.search(rest)
        subject = rest[: following.start()] if following else ""
    return subject.strip() or None
