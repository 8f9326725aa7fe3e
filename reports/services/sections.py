"""A curator's fix to a section: the section is marked edited (a re-parse keeps the stored
sections then), re-indexed for search, and each change is recorded (who, when, before → after)."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.db import transaction

from config.read_generation import api_reads_changed
from indicators.models import CurationEvent
from reports.models import Section

SECTION_FIELDS = ("level", "marker", "title", "text")


@transaction.atomic
def section_update(*, section: Section, fields: dict[str, Any], user=None) -> Section:
    """Set a section's level, marker, title or text (other keys are ignored)."""
    locked = Section.objects.select_for_update().get(pk=section.pk)
    events = []
    for name in SECTION_FIELDS:
        if name not in fields or getattr(locked, name) == fields[name]:
            continue
        events.append(
            CurationEvent(
                report_id=locked.report_id,
                user=user,
                action="section_update",
                field=name,
                before=getattr(locked, name),
                after=fields[name],
                note=f"section {locked.pk}",
            )
        )
        setattr(locked, name, fields[name])
    if not events:
        return locked
    locked.edited_by_curator = True
    locked.full_clean()
    locked.save()
    CurationEvent.objects.bulk_create(events)
    api_reads_changed()
    if importlib.util.find_spec("reports.search.index") is not None:
        from reports.search.index import section_reindex

        section_reindex(section=locked)
    return locked
