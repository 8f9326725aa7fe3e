"""Quantities: every number with a measure word, currency unit or percent sign that measures the
government's work, with its subject, qualifier, kind, scope and offsets into the parsed text.

Excluded by the reports' conventions: years, dates and plan periods (no measure word),
ordinals (第一, 第三届, 十三届四次), numbers inside 《》 titles and “” slogans, bare 一 used as an
article (一批, 一个), slogans such as 五个一 or 两个维护, numbers glued to codes or versions.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import replace
from decimal import Decimal
from functools import cache, lru_cache

from reports.parsing.joins import TextView, join_layout
from reports.parsing.numerals import CN_NUMERAL_CHARS, FULL_WIDTH, NumeralError, parse_number
from reports.parsing.reading import Hit, read_quantities
from reports.parsing.seeds import seeds_dir
from reports.parsing.segment import cut
from reports.parsing.types import Quantity, Section


def _words(*groups: str) -> tuple[str, ...]:
    return tuple(w for g in groups for w in g.split())


COUNT_UNITS = _words(
    "人次 家次 场次 批次 台次 件次 户次 车次 架次 班次 艘次 项次",
    "份次 个次 条次 期次 大类",
    "人 名 位 户 家 个 项 件 宗 起 例 次 场 期 批 份 卷 本 册 套 部 篇 条 张 类 支 集 幅 枚",
    "处 所 座 幢 栋 台 辆 艘 架 间 块 盏 棵 株 头 只 门 堂 节 笔 轮 课时 学时",
    "个工作日 工作日 小时 分钟 天 公斤 千克 吨 平方米 平方公里 立方米 公顷 公里 千米 亩",
    "万元 亿元 千元 元",
)
MONEY_UNITS = frozenset({"元", "万元", "亿元", "千元"})
MEASURE_UNITS = frozenset(
    _words("个工作日 工作日 小时 分钟 天 公斤 千克 吨 平方米 平方公里 立方米 公顷 公里 千米 亩")
)
CHANGE_UNITS = ("个百分点", "百分点")
_UNITS = sorted([*COUNT_UNITS, *CHANGE_UNITS, "%", "％"], key=len, reverse=True)
_UNIT_ALT = "|".join(re.escape(u) for u in _UNITS)
# The "not preceded by" checks sit after the first character so the regex engine can skip ahead
# to candidate characters instead of testing a lookbehind at every position.
_AR = (
    r"[0-9０-９](?<![0-9０-９.．].)[0-9０-９]{0,14}(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]{1,6})?"
)
_CN = rf"[{CN_NUMERAL_CHARS}](?<![{CN_NUMERAL_CHARS}].)[{CN_NUMERAL_CHARS}]{{0,11}}"
_QTY = re.compile(
    rf"百分之(?P<pn>{_AR}|[{CN_NUMERAL_CHARS}]{{1,8}})"
    rf"|(?P<fd>[0-9]{{1,4}}|[{CN_NUMERAL_CHARS}]{{1,4}})分之(?P<fn>[0-9]{{1,4}}|[{CN_NUMERAL_CHARS}]{{1,4}})"
    r"(?P<fq>强|弱)?"
    rf"|(?P<n>{_AR}(?P<sc>[千百]?[万亿]|千)?|{_CN})(?P<q1>余|多)?"
    rf"(?:(?P<u>{_UNIT_ALT})|(?P<cheng>成))"
    r"(?P<q2>以上|左右|以内|以下|余)?"
)
_PRE_QUALIFIER = re.compile(r"(?:近|约|超过|超|逾|不足|不到|至少|最高|最多|大约)$")
_PRE_LAST = frozenset("近约过超逾足到少高多")  # last characters of the qualifiers above
_CHANGE = re.compile(
    r"(?:同比|环比|较上年|比上年|较去年|比去年|较上年度|比上年度|较(?:19|20)\d\d年)?"
    r"(?:下降|减少|上升|增长|增加|降低|提高|提升)了?$"
)
_CHANGE_LAST = frozenset("降少升长加低高了")  # last characters of the change verbs above
_RANGE_LAST = frozenset("-—–~～至到")
_RANGE_HEAD = re.compile(rf"(?:{_AR}|[{CN_NUMERAL_CHARS}]{{1,8}})(?:[-—–~～]|至|到)$")
_ORDINAL_BEFORE = frozenset("第届前每初")
_CODE_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_/\\-:：@#+.．×*＊")
QUANTITY_WORDS_FILE = "quantity_words.json"
_UNIT_WINDOW = 5  # characters after the measure word that the segmentation looks at


@cache
def quantity_words() -> dict[str, tuple[str, ...]]:
    """The lexicon of seeds/quantity_words.json: slogans and rhetorical nouns, longest first."""
    raw = json.loads((seeds_dir() / QUANTITY_WORDS_FILE).read_text("utf-8"))
    return {
        key: tuple(sorted(raw[key], key=len, reverse=True))
        for key in ("slogans", "rhetorical_nouns")
    }


@lru_cache(maxsize=65_536)
def _opens_word(window: str, unit: str) -> bool:
    """Whether the measure word opening ``window`` is the first character(s) of a longer word in
    the segmentation (处理, 起草, 家庭, 名单, 成为 …): then it is no measure word."""
    words = cut(window)
    return bool(words) and len(words[0]) > len(unit) and words[0].startswith(unit)


@lru_cache(maxsize=65_536)
def _closes_word(window: str, qualifier: str) -> bool:
    """Whether the qualifier ending ``window`` is the last character(s) of a longer word (最近,
    附近, 赶超): then it does not qualify the number after it."""
    words = cut(window)
    return bool(words) and len(words[-1]) > len(qualifier) and words[-1].endswith(qualifier)


_QUOTE_PAIRS = (
    ("“", "”", 40),
    ("《", "》", 80),
    ("「", "」", 40),
    ("『", "』", 40),
    ("〈", "〉", 40),
)


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of short titles and slogans: 《…》, “…” (and straight double quotes) on one line."""
    spans: list[tuple[int, int]] = []
    for left, right, limit in _QUOTE_PAIRS:
        pos = text.find(left)
        while pos >= 0:
            close = text.find(right, pos + 1, pos + 1 + limit)
            newline = text.find("\n", pos + 1, close if close > 0 else pos + 1)
            if close > 0 and newline < 0:
                spans.append((pos, close + 1))
                pos = text.find(left, close + 1)
            else:
                pos = text.find(left, pos + 1)
    pos = text.find('"')
    while pos >= 0:
        close = text.find('"', pos + 1, pos + 41)
        if close > 0 and text.find("\n", pos, close) < 0:
            spans.append((pos, close + 1))
            pos = text.find('"', close + 1)
        else:
            pos = text.find('"', pos + 1)
    spans.sort()
    return spans


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def _excluded(text: str, m: re.Match[str], value: Decimal, numeral: str, unit: str) -> bool:
    s, e = m.start(), m.end()
    number = m["n"] or m["pn"] or ""
    before = text[s - 1] if s else ""
    after = text[e] if e < len(text) else ""
    if before == "前" and _closes_word(text[max(0, s - 4) : s], "前"):
        before = ""  # 目前, 此前, 提前: a word, not 前N (the first N)
    if before in _ORDINAL_BEFORE or (numeral == "arabic" and before in _CODE_BEFORE):
        return True
    if before.isascii() and before.isalnum():
        return True
    written = m["u"] or m["cheng"] or ""
    if written and not m["q2"] and _is_cjk(after):
        unit_start = m.start("u") if m["u"] else m.start("cheng")
        if _opens_word(text[unit_start : unit_start + len(written) + _UNIT_WINDOW], written):
            return True
    words = quantity_words()
    if unit in ("个", "项") and text.startswith(words["rhetorical_nouns"], e):
        return True
    if numeral == "chinese":
        if m["n"] and not m["q1"] and all(ch in "万亿千百" for ch in number):
            return True
        if number == "一" and not (m["cheng"] and _PRE_QUALIFIER.search(text, max(0, s - 3), s)):
            return True
        if after and after in CN_NUMERAL_CHARS and not m["q2"]:
            return True
        if unit == "期" and text.startswith(("项目", "工程"), e):
            return True
        if text.startswith(words["slogans"], s):
            return True
    return value < 0


