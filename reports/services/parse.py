"""Parsing a stored report: Report → the pure parser → sections, indicator values, metadata.

``report_parse`` is idempotent and safe to run twice or concurrently: it exits when the row is
gone, locks the row, does nothing when this parser version already parsed this text, and replaces
the report's parser-owned rows in one transaction (reviewed indicator values, curator-edited
sections and metadata overrides are kept). A parse that crashes is recorded as ``failed`` with its
message, on the report and on its ingestion outcome, and is never retried.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, OperationalError, connection, transaction
from django.db.models import CASCADE, SET_NULL, Exists, F, Q
from django.utils import timezone
from psycopg.errors import ProgramLimitExceeded

from config.read_generation import api_reads_changed
from indicators.models import IndicatorValue
from indicators.services.catalogue import catalogue_from_db
from indicators.services.sync import indicator_values_sync
from reports.errors import (
    DomainError,
    ParseCrashedError,
    TooManySectionsError,
    TooManyValuesError,
)
from reports.models import (
    PARSED_METADATA_FIELDS,
    AdminLevel,
    IngestionJob,
    IngestionOutcome,
    Report,
    Section,
)
from reports.parsing import PARSER_VERSION, ParsedReport, parse_text
from reports.parsing.segment import segmenter_version
from reports.search.index import index_sections
from reports.search.vectors import section_vector
from reports.services.copy import copy_insert, rows_delete
from reports.services.sections import section_at
from reports.tasks import parse_report

logger = logging.getLogger(__name__)

_PARSE_OUTCOMES = (
    IngestionOutcome.Status.INGESTED,
    IngestionOutcome.Status.NEAR_DUPLICATE,  # parsed like any other; its code says what it is
    IngestionOutcome.Status.PARSED,
    IngestionOutcome.Status.PARSE_FAILED,
)
_PARSE_WRITES = (
    *PARSED_METADATA_FIELDS,
    "parse_attempts",
    "clean_text",
    "status",
    "error_code",
    "error_message",
    "parser_version",
    "parsed_text_sha256",
    "parsed_at",
    "updated_at",
)
_LOCKED_FIELDS = (
    *_PARSE_WRITES,
    "filename",
    "source_url",
    "text_sha256",
    "metadata_overrides",
    "job_id",
)
_OUTCOME_COUNTER: dict[str, str] = {
    IngestionOutcome.Status.PARSED: "parsed",
    IngestionOutcome.Status.PARSE_FAILED: "parse_failed",
}


def report_parse(*, report_id: int, index: bool = True) -> Report | None:
    """Parse a stored report and replace its parser-owned rows; None if the report is gone.

    ``index=False`` writes the sections without search vectors (marked stale for
    ``reindex_search``): a bulk load indexes them afterwards, all at once.
    """
    report = Report.objects.filter(pk=report_id).defer("clean_text").first()
    if report is None:
        return None  # deleted since it was enqueued: nothing to do
    if _already_parsed(report):
        return report
    catalogue = catalogue_from_db()  # a DB read: transient errors propagate and are retried
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.PARSED).update(
        status=Report.Status.PARSING,
        updated_at=timezone.now(),
        parse_attempts=F("parse_attempts") + 1,
    )
    api_reads_changed()
    text, text_sha256 = report.raw_text, report.text_sha256
    try:
        parsed = parse_text(text, catalogue=catalogue)
    except Exception as exc:  # deterministic: the parser is pure; record it, never retry
        logger.exception("Parsing report %s crashed", report_id)
        return report_mark_failed(
            report_id=report_id, code=ParseCrashedError.code, message=_describe(exc)
        )
    too_large = parse_limit_error(parsed)
    if too_large is not None:  # deterministic too: nothing of it is written
        return report_mark_failed(
            report_id=report_id, code=too_large.code, message=too_large.message
        )
    try:
        return _parse_apply(
            report_id=report_id, parsed=parsed, text_sha256=text_sha256, index=index
        )
    except (ValidationError, DataError, IntegrityError, OperationalError) as exc:
        limit = isinstance(exc.__cause__, ProgramLimitExceeded)
        if isinstance(exc, OperationalError) and not limit:
            raise  # a lost connection, a restart …: transient, the task retries
        logger.exception("Storing the parse of report %s failed", report_id)  # cannot be stored
        return report_mark_failed(
            report_id=report_id, code=ParseCrashedError.code, message=_describe(exc)
        )


def parse_limit_error(parsed: ParsedReport) -> DomainError | None:
    """Why a parse is too large to store (``REPORT_MAX_SECTIONS``, ``REPORT_MAX_VALUES``)."""

    sections, values = len(parsed.sections), len(parsed.indicators)
    if sections > settings.REPORT_MAX_SECTIONS:
        return TooManySectionsError(
            f"the text splits into {sections} sections, over the limit of "
            f"{settings.REPORT_MAX_SECTIONS}",
            sections=sections,
        )
    if values > settings.REPORT_MAX_VALUES:
        return TooManyValuesError(
            f"the text holds {values} indicator values, over the limit of "
            f"{settings.REPORT_MAX_VALUES}",
            values=values,
        )
    return None


def _already_parsed(report: Report) -> bool:
    return (
        report.status == Report.Status.PARSED
        and report.parser_version == PARSER_VERSION
        and report.parsed_text_sha256 == report.text_sha256
    )


def _describe(exc: BaseException) -> str:
    message = str(exc) or repr(exc)
    return f"{type(exc).__name__}: {message}"[:2000]


@transaction.atomic
def _parse_apply(
    *, report_id: int, parsed: ParsedReport, text_sha256: str, index: bool = True
) -> Report | None:
    report = Report.objects.select_for_update().only(*_LOCKED_FIELDS).filter(pk=report_id).first()
    if report is None:
        return None
    if report.text_sha256 != text_sha256:  # the text changed while we parsed: parse it again
        parse_report.delay_on_commit(report_id)
        return report
    stamp = (report.status, report.parser_version, report.parsed_text_sha256)
    if stamp == (Report.Status.PARSED, parsed.parser_version, text_sha256):
        return report  # same input, same parser: already applied
    has_sections, has_values = _stored_rows(report.pk)
    sections = sections_replace(
        report=report, parsed=parsed, has_sections=has_sections, index=index
    )
    indicator_values_sync(report=report, parsed=parsed, sections=sections, has_values=has_values)
    _metadata_apply(report=report, parsed=parsed)
    report.clean_text = parsed.clean_text
    report.status = Report.Status.PARSED
    report.error_code = report.error_message = ""
    report.parser_version = parsed.parser_version
    report.parsed_text_sha256 = text_sha256
    report.parsed_at = timezone.now()
    report.parse_attempts = 0
    # Fields not loaded are not validated; foreign keys, uniqueness and check constraints are
    # the database's to enforce.
    unchecked = ["job", *report.get_deferred_fields()]
    report.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)
    report.save(update_fields=_PARSE_WRITES)
    _outcome_mark(report=report, status=IngestionOutcome.Status.PARSED)
    api_reads_changed()
    return report


def _stored_rows(report_id: int) -> tuple[bool, bool]:
    """Whether the report has sections and indicator values stored (one round trip): a first
    parse, the usual case in a bulk load, then skips looking for rows to keep or replace."""
    sections, values = (
        Report.objects.filter(pk=report_id)
        .values_list(
            Exists(Section.objects.filter(report_id=report_id)),
            Exists(IndicatorValue.objects.filter(report_id=report_id)),
        )
        .get()
    )
    return bool(sections), bool(values)


@transaction.atomic
def report_mark_failed(*, report_id: int, code: str, message: str) -> Report | None:
    """Record a deterministic failure on the report and on its ingestion outcome.

    Rows of an earlier successful parse are left as they were: nothing is half-written.
    """
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        return None
    report.status = Report.Status.FAILED
    report.error_code = code
    report.error_message = message
    report.parse_attempts = 0
    report.save(
        update_fields=["status", "error_code", "error_message", "parse_attempts", "updated_at"]
    )
    api_reads_changed()
    failed = IngestionOutcome.Status.PARSE_FAILED
    _outcome_mark(report=report, status=failed, code=code, message=message)
    return report


def sections_replace(
    *, report: Report, parsed: ParsedReport, has_sections: bool = True, index: bool = True
) -> list[Section | None]:
    """Replace the report's sections with the parsed ones; returns them by parsed index.

    New sections are written with their search vectors (unless ``index`` is false) in one COPY.
    Sections a curator edited win: then the stored sections stay (re-indexed), and each parsed
    section maps to the stored one that contains its start. ``has_sections=False`` (known to
    have none) skips the lookup.
    """
    stored = (
        list(Section.objects.filter(report=report).order_by("position")) if has_sections else []
    )
    if any(section.edited_by_curator for section in stored):
        if index:
            index_sections(stored)
        return [section_at(stored, s.start) for s in parsed.sections]
    if stored:
        _sections_delete(report)
    ids = _section_ids(len(parsed.sections))
    version = segmenter_version() if index else ""
    sections = [
        Section(
            id=ids[i],
            report=report,
            parent_id=ids[s.parent] if s.parent is not None and 0 <= s.parent < i else None,
            position=i,
            level=min(max(s.level, 1), 4),
            marker=s.marker[:20],
            title=s.title[:1000],
            text=s.text,
            start_offset=max(s.start, 0),
            end_offset=max(s.end, s.start, 0),
            segmenter_version=version,
        )
        for i, s in enumerate(parsed.sections)
    ]
    copy_insert(Section, _SECTION_COLUMNS, (_section_row(s, index=index) for s in sections))
    return list(sections)


_SECTION_COLUMNS = (
    "id",
    "report_id",
    "parent_id",
    "position",
    "level",
    "marker",
    "title",
    "text",
    "start_offset",
    "end_offset",
    "search_vector",
    "segmenter_version",
)


def _section_row(s: Section, *, index: bool) -> tuple[Any, ...]:
    words = section_vector(s.title, s.text) if index else None
    return (
        s.id,
        s.report_id,
        s.parent_id,
        s.position,
        s.level,
        s.marker,
        s.title,
        s.text,
        s.start_offset,
        s.end_offset,
        words,
        s.segmenter_version,
    )


def _sections_delete(report: Report) -> None:
    """Delete all of a report's sections in two statements: values keep their rows, unlinked.

    Falls back to Django's collector if the model gained relations this does not know about.
    """
    sections = Section.objects.filter(report=report)
    relations = {(r.related_model, r.on_delete) for r in Section._meta.related_objects}
    if relations != {(IndicatorValue, SET_NULL), (Section, CASCADE)}:
        sections.delete()
        return
    IndicatorValue.objects.filter(section__report=report).update(section=None)
    rows_delete(Section, report_id=report.pk)  # children are the report's sections too


def _section_ids(count: int) -> list[int]:
    """Ids for new sections, taken from the table's sequence so parents are set on insert."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Section._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _metadata_apply(*, report: Report, parsed: ParsedReport) -> None:
    """Take the parser's metadata, except the fields a person or a manifest set."""
    meta = parsed.metadata
    year = meta.report_year if meta.report_year and 1990 <= meta.report_year <= 2100 else None
    found: dict[str, Any] = {
        "title": (meta.title or "")[:500],
        "issuer": (meta.issuer or "")[:200],
        "province": (meta.region.province or "")[:50],
        "city": (meta.region.city or "")[:50],
        "county": (meta.region.county or "")[:100],
        "admin_level": meta.admin_level if meta.admin_level in AdminLevel.values else "",
        "report_year": year,
        "published_on": meta.published_on,
    }
    overrides = report.metadata_overrides or {}
    for field, value in found.items():
        if field not in overrides:
            setattr(report, field, value)


