"""Ingestion: bytes + filename (+ metadata) → a queued ``Report``; one ``IngestionOutcome`` a file.

Bad input never raises here: each file's problem (too large, empty, undecodable, unsupported,
duplicate, corrupt archive, unsafe archive path, bad manifest line, missing file) becomes a
``failed`` or ``duplicate`` outcome with a code and a message, and the rest of the batch goes on.
Parsing is queued with ``parse_report.delay_on_commit`` once the report row is committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from pathlib import Path
from typing import Any

from celery.exceptions import Retry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from config.read_generation import api_reads_changed
from reports.errors import (
    DomainError,
    DuplicateReportError,
    FileTooLargeError,
    JobNotResumableError,
    MissingJobError,
    TextTooLongError,
)
from reports.fingerprint import Fingerprint, text_fingerprint
from reports.models import IngestionJob, IngestionOutcome, Report
from reports.services.extraction import text_extracted
from reports.services.near_duplicates import (
    near_duplicate_bands_lock,
    near_duplicate_find,
    report_bands_save,
    report_fingerprint_fill,
)
from reports.services.originals import original_discard, original_store
from reports.services.retry import TRANSIENT_DB_ERRORS, job_run_lock, with_db_retry
from reports.services.sources import (
    ArchiveLimits,
    SourceFile,
    count_sources,
    iter_sources,
    metadata_checked,
)
from reports.tasks import ingest_reports, parse_report

logger = logging.getLogger(__name__)
ProgressCallback = Callable[[IngestionOutcome, int, int], None]
_COUNTER: dict[str, str] = {
    IngestionOutcome.Status.INGESTED: "ingested",
    IngestionOutcome.Status.DUPLICATE: "duplicate",
    IngestionOutcome.Status.NEAR_DUPLICATE: "near_duplicate",
    IngestionOutcome.Status.FAILED: "failed",
}
_LABEL_MAX = 500


def ingestion_job_create(
    *,
    source: str,
    label: str = "",
    started_by: Any = None,
    defer_search_index: bool = False,
    paths: list[str] | tuple[str, ...] = (),
    manifests: list[str] | tuple[str, ...] = (),
    allow_outside: list[str] | tuple[str, ...] = (),
) -> IngestionJob:
    """A new, running ingestion job (``defer_search_index``: see ``IngestionJob``); the
    ``paths`` and ``manifests`` it reads, and the roots outside their folders it may read
    (``allow_outside``), are recorded, made absolute, for a resume."""
    job = IngestionJob(
        source=source,
        label=label[:_LABEL_MAX],
        started_by=started_by,
        defer_search_index=defer_search_index,
        inputs=_inputs(paths, manifests, allow_outside=_absolute(allow_outside)),
        status=IngestionJob.Status.RUNNING,
        started_at=timezone.now(),
    )
    job.full_clean()
    job.save()
    return job


def ingestion_job_finish(*, job: IngestionJob) -> IngestionJob:
    """Mark the job's ingestion finished (``failed`` if any file failed); parsing may go on."""
    job.refresh_from_db()
    job.status = IngestionJob.Status.FAILED if job.failed else IngestionJob.Status.FINISHED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    return job


def _inputs(paths: Iterable[str], manifests: Iterable[str], **extra: Any) -> dict[str, Any]:
    return {"paths": _absolute(paths), "manifests": _absolute(manifests), **extra}


def _absolute(paths: Iterable[str]) -> list[str]:
    return [str(Path(p).absolute()) for p in paths]


def report_ingest_file(
    *,
    data: bytes,
    filename: str,
    job: IngestionJob | None = None,
    metadata: dict[str, Any] | None = None,
    source_url: str = "",
) -> IngestionOutcome:
    """Store one file as a queued report and enqueue its parse; never raises for bad input.

    ``metadata`` may name a ``source_url`` too. Without a ``job`` the outcome is returned unsaved.
    """
    metadata = dict(metadata or {})
    source_url = source_url or str(metadata.pop("source_url", "") or "")
    limit = settings.UPLOAD_MAX_FILE_BYTES
    if len(data) > limit:
        error: DomainError = FileTooLargeError(
            f"{filename} is {len(data)} bytes, over the limit of {limit}",
            size=len(data),
            limit=limit,
        )
        return outcome_record(job=job, filename=filename, error=error)
    try:
        overrides = metadata_checked(metadata)
        extracted = text_extracted(data=data, filename=filename)
    except DomainError as exc:
        return outcome_record(job=job, filename=filename, error=exc)
    except ValueError as exc:
        return _outcome_save(job, filename, IngestionOutcome.Status.FAILED, "invalid", str(exc))
    max_chars = settings.REPORT_MAX_CHARS
    if len(extracted.text) > max_chars:
        error = TextTooLongError(
            f"{filename} has {len(extracted.text)} characters of text, over the limit of "
            f"{max_chars}",
            characters=len(extracted.text),
            limit=max_chars,
        )
        return outcome_record(job=job, filename=filename, error=error)
    report = Report(
        filename=filename[:500],
        content_type=extracted.content_type,
        source_format=extracted.format,
        encoding=extracted.encoding or "",
        size_bytes=len(data),
        raw_sha256=hashlib.sha256(data).hexdigest(),
        text_sha256=hashlib.sha256(extracted.text.encode("utf-8")).hexdigest(),
        raw_text=extracted.text,
        source_url=source_url,
        job=job,
        metadata_overrides=overrides,
        **_override_fields(overrides),
    )
    fingerprint = text_fingerprint(extracted.text)
    report_fingerprint_fill(report=report, fingerprint=fingerprint)
    return _report_save(
        report=report, job=job, filename=filename, data=data, fingerprint=fingerprint
    )


