"""A bulk load reads only where it was pointed: a manifest's paths stay in its folder, a folder's
symlinks stay in the folder, unless ``--allow-outside ROOT`` names another root."""

import contextlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.models import IngestionJob, Report
from tests.conftest import CORPUS_DIR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
CORPUS = sorted(CORPUS_DIR.glob("*.txt"))


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    """A load folder with a manifest, and a secret file beside it, outside the folder."""
    load, outside = tmp_path / "load", tmp_path / "outside"
    load.mkdir()
    outside.mkdir()
    (load / "inside.txt").write_bytes(CORPUS[0].read_bytes())
    secret = outside / "secret.txt"
    secret.write_bytes(CORPUS[1].read_bytes())
    return {"load": load, "outside": outside, "secret": secret}


def _ingest(*args: str) -> tuple[IngestionJob, str]:
    out = io.StringIO()
    with contextlib.suppress(CommandError):  # refused files fail the command; the job says which
        call_command("ingest_reports", *args, "--no-progress", stdout=out)
    return IngestionJob.objects.latest("pk"), out.getvalue()


def _codes(job: IngestionJob) -> list[str]:
    return sorted(o.code or o.status for o in job.outcomes.all())


@pytest.mark.parametrize("kind", ["relative", "absolute"])
def test_manifest_path_outside_its_folder_is_unsafe(layout, kind):
    """``../outside/secret.txt`` and an absolute path outside the manifest's folder are refused
    with ``unsafe_path``; the secret is never read into a report."""
    path = "../outside/secret.txt" if kind == "relative" else str(layout["secret"])
    manifest = layout["load"] / "list.jsonl"
    manifest.write_text(
        json.dumps({"path": "inside.txt"}) + "\n" + json.dumps({"path": path}) + "\n"
    )
    job, out = _ingest("--manifest", str(manifest))
    assert _codes(job) == ["ingested", "unsafe_path"]
    assert "unsafe_path" in out
    secret = layout["secret"].read_text("utf-8").strip()
    assert not Report.objects.filter(raw_text=secret).exists()


def test_symlink_in_a_folder_leading_out_is_unsafe(layout):
    """A symlink in an ingested folder pointing outside it (``passwd.txt → /etc/passwd`` in the
    attack) is refused; the folder's own files are ingested."""
    (layout["load"] / "passwd.txt").symlink_to(layout["secret"])
    (layout["load"] / "etc.txt").symlink_to("/etc/passwd")
    job, _ = _ingest(str(layout["load"]))
    assert _codes(job) == ["ingested", "unsafe_path", "unsafe_path"]
    assert Report.objects.count() == 1


def test_symlink_within_the_folder_is_read(layout):
    """A symlink to another file of the same folder stays inside it and is read (as the
    duplicate it is)."""
    (layout["load"] / "alias.txt").symlink_to(layout["load"] / "inside.txt")
    job, _ = _ingest(str(layout["load"]))
    assert _codes(job) == ["duplicate_report", "ingested"]


def test_allow_outside_names_a_root_that_may_be_read(layout):
    """``--allow-outside ROOT`` lets manifest paths and symlinks lead into ROOT, and only there."""
    (layout["load"] / "passwd.txt").symlink_to(layout["secret"])
    (layout["load"] / "etc.txt").symlink_to("/etc/passwd")
    job, _ = _ingest(str(layout["load"]), "--allow-outside", str(layout["outside"]))
    assert _codes(job) == ["ingested", "ingested", "unsafe_path"]
    assert job.inputs["allow_outside"] == [str(layout["outside"])]
