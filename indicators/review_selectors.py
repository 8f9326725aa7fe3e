"""Reads for the curators' review page: the queue with each quote's paragraph, the codes that fit
a value, the next value to review."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, F, Func, QuerySet, Subquery, Value
from django.db.models.functions import Greatest, Substr
from django.db.models.lookups import GreaterThan

from indicators.models import IndicatorDefinition, IndicatorValue, IndicatorValueQuerySet
from reports.parsing.catalogue import Catalogue

PARAGRAPH_WINDOW = 300  # characters fetched either side of a quote to find its paragraph
CODE_CHOICES_MAX = 30
REVIEW_COUNT_CAP = 10_000  # the queue's count stops here ("≥ 10000")
QUEUE_ORDER = ("confidence", "report_id", "start_offset", "id")  # indicatorvalue_queue_idx


@dataclass(frozen=True, slots=True)
class ReviewFilters:
    status: str = IndicatorValue.Status.EXTRACTED
    code: str = ""
    province: str = ""
    year: int | None = None


def _filtered(values: IndicatorValueQuerySet, filters: ReviewFilters) -> IndicatorValueQuerySet:
    if filters.status:
        values = values.filter(status=filters.status)
    if filters.code:
        # the code's id first: an OR across the two joined definitions reads every value; a
        # range of the code's queue index (migration 0006)
        definition = Subquery(
            IndicatorDefinition.objects.filter(code=filters.code).values("pk")[:1]
        )
        values = values.in_queue_of(definition)
    if filters.province:
        values = values.filter(report__province=filters.province)
    if filters.year:
        values = values.filter(report__report_year=filters.year)
    return values


def review_count(*, filters: ReviewFilters, cap: int | None = None) -> tuple[int, bool]:
    """``(count, exact)``: the values ``review_queue`` lists, counted up to ``cap``
    (REVIEW_COUNT_CAP; past it ``cap`` and False), on the values' rows alone, joined to their
    report only for a report filter. The queue can hold every value of the corpus: counting them
    all on every view of the page (264,000 at 5,000 reports: 56 ms without the joins) would cost
    more than the rest of the page."""
    cap = REVIEW_COUNT_CAP if cap is None else cap
    found = _filtered(IndicatorValue.objects.all(), filters).values("pk")[: cap + 1].count()
    return min(found, cap), found <= cap


def review_queue(*, filters: ReviewFilters) -> QuerySet[IndicatorValue]:
    """Values to review, lowest confidence first, each with a window of its report's text
    (``window_start``/``window_text``) and without loading whole reports."""
    values = _filtered(
        IndicatorValue.objects.select_related(
            "report", "definition", "corrected_definition", "reviewer"
        ).defer("report__raw_text", "report__clean_text", "report__minhash"),
        filters,
    )
    start = Greatest(F("start_offset") - PARAGRAPH_WINDOW, Value(0))
    return values.annotate(
        window_start=start,
        window_text=Substr(
            "report__raw_text", start + 1, F("end_offset") - start + PARAGRAPH_WINDOW
        ),
    ).order_by(*QUEUE_ORDER)


def review_paragraph(value: IndicatorValue) -> tuple[str, str, str]:
    """(before, quote, after): the paragraph around a queued value's quote, split at it (the
    window's ends when the paragraph is longer)."""
    text = getattr(value, "window_text", "") or ""  # annotated by review_queue
    offset = getattr(value, "window_start", 0) or 0
    start, end = value.start_offset - offset, value.end_offset - offset
    if text[start:end] != value.quote:
        found = text.find(value.quote)
        if found < 0:
            return "", value.quote, ""
        start, end = found, found + len(value.quote)
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return text[left:start].lstrip(), text[start:end], text[end:right].rstrip()


def review_next(*, value: IndicatorValue, filters: ReviewFilters) -> int | None:
    """The id of the value after this one in the queue's order (None at the end).

    One row comparison on the queue's order, which PostgreSQL reads as a range of the queue's
    index (``indicatorvalue_queue_idx``); the same condition spelt as ORs of equalities is a
    filter that walks the index from its start (100 ms at 264,000 values). Only the id is read:
    the queue's rows carry a window of their report's text, which costs the whole report's
    text to cut."""
    here = (value.confidence, value.report_id, value.start_offset, value.pk)
    after: GreaterThan = GreaterThan(
        Func(*(F(name) for name in QUEUE_ORDER), function="ROW", output_field=BooleanField()),
        Func(*(Value(v) for v in here), function="ROW", output_field=BooleanField()),
    )
    following = _filtered(IndicatorValue.objects.all(), filters).filter(after)
    return following.order_by(*QUEUE_ORDER).values_list("pk", flat=True).first()


def review_value(*, value_id: int) -> IndicatorValue | None:
    """One value with the same window as the queue's rows."""
    return review_queue(filters=ReviewFilters(status="")).filter(pk=value_id).first()


def definitions_fitting(*, unit: str, kind: str, query: str = "") -> list[IndicatorDefinition]:
    """Catalogue definitions a value of this unit and kind may be coded as (the catalogue's own
    rules decide), matching ``query`` in their code, name or synonyms."""
    definitions = list(IndicatorDefinition.objects.order_by("category", "code"))
    catalogue = Catalogue.from_entries(
        [
            {"code": d.code, "name": d.name, "unit": d.unit, "kind": d.kind, "patterns": d.patterns}
            for d in definitions
        ]
    )
    codes = catalogue.fitting(unit=unit, kind=kind)
    needle = query.strip().casefold()
    return [
        d
        for d in definitions
        if d.code in codes
        and (
            not needle
            or needle in d.code.casefold()
            or needle in d.name.casefold()
            or any(needle in s.casefold() for s in d.synonyms)
        )
    ][:CODE_CHOICES_MAX]
