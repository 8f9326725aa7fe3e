"""Template filters for the reading pages: figures as people read them, names of codes."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

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


_HEADING_TAGS = {1: "h2", 2: "h3", 3: "h4", 4: "h5"}


def _figure_html(piece) -> str:
    value = piece.mark
    definition = value.effective_definition
    title = f"{definition.name}: " if definition else ""
    title += (
        f"{figure_display(value.effective_value, value.unit)} · {value_status_name(value.status)}"
    )
    classes = f"fig {value.status}" + ("" if piece.text else " dot")
    anchor = f' id="fig-{value.pk}"' if piece.anchor else ""
    return (
        f'<a class="{escape(classes)}"{anchor} href="#v-{value.pk}" title="{escape(title)}">'
        f"{escape(piece.text or '•')}</a>"
    )


def _pieces_html(pieces) -> str:
    return "".join(_figure_html(p) if p.mark is not None else escape(p.text) for p in pieces)


@register.simple_tag
def report_text(blocks) -> str:
    """A report's text as HTML: a ``<section>`` per heading, paragraphs, every figure a link to
    its row. Built here in one pass (a report has thousands of pieces); everything escaped."""
    out = []
    for block in blocks:
        section = block.section
        out.append(f'<section id="s-{section.pk}">' if section else "<section>")
        if section is not None:
            tag = _HEADING_TAGS.get(section.level, "h5")
            inner = (
                _pieces_html(block.heading)
                if block.heading
                else escape(f"{section.marker}{section.title}")
            )
            out.append(f"<{tag}>{inner}</{tag}>")
        out.extend(f"<p>{_pieces_html(paragraph)}</p>" for paragraph in block.paragraphs)
        out.append("</section>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
