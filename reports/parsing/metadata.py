"""Report metadata: title, issuer, region, administrative level, year covered, publishing date.

Sources, in the order they are trusted: the page header of the original text (发布时间, 生成日期,
来源, 发布机构, 标题 …, also bare ``• 2024-01-31 16:37`` lines), the title line, the opening
sentence (``2022年，浦江县在…``), the signature block at the end (organisation and date, 汉字
dates too) and a salutation to a higher government (context only). Place names are resolved with
the gazetteer; names that exist many times are settled by the other places the text mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from reports.parsing.gazetteer import (
    LEVEL_COUNTY,
    Division,
    Gazetteer,
    Mention,
)
from reports.parsing.types import Metadata, Region

_HEAD_LIMIT = 3000  # the page header lies within this many characters of the start
_FOOT_LIMIT = 800  # page furniture below the report that may carry its publishing date
_TAIL_LIMIT = 400  # the signature block lies within this many characters of the end
_NEAR = 600  # the opening part of the report, read for the year and for place names

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "0": 0}
_CN_YEAR = r"[〇零○O0一二三四五六七八九]{4}"
_CN_SMALL = r"[一二三四五六七八九十]{1,3}"
_AR_DATE = r"((?:19|20)\d\d)\s*[-/.－／．年]\s*(\d{1,2})\s*[-/.－／．月]\s*(\d{1,2})(?!\d)\s*日?"
_CN_DATE = rf"({_CN_YEAR})\s*年\s*({_CN_SMALL})\s*月\s*({_CN_SMALL})\s*日"
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
_LABEL_VALUE = re.compile(
    r"(信息来源|来源|发布机构|发文机关|发布单位|所属机构|标题|名称)"
    r"\s*[:：][\s|｜]{0,6}([^\s|｜]{2,80})"
)

_YEAR = r"(?:(20\d\d)|(" + _CN_YEAR + r"))\s*年"
_TITLE_END = r"(?:报告|情况|工作总结|总结|年报)(?:[(（][^()（）\n]{1,12}[)）])?"
_TITLE_CHARS = r"[^\s。；，,;!！?？]"
_TITLE_PATTERN = (
    r"^(?:{c}{{0,50}}?(?:法治|依法行政|依法治){c}{{0,40}}?{end}|关于{c}{{2,60}}?{end})$"
)
_TITLE = re.compile(_TITLE_PATTERN.format(c=_TITLE_CHARS, end=_TITLE_END))
# A title on a line of its own may hold single spaces (中共某县委 某县人民政府关于…).
_TITLE_LINE = re.compile(_TITLE_PATTERN.format(c=r"(?:[^\s。；，,;!！?？]| (?! ))", end=_TITLE_END))
_TITLE_SUBJECT_END = re.compile(r"关于|" + _YEAR + r"|法治|依法行政|依法治")
_OPENING_YEAR = re.compile(r"^\s*" + _YEAR + r"(?:度)?(?:以来)?\s*(?:[，,]|是|，)")
_BODY_YEAR = re.compile(r"(20\d\d)\s*年(?:度)?(?:[^\s。，]{0,4})法治政府建设")
_PROVINCE_WORDS = re.compile(r"省委|省政府|全省|省级|省市|赴省|省人大|省厅|省直")
_FIRST_PARAGRAPH = re.compile(
    r"^\s*(?:(?:[2２][0０][0-9０-９]{2}|" + _CN_YEAR + r")\s*年(?:度)?(?:以来)?\s*(?:[，,]|是)"
    r"|[一二三四五六七八九十]{1,3}、)"
    r"|^[ \t\u3000]*\S[^\n]{59,}",
    re.MULTILINE,
)

_ZONE = (
    r"(?:高新技术产业开发区|经济技术开发区|自由贸易试验区|综合保税区|开发区|高新区|经开区|"
    r"示范区|新区|园区|试验区|实验区|保税区|合作区|自贸区|度假区|管理区|产业园|港区|功能区|集聚区|先行区)"
)
_ZONE_NAME = re.compile(r"^[\u4e00-\u9fff]{0,16}?" + _ZONE + r"(?=管理委员会|管委会|$)")
_ZONE_OFFICE = re.compile(r"(?:管理委员会|管委会)$")
_TOWNSHIP = re.compile(r"^([\u4e00-\u9fff]{1,10}?(?:街道|镇|乡))(?:人民政府|办事处|街道办事处)?$")
_GOVERNMENT = re.compile(r"^(?:人民政府|政府)$")
_DEPARTMENT = re.compile(
    r"^[\u4e00-\u9fff]{1,24}(?:局|厅|委员会|办公室|委|办|中心|署|处|院)(?:（[^）]{1,10}）)?$"
)
_ORG_END = re.compile(r"(?:人民政府|政府|管理委员会|管委会|办事处|局|厅|委员会|办公室|委|办)$")
_RELATIVE = re.compile(r"^(?:省|市|县|区|旗|镇|乡|本|我)")
_OPENING_SKIP = re.compile(r"^(?:在|我|全|一年来|过去|今年|本年|以来)")


@dataclass(frozen=True, slots=True)
class _Subject:
    """Whose report it is, as read from one source."""

    kind: str  # government | zone | township | department
    written: str  # as written in the source
    places: tuple[tuple[Division, ...], ...]  # the place-name chain it starts with
    name: str  # the unit's own name: 城区, 通州湾示范区, 白马镇, 司法局
    explicit: bool  # the source names the organisation itself (…人民政府, …管委会, …局)


def read_metadata(text: str, *, body: str, gazetteer: Gazetteer) -> Metadata:
    """Read the metadata of a report from its original ``text`` and the cleaned ``body``."""
    start = _body_start(body)
    folded_body = _fold_ends(body, start + _NEAR)
    head = _fold(text[: min(max(start, 400), _HEAD_LIMIT)])
    title = _read_title(text, folded_body, head, start)
    published = _published_on(head, _fold(text[-_FOOT_LIMIT:]) if text else "")
    signed_by, signed_on = _signature(folded_body)
    opening = _opening(folded_body, start)
    report_year = _report_year(title, opening, folded_body, start, published or signed_on)
    labels = _label_values(head)
    context = _context(gazetteer, folded_body, start, head)
    within_province = bool(_PROVINCE_WORDS.search(body))
    named = [_title_subject(title), signed_by]
    publishers = [labels.get(key) for key in ("来源", "信息来源")]
    subjects = [s for s in (_read_subject(x, gazetteer) for x in named if x) if s]
    subjects += _opening_subjects(opening, gazetteer)
    subjects += [
        s for s in (_read_subject(x, gazetteer) for x in publishers if x) if s and s.places
    ]
    fallback = [labels.get(key) for key in ("发布机构", "发文机关", "发布单位")]
    subjects += [s for s in (_read_subject(x, gazetteer) for x in fallback if x) if s and s.places]
    issuer, region, level = _identify(subjects, gazetteer, context, within_province)
    return Metadata(
        title=title,
        issuer=issuer,
        region=region,
        admin_level=level,
        report_year=report_year,
        published_on=published or signed_on,
    )


# Full-width digits and letters to ASCII; same length. Full-width punctuation and wide spaces are
# left alone (the patterns here accept both), which keeps folding rare and cheap.
_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_WIDE_TABLE = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B)}


def _fold(text: str) -> str:
    return text.translate(_WIDE_TABLE) if _WIDE.search(text) else text


def _fold_ends(body: str, head_end: int) -> str:
    """``fold_width`` of the parts of ``body`` read here (up to ``head_end`` and the last
    characters), the rest as it is: same length."""
    if len(body) <= head_end + _TAIL_LIMIT:
        return _fold(body)
    tail_start = len(body) - _TAIL_LIMIT
    return _fold(body[:head_end]) + body[head_end:tail_start] + _fold(body[tail_start:])


# ---------------------------------------------------------------- dates and years


def _to_date(match: re.Match[str], offset: int = 1) -> date | None:
    groups = match.groups()[offset - 1 :]
    try:
        if groups[0]:
            return date(int(groups[0]), int(groups[1]), int(groups[2]))
        if groups[3]:
            year = int("".join(str(_CN_DIGIT[c]) for c in groups[3]))
            return date(year, _cn_small(groups[4]), _cn_small(groups[5]))
    except (ValueError, KeyError, IndexError):
        return None
    return None


def _cn_small(numeral: str) -> int:
    """一 … 三十一 as an int."""
    if "十" not in numeral:
        return _CN_DIGIT[numeral]
    tens, _, units = numeral.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def _published_on(head: str, foot: str = "") -> date | None:
    """The page's publishing date: a labelled header date (发布时间 first, 成文日期 last), else a
    bare date line of the header, else a labelled date below the text."""
    ranked: list[tuple[int, int, date]] = []
    rank_of = dict(_DATE_LABELS)
    for match in _labelled(_LABEL_DATE, head):
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
    for match in _labelled(_LABEL_DATE, foot):
        found = _to_date(match, offset=2)
        if found and rank_of[match.group(1)] == 0:
            ranked.append((4, match.start(), found))
    return min(ranked)[2] if ranked else None


def _labelled(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches of a label pattern whose label starts a word (not ``…的来源：``)."""
    return [m for m in pattern.finditer(text) if not m.start() or not _is_cjk(text[m.start() - 1])]


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _signature(body: str) -> tuple[str | None, date | None]:
    """The organisation and date that sign the report off at its end."""
    tail_start = max(0, len(body.rstrip()) - _TAIL_LIMIT)
    tail = body[tail_start:].rstrip()
    tail = re.sub(r"[(（][^()（）\n]{1,20}[)）]$", "", tail).rstrip()
    last = None
    for match in _DATE.finditer(tail):
        last = match
    if last is None or tail[last.end() :].strip():
        return None, None
    before = tail[: last.start()]
    if before.strip() and not (before[-1].isspace() or before[-1] in "。；;"):
        return None, None  # a date inside a sentence
    signed_on = _to_date(last)
    org_line = re.split(r"[\n。；;]", before.rstrip())[-1].strip()
    org = org_line.split()[-1] if org_line.split() else ""
    return (org if _ORG_END.search(org) and len(org) <= 40 else None), signed_on


