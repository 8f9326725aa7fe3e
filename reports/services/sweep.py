"""The sweep of stuck work: jobs and reports that stopped without ending are queued again, or
failed with the reason once they have stopped too often.

What stops work without ending it: a worker killed while it held a task (the broker redelivers
it only after its ``visibility_timeout``), a database outage longer than a task's retries, a
broker that was down when a task was to be queued. None of these leaves a trace but the row's
state and its ``updated_at``, which is what the sweep reads. Every step is idempotent: the tasks
it queues skip what is already done, so a task redelivered as well does no harm.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from reports.models import IngestionJob, Report, StoredUpload
from reports.services.parse import report_mark_failed
from reports.tasks import ingest_reports, ingest_upload, parse_report

logger = logging.getLogger(__name__)
BATCH = 1000
_OPEN_JOB = (IngestionJob.Status.PENDING, IngestionJob.Status.RUNNING)


@dataclass(frozen=True)
class SweepResult:
    jobs_requeued: int = 0
    jobs_failed: int = 0
    reports_requeued: int = 0
    reports_failed: int = 0


def stuck_work_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """One pass over stuck jobs and reports (``STUCK_*`` settings); what it did."""
    now = now or timezone.now()
    jobs_requeued, jobs_failed = _jobs_sweep(now)
    reports_requeued, reports_failed = _reports_sweep(now)
    result = SweepResult(jobs_requeued, jobs_failed, reports_requeued, reports_failed)
    if any(vars(result).values()):
        logger.warning("Stuck work swept: %s", result)
    return result


def _jobs_sweep(now: dt.datetime) -> tuple[int, int]:
    deadline = now - dt.timedelta(seconds=settings.STUCK_JOB_SECONDS)
    stuck = IngestionJob.objects.filter(
        status__in=_OPEN_JOB, finished_at__isnull=True, updated_at__lt=deadline
    )
    requeued = failed = 0
    for job in stuck.order_by("pk")[:BATCH]:
        if _job_requeue(job):
            requeued += 1
        else:
            failed += 1
    return requeued, failed


def _job_requeue(job: IngestionJob) -> bool:
    """Queue the job's run again if it can run on a worker and has not stopped too often;
    else mark it failed with the reason. True if queued."""
    times = int(job.inputs.get("requeued", 0))
    has_uploads = StoredUpload.objects.filter(job=job).exists()
    on_worker = has_uploads or bool(job.inputs.get("worker"))
    if not on_worker or times >= settings.JOB_MAX_REQUEUES:
        _job_fail(job, times=times, on_worker=on_worker)
        return False
    job.inputs = {**job.inputs, "requeued": times + 1}
    job.save(update_fields=["inputs", "updated_at"])
    try:
        if has_uploads:
            ingest_upload.delay(job.pk)
        else:
            ingest_reports.delay(job.pk, job.inputs["paths"], job.inputs["manifests"])
    except BrokerError as exc:  # the next sweep tries again
        logger.warning("Could not queue job %s again: %s", job.pk, exc)
    return True


def _job_fail(job: IngestionJob, *, times: int, on_worker: bool) -> None:
    if on_worker:
        reason = f"stopped without progress {times + 1} times; given up"
    else:
        reason = f"stopped without progress; `ingest_reports --resume {job.pk}` goes on with it"
    job.status = IngestionJob.Status.FAILED
    job.finished_at = timezone.now()
    job.error_message = reason
    job.save(update_fields=["status", "finished_at", "error_message", "updated_at"])
    StoredUpload.objects.filter(job=job).delete()  # a job given up keeps no uploaded files


def _reports_sweep(now: dt.datetime) -> tuple[int, int]:
    parse_deadline = now - dt.timedelta(seconds=settings.STUCK_PARSE_SECONDS)
    queued_deadline = now - dt.timedelta(seconds=settings.STUCK_QUEUED_SECONDS)
    stuck = Report.objects.filter(
        Q(status=Report.Status.PARSING, updated_at__lt=parse_deadline)
        | Q(status=Report.Status.QUEUED, updated_at__lt=queued_deadline)
    )
    rows = list(stuck.order_by("pk").values_list("pk", "parse_attempts", "job__defer_search_index"))
    requeued = failed = 0
    for report_id, attempts, deferred in rows[:BATCH]:
        if attempts >= settings.REPORT_MAX_PARSE_ATTEMPTS:
            message = f"the parse began {attempts} times and never ended (its worker died)"
            report_mark_failed(report_id=report_id, code="parse_abandoned", message=message)
            failed += 1
        elif _report_requeue(report_id, index=not deferred):
            requeued += 1
    return requeued, failed


def _report_requeue(report_id: int, *, index: bool) -> bool:
    Report.objects.filter(pk=report_id).update(
        status=Report.Status.QUEUED, updated_at=timezone.now()
    )
    try:
        parse_report.delay(report_id, index=index)
    except BrokerError as exc:
        logger.warning("Could not queue report %s again: %s", report_id, exc)
        return False
    return True
