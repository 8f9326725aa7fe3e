"""Reads for the curators' workspace: what waits for review, a job's progress, the possible
duplicates with the reports they may copy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from indicators.models import IndicatorValue
from reports.models import IngestionJob, IngestionOutcome, Report

RECENT_JOBS = 10
_REPORT_COLUMNS = (
    "id",
    "title",
    "filename",
    "source_format",
    "province",
    "city",
    "county",
    "report_year",
    "status",
    "size_bytes",
    "duplicate_of_id",
    "duplicate_similarity",
    "created_at",
)


@dataclass(frozen=True)
class WorkspaceSummary:
    to_review: int
    conflicts: int
    near_duplicates: int
    jobs: list[IngestionJob]


@dataclass(frozen=True)
class JobProgress:
    job: IngestionJob
    outcomes: list[IngestionOutcome]
    pending: int  # reports of the job not parsed yet

    @property
    def done(self) -> bool:
        return self.job.finished_at is not None and self.pending == 0

    @property
    def percent(self) -> int:
        settled = self.job.total - self.pending
        expected = max(self.job.total, 1)
        return 100 if self.done else min(99, round(100 * settled / expected))


def workspace_recent_jobs() -> list[IngestionJob]:
    """The latest ingestion jobs, with who started them."""
    return list(IngestionJob.objects.select_related("started_by")[:RECENT_JOBS])


def workspace_summary() -> WorkspaceSummary:
    counts = IndicatorValue.objects.aggregate(
        to_review=Count("id", filter=Q(status=IndicatorValue.Status.EXTRACTED)),
        conflicts=Count("id", filter=Q(parse_conflict__isnull=False)),
    )
    return WorkspaceSummary(
        to_review=counts["to_review"],
        conflicts=counts["conflicts"],
        near_duplicates=Report.objects.flagged_copies().count(),
        jobs=workspace_recent_jobs(),
    )


def workspace_job(*, job_id: int) -> JobProgress | None:
    """A job, its outcomes (with their reports' state) and how many reports still parse."""
    job = IngestionJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    outcomes = list(
        IngestionOutcome.objects.filter(job=job)
        .select_related("report")
        .only(
            "id",
            "filename",
            "status",
            "code",
            "message",
            "report_id",
            "job_id",
            "report__status",
            "report__title",
            "report__duplicate_of_id",
            "report__duplicate_similarity",
            "report__error_code",
        )
        .order_by("id")
    )
    pending = Report.objects.filter(
        job=job, status__in=(Report.Status.QUEUED, Report.Status.PARSING)
    ).count()
    return JobProgress(job=job, outcomes=outcomes, pending=pending)


def near_duplicates_pending() -> QuerySet[Report]:
    """Reports flagged as possible copies, each with the report it may copy (``duplicate_of``),
    oldest flag first."""
    return (
        Report.objects.flagged_copies()
        .select_related("duplicate_of")
        .only(*_REPORT_COLUMNS, *(f"duplicate_of__{c}" for c in _REPORT_COLUMNS))
        .annotate(
            reviewed=Count("indicator_values", filter=~Q(indicator_values__status="extracted"))
        )
        .order_by("id")
    )


def near_duplicates_pending_count() -> int:
    """How many flagged copies wait for a decision (counted without the page's join and counts)."""
    return Report.objects.flagged_copies().count()
