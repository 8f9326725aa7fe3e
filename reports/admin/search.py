"""The admin's search boxes on the Chinese search engine instead of ``icontains`` scans."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest

from reports.models import Report, Section
from reports.search import sql
from reports.search.query import SearchQueryError, parse_query

ENGINE_FIELDS: dict[type, tuple[str, ...]] = {
    Section: ("title", "text")
}  # search fields the engine answers for a model
_ACTIVE = "_fazhi_search_engine_active"


def matching_ids_sql(search_term: str, *, column: str) -> RawSQL | None:
    """``SELECT <column>`` of the sections matching ``search_term``, or None if it has no term."""
    try:
        query = parse_query(search_term)
    except SearchQueryError:
        return None
    # fixed SQL fragments; the terms are parameters
    return RawSQL(*sql.members(query, sql.Where(), (column, [])))  # noqa: S611


class SearchEngineAdminMixin:
    """``get_search_results`` through the search engine.

    On a Section admin the engine replaces the title/text fields; on a Report admin it adds the
    reports with a matching section to the usual metadata search. Other search fields keep
    Django's behaviour.
    """

    def get_search_fields(self, request: HttpRequest):
        fields = super().get_search_fields(request)  # type: ignore[misc]
        if getattr(request, _ACTIVE, False):
            skip = ENGINE_FIELDS.get(self.model, ())  # type: ignore[attr-defined]
            return tuple(f for f in fields if f.lstrip("^=@") not in skip)
        return fields

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        model = self.model  # type: ignore[attr-defined]
        column = "s.report_id" if model is Report else "s.id"
        ids = matching_ids_sql(search_term, column=column) if search_term.strip() else None
        if ids is None or model not in (Report, Section):
            return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        setattr(request, _ACTIVE, True)
        try:
            rest = self.get_search_fields(request)
            others, duplicates = super().get_search_results(  # type: ignore[misc]
                request, queryset, search_term
            )
        finally:
            setattr(request, _ACTIVE, False)
        engine = queryset.filter(pk__in=ids)
        return (engine | others if rest else engine), duplicates
