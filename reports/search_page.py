"""What the search page shows of a search result: hits, facet links and page links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.forms import MAX_PAGE
from reports.labels import SECTION_LEVEL_NAMES, admin_level_name
from reports.search.selectors import ReportSearchResult, SectionHit, SectionSearchResult
from reports.search.snippets import Snippet

FACET_LIMIT = 12
# facet of the selector → query-string parameter of the page
FACET_PARAMS = {"report_year": "year", "province": "province", "admin_level": "admin_level"}
FACET_PARAMS_SECTIONS = {**FACET_PARAMS, "level": "level"}


@dataclass(frozen=True, slots=True)
class HitView:
    report_id: int
    report_title: str
    region: str
    year: int | None
    admin_level: str
    section_id: int | None
    title_html: SafeString
    path: list[str]
    snippet_html: SafeString
    matches: int | None  # report mode: matching sections


def _marked(text: str, highlights) -> SafeString:
    # Snippet.html escapes everything and adds only <mark> around the highlights.
    return mark_safe(Snippet(text=text, start=0, highlights=tuple(highlights)).html)  # noqa: S308


def _section_hit(hit: SectionHit, matches: int | None = None) -> HitView:
    section, report = hit.section, hit.section.report
    heading = f"{section.marker}{section.title}"
    shift = len(section.marker)
    highlights = [(s + shift, e + shift) for s, e in hit.title_highlights]
    return HitView(
        report_id=report.pk,
        report_title=str(report),
        region=report.region_name,
        year=report.report_year,
        admin_level=report.admin_level,
        section_id=section.pk,
        title_html=_marked(heading, highlights),
        path=hit.path[1:-1],
        snippet_html=mark_safe(hit.snippet.html),  # noqa: S308 - escaped by Snippet.html
        matches=matches,
    )


def hits_view(result: SectionSearchResult | ReportSearchResult, *, mode: str) -> list[HitView]:
    if isinstance(result, SectionSearchResult):
        return [_section_hit(hit) for hit in result.hits]
    views = []
    for hit in result.hits:
        if hit.best is not None:
            views.append(_section_hit(hit.best, matches=hit.hits))
            continue
        report = hit.report
        views.append(
            HitView(
                report_id=report.pk,
                report_title=str(report),
                region=report.region_name,
                year=report.report_year,
                admin_level=report.admin_level,
                section_id=None,
                title_html=_marked(str(report), []),
                path=[],
                snippet_html=mark_safe(""),
                matches=hit.hits,
            )
        )
    return views


def _facet_label(name: str, value: object) -> str:
    if name == "admin_level":
        return admin_level_name(str(value or ""))
    if name == "level":
        return str(SECTION_LEVEL_NAMES.get(value, value))  # type: ignore[call-overload]
    if name == "report_year":
        return _("%(year)s") % {"year": value}
    return str(value) if value not in (None, "") else "—"


def _with(params: list[tuple[str, str]], name: str, value: str | None) -> str:
    """``?`` and the query string of ``params`` with ``name`` set to ``value`` (in its place, as
    ``QueryDict.__setitem__`` does) or, for None, removed. ``QueryDict.copy`` deep-copies: a
    page of forty facet and page links spent more on the copies than on the rest."""
    if value is None:
        return "?" + urlencode([(key, current) for key, current in params if key != name])
    pairs: list[tuple[str, str]] = []
    placed = False
    for key, current in params:
        if key != name:
            pairs.append((key, current))
        elif not placed:
            pairs.append((key, value))
            placed = True
    if not placed:
        pairs.append((name, value))
    return "?" + urlencode(pairs)


def _pairs(params: QueryDict, *, without: str = "") -> list[tuple[str, str]]:
    return [(key, value) for key, values in params.lists() if key != without for value in values]


def facet_groups(params: QueryDict, facets: dict, form) -> list[dict]:
    """Each facet's values as links that set (or, when set, clear) that filter."""
    titles = {
        "report_year": _("Year"),
        "province": _("Province"),
        "admin_level": _("Level"),
        "level": _("Heading level"),
    }
    groups = []
    base = _pairs(params, without="page")
    for name, param in FACET_PARAMS_SECTIONS.items():
        rows = [(v, c) for v, c in facets.get(name, []) if v not in (None, "")]
        if not rows:
            continue
        current = form.cleaned_data.get(param)
        links = []
        for value, count in rows[:FACET_LIMIT]:
            on = str(current) == str(value)
            links.append(
                {
                    "label": _facet_label(name, value),
                    "count": count,
                    "url": _with(base, param, None if on else str(value)),
                    "on": on,
                }
            )
        groups.append({"name": param, "title": titles[name], "links": links})
    return groups


def page_links(params: QueryDict, page: int, total: int, size: int) -> dict:
    """Previous/next and a window of page numbers around the current one."""
    last = min(max((total + size - 1) // size, 1), MAX_PAGE)

    pairs = _pairs(params)

    def url(number: int) -> str:
        return _with(pairs, "page", None if number == 1 else str(number))

    window = range(max(1, page - 3), min(last, page + 3) + 1)
    return {
        "current": page,
        "last": last,
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < last else None,
        "numbers": [(n, url(n)) for n in window],
    }
