"""Reads on reports and ingestion jobs, with their related rows already joined."""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import Any

from django.core.files import File
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from indicators.models import IndicatorValue
from reports.models import IngestionJob, IngestionOutcome, Report, ReportQuerySet, Section
from reports.storage import originals_storage

PROBLEM_STATUSES = (
    IngestionOutcome.Status.FAILED,
    IngestionOutcome.Status.DUPLICATE,
    IngestionOutcome.Status.NEAR_DUPLICATE,
    IngestionOutcome.Status.PARSE_FAILED,
)
PENDING_STATUSES = (Report.Status.QUEUED, Report.Status.PARSING)
REPORT_HEAVY_FIELDS = ("raw_text", "clean_text")


def report_list() -> QuerySet[Report]:
    """Reports with their ingestion job, newest first."""
    return Report.objects.select_related("job").defer("raw_text", "clean_text", "minhash")


def report_original_open(*, report_id: int) -> tuple[Report, File | None]:
    """The report (name and type only) and its original file opened for reading; the file is
    None when the report was loaded before originals were kept. Http404 if there is no report."""
    report = get_object_or_404(
        Report.objects.only("pk", "filename", "content_type", "original_name"), pk=report_id
    )
    storage = originals_storage()
    if not report.original_name or not storage.exists(report.original_name):
        return report, None
    return report, storage.open(report.original_name, "rb")


def _count_per_report(model, *, exclude: Q | None = None) -> Coalesce:
    rows = model.objects.filter(report=OuterRef("pk"))
    if exclude is not None:
        rows = rows.exclude(exclude)
    counted = rows.order_by().values("report").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def report_queryset() -> ReportQuerySet:
    """Reports without their (large) text, with section and indicator counts."""
    return Report.objects.defer(*REPORT_HEAVY_FIELDS).annotate(
        section_count=_count_per_report(Section),
        indicator_count=_count_per_report(
            IndicatorValue, exclude=Q(status=IndicatorValue.Status.REJECTED)
        ),
    )


def indicator_values_with_code() -> QuerySet[IndicatorValue]:
    """A report's values as listed in it: the columns shown and the effective code only."""
    return IndicatorValue.objects.only(
        "id",
        "report_id",
        "section_id",
        "subject",
        "value",
        "corrected_value",
        "unit",
        "qualifier",
        "quote",
        "status",
        "confidence",
        "start_offset",
    ).with_effective("current_code")


@functools.lru_cache(maxsize=8)
def _report_rows(columns: tuple[str, ...]) -> QuerySet[Report, dict[str, Any]]:
    return report_queryset().values(*columns)  # built once per column set, cloned per use


def report_detail_row(
    *,
    pk: int,
    columns: Sequence[str],
    section_columns: Sequence[str],
    indicator_columns: Sequence[str],
) -> dict[str, Any] | None:
    """A report's detail as plain rows (three queries, no model instances): its ``columns``, with
    its sections under ``section_list`` and its values (effective code and value) under
    ``indicator_list``, both in document order. None if there is no such report."""
    row = _report_rows(tuple(columns)).filter(pk=pk).first()
    if row is None:
        return None
    sections = Section.objects.filter(report_id=pk).order_by("position")
    row["section_list"] = list(sections.values(*section_columns))
    values = IndicatorValue.objects.filter(report_id=pk).with_effective(
        "current_code", "current_value"
    )
    row["indicator_list"] = list(values.order_by("start_offset", "id").values(*indicator_columns))
    return row


def report_with_parse() -> QuerySet[Report]:
    """Reports with their sections (``section_list``) and their values that are not rejected
    (``indicator_list``, effective code), both in document order."""
    return Report.objects.defer(*REPORT_HEAVY_FIELDS).prefetch_related(
        Prefetch(
            "sections",
            queryset=Section.objects.defer("search_vector").order_by("position"),
            to_attr="section_list",
        ),
        Prefetch(
            "indicator_values",
            queryset=indicator_values_with_code()
            .exclude(status=IndicatorValue.Status.REJECTED)
            .order_by("start_offset", "id"),
            to_attr="indicator_list",
        ),
    )


_PATH_COLUMNS = ("id", "parent_id", "marker", "title")


def section_list_with_path(*, columns: Sequence[str]) -> QuerySet[Section]:
    """Sections (only ``columns``) with their report's title and three levels of parents, enough
    for the heading path of every section (four levels deep at most)."""
    return Section.objects.select_related("report", "parent__parent__parent").only(
        *columns,
        "report__id",
        "report__title",
        *[f"parent__{c}" for c in _PATH_COLUMNS],
        *[f"parent__parent__{c}" for c in _PATH_COLUMNS],
        *[f"parent__parent__parent__{c}" for c in _PATH_COLUMNS],
    )


def ingestion_job_list() -> QuerySet[IngestionJob]:
    return IngestionJob.objects.select_related("started_by")


def ingestion_outcome_problems(*, job: IngestionJob) -> QuerySet[IngestionOutcome]:
    """The job's files that failed, were duplicates or possible duplicates, or failed to parse,
    in the order seen."""
    return (
        IngestionOutcome.objects.filter(
            Q(status__in=PROBLEM_STATUSES) | Q(code="near_duplicate"), job=job
        )
        .select_related("report")
        .only("filename", "status", "code", "message", "report_id", "job_id", "report__title")
        .order_by("id")
    )


def ingestion_job_pending_reports(*, job: IngestionJob) -> QuerySet[Report]:
    """The job's reports still waiting to be parsed."""
    return Report.objects.filter(job=job, status__in=PENDING_STATUSES)


def ingestion_job_wait(*, job_id: int, timeout: float, poll: float = 0.5) -> IngestionJob | None:
    """Poll until the job has finished ingesting and all its reports are parsed or failed.

    Returns the job, or None when ``timeout`` seconds passed first.
    """
    deadline = time.monotonic() + timeout
    while True:
        job = IngestionJob.objects.get(pk=job_id)
        finished = job.finished_at is not None
        if finished and not ingestion_job_pending_reports(job=job).exists():
            return job
        if time.monotonic() >= deadline:
            return None
        time.sleep(poll)