def _fraction(m: re.Match[str]) -> Hit | None:
    """三分之一, 十分之一强: a share, as a percentage of 0–100 with the qualifier as written."""
    try:
        den, numeral = parse_number(m["fd"])
        num, _ = parse_number(m["fn"])
    except NumeralError:
        return None
    if not den or num > den:
        return None
    value = (num * 100 / den).quantize(Decimal("0.01")).normalize()
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    return Hit(m.start(), m.start(), m.end(), value, "%", m["fq"], numeral, "rate")


def _hit(text: str, m: re.Match[str]) -> Hit | None:
    if m["fd"] is not None:
        return _fraction(m)
    raw = (m["n"] or m["pn"] or "").translate(FULL_WIDTH)
    try:
        value, numeral = parse_number(raw)
    except NumeralError:
        return None
    unit = "%" if m["pn"] is not None or m["cheng"] else (m["u"] or "").translate(FULL_WIDTH)
    if m["cheng"]:
        value *= 10
    if unit == "元" and m["sc"]:
        unit = m["sc"] + "元"  # 2.48亿元: the currency unit keeps its multiplier
        value, _ = parse_number(raw[: len(raw) - len(m["sc"])])
    elif unit == "元" and numeral == "chinese" and len(raw) > 1 and raw[-1] in "万亿":
        unit = raw[-1] + "元"  # 三万元 → 3 万元, as with Arabic digits
        value, _ = parse_number(raw[:-1])
    if _excluded(text, m, value, numeral, unit):
        return None
    start = m.start()
    before = text[start - 1] if start else ""
    qualifier = m["q1"] or m["q2"]
    pre = _PRE_QUALIFIER.search(text, max(0, start - 3), start) if before in _PRE_LAST else None
    if pre and not _closes_word(text[max(0, start - 4) : start], pre.group()):
        qualifier = qualifier or pre.group()
        start = pre.start()
    elif m["cheng"]:
        qualifier = qualifier or "约"
    kind = _kind(unit)
    last = text[start - 1] if start else ""
    change = _CHANGE.search(text, max(0, start - 9), start) if last in _CHANGE_LAST else None
    if change and (unit == "%" or kind in ("count", "change")):
        kind, qualifier = "change", change.group()
    return Hit(start, m.start(), m.end(), value, unit, qualifier, numeral, kind)


