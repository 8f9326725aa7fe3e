"""Dates and years: the page's publishing date, the signature, the year a report covers."""

from __future__ import annotations

import re
from datetime import date

from reports.parsing.metadata.common import (
    CN_DIGIT,
    CN_YEAR,
    NEAR,
    OPENING_YEAR,
    TAIL_LIMIT,
    YEAR,
    fold,
    is_cjk,
)

_CN_SMALL = r"[一二三四五六七八九十]{1,3}"
_AR_DATE = r"((?:19|20)\d\d)\s*[-/.－／．年]\s*(\d{1,2})\s*[-/.－／．月]\s*(\d{1,2})(?!\d)\s*日?"
_CN_DATE = rf"({CN_YEAR})\s*年\s*({_CN_SMALL})\s*月\s*({_CN_SMALL})\s*日"
_DATE = re.compile(rf"{_AR_DATE}|{_CN_DATE}")

# Page-header labels by trust: the page's publishing date first, the document's own date last.
_DATE_LABELS = (
    ("发布时间", 0),
    ("发布日期", 0),
    ("生成日期", 0),
    ("公开日期", 0),
    ("发文日期", 0),
    ("更新时间", 1),
    ("日期", 1),
    ("时间", 1),
    ("成文日期", 3),
    ("印发日期", 3),
)
_LABEL_DATE = re.compile(
    r"("
    + "|".join(label for label, _ in _DATE_LABELS)
    + r")\s*[:：]?[\s|｜:：]{0,6}"
    + rf"(?:{_AR_DATE}|{_CN_DATE})"
)
_BARE_DATE = re.compile(
    r"^[\s•·●◆■▪►|｜【\[(（]*"
    + _AR_DATE
    + r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?[\s】\])）]*(?:$|(?=来源|作者|浏览|阅读|点击|字号|【|\[))"
)
_BODY_YEAR = re.compile(r"(20\d\d)\s*年(?:度)?(?:[^\s。，]{0,4})法治政府建设")
_ORG_END = re.compile(
    r"(?:人民政府|政府|行政公署|管理委员会|管委会|办事处|局|厅|委员会|办公室|委|办)$"
)


def _date_labels(text: str) -> list[re.Match[str]]:
    """Labelled dates; a bare 日期/时间 must start a word, a full label (发布时间) need not."""
    return [
        m
        for m in _LABEL_DATE.finditer(text)
        if len(m.group(1)) >= 4 or not m.start() or not is_cjk(text[m.start() - 1])
    ]


def published_on(head: str, foot: str = "") -> date | None:
    """The page's publishing date: a labelled header date (发布时间 first, 成文日期 last), else a
    bare date line of the header, else a labelled date below the text."""
    ranked: list[tuple[int, int, date]] = []
    rank_of = dict(_DATE_LABELS)
    for match in _date_labels(head):
        found = _to_date(match, offset=2)
        if found:
            ranked.append((rank_of[match.group(1)], match.start(), found))
    offset = 0
    for line in head.split("\n"):
        bare = _BARE_DATE.match(line)
        found = _to_date(bare) if bare else None
        if found:
            ranked.append((2, offset, found))
        offset += len(line) + 1
    for match in _date_labels(foot):
        found = _to_date(match, offset=2)
        if found and rank_of[match.group(1)] == 0:
            ranked.append((4, match.start(), found))
    return min(ranked)[2] if ranked else None


def _to_date(match: re.Match[str], offset: int = 1) -> date | None:
    groups = match.groups()[offset - 1 :]
    try:
        if groups[0]:
            return date(int(groups[0]), int(groups[1]), int(groups[2]))
        if groups[3]:
            year = int("".join(str(CN_DIGIT[c]) for c in groups[3]))
            return date(year, _cn_small(groups[4]), _cn_small(groups[5]))
    except (ValueError, KeyError, IndexError):
        return None
    return None


def _cn_small(numeral: str) -> int:
    """一 … 三十一 as an int."""
    if "十" not in numeral:
        return CN_DIGIT[numeral]
    tens, _, units = numeral.partition("十")
    return (CN_DIGIT[tens] if tens else 1) * 10 + (CN_DIGIT[units] if units else 0)


def signature(body: str) -> tuple[str | None, date | None]:
    """The organisation and date that sign the report off at its end."""
    tail_start = max(0, len(body.rstrip()) - TAIL_LIMIT)
    tail = body[tail_start:].rstrip()
    tail = re.sub(r"[(（][^()（）\n]{1,20}[)）]$", "", tail).rstrip()
    last = None
    for match in _DATE.finditer(tail):
        last = match
    if last is None or tail[last.end() :].strip() not in ("", "印发", "发布"):
        return None, None
    before = tail[: last.start()]
    if before.strip() and not (before[-1].isspace() or before[-1] in "。；;"):
        return None, None  # a date inside a sentence
    signed_on = _to_date(last)
    org_line = re.split(r"[\n。；;]", before.rstrip())[-1].strip()
    org = org_line.split()[-1] if org_line.split() else ""
    return (org if _ORG_END.search(org) and len(org) <= 40 else None), signed_on


def report_year(
    title: str | None, opening: str, body: str, start: int, published: date | None
) -> int | None:
    """The year covered: the title's year, else the opening's (``2022年，…``), else a year
    before 法治政府建设 near the start, else the year before publication."""
    match = re.search(YEAR, fold(title)) if title else None
    match = match or OPENING_YEAR.match(opening)
    year = _year_of(match) if match else None
    if year:
        return year
    near = _BODY_YEAR.search(body, 0, start + NEAR)
    if near:
        return int(near.group(1))
    return published.year - 1 if published else None


def _year_of(match: re.Match[str]) -> int | None:
    if match.group(1):
        return int(match.group(1))
    if match.group(2):
        return int("".join(str(CN_DIGIT[c]) for c in match.group(2)))
    return None


# An organisation line directly followed by a date line: how a cover letter before the report
# is signed.
_SIGNING_ORG = (
    r"[^\s。，；：:]{2,40}(?:人民政府|行政公署|管理委员会|管委会|办事处|局|厅|委员会|办公室)"
)
_SIGNED_LINES = re.compile(
    rf"^[ \t\u3000]*({_SIGNING_ORG})[ \t\u3000]*\n"
    rf"[ \t\u3000]*(?:{_AR_DATE}|{_CN_DATE})[ \t\u3000]*$",
    re.MULTILINE,
)


def cover_signer(head: str) -> str | None:
    """The organisation signing a cover letter that precedes the report, if any."""
    match = _SIGNED_LINES.search(head)
    return match.group(1) if match else None


COVER_LIMIT = 1500  # a cover letter before the report is shorter than this


def cover_letter(body: str, start: int) -> tuple[str, date | None, int] | None:
    """A cover letter that opens at ``start`` and is signed (organisation line, date line) before
    the report itself: its signer, its date and the offset after its signature."""
    match = _SIGNED_LINES.search(body, start, start + COVER_LIMIT)
    if match is None:
        return None
    return match.group(1), _to_date(match, offset=2), match.end()
