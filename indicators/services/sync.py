"""A report's indicator values after a parse: replace the parser's rows, keep the reviewed ones.

Unreviewed (``extracted``) values are deleted and created again from the parse. Verified,
corrected and rejected values are never overwritten: a parsed quantity for the same mention
(the same quote, or largely overlapping offsets) creates no new row, and where the parser now says
something else than what was reviewed, that is stored in the row's ``parse_conflict`` for a
curator to look at (and cleared again once the parser agrees).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import SET_NULL

from config.formats import json_number
from indicators.models import CurationEvent, IndicatorDefinition, IndicatorValue
from reports.models import Report, Section
from reports.parsing.types import ParsedReport, Quantity
from reports.services.copy import copy_insert, rows_delete
from reports.services.sections import section_at

logger = logging.getLogger(__name__)

_PLACES = Decimal("0.000001")
_MAX_VALUE = Decimal(10) ** 18  # DecimalField(max_digits=24, decimal_places=6)


def indicator_values_sync(
    *,
    report: Report,
    parsed: ParsedReport,
    sections: Sequence[Section | None],
    has_values: bool = True,
) -> None:
    """Make the report's unreviewed values those of ``parsed``; reconcile the reviewed ones.

    ``sections`` are the stored sections by parsed section index (``Quantity.section``).
    ``has_values=False`` (the report is known to have none yet) skips looking for old rows.
    """
    reviewed = []
    if has_values:
        reviewed = list(
            IndicatorValue.objects.filter(report=report, status__in=IndicatorValue.REVIEWED)
            .select_related("definition", "corrected_definition")
            .order_by("start_offset", "pk")
        )
        _extracted_delete(report)
    quantities = list(parsed.indicators)
    candidates: dict[int, list[Quantity]] = {row.pk: [] for row in reviewed}
    fresh: list[Quantity] = []
    for quantity in quantities:
        rows = [row for row in reviewed if same_mention(row, quantity)]
        for row in rows:
            candidates[row.pk].append(quantity)
        if not rows:
            fresh.append(quantity)
    if reviewed:
        _reviewed_reconcile(reviewed, candidates, sections, parser_version=parsed.parser_version)
    codes = {q.code for q in fresh if q.code}
    definitions = dict(IndicatorDefinition.objects.filter(code__in=codes).values_list("code", "pk"))
    new_rows = (
        row
        for q in fresh
        if (row := _value_row(report, q, sections, definitions, parsed.parser_version)) is not None
    )
    copy_insert(IndicatorValue, _VALUE_COLUMNS, new_rows)


def _extracted_delete(report: Report) -> None:
    """Delete the report's unreviewed values in two statements; their audit events stay, unlinked.

    Falls back to Django's collector if the model gained relations this does not know about.
    """
    extracted = IndicatorValue.objects.filter(report=report, status=IndicatorValue.Status.EXTRACTED)
    relations = {(r.related_model, r.on_delete) for r in IndicatorValue._meta.related_objects}
    if relations != {(CurationEvent, SET_NULL)}:
        extracted.delete()
        return
    CurationEvent.objects.filter(value__in=extracted).update(value=None)
    rows_delete(IndicatorValue, report_id=report.pk, status=IndicatorValue.Status.EXTRACTED)


def same_mention(row: IndicatorValue, quantity: Quantity) -> bool:
    """A stored value and a parsed quantity are the same mention: the same quote, or spans that
    overlap by at least half the shorter one (neighbouring quotes may share a character or two).
    """
    if row.quote and row.quote == quantity.quote:
        return True
    overlap = min(quantity.end, row.end_offset) - max(quantity.start, row.start_offset)
    shorter = min(quantity.end - quantity.start, row.end_offset - row.start_offset)
    return overlap > 0 and 2 * overlap >= shorter


def _best_candidate(row: IndicatorValue, quantities: list[Quantity]) -> Quantity | None:
    def score(q: Quantity) -> tuple[int, int, int]:
        overlap = min(q.end, row.end_offset) - max(q.start, row.start_offset)
        return (int(q.quote == row.quote), overlap, -abs(q.start - row.start_offset))

    return max(quantities, key=score) if quantities else None


def _reviewed_reconcile(
    reviewed: list[IndicatorValue],
    candidates: dict[int, list[Quantity]],
    sections: Sequence[Section | None],
    *,
    parser_version: str,
) -> None:
    for row in reviewed:
        quantity = _best_candidate(row, candidates[row.pk])
        if quantity is not None:
            row.section = _section_of(quantity, sections)
        else:
            row.section = section_at(sections, row.start_offset)
        row.parse_conflict = parse_conflict(row, quantity, parser_version=parser_version)
    IndicatorValue.objects.bulk_update(reviewed, ["section", "parse_conflict"], batch_size=1000)


def parse_conflict(
    row: IndicatorValue, quantity: Quantity | None, *, parser_version: str
) -> dict[str, Any] | None:
    """What the parser now says about a reviewed value, or None when it agrees."""
    if quantity is None:
        if row.status == IndicatorValue.Status.REJECTED:
            return None  # the parser no longer finds what a curator rejected: agreed
        return {"found": False, "parser_version": parser_version}
    if _agrees(row, quantity):
        return None
    return {
        "found": True,
        "value": json_number(quantity.value),
        "unit": quantity.unit,
        "code": quantity.code,
        "qualifier": quantity.qualifier,
        "quote": quantity.quote,
        "start": quantity.start,
        "end": quantity.end,
        "parser_version": parser_version,
    }


def _agrees(row: IndicatorValue, quantity: Quantity) -> bool:
    """The parse says what was reviewed (or, for a corrected value, what the curator set)."""
    code = row.definition.code if row.definition else None
    as_extracted = (row.value, row.unit, code) == (quantity.value, quantity.unit, quantity.code)
    if as_extracted:
        return True
    if row.status != IndicatorValue.Status.CORRECTED:
        return False
    definition = row.effective_definition
    return (row.effective_value, row.unit, definition.code if definition else None) == (
        quantity.value,
        quantity.unit,
        quantity.code,
    )


_VALUE_COLUMNS = (
    "report_id",
    "section_id",
    "definition_id",
    "subject",
    "value",
    "unit",
    "qualifier",
    "numeral",
    "kind",
    "scope",
    "quote",
    "start_offset",
    "end_offset",
    "confidence",
    "parser_version",
)


def _value_row(
    report: Report,
    q: Quantity,
    sections: Sequence[Section | None],
    definitions: dict[str, int],
    parser_version: str,
) -> tuple[Any, ...] | None:
    """A new extracted value's columns (``_VALUE_COLUMNS``), or None if it cannot be stored."""
    value = _storable(q.value)
    if value is None:
        logger.warning("Report %s: value %s in %r cannot be stored", report.pk, q.value, q.quote)
        return None
    section = _section_of(q, sections)
    return (
        report.pk,
        section.pk if section is not None else None,
        definitions.get(q.code) if q.code else None,
        q.subject[:500],
        value,
        q.unit[:40],
        (q.qualifier or "")[:40],
        q.numeral[:10],
        q.kind[:10],
        q.scope[:20],
        q.quote[:1000],
        max(q.start, 0),
        max(q.end, q.start, 0),
        q.confidence,
        parser_version,
    )


def _storable(value: Decimal) -> Decimal | None:
    try:
        value = Decimal(value)
        if not value.is_finite() or abs(value) >= _MAX_VALUE:
            return None
        return value.quantize(_PLACES)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _section_of(q: Quantity, sections: Sequence[Section | None]) -> Section | None:
    if q.section is None or not 0 <= q.section < len(sections):
        return None
    return sections[q.section]
