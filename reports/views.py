"""Server-rendered reading pages: validate the query string, call one selector, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from config.page_cache import generation_cached
from reports.forms import SearchForm
from reports.page_selectors import coverage_glance, report_latest, report_reading, site_counts
from reports.search.query import MAX_TERM_LENGTH, MAX_TERMS, SearchQueryError
from reports.search.selectors import report_search, section_search
from reports.search_page import facet_groups, hits_view, page_links

PAGE_SIZE = 20
# The query parser's messages (reports/search/query.py, pure and in English) in the reader's
# language, by how they begin; anything else is shown as it is.
QUERY_ERRORS = {
    "The query has no search term": (
        _("The query has no search term: exclusions alone would match too much."),
        {},
    ),
    "A search term is limited to": (
        _("A search term is limited to %(n)s characters."),
        {"n": MAX_TERM_LENGTH},
    ),
    "A query is limited to": (_("A query is limited to %(n)s terms."), {"n": MAX_TERMS}),
}


def _query_error(error: SearchQueryError) -> str:
    for start, (text, params) in QUERY_ERRORS.items():
        if error.message.startswith(start):
            return str(text) % params if params else str(text)
    return error.message


def _home_figures() -> tuple:
    return site_counts(), list(report_latest()), coverage_glance()


class HomePageView(View):
    template_name = "reports/home.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        # the same for every visitor: kept under the read generation (config/page_cache.py)
        counts, latest, glance = generation_cached("home", _home_figures)
        context = {"counts": counts, "latest": latest, "glance": glance, "form": SearchForm()}
        return render(request, self.template_name, context)


class SearchPageView(View):
    """Ranked sections (or reports) for a query, with facets that filter and pages."""

    template_name = "reports/search.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SearchForm(request.GET or None)
        context: dict = {"form": form, "result": None}
        if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
            data = form.cleaned_data
            selector = report_search if data["mode"] == "reports" else section_search
            try:
                result = selector(
                    query=data["q"],
                    filters=form.search_filters(),
                    offset=(data["page"] - 1) * PAGE_SIZE,
                    limit=PAGE_SIZE,
                )
            except SearchQueryError as error:
                form.add_error("q", _query_error(error))
            else:
                context.update(
                    result=result,
                    mode=data["mode"],
                    hits=hits_view(result, mode=data["mode"]),
                    facets=facet_groups(request.GET, result.facets, form),
                    pages=page_links(request.GET, data["page"], result.total, PAGE_SIZE),
                    chips=form.active_filters(request.GET),
                )
        status = 400 if form.is_bound and form.errors else 200
        return render(request, self.template_name, context, status=status)


def _original_url(report) -> str | None:
    """Where the original file is downloaded, when reports keep one and this one has it."""
    if not getattr(report, "original_name", ""):
        return None
    try:
        return reverse("v1:report-original", kwargs={"pk": report.pk})
    except NoReverseMatch:
        return None


class ReportReadPageView(View):
    """A report's reading view: metadata, outline, the text with every figure marked."""

    template_name = "reports/report_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        reading = report_reading(report_id=pk)
        if reading is None:
            raise Http404("No such report.")
        context = {
            "reading": reading,
            "report": reading.report,
            "original_url": _original_url(reading.report),
            # one reverse() for the hundreds of rows of the figures table
            "indicator_base": reverse("indicators:detail", args=["-"]).removesuffix("-/"),
        }
        return render(request, self.template_name, context)
