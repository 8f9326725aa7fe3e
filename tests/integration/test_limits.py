"""Decompression bombs and row amplification: every limit on an archive and on one report ends in
a stated outcome, and nothing past a limit is written."""

import io
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings

from indicators.models import IndicatorValue
from reports.models import IngestionJob, IngestionOutcome, Report, Section, StoredUpload
from reports.services.ingest import ingest_paths, ingestion_job_create, ingestion_job_finish
from reports.services.uploads import report_ingest_upload
from tests.conftest import CORPUS_DIR
from tests.integration.api_support import WRITE_PERMISSIONS, token_client, user_with

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
CORPUS = sorted(CORPUS_DIR.glob("*.txt"))
MB = 1024 * 1024


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(files, capture) -> IngestionJob:
    with capture(execute=True):
        job = report_ingest_upload(files=files)
    job.refresh_from_db()
    return job


def _outcomes(job: IngestionJob) -> dict[str, tuple[str, str]]:
    return {o.filename: (o.status, o.code) for o in job.outcomes.all()}


@override_settings(ARCHIVE_MAX_EXPANDED_BYTES=32 * MB, ARCHIVE_MAX_RATIO=10_000)
def test_archive_expanding_past_the_limit_is_refused_whole(django_capture_on_commit_callbacks):
    """A small archive declaring more expanded bytes than allowed is one ``archive_too_large``
    outcome; none of its members is read or stored."""
    bomb = _zip({f"part{i:02}.txt": b"\x20" * (4 * MB) for i in range(10)})
    assert len(bomb) < MB
    job = _upload([("bomb.zip", bomb)], django_capture_on_commit_callbacks)
    assert _outcomes(job) == {"bomb.zip": ("failed", "archive_too_large")}
    assert "41943040 bytes" in job.outcomes.get().message
    assert not Report.objects.exists()
    assert job.status == IngestionJob.Status.FAILED


def test_member_compressed_past_the_ratio_is_refused(django_capture_on_commit_callbacks):
    """A member expanding more than ``ARCHIVE_MAX_RATIO`` times is refused on its own
    (``compression_ratio``); a normal member beside it is ingested."""
    archive = _zip({"normal.txt": CORPUS[0].read_bytes(), "dense.txt": "法".encode() * MB})
    job = _upload([("mixed.zip", archive)], django_capture_on_commit_callbacks)
    assert _outcomes(job) == {
        "mixed.zip!normal.txt": ("parsed", ""),
        "mixed.zip!dense.txt": ("failed", "compression_ratio"),
    }


@override_settings(UPLOAD_MAX_FILES=4)
def test_archive_members_count_against_the_upload_file_limit(django_capture_on_commit_callbacks):
    """With two plain files and room for four, an archive of three members is refused
    (``too_many_files``) while the plain files are ingested."""
    archive = _zip({f"m{i}.txt": f"第{i}份".encode() + CORPUS[i].read_bytes() for i in range(3)})
    files = [("a.txt", CORPUS[0].read_bytes()), ("b.txt", CORPUS[1].read_bytes())]
    job = _upload([*files, ("three.zip", archive)], django_capture_on_commit_callbacks)
    assert _outcomes(job) == {
        "a.txt": ("parsed", ""),
        "b.txt": ("parsed", ""),
        "three.zip": ("failed", "too_many_files"),
    }


def test_report_text_past_the_character_limit_is_refused(django_capture_on_commit_callbacks):
    """A file whose text passes ``REPORT_MAX_CHARS`` is ``text_too_long``; nothing is stored."""
    text = CORPUS[0].read_text("utf-8")
    long_text = (text * (600_000 // len(text) + 1)).encode()
    with override_settings(UPLOAD_MAX_FILE_BYTES=10 * MB):
        job = _upload([("long.txt", long_text)], django_capture_on_commit_callbacks)
    assert _outcomes(job) == {"long.txt": ("failed", "text_too_long")}
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("limit", "code"),
    [
        ({"REPORT_MAX_SECTIONS": 2}, "too_many_sections"),
        ({"REPORT_MAX_VALUES": 2}, "too_many_values"),
    ],
)
def test_parse_past_the_row_limits_fails_and_writes_nothing(
    limit, code, django_capture_on_commit_callbacks
):
    """A report whose parse has more sections or values than allowed fails with the code; no
    section or value of it is written."""
    with override_settings(**limit):
        job = _upload([("one.txt", CORPUS[0].read_bytes())], django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert (report.status, report.error_code) == (Report.Status.FAILED, code)
    assert _outcomes(job) == {"one.txt": (IngestionOutcome.Status.PARSE_FAILED, code)}
    assert not Section.objects.exists()
    assert not IndicatorValue.objects.exists()


@override_settings(ARCHIVE_MAX_EXPANDED_BYTES=32 * MB, ARCHIVE_MAX_RATIO=10_000)
def test_command_archive_obeys_the_same_limits(tmp_path: Path):
    """``ingest_reports`` applies the archive limits to a zip on disk too."""
    (tmp_path / "bomb.zip").write_bytes(_zip({f"p{i}.txt": b"\x20" * (4 * MB) for i in range(10)}))
    job = ingestion_job_create(source=IngestionJob.Source.COMMAND, label="bomb")
    job = ingestion_job_finish(job=ingest_paths(paths=[str(tmp_path)], job=job))
    ((name, outcome),) = _outcomes(job).items()
    assert name.endswith("bomb.zip")
    assert outcome == ("failed", "archive_too_large")


def test_upload_answers_before_the_archive_is_read():
    """The request stores the upload and answers 202 with the job pending: nothing is expanded
    or ingested until the queued task runs (here: on commit, which the test never reaches)."""
    client = token_client(user_with("uploader", *WRITE_PERMISSIONS))
    upload = io.BytesIO(_zip({"r.txt": CORPUS[0].read_bytes()}))
    upload.name = "batch.zip"
    response = client.post("/api/v1/reports/", {"files": [upload]}, format="multipart")
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["total"]) == ("pending", 0)
    assert StoredUpload.objects.filter(job_id=body["id"], filename="batch.zip").exists()
    assert not Report.objects.exists()
