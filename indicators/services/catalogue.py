"""The indicator catalogue as data: seeds/catalogue.json into IndicatorDefinition, and back.

``catalogue_seed`` writes it: an idempotent upsert keyed by ``code``, which the data migration
and the ``seed_catalogue`` command both run. ``catalogue_from_db`` builds the pure parser's
``Catalogue`` from the stored definitions, so a catalogue edited in the admin is the one that maps
values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from config.read_generation import api_reads_changed
from indicators.models import IndicatorDefinition
from reports.parsing.catalogue import Catalogue, load_catalogue

CATALOGUE_FILE = "catalogue.json"
# Fields copied from a catalogue row onto IndicatorDefinition (``code`` is the key).
DEFINITION_FIELDS = ("name", "unit", "kind", "category", "synonyms", "patterns", "description")


def seeded_catalogue_rows(*, path: Path | None = None) -> list[dict[str, Any]]:
    """The ``indicators`` list of seeds/catalogue.json (or of ``path``)."""
    path = path or Path(settings.SEEDS_DIR) / CATALOGUE_FILE
    return list(json.loads(path.read_text("utf-8"))["indicators"])


def definition_fields_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The IndicatorDefinition field values a catalogue row describes (missing keys → empty)."""
    return {
        "name": row["name"],
        "unit": row["unit"],
        "kind": row["kind"],
        "category": row.get("category", ""),
        "synonyms": list(row.get("synonyms", [])),
        "patterns": list(row.get("patterns", [])),
        "description": row.get("description", ""),
    }


def catalogue_upsert(*, model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """Insert new codes and update changed ones on ``model``; return how many rows were written.

    ``model`` is IndicatorDefinition or its historical version inside a migration. Rows whose
    stored fields already equal the seed are left alone, so a second run writes nothing.
    """
    rows = list(rows)
    existing = {d.code: d for d in model.objects.filter(code__in=[r["code"] for r in rows])}
    to_create, to_update = [], []
    now = timezone.now()
    for row in rows:
        fields = definition_fields_from_row(row)
        current = existing.get(row["code"])
        if current is None:
            to_create.append(model(code=row["code"], **fields))
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(current, key, value)
            current.updated_at = now  # bulk_update does not apply auto_now
            to_update.append(current)
    for definition in to_create + to_update:
        definition.full_clean(validate_unique=False)
    model.objects.bulk_create(to_create)
    model.objects.bulk_update(to_update, [*DEFINITION_FIELDS, "updated_at"])
    return len(to_create) + len(to_update)


@transaction.atomic
def catalogue_seed(*, rows: list[dict[str, Any]] | None = None) -> int:
    """Upsert the catalogue (seeds/catalogue.json unless ``rows`` are given); return rows written.

    Idempotent: loading the same rows twice writes nothing the second time. Codes absent from
    ``rows`` are kept (stored values may point at them); retire them in the admin.
    """
    rows = seeded_catalogue_rows() if rows is None else rows
    written = catalogue_upsert(model=IndicatorDefinition, rows=rows)
    if written:
        api_reads_changed()
    return written


_ENTRY_FIELDS = ("code", "name", "unit", "kind", "category", "synonyms", "patterns")
_CATALOGUE_CACHE: dict[tuple[int, Any], Catalogue] = {}


def catalogue_entries_from_db() -> list[dict[str, Any]]:
    """The stored definitions as catalogue rows (the shape of seeds/catalogue.json)."""
    rows = list(IndicatorDefinition.objects.order_by("code").values(*_ENTRY_FIELDS))
    for row in rows:
        row["synonyms"] = list(row["synonyms"] or [])
        row["patterns"] = list(row["patterns"] or [])
    return rows


def catalogue_from_db() -> Catalogue:
    """The pure parser's Catalogue built from the stored definitions (seeds if none are stored).

    Built once per catalogue state (row count and latest change) and reused, so parsing a report
    costs one small aggregate query here; an edit in the admin changes the state.
    """
    stamp = IndicatorDefinition.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    if not stamp["n"]:
        return load_catalogue(Path(settings.SEEDS_DIR) / CATALOGUE_FILE)
    key = (stamp["n"], stamp["latest"])
    catalogue = _CATALOGUE_CACHE.get(key)
    if catalogue is None:
        catalogue = Catalogue.from_entries(catalogue_entries_from_db())
        _CATALOGUE_CACHE.clear()
        _CATALOGUE_CACHE[key] = catalogue
    return catalogue


@transaction.atomic
def indicator_definition_save(*, definition: IndicatorDefinition) -> IndicatorDefinition:
    """Save one catalogue entry edited by staff (validated); run remap_indicators to apply it."""
    definition.full_clean()
    definition.save()
    api_reads_changed()
    return definition


@transaction.atomic
def indicator_definitions_delete(*, ids: list[int]) -> int:
    """Delete catalogue entries (values mapped to them become unmapped); returns how many."""
    deleted = IndicatorDefinition.objects.filter(pk__in=ids).delete()[1]
    api_reads_changed()
    return deleted.get(IndicatorDefinition._meta.label, 0)
