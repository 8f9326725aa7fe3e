"""Template filters for the reading pages: figures as people read them, names of codes."""

from __future__ import annotations

from django import template

from reports.formatting import figure_display, number_plain
from reports.labels import SECTION_LEVEL_NAMES, admin_level_name, value_status_name

register = template.Library()


@register.filter
def figure(value, unit: str = "") -> str:
    """``{{ value|figure:unit }}`` → "1391 件", "2.48 亿元"."""
    return figure_display(value, unit or "")


@register.filter
def plain_number(value) -> str:
    return number_plain(value)


@register.filter
def level_name(code) -> str:
    return admin_level_name(code)


@register.filter
def status_name(code) -> str:
    return value_status_name(code)


@register.filter
def section_level_name(level) -> str:
    try:
        return str(SECTION_LEVEL_NAMES[int(level)])
    except (KeyError, TypeError, ValueError):
        return str(level)
