"""Reads on reports and ingestion jobs, with their related rows already joined."""

from __future__ import annotations

import time

from django.db.models import QuerySet

from reports.models import IngestionJob, IngestionOutcome, Report

PROBLEM_STATUSES = (
    IngestionOutcome.Status.FAILED,
    IngestionOutcome.Status.DUPLICATE,
    IngestionOutcome.Status.PARSE_FAILED,
)
PENDING_STATUSES = (Report.Status.QUEUED, Report.Status.PARSING)


def report_list() -> QuerySet[Report]:
    """Reports with their ingestion job, newest first."""
    return Report.objects.select_related("job").defer("raw_text", "clean_text")


def ingestion_job_list() -> QuerySet[IngestionJob]:
    return IngestionJob.objects.select_related("started_by")


def ingestion_outcome_problems(*, job: IngestionJob) -> QuerySet[IngestionOutcome]:
    """The job's files that failed, were duplicates or failed to parse, in the order seen."""
    return (
        IngestionOutcome.objects.filter(job=job, status__in=PROBLEM_STATUSES)
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
