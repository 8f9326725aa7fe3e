"""The audit trail's rows: one ``CurationEvent`` per changed field (who, when, before → after),
built the same way by every curation service."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from indicators.models import CurationEvent, IndicatorValue


def field_change_events(
    *,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    fields: Iterable[str],
    action: str,
    user: Any,
    report_id: int | None,
    value: IndicatorValue | None = None,
    note: str = "",
) -> list[CurationEvent]:
    """Unsaved events for the ``fields`` whose value differs between ``before`` and ``after``
    (both JSON-ready); the caller saves them with its own write, in its transaction."""
    return [
        CurationEvent(
            value=value,
            report_id=report_id,
            user=user,
            action=action,
            field=field,
            before=before[field],
            after=after[field],
            note=note,
        )
        for field in fields
        if before[field] != after[field]
    ]