def _outcome_mark(*, report: Report, status: str, code: str = "", message: str = "") -> None:
    """Move the report's ingestion outcome to ``status`` and keep the job's counters in step."""
    if report.job_id is None:
        return
    outcomes = IngestionOutcome.objects.filter(
        job_id=report.job_id, report_id=report.pk, status__in=_PARSE_OUTCOMES
    )
    previous = list(outcomes.values_list("status", flat=True))
    if not previous:
        return
    if status == IngestionOutcome.Status.PARSED:  # a flagged copy keeps saying so
        outcomes.filter(code="near_duplicate").update(status=status)
    outcomes.exclude(status=status, code="near_duplicate").update(
        status=status, code=code, message=message
    )
    deltas: dict[str, Any] = {}
    for old in previous:
        if old == status:
            continue
        deltas[_OUTCOME_COUNTER[status]] = deltas.get(_OUTCOME_COUNTER[status], 0) + 1
        if old in _OUTCOME_COUNTER:
            deltas[_OUTCOME_COUNTER[old]] = deltas.get(_OUTCOME_COUNTER[old], 0) - 1
    if deltas:
        IngestionJob.objects.filter(pk=report.job_id).update(
            **{name: F(name) + delta for name, delta in deltas.items()}
        )


def failed_reports_q() -> Q:
    """Reports whose parse failed, or began longer ago than a task may run (its worker died)."""
    limit = dt.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
    stuck = Q(status=Report.Status.PARSING, updated_at__lt=timezone.now() - limit)
    return Q(status=Report.Status.FAILED) | stuck


def report_reparse_enqueue(
    *,
    report_ids: Iterable[int] | None = None,
    failed_only: bool = False,
    all_reports: bool = False,
) -> int:
    """Queue a fresh parse of the chosen reports (ids, failed or stuck ones, or all); how many.

    The parse stamp is cleared so the parse runs even with an unchanged parser and text.
    """
    reports = Report.objects.all()
    if report_ids is not None:
        reports = reports.filter(pk__in=list(report_ids))
    elif not (failed_only or all_reports):
        return 0
    if failed_only:
        reports = reports.filter(failed_reports_q())
    ids = list(reports.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        with transaction.atomic():
            Report.objects.filter(pk__in=batch).update(parsed_text_sha256="", parse_attempts=0)
            for report_id in batch:
                parse_report.delay_on_commit(report_id)
    return len(ids)
