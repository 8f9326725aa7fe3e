"""Numerals as written in Chinese reports: Arabic (half- and full-width, thousands separators,
decimals, 万/亿 scales) and Chinese (小写 and 大写, 两, 〇/零). Pure functions, no regexes with
backtracking.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

FULL_WIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

CN_DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_LARGE_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
SCALES: dict[str, int] = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

#: Characters that may make up a Chinese numeral (used to build regex classes).
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_LARGE_UNITS)


class NumeralError(ValueError):
    """The string is not a numeral this module can read."""


def _small_section(text: str) -> int:
    """Value of a numeral below 10,000 (no 万/亿 inside): 三千零五, 十二, 二十, 两百."""
    total = 0
    digit: int | None = None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            total += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]
            digit = None
        else:
            raise NumeralError(text)
    return total + (digit or 0)


def _is_digit_string(text: str) -> bool:
    """一二三 written digit by digit (二〇二三) rather than with 十/百/千."""
    return len(text) > 1 and all(ch in CN_DIGITS for ch in text)


def parse_chinese(text: str) -> int:
    """Integer value of a Chinese numeral: 两 → 2, 十二 → 12, 一百零五 → 105, 三万五千 → 35000,
    壹佰 → 100, 二〇二三 → 2023 (digit by digit)."""
    if not text:
        raise NumeralError(text)
    if _is_digit_string(text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total = 0
    section = ""
    for ch in text:
        if ch in CN_LARGE_UNITS:
            value = _small_section(section) if section else 1
            if ch == "亿":
                total = (total + value) * CN_LARGE_UNITS[ch]
            else:
                total += value * CN_LARGE_UNITS[ch]
            section = ""
        elif ch in CN_DIGITS or ch in CN_SMALL_UNITS:
            section += ch
        else:
            raise NumeralError(text)
    return total + (_small_section(section) if section else 0)


def parse_arabic(text: str) -> Decimal:
    """Decimal value of an Arabic numeral: full-width digits, 1,234 separators and decimals."""
    clean = text.translate(FULL_WIDTH).replace(",", "").replace("，", "")
    try:
        return Decimal(clean)
    except InvalidOperation as exc:
        raise NumeralError(text) from exc


def apply_scale(value: Decimal, scale: str) -> Decimal:
    """Multiply by a written scale such as 万, 亿, 千万 or 百万."""
    factor = 1
    for ch in scale:
        factor *= SCALES[ch]
    result = value * factor
    return result.quantize(Decimal(1)) if result == result.to_integral_value() else result


def parse_number(text: str) -> tuple[Decimal, str]:
    """``(value, numeral)`` for an Arabic number with an optional scale suffix (1.576亿, 2万) or a
    Chinese numeral; numeral is ``"arabic"`` or ``"chinese"``."""
    text = text.translate(FULL_WIDTH)
    i = 0
    while i < len(text) and (text[i].isdigit() or text[i] in ".,"):
        i += 1
    if i:
        value = parse_arabic(text[:i])
        scale = text[i:]
        if scale and any(ch not in SCALES for ch in scale):
            raise NumeralError(text)
        return (apply_scale(value, scale) if scale else value), "arabic"
    return Decimal(parse_chinese(text)), "chinese"
