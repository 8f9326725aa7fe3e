"""Numbers as people read them: 1391, not 1391.000000; 2.48 亿元. Pure Python.

The one home of figure formatting for pages (and anything else that shows a value to a person).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

YI = Decimal(100_000_000)  # 亿
WAN = Decimal(10_000)  # 万
SIGNIFICANT = 4  # digits kept after scaling to 万 or 亿 (2.48 亿, 1.576 亿)
NO_SPACE_UNITS = ("%", "‰", "％")


def number_plain(value: Decimal | int | float | str) -> str:
    """The number without trailing zeros or exponent: 1391, 87.5, 0.25."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _scaled(number: Decimal, scale: Decimal) -> str:
    scaled = number / scale
    digits = max(SIGNIFICANT - len(str(abs(int(scaled)))), 0)
    quantum = Decimal(1).scaleb(-digits)
    return number_plain(scaled.quantize(quantum, rounding=ROUND_HALF_UP))


def figure_display(value: Decimal | int | float | str | None, unit: str = "") -> str:
    """A value with its unit, large numbers in 亿 (from 1 亿) or 万 (from 10 万), at most four
    significant digits once scaled; small numbers exactly as stored.

    >>> figure_display(Decimal("1391.000000"), "件")
    '1391 件'
    >>> figure_display(Decimal("248000000"), "元")
    '2.48 亿元'
    """
    if value is None:
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return f"{value} {unit}".strip()
    if not number.is_finite():
        return f"{value} {unit}".strip()
    prefix = ""
    if abs(number) >= YI:
        text, prefix = _scaled(number, YI), "亿"
    elif abs(number) >= 10 * WAN and number == number.to_integral_value():
        text, prefix = _scaled(number, WAN), "万"
    else:
        text = number_plain(number)
    suffix = f"{prefix}{unit}"
    if not suffix:
        return text
    if suffix in NO_SPACE_UNITS:
        return f"{text}{suffix}"
    return f"{text} {suffix}"