def _override_fields(overrides: dict[str, Any]) -> dict[str, Any]:
    fields = dict(overrides)
    if "published_on" in fields:
        fields["published_on"] = dt.date.fromisoformat(fields["published_on"])
    return fields


def _report_save(
    *,
    report: Report,
    job: IngestionJob | None,
    filename: str,
    data: bytes,
    fingerprint: Fingerprint | None,
) -> IngestionOutcome:
    existing = _duplicate_of(report.text_sha256)
    if existing is not None:
        earlier = _outcome_of_same_file(job, existing, filename)
        if earlier is not None:  # this job ingested this very file already (a run repeated)
            return earlier
        error = _duplicate_error(existing, filename)
        return outcome_record(job=job, filename=filename, error=error)
    try:
        # The job exists, and uniqueness and the year's range are the database's to enforce.
        report.full_clean(exclude=["job"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return _outcome_save(job, filename, IngestionOutcome.Status.FAILED, "invalid", _text(exc))
    try:
        report.original_name = original_store(
            data=data, sha256=report.raw_sha256, filename=filename
        )
    except Exception as exc:  # storage down or full: nothing is saved, the file can be sent again
        logger.exception("Could not store the original of %s", filename)
        message = f"{filename}: the original could not be stored ({exc.__class__.__name__})"
        return _outcome_save(
            job, filename, IngestionOutcome.Status.FAILED, "storage_failed", message
        )
    try:
        with transaction.atomic():
            # looked up under the band keys' locks, so a copy stored meanwhile is seen
            near_duplicate_bands_lock(fingerprint=fingerprint)
            status, code, message = _near_duplicate_flag(report, filename, fingerprint)
            report.save()
            report_bands_save(report=report, fingerprint=fingerprint)
            outcome = _outcome_save(job, filename, status, code, message, report=report)
            api_reads_changed()
    except BaseException as exc:  # not saved: the stored original goes too
        original_discard(name=report.original_name)
        if not isinstance(exc, IntegrityError):
            raise
        # the same text committed meanwhile by another process
        existing = _duplicate_of(report.text_sha256)
        if existing is None:
            raise
        error = _duplicate_error(existing, filename)
        return outcome_record(job=job, filename=filename, error=error)
    index = not (job is not None and job.defer_search_index)
    transaction.on_commit(partial(_parse_enqueue, report.pk, index=index))
    return outcome


def _near_duplicate_flag(
    report: Report, filename: str, fingerprint: Fingerprint | None
) -> tuple[str, str, str]:
    """The outcome for a new report: ``near_duplicate`` (and the report flagged) when its text
    nearly matches a stored one's, else ``ingested``."""
    match = near_duplicate_find(fingerprint=fingerprint)
    if match is None:
        return IngestionOutcome.Status.INGESTED, "", ""
    report.duplicate_of_id, report.duplicate_similarity = match.report_id, match.similarity
    message = (
        f"{filename} is possibly the same report as report {match.report_id} "
        f"(similarity {match.similarity:.2f}); kept for a curator to merge or keep"
    )
    return IngestionOutcome.Status.NEAR_DUPLICATE, "near_duplicate", message


def _parse_enqueue(report_id: int, *, index: bool) -> None:
    """Queue the report's parse; with the broker down it stays ``queued`` for the stuck-work
    sweep to queue again, and the batch goes on."""
    try:
        if index:
            parse_report.delay(report_id)
        else:
            parse_report.delay(report_id, index=False)
    except BrokerError as exc:
        logger.warning("Report %s stays queued: its parse could not be queued (%s)", report_id, exc)
    except (*TRANSIENT_DB_ERRORS, Retry) as exc:  # run in-process (no broker), it lost the DB
        logger.warning(
            "Report %s left to the stuck-work sweep: its parse lost the database (%s)",
            report_id,
            exc,
        )


# When the current run of a job began: an outcome of the same file from before it was written by
# another run of the job (a retry, a re-queue), whose work this run must not count twice.
_RUN_STARTED: ContextVar[dt.datetime | None] = ContextVar("ingestion_run_started", default=None)


@contextmanager
def job_run(job_id: int) -> Iterator[bool]:
    """A run of job ``job_id``: yields True if another run holds it (then do nothing)."""
    with job_run_lock(job_id) as running_elsewhere:
        token = _RUN_STARTED.set(timezone.now())
        try:
            yield running_elsewhere
        finally:
            _RUN_STARTED.reset(token)


def _outcome_of_same_file(
    job: IngestionJob | None, report_id: int, filename: str
) -> IngestionOutcome | None:
    """The outcome with which an earlier run of ``job`` stored ``filename`` as ``report_id``."""
    started = _RUN_STARTED.get()
    if job is None or started is None:
        return None
    return IngestionOutcome.objects.filter(
        job=job, report_id=report_id, filename=filename[:1000], created_at__lt=started
    ).first()


def _duplicate_of(text_sha256: str) -> int | None:
    return Report.objects.filter(text_sha256=text_sha256).values_list("pk", flat=True).first()


def _duplicate_error(report_id: int, filename: str) -> DuplicateReportError:
    return DuplicateReportError(
        f"{filename} has the same text as report {report_id}", report_id=report_id
    )


def _text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def outcome_record(
    *, job: IngestionJob | None, filename: str, error: DomainError
) -> IngestionOutcome:
    """Record a file that was not ingested: ``duplicate`` for a known text, else ``failed``."""
    status = (
        IngestionOutcome.Status.DUPLICATE
        if isinstance(error, DuplicateReportError)
        else IngestionOutcome.Status.FAILED
    )
    report_id = error.detail.get("report_id") if status == "duplicate" else None
    return _outcome_save(job, filename, status, error.code, error.message, report_id=report_id)


def _outcome_save(
    job: IngestionJob | None,
    filename: str,
    status: str,
    code: str = "",
    message: str = "",
    *,
    report: Report | None = None,
    report_id: Any = None,
) -> IngestionOutcome:
    outcome = IngestionOutcome(
        job=job,
        filename=filename[:1000],
        status=status,
        code=code,
        message=message,
        report_id=report.pk if report is not None else report_id,
    )
    if job is None:
        return outcome
    with transaction.atomic(savepoint=False):  # one with the caller's, if it has one
        outcome.save()
        IngestionJob.objects.filter(pk=job.pk).update(
            total=F("total") + 1,
            updated_at=timezone.now(),
            **{_COUNTER[status]: F(_COUNTER[status]) + 1},
        )
    return outcome


def ingest_paths(
    *,
    paths: list[str],
    job: IngestionJob,
    on_progress: ProgressCallback | None = None,
    manifests: list[str] | tuple[str, ...] = (),
) -> IngestionJob:
    """Ingest files, folders (recursively), globs, .zip archives and .jsonl manifests, then the
    ``manifests`` (JSONL whatever their names).

    ``on_progress(outcome, done, expected)`` is called after each file.
    """
    return _ingest_paths(paths=paths, job=job, on_progress=on_progress, manifests=manifests)


def _ingest_paths(
    *,
    paths: list[str],
    job: IngestionJob,
    on_progress: ProgressCallback | None = None,
    manifests: list[str] | tuple[str, ...] = (),
    skip: frozenset[str] = frozenset(),
) -> IngestionJob:
    expected = count_sources(paths, manifests)
    limits = archive_limits(allow_outside=job.inputs.get("allow_outside", ()))
    found = iter_sources(paths, manifests, limits=limits)
    sources = (s for s in found if s.name not in skip)
    ingest_sources(sources, job=job, expected=expected, on_progress=on_progress)
    job.refresh_from_db()
    return job


def archive_limits(
    *, max_members: int | None = None, allow_outside: Iterable[str] = ()
) -> ArchiveLimits:
    """The archive limits in force (``max_members``: what an upload has left of its files;
    ``allow_outside``: roots a folder's symlinks and a manifest's paths may lead to)."""
    return ArchiveLimits(
        max_expanded_bytes=settings.ARCHIVE_MAX_EXPANDED_BYTES,
        max_ratio=settings.ARCHIVE_MAX_RATIO,
        max_members=max_members,
        allowed_roots=tuple(Path(p) for p in allow_outside),
    )


def ingest_sources(
    sources: Iterable[SourceFile],
    *,
    job: IngestionJob,
    expected: int = 0,
    on_progress: ProgressCallback | None = None,
    metadata: dict[str, Any] | None = None,
) -> int:
    limit = settings.UPLOAD_MAX_FILE_BYTES
    done = 0
    for source in sources:
        outcome = with_db_retry(
            partial(_ingest_source, source, job=job, limit=limit, metadata=metadata),
            what=f"ingesting {source.name}",
        )
        done += 1
        if on_progress is not None:
            on_progress(outcome, done, max(expected, done))
    return done


def _ingest_source(
    source: SourceFile, *, job: IngestionJob, limit: int, metadata: dict[str, Any] | None
) -> IngestionOutcome:
    if source.error is not None:
        return outcome_record(job=job, filename=source.name, error=source.error)
    assert source.read is not None  # noqa: S101 (a source has either an error or a reader)
    try:
        data = source.read(limit)
    except DomainError as exc:
        return outcome_record(job=job, filename=source.name, error=exc)
    except OSError as exc:
        failed = IngestionOutcome.Status.FAILED
        return _outcome_save(job, source.name, failed, "unreadable", str(exc))
    return report_ingest_file(
        data=data,
        filename=source.name,
        job=job,
        metadata={**(metadata or {}), **source.metadata},
        source_url=source.source_url,
    )


def ingestion_job_run(
    *,
    job_id: int,
    paths: list[str] | None = None,
    manifests: list[str] | tuple[str, ...] | None = None,
    on_progress: ProgressCallback | None = None,
) -> IngestionJob | None:
    """Run a bulk load, or go on with one that stopped: files with an outcome are skipped.

    ``paths``/``manifests`` default to the ones the job recorded. None if the job is gone or
    already finished.
    """
    with job_run(job_id) as running_elsewhere:
        job = IngestionJob.objects.filter(pk=job_id).first()
        if job is None or job.finished_at is not None or running_elsewhere:
            return None
        if job.status == IngestionJob.Status.PENDING:
            job.status, job.started_at = IngestionJob.Status.RUNNING, timezone.now()
            job.save(update_fields=["status", "started_at", "updated_at"])
        paths = job.inputs.get("paths", []) if paths is None else paths
        manifests = job.inputs.get("manifests", []) if manifests is None else manifests
        done = frozenset(job.outcomes.values_list("filename", flat=True))
        _ingest_paths(paths=paths, manifests=manifests, job=job, skip=done, on_progress=on_progress)
        return ingestion_job_finish(job=job)


def ingestion_job_resume(
    *, job_id: int, on_progress: ProgressCallback | None = None
) -> IngestionJob:
    """Go on with a bulk load that stopped (``ingest_reports --resume JOB``): its files without
    an outcome are ingested, then the job is finished again."""
    job = IngestionJob.objects.filter(pk=job_id).first()
    if job is None:
        raise MissingJobError(f"there is no ingestion job {job_id}", job_id=job_id)
    if not (job.inputs.get("paths") or job.inputs.get("manifests")):
        raise JobNotResumableError(
            f"job {job_id} recorded no paths or manifests to read again", job_id=job_id
        )
    job.status, job.finished_at, job.error_message = IngestionJob.Status.RUNNING, None, ""
    job.save(update_fields=["status", "finished_at", "error_message", "updated_at"])
    resumed = ingestion_job_run(job_id=job_id, on_progress=on_progress)
    if resumed is None:
        raise JobNotResumableError(f"job {job_id} is being run elsewhere", job_id=job_id)
    return resumed


def ingestion_job_enqueue(
    *,
    paths: list[str],
    manifests: list[str] | tuple[str, ...] = (),
    label: str = "",
    started_by: Any = None,
    defer_search_index: bool = False,
    allow_outside: list[str] | tuple[str, ...] = (),
) -> IngestionJob:
    """Create a job and queue its bulk load on a worker (paths are made absolute)."""
    job = IngestionJob(
        source=IngestionJob.Source.COMMAND,
        label=(label or " ".join([*paths, *manifests]))[:_LABEL_MAX],
        started_by=started_by,
        status=IngestionJob.Status.PENDING,
        defer_search_index=defer_search_index,
        inputs=_inputs(paths, manifests, worker=True, allow_outside=_absolute(allow_outside)),
    )
    job.full_clean()
    job.save()
    ingest_reports.delay_on_commit(job.pk, job.inputs["paths"], job.inputs["manifests"])
    return job