def _report_year(
    title: str | None, opening: str, body: str, start: int, published: date | None
) -> int | None:
    """The year covered: the title's year, else the opening's (``2022年，…``), else a year
    before 法治政府建设 near the start, else the year before publication."""
    match = re.search(_YEAR, _fold(title)) if title else None
    match = match or _OPENING_YEAR.match(opening)
    year = _year_of(match) if match else None
    if year:
        return year
    near = _BODY_YEAR.search(body, 0, start + _NEAR)
    if near:
        return int(near.group(1))
    return published.year - 1 if published else None


def _year_of(match: re.Match[str]) -> int | None:
    if match.group(1):
        return int(match.group(1))
    if match.group(2):
        return int("".join(str(_CN_DIGIT[c]) for c in match.group(2)))
    return None


# ---------------------------------------------------------------- title and text regions


def _body_start(body: str) -> int:
    """Offset of the report's first paragraph: the opening sentence (``2022年，…``), the first
    heading, or the first long line that has a sentence in it (a long title has none)."""
    for match in _FIRST_PARAGRAPH.finditer(body, 0, _HEAD_LIMIT + 2000):
        found = match.group(0)
        if len(found.strip()) >= 60 and not _SENTENCE_MARK.search(found):
            continue
        start = match.start() + len(found) - len(found.lstrip())
        inner = _INNER_OPENING.search(found)  # one-line page: title, then 2022年，…
        if inner and not _SENTENCE_MARK.search(found, 0, inner.start()):
            return match.start() + inner.start() + 1
        return start
    return min(len(body), _HEAD_LIMIT)