def _kind(unit: str) -> str:
    if unit in MONEY_UNITS:
        return "money"
    if unit == "%":
        return "rate"
    if unit in CHANGE_UNITS:
        return "change"
    if unit in MEASURE_UNITS:
        return "measure"
    return "count"


def find_hits(text: str) -> list[Hit]:
    """Numbers with units in ``text``, exclusions applied, ranges split into both ends."""
    spans = _protected_spans(text)
    starts = [a for a, _ in spans]
    hits: list[Hit] = []
    for m in _QTY.finditer(text):
        if _inside(spans, starts, m.start()):
            continue
        hit = _hit(text, m)
        if hit is None:
            continue
        head = (
            _RANGE_HEAD.search(text, max(0, hit.start - 20), hit.start)
            if hit.start and text[hit.start - 1] in _RANGE_LAST
            else None
        )
        if head and (not hits or hits[-1].end <= head.start()):
            first = _range_head(text, head, hit)
            if first is not None:
                hits.append(first)
        hits.append(hit)
    return hits


def _range_head(text: str, head: re.Match[str], hit: Hit) -> Hit | None:
    number = head.group().rstrip("-—–~～至到")
    try:
        value, numeral = parse_number(number.translate(FULL_WIDTH))
    except NumeralError:
        return None
    if numeral != hit.numeral or value > hit.value:
        return None
    end = head.start() + len(number)
    return Hit(head.start(), head.start(), end, value, hit.unit, hit.qualifier, numeral, hit.kind)


def find_quantities(
    body: str, sections: tuple[Section, ...], *, view: TextView | None = None
) -> list[Quantity]:
    """Every quantity of ``body`` in document order; offsets index into ``body``.

    Numbers are read in the layout view of ``body`` (``join_layout``: wrapped lines joined, spaces
    inside figures left out); each quantity's offsets and quote are mapped back to ``body``.
    """
    view = view if view is not None else join_layout(body)
    if view.is_identity:
        return read_quantities(body, sections, find_hits(body))
    moved = tuple(
        replace(s, start=view.to_view(s.start), end=view.to_view(s.end)) for s in sections
    )
    out = []
    for q in read_quantities(view.text, moved, find_hits(view.text)):
        start, end = view.span_to_original(q.start, q.end)
        out.append(replace(q, start=start, end=end, quote=body[start:end]))
    return out
