"""Hostile and malformed documents: each reader failure is a failed outcome of that file, with a
code, while the batch goes on and its job ends."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.models import IngestionJob, IngestionOutcome, Report
from tests.conftest import CORPUS_DIR
from tests.fixtures.files.hostile import aes_encrypted_pdf, billion_laughs_docx, malformed_docx
from tests.integration.api_support import WRITE_PERMISSIONS, token_client, user_with

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
CORPUS = sorted(CORPUS_DIR.glob("*.txt"))
HOSTILE = {
    "b_malformed.docx": (malformed_docx, "corrupt_document"),
    "c_laughs.docx": (billion_laughs_docx, "corrupt_document"),
    "d_aes.pdf": (aes_encrypted_pdf, "encrypted"),
}


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    """Hostile documents between two good reports (sorted: a_ first, z_ last)."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_first.txt").write_bytes(CORPUS[0].read_bytes())
    for name, (build, _) in HOSTILE.items():
        (folder / name).write_bytes(build())
    (folder / "z_last.txt").write_bytes(CORPUS[1].read_bytes())
    return folder


def _by_name(job: IngestionJob) -> dict[str, IngestionOutcome]:
    return {Path(o.filename.split("!")[-1]).name: o for o in job.outcomes.all()}


def test_command_records_each_hostile_document_and_goes_on(
    hostile_folder: Path, django_capture_on_commit_callbacks
):
    """``ingest_reports`` gives each hostile document a failed outcome with its code, ingests the
    file after them, and ends the job."""
    out = io.StringIO()
    with (
        pytest.raises(CommandError, match="3 of 5 files failed"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("ingest_reports", str(hostile_folder), "--no-progress", stdout=out)
    job = IngestionJob.objects.get()
    outcomes = _by_name(job)
    for name, (_, code) in HOSTILE.items():
        assert (outcomes[name].status, outcomes[name].code) == ("failed", code), name
        assert outcomes[name].message
        assert f"{name}: {code}:" in out.getvalue()
    assert outcomes["z_last.txt"].status == IngestionOutcome.Status.PARSED
    assert job.status == IngestionJob.Status.FAILED
    assert job.finished_at is not None
    assert Report.objects.count() == 2


def test_upload_of_hostile_documents_answers_202_and_ends_its_job(
    django_capture_on_commit_callbacks,
):
    """Through the API the upload is accepted, each hostile file fails with its code, the good
    one is ingested, and the job is finished, not left running."""
    client = token_client(user_with("uploader", *WRITE_PERMISSIONS))
    files = []
    for name, (build, _) in HOSTILE.items():
        upload = io.BytesIO(build())
        upload.name = name
        files.append(upload)
    good = io.BytesIO(CORPUS[2].read_bytes())
    good.name = "good.txt"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", {"files": [*files, good]}, format="multipart")
    assert response.status_code == 202, response.content
    job = IngestionJob.objects.get(pk=response.json()["id"])
    outcomes = _by_name(job)
    assert {n: (o.status, o.code) for n, o in outcomes.items() if n in HOSTILE} == {
        name: ("failed", code) for name, (_, code) in HOSTILE.items()
    }
    assert outcomes["good.txt"].status == IngestionOutcome.Status.PARSED
    assert job.status == IngestionJob.Status.FAILED
    assert job.finished_at is not None


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_parse_report_command_names_the_code(name: str, tmp_path: Path):
    """The file-only ``parse_report`` command prints the same code, not a traceback."""
    build, code = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(build())
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("parse_report", str(path), "--jsonl", stdout=out)
    assert f'"code": "{code}"' in out.getvalue()
