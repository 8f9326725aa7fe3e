"""Template filters for the reading pages: figures as people read them, names of codes."""

from __future__ import annotations

from html import escape  # Django's escape is this one behind a lazy-string wrapper; text only here
from urllib.parse import quote

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

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


@register.simple_tag
def report_outline(nodes) -> str:
    """The outline: nested lists of links to each heading (titles cut at 40 characters)."""
    out: list[str] = []

    def walk(level) -> None:
        out.append("<ol>")
        for node in level:
            section = node.section
            title = Truncator(section.title).chars(40)
            out.append(f'<li><a href="#s-{section.pk}">{escape(section.marker)}{escape(title)}</a>')
            if node.children:
                walk(node.children)
            out.append("</li>")
        out.append("</ol>")

    walk(nodes)
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


@register.simple_tag
def figure_rows(values, indicator_base: str) -> str:
    """The rows of a report's figures table: indicator (linked), value, status, quote (a link
    to where it stands in the text). Built here in one pass, as the text is; all escaped."""
    out = []
    for v in values:
        d = v.effective_definition
        if d:
            code = quote(d.code, safe="/")
            indicator = f'<a href="{escape(indicator_base)}{escape(code)}/">{escape(d.name)}</a>'
        else:
            indicator = f'<span class="muted">{escape(Truncator(v.subject).chars(30))}</span>'
        number = escape(figure_display(v.effective_value, v.unit or ""))
        if v.qualifier:
            number += f" <small>{escape(v.qualifier)}</small>"
        status = escape(v.status)
        out.append(
            f'<tr id="v-{v.pk}"><td>{indicator}</td><td class="num">{number}</td>'
            f'<td><span class="badge {status}">{escape(value_status_name(v.status))}</span></td>'
            f'<td class="quote"><a href="#fig-{v.pk}">{escape(v.quote)}</a></td></tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every piece of text above is escaped
