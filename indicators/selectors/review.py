"""The review queue: values to check, their conflicts, unmapped subjects, and each quote's
sentence."""

from __future__ import annotations

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Substr

from indicators.models import IndicatorDefinition, IndicatorValue

Status = IndicatorValue.Status


def _count_of(values: QuerySet[IndicatorValue]) -> Coalesce:
    counted = values.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def indicator_definition_list() -> QuerySet[IndicatorDefinition]:
    """The catalogue with ``value_count``: the values mapped to each code, rejected ones aside.

    Counted in two disjoint parts, values not corrected whose extracted code it is and values
    corrected to it: the first is an index-only scan of ``indicatorvalue_compare_idx`` (partial
    on ``corrected_definition_id IS NULL``, with the status included), where one condition
    with an OR read every matching row of the table (190 → about 50 ms for the catalogue over
    264,000 values)."""
    kept = IndicatorValue.objects.exclude(status=IndicatorValue.Status.REJECTED)
    extracted = kept.filter(corrected_definition_id__isnull=True, definition_id=OuterRef("pk"))
    corrected = kept.filter(corrected_definition_id=OuterRef("pk"))
    return IndicatorDefinition.objects.defer("patterns").annotate(
        value_count=_count_of(extracted) + _count_of(corrected)
    )


def indicator_value_queryset() -> QuerySet[IndicatorValue]:
    """Values with their effective code, name and value (the API's list and export read their
    columns, with their report's and section's, from it)."""
    return IndicatorValue.objects.with_effective()


def indicator_review_queue(
    *,
    code: str | None = None,
    status: str | None = None,
    min_confidence: float | None = None,
    max_confidence: float | None = None,
    province: str | None = None,
    year: int | None = None,
    has_conflict: bool | None = None,
) -> QuerySet[IndicatorValue]:
    """Values to review, lowest confidence first; ``code`` matches the corrected or parsed code."""
    values = IndicatorValue.objects.select_related(
        "report", "section", "definition", "corrected_definition", "reviewer"
    )
    if code:
        values = values.filter(Q(definition__code=code) | Q(corrected_definition__code=code))
    if status:
        values = values.filter(status=status)
    if min_confidence is not None:
        values = values.filter(confidence__gte=min_confidence)
    if max_confidence is not None:
        values = values.filter(confidence__lte=max_confidence)
    if province:
        values = values.filter(report__province=province)
    if year:
        values = values.filter(report__report_year=year)
    if has_conflict is not None:
        values = values.filter(parse_conflict__isnull=not has_conflict)
    return values.order_by("confidence", "report_id", "start_offset", "id")


def indicator_values_with_conflicts() -> QuerySet[IndicatorValue]:
    """Reviewed values a later parse disagrees with, waiting for a curator's decision."""
    return indicator_review_queue(has_conflict=True).order_by("report_id", "start_offset")


def indicator_unmapped_subjects(*, limit: int = 100) -> list[dict]:
    """Subjects (with unit) of values no catalogue code covers, most frequent first."""
    return list(
        IndicatorValue.objects.filter(definition=None, corrected_definition=None)
        .exclude(status=Status.REJECTED)
        .values("subject", "unit")
        .annotate(count=Count("id"), reports=Count("report_id", distinct=True))
        .order_by("-count", "subject")[:limit]
    )


_SENTENCE_END = "。！？；!?;\n"
_WINDOW = 150  # characters fetched either side of a quote for its sentence


def with_context_window(values: QuerySet[IndicatorValue]) -> QuerySet[IndicatorValue]:
    """Annotate ``context_start``/``context_text``: a slice of the report text around each quote,
    fetched in the same query instead of whole report texts."""
    start = Greatest(F("start_offset") - _WINDOW, Value(0))
    return values.annotate(
        context_start=start,
        context_text=Substr("report__raw_text", start + 1, F("end_offset") - start + _WINDOW),
    )


def quote_in_sentence(*, value: IndicatorValue, text: str) -> tuple[str, str, str]:
    """(before, quote, after): the sentence of ``text`` around the value's quote, split at it."""
    start, end = value.start_offset, value.end_offset
    if text[start:end] != value.quote:
        found = text.find(value.quote)
        if found < 0:
            return "", value.quote, ""
        start, end = found, found + len(value.quote)
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    ends = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    return text[left:start].lstrip(), text[start:end], text[end:right].rstrip()
