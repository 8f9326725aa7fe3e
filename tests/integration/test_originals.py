"""Originals: the uploaded bytes kept in the ``originals`` storage (local files, or an S3 bucket
served here by moto's server), with their sha256, downloadable, kept across re-parse and deleted
after their report's deletion commits."""

from __future__ import annotations

import hashlib
import socket
from urllib.parse import quote

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from rest_framework.test import APIClient

from reports.models import Report
from reports.services.manage import report_delete
from reports.services.parse import report_parse
from reports.services.uploads import report_ingest_upload
from tests.fixtures.files import build
from tests.integration.api_support import token_client, user_with

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(capture, name: str, data: bytes) -> Report:
    with capture(execute=True):
        job = report_ingest_upload(files=[(name, data)])
    return Report.objects.get(job=job)


def download(report: Report):
    return APIClient().get(reverse("v1:report-original", kwargs={"pk": report.pk}))


def test_uploaded_file_is_kept_byte_for_byte_with_its_checksum(
    django_capture_on_commit_callbacks, originals_in_tmp
):
    """The stored file holds the uploaded bytes; raw_sha256 is their sha256."""
    data = build.docx_document()
    report = upload(django_capture_on_commit_callbacks, "青山县报告.docx", data)
    assert report.raw_sha256 == hashlib.sha256(data).hexdigest()
    stored = originals_in_tmp / report.original_name
    assert stored.read_bytes() == data
    assert report.original_name.endswith(".docx")


def test_original_downloads_with_its_type_and_escaped_name(django_capture_on_commit_callbacks):
    """The download is an attachment with the upload's type and its name, RFC 5987-encoded when
    it is not ASCII, with no archive folders and no control characters."""
    data = build.docx_document()
    report = upload(django_capture_on_commit_callbacks, "2023年\r\n报告.docx", data)
    response = download(report)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert b"".join(response.streaming_content) == data
    disposition = response["Content-Disposition"]
    assert disposition == f"attachment; filename*=utf-8''{quote('2023年报告.docx')}"


def test_ascii_name_with_quotes_is_escaped(django_capture_on_commit_callbacks):
    """A quote in an ASCII name cannot end the header's quoted string."""
    report = upload(django_capture_on_commit_callbacks, 'in.zip/dir/a"b.html', build.html_page())
    disposition = download(report)["Content-Disposition"]
    assert disposition == 'attachment; filename="a\\"b.html"'


def test_report_without_original_answers_original_missing(django_capture_on_commit_callbacks):
    """A report loaded before originals were kept: 404 with its code, not a 500."""
    report = upload(django_capture_on_commit_callbacks, "a.html", build.html_page())
    Report.objects.filter(pk=report.pk).update(original_name="")
    response = download(report)
    assert response.status_code == 404
    assert response.json()["code"] == "original_missing"
    assert APIClient().get("/api/v1/reports/999999/original/").status_code == 404


def test_reparse_keeps_the_original(django_capture_on_commit_callbacks, originals_in_tmp):
    """A re-parse reads the stored text and leaves the original as it was."""
    data = build.html_page()
    report = upload(django_capture_on_commit_callbacks, "a.html", data)
    Report.objects.filter(pk=report.pk).update(parsed_text_sha256="", parser_version="")
    report_parse(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.PARSED
    assert (originals_in_tmp / report.original_name).read_bytes() == data


def test_delete_removes_the_original_only_after_commit(
    django_capture_on_commit_callbacks, originals_in_tmp
):
    """Deleting a report deletes its file once the deletion commits, not before."""
    report = upload(django_capture_on_commit_callbacks, "a.html", build.html_page())
    stored = originals_in_tmp / report.original_name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_delete(report=report)
    assert stored.exists()  # not committed yet
    for callback in callbacks:
        callback()
    assert not stored.exists()


def test_api_delete_removes_the_original(django_capture_on_commit_callbacks, originals_in_tmp):
    """DELETE /reports/{id}/ goes through the same policy."""
    report = upload(django_capture_on_commit_callbacks, "a.html", build.html_page())
    stored = originals_in_tmp / report.original_name
    client = token_client(user_with("deleter", "reports.delete_report"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(reverse("v1:report-detail", kwargs={"pk": report.pk}))
    assert response.status_code == 204
    assert not stored.exists()


def test_exact_duplicate_stores_no_second_file(
    django_capture_on_commit_callbacks, originals_in_tmp
):
    """A duplicate text is refused before anything is stored."""
    upload(django_capture_on_commit_callbacks, "a.html", build.html_page())
    with django_capture_on_commit_callbacks(execute=True):
        job = report_ingest_upload(files=[("copy.html", build.html_page())])
    job.refresh_from_db()
    assert job.duplicate == 1
    assert len([p for p in originals_in_tmp.rglob("*") if p.is_file()]) == 1


# --- S3-compatible storage (moto's server mode) -----------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_originals(settings, monkeypatch):
    """An S3 server (moto) on a local port, a bucket in it, and the originals stored there."""
    boto3 = pytest.importorskip("boto3")
    moto_server = pytest.importorskip("moto.server")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="fazhi-originals")
    settings.STORAGES = {
        **settings.STORAGES,
        "originals": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "fazhi-originals",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "location": "originals",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client
    server.stop()


def _keys(client) -> list[str]:
    listing = client.list_objects_v2(Bucket="fazhi-originals")
    return [item["Key"] for item in listing.get("Contents", [])]


def test_s3_storage_keeps_serves_and_deletes_the_original(
    s3_originals, django_capture_on_commit_callbacks
):
    """With an S3 bucket configured, the original is an object in it: the same bytes, served for
    download, deleted once the report's deletion commits."""
    data = build.docx_document()
    report = upload(django_capture_on_commit_callbacks, "报告.docx", data)
    assert storages["originals"].__class__.__name__ == "S3Storage"
    key = f"originals/{report.original_name}"
    assert _keys(s3_originals) == [key]
    body = s3_originals.get_object(Bucket="fazhi-originals", Key=key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == report.raw_sha256
    response = download(report)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    with django_capture_on_commit_callbacks(execute=True):
        report_delete(report=report)
    assert _keys(s3_originals) == []


def test_storage_failure_is_a_stated_outcome_and_saves_nothing(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    """When the original cannot be stored, the file fails with ``storage_failed`` and no report
    is saved (it can be sent again), rather than an error escaping."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage wants a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker)},
        },
    }
    with django_capture_on_commit_callbacks(execute=True):
        job = report_ingest_upload(files=[("a.html", build.html_page())])
    job.refresh_from_db()
    (outcome,) = job.outcomes.all()
    assert (outcome.status, outcome.code) == ("failed", "storage_failed")
    assert job.failed == 1
    assert not Report.objects.exists()
