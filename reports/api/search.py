"""Search endpoints: ``/api/v1/search/sections/`` and ``/api/v1/search/reports/``.

Validate the query string, call one selector, render. Errors use the one body of config/api.py
(an empty or over-long query is ``invalid`` or ``invalid_query``).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.api import MAX_PAGE
from reports.api.serializers import ReportBriefSerializer
from reports.models import AdminLevel
from reports.search.selectors import (
    CONFIRM_BUDGET,
    FACET_CAP,
    MAX_EXACT_COUNT,
    ReportSearchResult,
    SearchFilters,
    SectionHit,
    SectionSearchResult,
    report_search,
    section_search,
)
from reports.search.snippets import Snippet

MAX_PAGE_SIZE = 100
QUERY_HELP = (
    'Words (AND), "quoted phrases", OR between alternatives, -exclusion. A term matches where '
    "the title or text contains it; single characters and unknown words are found too."
)


class SearchQueryInputSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=500, help_text=QUERY_HELP)
    province = serializers.CharField(required=False, max_length=50)
    city = serializers.CharField(required=False, max_length=50)
    admin_level = serializers.ChoiceField(choices=AdminLevel.choices, required=False)
    year_from = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    year_to = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    report = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    level = serializers.IntegerField(required=False, min_value=1, max_value=4)
    indicator = serializers.SlugField(
        required=False, max_length=80, help_text="Only where a value of this indicator code is."
    )
    facets = serializers.BooleanField(required=False, default=True)
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=20
    )

    def validate(self, attrs: dict) -> dict:
        if (
            attrs.get("year_from")
            and attrs.get("year_to")
            and attrs["year_from"] > attrs["year_to"]
        ):
            raise serializers.ValidationError({"year_to": "Must not be before year_from."})
        return attrs

    def search_filters(self) -> SearchFilters:
        data = self.validated_data
        return SearchFilters(
            province=data.get("province"),
            city=data.get("city"),
            admin_level=data.get("admin_level"),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            report_id=data.get("report"),
            level=data.get("level"),
            indicator_code=data.get("indicator"),
        )


class SearchSnippetSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="A window of the original text.")
    start = serializers.IntegerField(help_text="Offset of the window in the section text.")
    highlights = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="[start, end) of each match within ``text``.",
    )
    html = serializers.CharField(help_text="``text`` escaped, matches in <mark>.")


class SectionSearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report = ReportBriefSerializer()
    level = serializers.IntegerField()
    marker = serializers.CharField()
    title = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField()
    word_match = serializers.BooleanField(help_text="Matched as words (ranked first).")
    title_highlights = serializers.ListField(child=serializers.ListField())
    snippet = SearchSnippetSerializer()


class FacetCountSerializer(serializers.Serializer):
    value = serializers.JSONField()
    count = serializers.IntegerField()


class SectionSearchFacetsSerializer(serializers.Serializer):
    report_year = FacetCountSerializer(many=True)
    province = FacetCountSerializer(many=True)
    admin_level = FacetCountSerializer(many=True)
    level = FacetCountSerializer(many=True, required=False)


FACETS_EXACT_HELP = (
    "Present with facets. False when the facet counts are floors: facets of sections count "
    f"the first {FACET_CAP:,} matches (the server's SEARCH_FACET_CAP) and stop; each count "
    "is then the count among those, which the full count can only exceed, and a value with "
    "none among them is missing. Facets of reports are always exact."
)


class SectionSearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    count_exact = serializers.BooleanField(
        help_text=(
            "False when the count is a floor (≥ count): without facets, matches are counted "
            f"exactly up to {MAX_EXACT_COUNT:,} where the index decides them, and up to "
            f"{CONFIRM_BUDGET} where they must be confirmed on the text (strings the dictionary "
            "splits); with facets, as far as the facets count (see facets_exact)."
        )
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    facets = SectionSearchFacetsSerializer(required=False)
    facets_exact = serializers.BooleanField(required=False, help_text=FACETS_EXACT_HELP)
    results = SectionSearchHitSerializer(many=True)


class ReportSearchHitSerializer(serializers.Serializer):
    report = ReportBriefSerializer()
    hits = serializers.IntegerField(help_text="Matching sections in the report.")
    best = SectionSearchHitSerializer(allow_null=True)


class ReportSearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    count_exact = serializers.BooleanField(
        help_text="Always true: reports are ranked on all their matching sections."
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    facets = SectionSearchFacetsSerializer(required=False)
    facets_exact = serializers.BooleanField(required=False, help_text=FACETS_EXACT_HELP)
    results = ReportSearchHitSerializer(many=True)


def _snippet(snippet: Snippet) -> dict:
    return {
        "text": snippet.text,
        "start": snippet.start,
        "highlights": [list(h) for h in snippet.highlights],
        "html": snippet.html,
    }


def _report(report) -> dict:
    return {
        "id": report.pk,
        "title": str(report),
        "province": report.province,
        "city": report.city,
        "county": report.county,
        "admin_level": report.admin_level,
        "report_year": report.report_year,
    }


def _hit(hit: SectionHit) -> dict:
    s = hit.section
    return {
        "id": s.pk,
        "report": _report(s.report),
        "level": s.level,
        "marker": s.marker,
        "title": s.title,
        "path": hit.path,
        "score": hit.score,
        "word_match": hit.word_match,
        "title_highlights": [list(h) for h in hit.title_highlights],
        "snippet": _snippet(hit.snippet),
    }


def _facets(facets: dict) -> dict:
    return {name: [{"value": v, "count": c} for v, c in rows] for name, rows in facets.items()}


class _SearchView(generics.GenericAPIView):
    serializer_class = SearchQueryInputSerializer
    pagination_class = None
    filter_backends: list = []

    def _envelope(self, request: Request, total: int, page: int, size: int) -> dict:
        url = request.build_absolute_uri()
        more = page * size < total
        previous = None
        if page > 1:
            previous = (
                replace_query_param(url, "page", page - 1)
                if page > 2
                else remove_query_param(url, "page")
            )
        return {
            "count": total,
            "next": replace_query_param(url, "page", page + 1) if more else None,
            "previous": previous,
        }

    def _search(self, request: Request, selector):
        """Validate the query string, run ``selector`` for the page asked for, and start the
        response body (count and links, facets when asked for)."""
        data = SearchQueryInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        page, size = data.validated_data["page"], data.validated_data["page_size"]
        result = selector(
            query=data.validated_data["q"],
            filters=data.search_filters(),
            offset=(page - 1) * size,
            limit=size,
            facets=data.validated_data["facets"],
        )
        body = self._envelope(request, result.total, page, size)
        body["count_exact"] = result.total_exact
        if result.facets:
            body["facets"] = _facets(result.facets)
            body["facets_exact"] = result.facets_exact
        return result, body


class SectionSearchView(_SearchView):
    """Sections matching a query: word matches first (title above body), then character
    matches; each with its path in the report and a highlighted snippet; facet counts."""

    @extend_schema(
        parameters=[SearchQueryInputSerializer], responses=SectionSearchResponseSerializer
    )
    def get(self, request: Request) -> Response:
        result: SectionSearchResult
        result, body = self._search(request, section_search)
        body["results"] = [_hit(h) for h in result.hits]
        return Response(body)


class ReportSearchView(_SearchView):
    """Reports mentioning a query, most matching sections first, with each report's number of
    matching sections and its best section's snippet; facet counts of reports."""

    @extend_schema(
        parameters=[SearchQueryInputSerializer], responses=ReportSearchResponseSerializer
    )
    def get(self, request: Request) -> Response:
        result: ReportSearchResult
        result, body = self._search(request, report_search)
        body["results"] = [
            {
                "report": _report(h.report),
                "hits": h.hits,
                "best": _hit(h.best) if h.best else None,
            }
            for h in result.hits
        ]
        return Response(body)
