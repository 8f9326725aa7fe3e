"""A curator's fix to a section: the section is marked edited (a re-parse keeps the stored
sections then), re-indexed for search, and each change is recorded (who, when, before → after)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from config.read_generation import api_reads_changed
from indicators.models import CurationEvent
from indicators.services.audit import field_change_events
from reports.models import Section
from reports.search.index import section_reindex

SECTION_FIELDS = ("level", "marker", "title", "text")


def section_at(sections: Sequence[Section | None], offset: int) -> Section | None:
    """The last section starting at or before ``offset`` (sections in document order; gaps,
    None, are passed over)."""
    found = None
    for section in sections:
        if section is None:
            continue
        if section.start_offset > offset:
            break
        found = section
    return found


@transaction.atomic
def section_update(*, section: Section, fields: dict[str, Any], user: Any = None) -> Section:
    """Set a section's level, marker, title or text (other keys are ignored)."""
    locked = Section.objects.select_for_update().get(pk=section.pk)
    names = [name for name in SECTION_FIELDS if name in fields]
    events = field_change_events(
        before={name: getattr(locked, name) for name in names},
        after=fields,
        fields=names,
        action="section_update",
        user=user,
        report_id=locked.report_id,
        note=f"section {locked.pk}",
    )
    for event in events:
        setattr(locked, event.field, fields[event.field])
    if not events:
        return locked
    locked.edited_by_curator = True
    locked.full_clean()
    locked.save()
    CurationEvent.objects.bulk_create(events)
    api_reads_changed()
    section_reindex(section=locked)
    return locked
