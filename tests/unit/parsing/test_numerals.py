"""Numerals as written in the reports: Arabic with separators, decimals and 万/亿 scales, Chinese
in 小写 and 大写 forms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.parsing.numerals import NumeralError, parse_chinese, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("两百", 200),
        ("三千零五", 3005),
        ("三万五千", 35_000),
        ("一亿二千万", 120_000_000),
        ("壹佰贰拾", 120),
        ("〇", 0),
        ("二〇二三", 2023),
    ],
)
def test_chinese_numerals_convert_to_integers(text, value):
    """两=2, 〇=0, 大写 accepted, digit-by-digit years read as written."""
    assert parse_chinese(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("52", Decimal(52)),
        ("1,234", Decimal(1234)),
        ("１２３", Decimal(123)),
        ("2.48", Decimal("2.48")),
        ("1.576亿", Decimal(157_600_000)),
        ("2万", Decimal(20_000)),
        ("3千万", Decimal(30_000_000)),
    ],
)
def test_arabic_numbers_apply_their_scale(text, value):
    """Full-width digits and separators are read; 万/亿 after the digits scale the value."""
    assert parse_number(text) == (value, "arabic")


def test_chinese_numbers_are_marked_chinese():
    """parse_number reports which script the number was written in."""
    assert parse_number("三万") == (Decimal(30_000), "chinese")


@pytest.mark.parametrize("text", ["", "三x", "1.2.3"])
def test_unreadable_numerals_raise_numeral_error(text):
    """Anything that is not a numeral raises NumeralError (a ValueError)."""
    with pytest.raises(NumeralError):
        parse_number(text)
