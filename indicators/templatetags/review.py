"""The review card, built in one pass: a page of the queue shows twenty, and the template
language's cost per variable and tag made them most of the page's time (as the reading page's
figures, ``reports/templatetags/reading.py``). Every text is escaped; the labels are the same
translated strings the template used."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape  # Django's escape is this one behind a lazy-string wrapper; text only here
from urllib.parse import quote

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from reports.formatting import number_plain

register = template.Library()


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


_LABELS = (
    "Tick", "no indicator", "report", "Verify", "Reject", "Correct number", "Save", "Change code",
    "search the catalogue",
)  # fmt: skip
_PAGE_PARTS = "review_card_page_parts"


@dataclass(frozen=True, slots=True)
class _PageParts:
    label: dict[str, str]  # the translated labels, escaped
    here: str  # the hidden "next" field: this page's address
    csrf: str  # the CSRF field
    next: str  # this page's address, quoted for a query string


def _page_parts(context) -> _PageParts:
    """What every card of a page shares, made once per page and kept in the template's render
    context."""
    parts = context.render_context.get(_PAGE_PARTS)
    if parts is None:
        path = context["request"].get_full_path()
        token = _e(context.get("csrf_token"))
        parts = _PageParts(
            label={name: _e(gettext(name)) for name in _LABELS},
            here=f'<input type="hidden" name="next" value="{_e(path)}">',
            csrf=f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">',
            next=quote(path),
        )
        context.render_context[_PAGE_PARTS] = parts
    return parts


@register.simple_tag(takes_context=True)
def review_card(context, card: dict, in_list: bool = False, error: str = "") -> SafeString:
    """``{% review_card card in_list=True %}``: one figure's card; ``card`` from the view's
    ``_card`` (value, before, quote, after, urls)."""
    page = _page_parts(context)
    label, here, csrf = page.label, page.here, page.csrf
    value, urls = card["value"], card["urls"]
    report = value.report
    pk, status = value.pk, _e(value.status)
    act = _e(urls["act"])
    swap = f' hx-post="{act}" hx-target="#value-{pk}" hx-swap="outerHTML"' if in_list else ""

    tick = (
        f'<input type="checkbox" name="ids" value="{pk}" form="bulk-form" class="rv-tick" '
        f'aria-label="{label["Tick"]}">'
        if in_list
        else ""
    )
    figure = _e(number_plain(value.value))
    if value.corrected_value is not None:
        figure = f"<s>{figure}</s> {_e(number_plain(value.corrected_value))}"
    definition = value.corrected_definition or value.definition
    code = _e(definition.name) if definition else f"<em>{label['no indicator']}</em>"
    confidence = gettext("confidence %(c)s") % {"c": floatformat(value.confidence, 2)}
    place = f"{report.province}{report.city}{report.county}"
    year = "" if report.report_year is None else report.report_year
    where = f"{_e(confidence)} · {_e(place)} {_e(year)}"
    report_link = f'<a href="{_e(urls["report"])}">{label["report"]} #{value.report_id}</a>'
    before = _e(card["before"]) if card["before"] else ""
    quoted = f'{before}<mark class="quote">{_e(card["quote"])}</mark>{_e(card["after"])}'
    codes_url = f"{urls['codes']}?list={'1' if in_list else '0'}&next={page.next}"
    number = _e(number_plain(value.effective_value))
    parts = [
        f'<article class="card rv-card status-{status}" id="value-{pk}" data-id="{pk}" '
        'tabindex="0">',
        '  <header class="rv-head">',
        f"    {tick}",
        f'    <a href="{_e(urls["open"])}" class="rv-open">'
        f"{_e(Truncator(value.subject).chars(40))}</a>",
        f'    <span class="rv-figure"><b>{figure}</b> {_e(value.unit)}</span>',
        f'    <span class="rv-code">{code}</span>',
        f'    <span class="badge {status} rv-status">'
        f"{_e(gettext(value.get_status_display()))}</span>",
        f'    <small class="muted">{where} · {report_link}</small>',
        "  </header>",
        f'  <p class="rv-paragraph">{quoted}</p>',
        f'  <p class="error" role="alert">{_e(error)}</p>' if error else "",
        '  <div class="rv-actions">',
        f'    <form method="post" action="{act}"{swap} class="inline">{csrf}',
        f"      {here}",
        '      <button type="submit" name="action" value="verify" class="primary rv-verify" '
        f'accesskey="v">{label["Verify"]}</button>',
        '      <button type="submit" name="action" value="reject" '
        f'class="button secondary rv-reject">{label["Reject"]}</button>',
        "    </form>",
        f'    <form method="post" action="{act}"{swap} class="inline rv-correct">{csrf}',
        f"      {here}",
        '      <input type="hidden" name="action" value="correct">',
        f'      <label>{label["Correct number"]} <input type="text" inputmode="decimal" '
        f'name="corrected_value" size="10" class="rv-number" value="{number}"></label>',
        f'      <button type="submit">{label["Save"]}</button>',
        "    </form>",
        '    <div class="rv-picker">',
        f'      <label>{label["Change code"]} <input type="search" name="q" '
        f'class="rv-code-search" placeholder="{label["search the catalogue"]}"',
        f'        hx-get="{_e(codes_url)}" hx-trigger="focus once, input changed delay:250ms" '
        f'hx-target="#codes-{pk}" autocomplete="off"></label>',
        f'      <div id="codes-{pk}" class="rv-codes" aria-live="polite"></div>',
        "    </div>",
        "  </div>",
        "</article>",
        "",
    ]
    html = "\n".join(parts)
    return mark_safe(html)  # noqa: S308  # every text above is escaped
