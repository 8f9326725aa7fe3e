"""Figures as people read them: no trailing zeros, 亿 and 万 for large numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.formatting import figure_display, number_plain


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("1391.000000"), "件", "1391 件"),
        (Decimal("87.500000"), "%", "87.5%"),
        (Decimal("100"), "%", "100%"),
        (Decimal("248000000"), "元", "2.48 亿元"),
        (Decimal("157600000"), "条", "1.576 亿条"),
        (Decimal("1234567890"), "元", "12.35 亿元"),
        (Decimal("89101"), "批次", "89101 批次"),
        (Decimal("250000"), "人次", "25 万人次"),
        (Decimal("123456"), "人", "12.35 万人"),
        (Decimal("0.000000"), "件", "0 件"),
        (Decimal("12.5"), "", "12.5"),
        (None, "件", "—"),
    ],
)
def test_figure_is_shown_as_people_write_it(value, unit, shown):
    assert figure_display(value, unit) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("1E+3"), "1000"), (Decimal("-0.000"), "0"), ("abc", "abc"), (7, "7")],
)
def test_number_plain_has_no_exponent_or_trailing_zeros(value, shown):
    assert number_plain(value) == shown
