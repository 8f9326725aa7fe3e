"""Uploads through the API: the files are stored with their job and the request is answered at
once; a worker reads them, expands archives and ingests each file, off the request path.

An archive is checked before any member is read (``ArchiveLimits``): its members count against
the upload's ``UPLOAD_MAX_FILES`` with the upload's other files, its expanded size against
``ARCHIVE_MAX_EXPANDED_BYTES``, each member's compression ratio against ``ARCHIVE_MAX_RATIO``.
A run of the job that stopped (a worker killed, the database restarted) goes on where it stopped
when the task runs again; the stored files are deleted once the job is done.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from reports.errors import (
    BrokerUnavailableError,
    CorruptArchiveError,
    DomainError,
    FileTooLargeError,
)
from reports.models import IngestionJob, StoredUpload
from reports.services.ingest import (
    archive_limits,
    ingest_sources,
    ingestion_job_finish,
    job_run,
    outcome_record,
    report_ingest_file,
)
from reports.services.retry import with_db_retry
from reports.services.sources import ARCHIVE_EXTENSION, archive_members
from reports.tasks import ingest_upload

_LABEL_MAX = 500


def report_ingest_upload(
    *,
    files: Sequence[tuple[str, bytes] | UploadedFile],
    started_by: Any = None,
    metadata: dict[str, Any] | None = None,
    uploaded_by: Any = None,
) -> IngestionJob:
    """Store uploaded files as a pending job and queue their ingestion on a worker.

    With no broker the task runs at once, in this process. The job is returned as it stands
    when the task is queued (or, run at once, done). If the broker cannot be reached, nothing
    is kept and ``BrokerUnavailableError`` (503) says so.
    """
    names = [_upload_name(f) for f in files]
    limit = settings.UPLOAD_MAX_FILE_BYTES
    job = None
    try:
        with transaction.atomic():
            job = _job_stored(names, files, limit, started_by or uploaded_by, metadata)
            ingest_upload.delay_on_commit(job.pk)  # raises here, after commit, if it cannot
    except BrokerError as exc:
        if job is not None:
            IngestionJob.objects.filter(pk=job.pk).delete()  # its stored files go with it
        raise BrokerUnavailableError(
            "The task queue is unreachable, so the upload was not accepted and nothing of it "
            "was kept. Send it again in a minute.",
            retry_after_seconds=60,
        ) from exc
    job.refresh_from_db()
    return job


def _job_stored(
    names: list[str],
    files: Sequence[tuple[str, bytes] | UploadedFile],
    limit: int,
    started_by: Any,
    metadata: dict[str, Any] | None,
) -> IngestionJob:
    job = IngestionJob(
        source=IngestionJob.Source.API,
        label=", ".join(names)[:_LABEL_MAX],
        started_by=started_by,
        status=IngestionJob.Status.PENDING,
        inputs={"metadata": _json_ready(metadata or {})},
    )
    job.full_clean()
    job.save()
    for position, (name, upload) in enumerate(zip(names, files, strict=True)):
        try:
            data = _upload_bytes(upload, name, limit)
        except DomainError as exc:
            outcome_record(job=job, filename=name, error=exc)
            continue
        StoredUpload(job=job, position=position, filename=name[:1000], data=data).save()
    return job


def _json_ready(metadata: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in metadata.items()}


def _upload_name(upload: tuple[str, bytes] | UploadedFile) -> str:
    if isinstance(upload, tuple):
        return upload[0]
    return upload.name or "upload"


def _upload_bytes(upload: tuple[str, bytes] | UploadedFile, name: str, limit: int) -> bytes:
    if isinstance(upload, tuple):
        return upload[1]
    if upload.size is not None and upload.size > limit:
        raise FileTooLargeError(
            f"{name} is {upload.size} bytes, over the limit of {limit}", size=upload.size
        )
    upload.seek(0)
    data: bytes = upload.read()
    return data


def ingest_upload_run(*, job_id: int) -> IngestionJob | None:
    """Ingest a stored upload (the worker's side); None if the job is gone or already done."""
    with job_run(job_id) as running_elsewhere:
        job = IngestionJob.objects.filter(pk=job_id).first()
        if job is None or job.finished_at is not None or running_elsewhere:
            return None
        return _upload_run(job)


def _upload_run(job: IngestionJob) -> IngestionJob:
    if job.status == IngestionJob.Status.PENDING:
        job.status, job.started_at = IngestionJob.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    done = frozenset(job.outcomes.values_list("filename", flat=True))
    metadata = job.inputs.get("metadata") or None
    uploads = list(job.uploads.values_list("pk", "filename"))
    archives = sum(1 for _, name in uploads if name.lower().endswith(ARCHIVE_EXTENSION))
    budget = settings.UPLOAD_MAX_FILES - (len(uploads) - archives)  # files left for members
    for pk, name in uploads:
        data = bytes(StoredUpload.objects.values_list("data", flat=True).get(pk=pk))
        if name.lower().endswith(ARCHIVE_EXTENSION):
            budget -= _ingest_archive(data, name=name, job=job, metadata=metadata, budget=budget)
        elif name not in done:
            ingest = partial(report_ingest_file, data=data, filename=name, job=job)
            with_db_retry(partial(ingest, metadata=metadata), what=f"ingesting {name}")
    job = ingestion_job_finish(job=job)
    StoredUpload.objects.filter(job=job).delete()
    return job


def _ingest_archive(
    data: bytes, *, name: str, job: IngestionJob, metadata: dict[str, Any] | None, budget: int
) -> int:
    """Ingest an archive's members not yet done; returns how many files it counted for."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        if not job.outcomes.filter(filename=name).exists():
            outcome_record(job=job, filename=name, error=CorruptArchiveError(f"{name}: {exc}"))
        return 1
    done = frozenset(job.outcomes.values_list("filename", flat=True))
    with archive:
        limits = archive_limits(max_members=max(budget, 0))
        members = list(archive_members(archive, display=name, limits=limits, metadata=metadata))
        ingest_sources((m for m in members if m.name not in done), job=job, metadata=metadata)
    return len(members)
