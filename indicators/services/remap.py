"""Re-run only the code mapping over stored values, after a catalogue change, without re-parsing.

Each unreviewed row is read back as a ``reports.parsing.Quantity`` and goes through
``Catalogue.assign_code``; rows whose code or confidence change are written back with one
``UPDATE … FROM unnest(…)`` per batch. Reviewed rows (verified, corrected, rejected) keep
their codes, and so do codes the parser read from a figure's context (its paragraph or heading),
which the stored value alone cannot re-read: ``reparse_reports`` refreshes those.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from config.read_generation import api_reads_changed
from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.services.catalogue import catalogue_from_db
from reports.parsing.catalogue import Catalogue
from reports.parsing.context import CONTEXT_CONFIDENCES
from reports.parsing.types import Quantity

DEFAULT_BATCH_SIZE = 20_000
_CACHE_LIMIT = 500_000

# Raw SQL: at a million rows the ORM's per-row work would cost more than the mapping itself.
_SELECT_SQL = """
SELECT v.id, v.subject, v.unit, v.kind, v.quote, v.scope, v.value, v.qualifier, v.numeral,
       s.position, v.definition_id, v.confidence
  FROM indicators_indicatorvalue v
  LEFT JOIN reports_section s ON s.id = v.section_id
 WHERE v.status = %s AND v.id > %s
 ORDER BY v.id
 LIMIT %s
"""
_UPDATE_SQL = """
UPDATE indicators_indicatorvalue AS v
   SET definition_id = x.definition_id, confidence = x.confidence
  FROM unnest(%s::bigint[], %s::bigint[], %s::float8[]) AS x(id, definition_id, confidence)
 WHERE v.id = x.id AND v.status = %s
"""


Row = tuple[Any, ...]  # a value's columns, as _SELECT_SQL reads them
Change = tuple[int, int | None, float]  # id, definition id, confidence


@dataclass(frozen=True, slots=True)
class RemapResult:
    seen: int
    changed: int


def _mapping(row: Row, catalogue: Catalogue) -> tuple[str | None, float]:
    _, subject, unit, kind, quote, scope, value, qualifier, numeral, section, _, _ = row
    quantity = Quantity(
        quote=quote,
        subject=subject,
        value=value,
        unit=unit,
        start=0,
        end=len(quote),
        qualifier=qualifier or None,
        numeral=numeral,
        kind=kind,
        scope=scope,
        section=section,
    )
    mapped = catalogue.assign_code(quantity)
    return mapped.code, float(mapped.confidence)


def _changes(
    rows: list[Row],
    *,
    catalogue: Catalogue,
    ids_by_code: dict[str, int],
    cache: dict[tuple[Any, ...], tuple[int | None, float]],
) -> list[Change]:
    """(id, definition_id, confidence) of each row whose mapping has changed.

    The code of a quantity depends on its subject, unit, kind, quote and scope (what the
    catalogue's rules look at), so rows sharing those are mapped once.
    """
    out = []
    for row in rows:
        key = row[1:6]
        mapped = cache.get(key)
        if mapped is None:
            code, confidence = _mapping(row, catalogue)
            mapped = cache[key] = (ids_by_code.get(code) if code else None, confidence)
        if mapped[0] is None and row[10] is not None and row[11] in CONTEXT_CONFIDENCES:
            continue  # a code read from the figure's context: only a re-parse reads it again
        if mapped != (row[10], row[11]):
            out.append((row[0], *mapped))
    return out


def _write(changes: list[Change]) -> int:
    if not changes:
        return 0
    ids, definition_ids, confidences = (list(c) for c in zip(*changes, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            _UPDATE_SQL, [ids, definition_ids, confidences, IndicatorValue.Status.EXTRACTED]
        )
        written: int = cursor.rowcount
    api_reads_changed()
    return written


def indicator_values_remap_detailed(
    *, batch_size: int = DEFAULT_BATCH_SIZE, catalogue: Catalogue | None = None
) -> RemapResult:
    """Remap every unreviewed value with the stored catalogue; return rows seen and changed.

    Works in id-ordered batches, each in its own transaction, so a long remap never holds one
    transaction open; the UPDATE re-checks ``status = extracted``, so a value a curator reviewed
    meanwhile is never touched. A second run over an unchanged catalogue changes nothing.
    """
    catalogue = catalogue if catalogue is not None else catalogue_from_db()
    ids_by_code = dict(IndicatorDefinition.objects.values_list("code", "id"))
    cache: dict[tuple[Any, ...], tuple[int | None, float]] = {}
    last_id, seen, changed = 0, 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(_SELECT_SQL, [IndicatorValue.Status.EXTRACTED, last_id, batch_size])
            rows = cursor.fetchall()
        if not rows:
            break
        last_id = rows[-1][0]
        seen += len(rows)
        batch = _changes(rows, catalogue=catalogue, ids_by_code=ids_by_code, cache=cache)
        with transaction.atomic():
            changed += _write(batch)
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
    return RemapResult(seen=seen, changed=changed)


def indicator_values_remap(
    *, batch_size: int = DEFAULT_BATCH_SIZE, catalogue: Catalogue | None = None
) -> int:
    """Remap every unreviewed value with the stored catalogue; return how many rows changed."""
    return indicator_values_remap_detailed(batch_size=batch_size, catalogue=catalogue).changed
