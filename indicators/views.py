"""Server-rendered indicator pages: an indicator's values, comparisons, coverage (charts drawn
by the vendored Chart.js)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from indicators.forms import CompareForm, CoverageForm, IndicatorLevelForm
from indicators.page_selectors import comparison_page, indicator_overview
from indicators.selectors import coverage_grid, indicator_definition_get


def _chart(comparison) -> dict:
    regions = comparison.mode == "regions"
    return {
        "type": "bar" if regions else "line",
        "labels": [p.region if regions else str(p.year) for p in comparison.points],
        "values": [float(p.value) for p in comparison.points],
        "curated": [p.source == "curated" for p in comparison.points],
        "unit": comparison.unit,
        "title": comparison.name,
        "curatedLabel": _("Reviewed"),
        "extractedLabel": _("Extracted"),
    }


class IndicatorComparePageView(View):
    """One indicator across the regions of a year, or one place's series; a place is chosen
    from lists of the places that have reports (refreshed in place with htmx)."""

    template_name = "indicators/compare.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CompareForm(request.GET or None)
        context: dict = {"form": form, "comparison": None}
        if getattr(request, "htmx", False) or not (form.is_bound and form.is_valid()):
            return render(request, self.template_name, context)
        page = comparison_page(**{k: v for k, v in form.cleaned_data.items() if v is not None})
        api = reverse("v1:indicator-compare")
        context.update(
            comparison=page.comparison,
            level_chosen=page.level_chosen,
            empty_reason=page.empty_reason,
            chart=_chart(page.comparison),
            csv_url=f"{api}?{urlencode({**page.params, 'format': 'csv'})}",
            api_url=f"{api}?{urlencode(page.params)}",
        )
        return render(request, self.template_name, context)


def _cell_view(cell) -> dict:
    """What one grid cell shows, prepared here so the template stays a plain loop."""
    if cell is None:
        return {"css": "missing", "text": _("none"), "note": "", "title": ""}
    days = cell.days_after_deadline
    note = "" if days is None else _("%(days)s days") % {"days": f"{days:+d}".replace("+0", "0")}
    if cell.reports > 1:
        note += " · " + _("%(n)s reports") % {"n": cell.reports}
    return {
        "css": cell.status,
        "text": cell.published_on.isoformat() if cell.published_on else "—",
        "note": note,
        "title": _("Deadline %(date)s") % {"date": cell.deadline.isoformat()},
    }


class CoveragePageView(View):
    template_name = "indicators/coverage.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CoverageForm(request.GET or None)
        params = {}
        if form.is_bound and form.is_valid():
            params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        grid = coverage_grid(**params)
        rows = [
            (row, [_cell_view(row.cells.get(year)) for year in grid.years]) for row in grid.rows
        ]
        query = urlencode(params)
        context = {
            "form": form,
            "grid": grid,
            "rows": rows,
            "filtered": bool(params),
            "api_url": reverse("v1:coverage") + (f"?{query}" if query else ""),
        }
        return render(request, self.template_name, context)


class IndicatorDetailPageView(View):
    """An indicator: its definition, its values across regions and years, links to quotes."""

    template_name = "indicators/indicator_detail.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        definition = indicator_definition_get(code=code)
        if definition is None:
            raise Http404("No such indicator.")
        form = IndicatorLevelForm(request.GET or None)
        level = form.cleaned_data["admin_level"] if form.is_bound and form.is_valid() else ""
        overview = indicator_overview(definition=definition, admin_level=level)
        return render(request, self.template_name, {"overview": overview, "form": form})
