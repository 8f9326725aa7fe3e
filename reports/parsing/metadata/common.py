"""Limits, shared patterns and small helpers of the metadata reader."""

from __future__ import annotations

import re

HEAD_LIMIT = 3000  # the page header lies within this many characters of the start
FOOT_LIMIT = 800  # page furniture below the report that may carry its publishing date
TAIL_LIMIT = 400  # the signature block lies within this many characters of the end
NEAR = 600  # the opening part of the report, read for the year and for place names
CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "0": 0}
CN_YEAR = r"[〇零○O0一二三四五六七八九]{4}"
YEAR = r"(?:(20\d\d)|(" + CN_YEAR + r"))\s*年"
OPENING_YEAR = re.compile(r"^\s*" + YEAR + r"(?:度)?(?:以来)?\s*(?:[，,]|是|，)")
_LABEL_VALUE = re.compile(
    r"(信息来源|来源|发布机构|发文机关|发布单位|所属机构|标题|名称)"
    r"\s*[:：][\s|｜]{0,6}([^\s|｜:：]{2,80})"
)
# A label run into the value before it (来源：某县人民政府发布时间：…).
_NEXT_LABEL = re.compile(
    r"(?:发布时间|发布日期|更新时间|时间|日期|作者|浏览次数|点击数|字号|编辑)$"
)

# 中共某县委 某县人民政府 (a joint report): the government is the issuer.
PARTY_PREFIX = re.compile(
    r"^中共[\u4e00-\u9fff]{2,20}?(?:委员会|委)[、\s和与及]*(?=[\u4e00-\u9fff])"
)

# Full-width digits and letters to ASCII; same length. Full-width punctuation and wide spaces are
# left alone (the patterns here accept both), which keeps folding rare and cheap.
_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_WIDE_TABLE = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B)}


def fold(text: str) -> str:
    return text.translate(_WIDE_TABLE) if _WIDE.search(text) else text


def fold_ends(body: str, head_end: int) -> str:
    """``fold_width`` of the parts of ``body`` read here (up to ``head_end`` and the last
    characters), the rest as it is: same length."""
    if len(body) <= head_end + TAIL_LIMIT:
        return fold(body)
    tail_start = len(body) - TAIL_LIMIT
    return fold(body[:head_end]) + body[head_end:tail_start] + fold(body[tail_start:])


def labelled(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches of a label pattern whose label starts a word (not ``…的来源：``)."""
    return [m for m in pattern.finditer(text) if not m.start() or not is_cjk(text[m.start() - 1])]


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def label_values(head: str) -> dict[str, str]:
    """Values of the page header's labels (来源, 发布机构, 标题 …), first occurrence each."""
    values: dict[str, str] = {}
    for match in labelled(_LABEL_VALUE, head):
        value = _NEXT_LABEL.sub("", match.group(2)).strip("|｜ ")
        if value:
            values.setdefault(match.group(1), value)
    return values
