"""Celery tasks: interfaces that take ids (JSON) and call one service each.

Retries cover transient database errors only; a parse that crashes is recorded by the service as
``failed`` and never retried.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def parse_report(report_id: int) -> None:
    from reports.services.parse import report_parse  # services import tasks; break the cycle here

    report_parse(report_id=report_id)


@shared_task(acks_late=True)
def ingest_reports(job_id: int, paths: list[str]) -> None:
    """Ingest ``paths`` (seen from the worker) into an existing job, then finish it."""
    from reports.services.ingest import ingest_job_run

    ingest_job_run(job_id=job_id, paths=paths)
