"""Curator writes on a report itself: its metadata and its removal (and the removal of sections
and ingestion jobs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from config.read_generation import api_reads_changed
from indicators.models import CurationEvent
from indicators.services.audit import field_change_events
from reports.models import METADATA_FIELDS, IngestionJob, Report, Section
from reports.services.originals import originals_delete_on_commit

NULLABLE_FIELDS = ("report_year", "published_on")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def report_update_metadata(*, report: Report, fields: dict[str, Any], user: Any = None) -> Report:
    """Set metadata fields and pin them in ``metadata_overrides`` so a re-parse keeps them.

    Each changed field is recorded as a curation event (who, when, before → after).
    Blank strings and ``None`` are stored as given: a curator may clear a wrong value.
    """
    unknown = set(fields) - set(METADATA_FIELDS)
    if unknown:
        raise ValueError(f"Not metadata fields: {sorted(unknown)}")
    report = Report.objects.select_for_update().get(pk=report.pk)
    overrides = dict(report.metadata_overrides or {})
    before = {name: _jsonable(getattr(report, name)) for name in fields}
    for name, value in fields.items():
        if value is None and name not in NULLABLE_FIELDS:
            value = ""
        setattr(report, name, value)
        overrides[name] = _jsonable(getattr(report, name))
    events = field_change_events(
        before=before,
        after={name: overrides[name] for name in fields},
        fields=fields,
        action="report_metadata_update",
        user=user,
        report_id=report.pk,
    )
    report.metadata_overrides = overrides
    report.full_clean()
    report.save()
    CurationEvent.objects.bulk_create(events)
    api_reads_changed()
    return report


@transaction.atomic
def report_delete(*, report: Report) -> int:
    """Delete a report with its sections and indicator values; returns the deleted id.

    Its original file is deleted from storage once the deletion commits.
    """
    reports_delete(ids=[report.pk])
    return report.pk


@transaction.atomic
def reports_delete(*, ids: list[int]) -> int:
    """Delete reports with their sections and indicator values; returns how many reports.
    Their original files are deleted from storage once the deletion commits."""
    rows = Report.objects.filter(pk__in=ids)
    originals_delete_on_commit(names=list(rows.values_list("original_name", flat=True)))
    deleted = rows.delete()[1].get(Report._meta.label, 0)
    api_reads_changed()
    return deleted


@transaction.atomic
def sections_delete(*, ids: list[int]) -> int:
    """Delete sections with their sub-sections (their values keep no section); returns how many
    sections."""
    deleted = Section.objects.filter(pk__in=ids).delete()[1].get(Section._meta.label, 0)
    api_reads_changed()
    return deleted


@transaction.atomic
def ingestion_jobs_delete(*, ids: list[int]) -> int:
    """Delete ingestion jobs with their outcomes (their reports stay); returns how many jobs."""
    deleted = IngestionJob.objects.filter(pk__in=ids).delete()[1].get(IngestionJob._meta.label, 0)
    api_reads_changed()
    return deleted
