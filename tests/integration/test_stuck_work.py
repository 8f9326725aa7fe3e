"""Work that stopped without ending: ``ingest_reports --resume JOB`` and the stuck-work sweep.

The stuck states are the ones a killed worker or a lost database leaves: a job whose run stopped
half-way (some files with outcomes), a report left ``parsing`` or ``queued`` with no task.
Their ``updated_at`` is moved into the past to stand for the time that went by.
"""

import datetime as dt
import io
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from reports.models import IngestionJob, Report
from reports.services.ingest import (
    ingest_paths,
    ingestion_job_create,
    ingestion_job_run,
    report_ingest_file,
)
from reports.services.retry import job_run_lock
from reports.services.sweep import stuck_work_sweep
from tests.conftest import CORPUS_DIR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
CORPUS = sorted(CORPUS_DIR.glob("*.txt"))
LONG_AGO = timezone.now() - dt.timedelta(days=1)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in CORPUS:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return tmp_path


def _half_done_job(folder: Path, **inputs) -> IngestionJob:
    """A job over the whole folder whose run stopped after its first file."""
    job = ingestion_job_create(
        source=IngestionJob.Source.COMMAND, label="stopped", paths=[str(folder)]
    )
    if inputs:
        job.inputs = {**job.inputs, **inputs}
        job.save(update_fields=["inputs"])
    ingest_paths(paths=[str(folder / CORPUS[0].name)], job=job)
    return job


def test_resume_ingests_the_files_a_stopped_job_had_not_reached(folder: Path):
    """``ingest_reports --resume JOB`` ingests the rest of the job's folder, without reading
    the files that already have an outcome again, and finishes the job."""
    job = _half_done_job(folder)
    out = io.StringIO()
    call_command("ingest_reports", "--resume", str(job.pk), "--no-progress", stdout=out)
    job.refresh_from_db()
    n = len(CORPUS)
    assert (job.total, job.ingested, job.duplicate, job.failed) == (n, n, 0, 0)
    assert job.status == IngestionJob.Status.FINISHED
    assert Report.objects.count() == n
    assert f"job {job.pk}: {n} files" in out.getvalue()


def test_resume_of_an_unknown_job_is_a_clear_error():
    """A job that does not exist ends the command with its code, not a traceback."""
    with pytest.raises(CommandError, match="missing_job"):
        call_command("ingest_reports", "--resume", "999999", "--no-progress")


def test_sweep_queues_a_stalled_worker_job_again(folder: Path):
    """A worker's job without progress past ``STUCK_JOB_SECONDS`` is queued again and, run,
    goes on where it stopped."""
    job = _half_done_job(folder, worker=True)
    IngestionJob.objects.filter(pk=job.pk).update(updated_at=LONG_AGO)
    result = stuck_work_sweep()
    job.refresh_from_db()
    assert (result.jobs_requeued, result.jobs_failed) == (1, 0)
    n = len(CORPUS)
    assert (job.status, job.total, job.ingested, job.duplicate) == ("finished", n, n, 0)
    assert job.inputs["requeued"] == 1


def test_sweep_fails_a_stalled_command_job_with_how_to_resume(folder: Path):
    """A job run by a command that died is not run elsewhere: it is failed with the reason."""
    job = _half_done_job(folder)
    IngestionJob.objects.filter(pk=job.pk).update(updated_at=LONG_AGO)
    assert stuck_work_sweep().jobs_failed == 1
    job.refresh_from_db()
    assert job.status == IngestionJob.Status.FAILED
    assert job.finished_at is not None
    assert f"--resume {job.pk}" in job.error_message


@override_settings(JOB_MAX_REQUEUES=2)
def test_sweep_gives_up_on_a_job_that_stalls_again_and_again(folder: Path):
    """Past ``JOB_MAX_REQUEUES`` a stalled job is failed, not queued forever."""
    job = _half_done_job(folder, worker=True, requeued=2)
    IngestionJob.objects.filter(pk=job.pk).update(updated_at=LONG_AGO)
    assert stuck_work_sweep().jobs_failed == 1
    job.refresh_from_db()
    assert (job.status, job.total) == (IngestionJob.Status.FAILED, 1)
    assert "given up" in job.error_message


def test_fresh_work_is_left_alone(folder: Path):
    """A job and a report within their deadlines are not touched."""
    job = _half_done_job(folder, worker=True)
    report_ingest_file(data=CORPUS[1].read_bytes(), filename="fresh.txt")
    assert stuck_work_sweep() == type(stuck_work_sweep())()
    job.refresh_from_db()
    assert (job.status, job.total) == (IngestionJob.Status.RUNNING, 1)


@pytest.mark.parametrize("status", [Report.Status.PARSING, Report.Status.QUEUED])
def test_sweep_parses_a_report_whose_task_was_lost(status, django_capture_on_commit_callbacks):
    """A report left ``parsing`` (its worker killed) or ``queued`` (its task never reached the
    broker) past its deadline is queued again and parsed."""
    report_ingest_file(data=CORPUS[0].read_bytes(), filename="lost.txt")  # its parse never runs
    Report.objects.update(status=status, parse_attempts=1, updated_at=LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        assert stuck_work_sweep().reports_requeued == 1
    report = Report.objects.get()
    assert report.status == Report.Status.PARSED
    assert report.sections.exists()


@override_settings(REPORT_MAX_PARSE_ATTEMPTS=3)
def test_sweep_fails_a_report_whose_parse_keeps_dying():
    """A report whose parse began ``REPORT_MAX_PARSE_ATTEMPTS`` times without ending is failed
    (``parse_abandoned``), so a report that kills its worker is not parsed forever."""
    report_ingest_file(data=CORPUS[0].read_bytes(), filename="poison.txt")
    Report.objects.update(status=Report.Status.PARSING, parse_attempts=3, updated_at=LONG_AGO)
    assert stuck_work_sweep().reports_failed == 1
    report = Report.objects.get()
    assert (report.status, report.error_code) == (Report.Status.FAILED, "parse_abandoned")


def test_sweep_command_prints_what_it_did(folder: Path):
    """``sweep_stuck_work`` prints the counts of the pass."""
    job = _half_done_job(folder)
    IngestionJob.objects.filter(pk=job.pk).update(updated_at=LONG_AGO)
    out = io.StringIO()
    call_command("sweep_stuck_work", stdout=out)
    assert "jobs failed: 1" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_second_run_of_a_job_being_run_does_nothing(folder: Path):
    """While one run of a job holds it (a redelivered task, a sweep's re-queue racing the first
    run), another run returns at once and writes nothing."""
    job = ingestion_job_create(source=IngestionJob.Source.COMMAND, label="x", paths=[str(folder)])
    result = {}

    def second_run() -> None:
        result["job"] = ingestion_job_run(job_id=job.pk)
        connection.close()

    with job_run_lock(job.pk) as running_elsewhere:
        assert running_elsewhere is False
        thread = threading.Thread(target=second_run)
        thread.start()
        thread.join(30)
    assert result == {"job": None}
    assert not job.outcomes.exists()
    assert ingestion_job_run(job_id=job.pk).ingested == len(CORPUS)  # free again
