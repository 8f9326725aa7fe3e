"""Re-run only the code mapping over stored values, after a catalogue change, without re-parsing.

Each unreviewed row becomes a ``reports.parsing.Quantity`` again and goes through
``Catalogue.assign_code``; rows whose code, confidence or kind change are written back with one
``UPDATE … FROM unnest(…)`` per batch. Reviewed rows (verified, corrected, rejected) keep
their codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.services.catalogue import catalogue_from_db
from reports.parsing.catalogue import Catalogue
from reports.parsing.types import Quantity

DEFAULT_BATCH_SIZE = 20_000

_COLUMNS = (
    "id",
    "quote",
    "subject",
    "value",
    "unit",
    "qualifier",
    "numeral",
    "kind",
    "scope",
    "section__position",
    "definition_id",
    "confidence",
)

_UPDATE_SQL = """
UPDATE indicators_indicatorvalue AS v
   SET definition_id = x.definition_id, confidence = x.confidence, kind = x.kind
  FROM unnest(%s::bigint[], %s::bigint[], %s::float8[], %s::text[])
       AS x(id, definition_id, confidence, kind)
 WHERE v.id = x.id AND v.status = %s
"""


@dataclass(frozen=True, slots=True)
class RemapResult:
    seen: int
    changed: int


def _quantity_of(row: tuple) -> Quantity:
    """A stored row as the parser's Quantity, offsets zeroed so equal readings share a cache key."""
    (_, quote, subject, value, unit, qualifier, numeral, kind, scope, section, _, _) = row
    return Quantity(
        quote=quote,
        subject=subject,
        value=value,
        unit=unit,
        start=0,
        end=0,
        qualifier=qualifier or None,
        numeral=numeral,
        kind=kind,
        scope=scope,
        section=section,
    )


def _changes(rows: list[tuple], *, catalogue: Catalogue, ids_by_code: dict[str, int], cache: dict):
    """(id, definition_id, confidence, kind) of each row whose mapping has changed."""
    out = []
    for row in rows:
        quantity = _quantity_of(row)
        mapped = cache.get(quantity)
        if mapped is None:
            mapped = catalogue.assign_code(quantity)
            cache[quantity] = mapped
        definition_id = ids_by_code.get(mapped.code) if mapped.code else None
        if (definition_id, mapped.confidence, mapped.kind) != (row[10], row[11], row[7]):
            out.append((row[0], definition_id, float(mapped.confidence), mapped.kind))
    return out


def _write(changes: list[tuple]) -> int:
    if not changes:
        return 0
    ids, definition_ids, confidences, kinds = (list(c) for c in zip(*changes, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            _UPDATE_SQL,
            [ids, definition_ids, confidences, kinds, IndicatorValue.Status.EXTRACTED],
        )
        return cursor.rowcount


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
    cache: dict[Quantity, Quantity] = {}
    base = IndicatorValue.objects.filter(status=IndicatorValue.Status.EXTRACTED).order_by("id")
    last_id, seen, changed = 0, 0, 0
    while True:
        rows = list(base.filter(id__gt=last_id).values_list(*_COLUMNS)[:batch_size])
        if not rows:
            break
        last_id = rows[-1][0]
        seen += len(rows)
        with transaction.atomic():
            changed += _write(
                _changes(rows, catalogue=catalogue, ids_by_code=ids_by_code, cache=cache)
            )
        if len(cache) > 200_000:
            cache.clear()
    return RemapResult(seen=seen, changed=changed)


def indicator_values_remap(
    *, batch_size: int = DEFAULT_BATCH_SIZE, catalogue: Catalogue | None = None
) -> int:
    """Remap every unreviewed value with the stored catalogue; return how many rows changed."""
    return indicator_values_remap_detailed(batch_size=batch_size, catalogue=catalogue).changed