_SENTENCE_MARK = re.compile(r"[，。；,;]")
_INNER_OPENING = re.compile(r"\s(?:20\d\d|" + _CN_YEAR + r")\s*年(?:度)?(?:以来)?\s*(?:[，,]|是)")


def _read_title(text: str, body: str, head: str, start: int) -> str | None:
    """The report's own title: a standalone line (or whitespace-bounded segment, or two short
    lines that make one title) before the opening paragraph, else a 标题/名称 header value.

    A title that names a year or a unit beats a generic one such as a column name."""
    best: tuple[int, int, str] | None = None
    segments = _segments(body, 0, start + 1)
    for index, (segment_start, segment, whole_line) in enumerate(segments):
        pattern = _TITLE_LINE if whole_line else _TITLE
        candidate = segment if pattern.match(segment) else None
        if candidate is None and whole_line and index + 1 < len(segments):
            next_start, following, next_whole = segments[index + 1]
            gap = body[segment_start + len(segment) : next_start]
            joined = segment + following
            if next_whole and gap.strip() == "" and gap.count("\n") == 1 and _TITLE.match(joined):
                candidate = joined
                written = (
                    text[segment_start : segment_start + len(segment)]
                    + text[next_start : next_start + len(following)]
                )
        if candidate is None:
            continue
        if candidate is segment:
            written = text[segment_start : segment_start + len(segment)]
        score = _title_score(_fold(candidate))
        if best is None or score > best[0]:
            best = (score, segment_start, written)
    if best is not None:
        return best[2]
    labels = _label_values(head)
    for key in ("标题", "名称"):
        value = labels.get(key)
        if value and _TITLE.match(value):
            return value
    return None


def _title_score(title: str) -> int:
    score = 2 if re.search(_YEAR, title) else 0
    match = _TITLE_SUBJECT_END.search(title)
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


def _opening(body: str, start: int) -> str:
    """The first sentence of the first paragraph."""
    match = re.compile(r"[^\n。]{0,300}").match(body, start)
    return match.group(0).strip() if match else ""


