"""Celery tasks: interfaces that take ids (JSON) and call one service each.

Retries cover transient database errors only; a parse that crashes is recorded by the service as
``failed`` and never retried.
"""

from __future__ import annotations

import gc

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init
from django.db import InterfaceError, OperationalError

WARM_UP_TEXT = "某县2023年法治政府建设年度报告\n一、主要举措\n全年共收到行政复议案件52件。"


@worker_init.connect
def parser_warm_up(**kwargs) -> None:
    """Load the parser's dictionaries once in the worker's main process, before the pool forks,
    so that every pool process shares them instead of loading its own copy on its first task."""
    from reports.parsing import parse_text, segment

    parse_text(WARM_UP_TEXT)
    segment(WARM_UP_TEXT)
    from reports.search.vectors import section_vector

    section_vector("主要举措", WARM_UP_TEXT)
    gc.freeze()  # the collector leaves the loaded objects alone, so forked pages stay shared


# Transient database errors are retried with backoff; the task is acknowledged once it has run.
RETRIED_ON_DATABASE_ERRORS = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_jitter": True,
}


@shared_task(**RETRIED_ON_DATABASE_ERRORS, max_retries=5)
def parse_report(report_id: int, index: bool = True) -> None:
    """Parse a stored report; ``index=False`` leaves its sections' search vectors to a bulk
    ``reindex_search`` (see ``IngestionJob.defer_search_index``)."""
    # Services import tasks: break the cycle here.
    from reports.services.parse import report_mark_failed, report_parse

    try:
        report_parse(report_id=report_id, index=index)
    except SoftTimeLimitExceeded:  # deterministic for this text: record it, never retry
        report_mark_failed(
            report_id=report_id,
            code="parse_timeout",
            message="parsing took longer than the task's time limit",
        )


@shared_task(**RETRIED_ON_DATABASE_ERRORS, max_retries=8)
def ingest_reports(job_id: int, paths: list[str], manifests: list[str] | None = None) -> None:
    """Ingest ``paths`` and ``manifests`` (seen from the worker) into a job, then finish it; a
    retry goes on where the last attempt stopped."""
    from reports.services.ingest import ingestion_job_run

    ingestion_job_run(job_id=job_id, paths=paths, manifests=manifests or ())


@shared_task(**RETRIED_ON_DATABASE_ERRORS, max_retries=8)
def ingest_upload(job_id: int) -> None:
    """Ingest the files stored for an API upload (archives expanded here), then finish the job."""
    from reports.services.uploads import ingest_upload_run

    ingest_upload_run(job_id=job_id)


@shared_task
def sweep_stuck_work() -> None:
    """Queue again, or fail with the reason, jobs and reports that stopped without ending
    (scheduled by Celery beat: ``CELERY_BEAT_SCHEDULE``)."""
    from reports.services.sweep import stuck_work_sweep

    stuck_work_sweep()