def _label_values(head: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for match in _labelled(_LABEL_VALUE, head):
        values.setdefault(match.group(1), match.group(2).strip("|｜ "))
    return values


def _context(gazetteer: Gazetteer, body: str, start: int, head: str) -> list[Mention]:
    """Place names of the header, the opening part and the end of the text."""
    mentions = gazetteer.scan(head)
    mentions += gazetteer.scan(body, start=start, end=start + _NEAR)
    mentions += gazetteer.scan(body, start=max(0, len(body) - _TAIL_LIMIT))
    return mentions


# ---------------------------------------------------------------- who issued it


def _title_subject(title: str | None) -> str | None:
    """The unit a title names: before the year (``汕尾市城区2023年…``), before 关于
    (``…人民政府关于…``), or after a leading 关于 or year (``关于天宁区2023年…``)."""
    if not title:
        return None
    folded = _PARTY_PREFIX.sub("", _fold(title).replace(" ", ""))
    match = _TITLE_SUBJECT_END.search(folded)
    if match is None:
        return None
    subject = folded[: match.start()]
    if not subject:
        rest = folded[match.end() :].lstrip("度")
        following = _TITLE_SUBJECT_END.search(rest)
        subject = rest[: following.start()] if following else ""
    return subject.strip() or None


# 中共某县委 某县人民政府 (a joint report): the government is the issuer.
_PARTY_PREFIX = re.compile(
    r"^中共[\u4e00-\u9fff]{2,20}?(?:委员会|委)[、\s和与及]*(?=[\u4e00-\u9fff])"
)


def _read_subject(source: str, gazetteer: Gazetteer) -> _Subject | None:
    """Classify an organisation or place name (a title's subject, a 来源 value, a signature)."""
    source = source.strip(" :：|｜")
    if not source or "网" in source:
        return None
    source = _PARTY_PREFIX.sub("", source)
    chain, pos = gazetteer.read_chain(source)
    if not chain and _RELATIVE.match(source):  # 市司法局: a department of a government named
        rest = source.lstrip("省市县区旗本我")  # elsewhere in the text
        if _DEPARTMENT.match(rest) and not _GOVERNMENT.match(rest):
            return _Subject("department", source, (), rest, explicit=False)
        return None
    rest = source[pos:]
    places = tuple(chain)
    if chain and (not rest or _GOVERNMENT.match(rest)):
        return _Subject("government", source, places, source[:pos], explicit=bool(rest))
    embedded = _embedded_place(source, chain, pos)
    unit = source[embedded:] if embedded is not None else rest
    zone = _ZONE_NAME.match(unit)
    if zone:
        return _Subject("zone", source, places, zone.group(0), bool(_ZONE_OFFICE.search(source)))
    township = _TOWNSHIP.match(unit)
    if township:
        outer = places[:-1] if embedded is not None else places
        explicit = township.group(0) != township.group(1)
        return _Subject("township", source, outer, township.group(1), explicit)
    if rest and _DEPARTMENT.match(rest) and not _GOVERNMENT.match(rest):
        return _Subject("department", source, places, rest, explicit=True)
    return None


def _embedded_place(source: str, chain: list[tuple[Division, ...]], pos: int) -> int | None:
    """Start of the last place name read when it is a short name that belongs to the unit's own
    name (``通州湾示范区`` holds 通州, ``苏州工业园区`` holds 苏州), else None."""
    if not chain or pos >= len(source):
        return None
    last = chain[-1][0]
    if source[:pos].endswith(last.name) or not source[:pos].endswith(last.short):
        return None
    return pos - len(last.short)


_VERB_AFTER_SUBJECT = re.compile(
    r"^(?:坚持|在|以|深入|全面|认真|紧紧|始终|围绕|按照|进一步|持续|聚焦)"
)


def _opening_subjects(opening: str, gazetteer: Gazetteer) -> list[_Subject]:
    """Units named at the start of a clause of the opening sentence (``2022年，浦江县在…``)."""
    found = []
    for raw in re.split(r"[，,、；;：:]", opening):
        clause = raw.strip()
        if not clause or _OPENING_YEAR.match(clause + "，") or _OPENING_SKIP.match(clause):
            continue
        chain, pos = gazetteer.read_chain(clause)
        after = clause[pos:]
        if chain and _VERB_AFTER_SUBJECT.match(after):
            found.append(_Subject("government", clause[:pos], tuple(chain), clause[:pos], False))
            continue
        unit = re.match(
            r"^[\u4e00-\u9fff]{1,16}?(?:"
            + _ZONE[3:-1]
            + r"|镇|乡|街道)(?=坚持|在|以|深入|全面|认真|紧紧|始终|围绕|按照|进一步|持续|聚焦)",
            clause,
        )
        subject = _read_subject(unit.group(0), gazetteer) if unit else None
        if subject:
            found.append(subject)
    return found


def _identify(
    subjects: list[_Subject],
    gazetteer: Gazetteer,
    context: list[Mention],
    within_province: bool,
) -> tuple[str | None, Region, str | None]:
    """Issuer, region and level from the subjects read, the first one deciding the kind."""
    if not subjects:
        return None, _fallback_region(gazetteer, context, within_province), None
    main = subjects[0]
    same = [s for s in subjects if s.kind == main.kind and _same_unit(s, main)]
    place = _resolve_chain(main, same, gazetteer, context, within_province)
    if main.kind == "government":
        return _government(main, same, place, gazetteer)
    if main.kind == "zone":
        around = place.region if place else _fallback_region(gazetteer, context, within_province)
        return _zone(main, same, place, around)
    if main.kind == "township":
        county = place if place and place.level == LEVEL_COUNTY else None
        explicit = next((s.written for s in same if s.explicit), None)
        suffix = "办事处" if main.name.endswith("街道") else "人民政府"
        region = county.region if county else _fallback_region(gazetteer, context, within_province)
        return explicit or main.name + suffix, region, "township"
    region = place.region if place else _fallback_region(gazetteer, context, within_province)
    named = [s.written for s in same if s.places]
    return (max(named, key=len) if named else main.written), region, "department"


def _same_unit(one: _Subject, other: _Subject) -> bool:
    if one.kind != other.kind:
        return False
    if one.kind == "government":
        here = set(one.places[-1]) if one.places else set()
        there = set(other.places[-1]) if other.places else set()
        return bool(here & there)
    a, b = one.name, other.name
    if one.kind == "department":
        return a.endswith(b) or b.endswith(a)
    return a[:2] == b[:2] and a[-2:] == b[-2:]


def _resolve_chain(
    main: _Subject,
    same: list[_Subject],
    gazetteer: Gazetteer,
    context: list[Mention],
    within_province: bool,
) -> Division | None:
    for subject in same:
        if not subject.places:
            continue
        candidates = subject.places[-1]
        chosen = gazetteer.resolve(
            candidates,
            context=context,
            within_province=within_province if len(candidates) > 1 else None,
        )
        if chosen is not None:
            return chosen
    return None


def _government(
    main: _Subject, same: list[_Subject], place: Division | None, gazetteer: Gazetteer
) -> tuple[str | None, Region, str | None]:
    if place is None:
        options = main.places[-1] if main.places else ()
        levels = {o.level for o in options}
        if len(levels) != 1:
            return None, gazetteer.common_region(options), None
        explicit = next((s.written for s in same if s.explicit), None)
        return explicit or main.name + "人民政府", gazetteer.common_region(options), levels.pop()
    explicit = next((s.written for s in same if s.explicit), None)
    issuer = explicit or _government_name(main, place, gazetteer)
    return issuer, place.region, place.level


def _government_name(main: _Subject, place: Division, gazetteer: Gazetteer) -> str:
    """``浦江县人民政府``; a district keeps its city when written with it or when its name exists
    in other cities too (``汕尾市城区人民政府``)."""
    name = place.name
    if place.kind == "市辖区" and place.city:
        written_with_city = len(main.places) > 1
        if written_with_city or len(gazetteer.lookup(place.name, short=False)) > 1:
            name = place.city + name
    return name + "人民政府"


def _zone(
    main: _Subject, same: list[_Subject], place: Division | None, around: Region
) -> tuple[str | None, Region, str | None]:
    names = [s.name for s in same if s.name]
    full = max(names, key=len) if names else main.name
    explicit = next((s.written for s in same if s.explicit), None)
    issuer = explicit or full + "管理委员会"
    region = place.region if place is not None else around
    return (
        issuer,
        Region(province=region.province, city=region.city, county=full),
        "development_zone",
    )


def _fallback_region(gazetteer: Gazetteer, context: list[Mention], within_province: bool) -> Region:
    """The most specific place the header and opening name without ambiguity."""
    best: Division | None = None
    rank = {"province": 0, "city": 1, "county": 2}
    for mention in context:
        chosen = gazetteer.resolve(
            mention.candidates, context=context, within_province=within_province
        )
        if chosen is None:
            continue
        if best is None or (
            rank[chosen.level] > rank[best.level] and gazetteer.is_within(chosen, best)
        ):
            best = chosen
    return best.region if best else Region()
