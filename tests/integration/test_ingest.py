"""Ingestion on a real PostgreSQL: the sample corpus through the service and the command, and each
kind of bad input with its stated outcome while the rest of the batch goes on."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from reports.models import IngestionJob, IngestionOutcome, Report
from reports.services.ingest import (
    ingest_paths,
    ingestion_job_create,
    ingestion_job_finish,
    report_ingest_file,
)
from reports.services.uploads import report_ingest_upload
from tests.conftest import CORPUS_DIR
from tests.fixtures.files import build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
Status = IngestionOutcome.Status
CORPUS = sorted(CORPUS_DIR.glob("*.txt"))


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service or command and run what it queued on commit (the parse), as in production."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def new_job() -> IngestionJob:
    return ingestion_job_create(source=IngestionJob.Source.COMMAND, label="test")


def outcome_named(job: IngestionJob, name: str) -> IngestionOutcome:
    (outcome,) = [o for o in job.outcomes.all() if o.filename.endswith(name)]
    return outcome


def test_corpus_is_ingested_and_parsed_through_the_service(run):
    """Each corpus file becomes one parsed report holding the file's text and its hashes."""
    job = run(ingest_paths, paths=[str(CORPUS_DIR)], job=new_job())
    job = ingestion_job_finish(job=job)
    n = len(CORPUS)
    assert (job.total, job.ingested, job.failed, job.parsed) == (n, n, 0, n)
    assert job.status == IngestionJob.Status.FINISHED
    for path in CORPUS:
        report = Report.objects.get(filename=str(path))
        assert report.raw_text == path.read_text("utf-8").strip("\n")
        assert report.text_sha256 == hashlib.sha256(report.raw_text.encode()).hexdigest()
        assert report.raw_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert (report.source_format, report.encoding) == ("txt", "utf-8")
        assert report.status == Report.Status.PARSED, report.error_message
        assert report.sections.exists()
        assert report.outcomes.get(job=job).status == Status.PARSED


@pytest.mark.django_db(transaction=True)
def test_corpus_is_ingested_through_the_command():
    """``ingest_reports DIR`` parses as it goes (no broker), prints a summary and succeeds."""
    out = io.StringIO()
    call_command("ingest_reports", str(CORPUS_DIR), "--no-progress", stdout=out)
    summary = out.getvalue()
    assert f"ingested:   {len(CORPUS)}" in summary
    assert f"parsed:     {len(CORPUS)}" in summary
    assert Report.objects.filter(status=Report.Status.PARSED).count() == len(CORPUS)


@pytest.mark.django_db(transaction=True)
def test_deferred_index_parses_first_and_indexes_every_section_at_the_end():
    """``--defer-index`` stores sections without vectors, then indexes all of them in one pass:
    afterwards every section is current and searchable, as if indexed on parse."""
    from reports.models import Section
    from reports.parsing.segment import segmenter_version
    from reports.search.selectors import section_search
    from reports.search.vectors import normalise

    out = io.StringIO()
    call_command("ingest_reports", str(CORPUS_DIR), "--no-progress", "--defer-index", stdout=out)
    job = IngestionJob.objects.get()
    assert job.defer_search_index
    sections = Section.objects.all()
    assert f"indexed {sections.count()} sections for search" in out.getvalue()
    assert sections.filter(segmenter_version=segmenter_version()).count() == sections.count()
    assert not sections.filter(search_vector__isnull=True).exists()
    truth = {s.pk for s in sections if "行政复议" in normalise(s.title) + "\n" + normalise(s.text)}
    found = section_search(query="行政复议", limit=10_000, facets=False)
    assert truth
    assert {h.section.pk for h in found.hits} == truth


def test_parse_without_index_leaves_sections_stale_for_reindex(run):
    """A parse with ``index=False`` writes no word vectors and marks its sections stale: search
    finds them by their characters only (the recall index reads the text), and as word matches
    once ``reindex_search`` has run."""
    from reports.models import Section
    from reports.search.selectors import section_search
    from reports.services.parse import report_parse

    job = ingestion_job_create(source=IngestionJob.Source.COMMAND, defer_search_index=True)
    outcome = run(report_ingest_file, data=CORPUS[0].read_bytes(), filename="a.txt", job=job)
    report = Report.objects.get(pk=outcome.report_id)
    assert report.status == Report.Status.PARSED
    sections = Section.objects.filter(report=report)
    assert sections.exists()
    assert set(sections.values_list("segmenter_version", flat=True)) == {""}
    assert not sections.filter(search_vector__isnull=False).exists()
    before = section_search(query="法治", facets=False, limit=50)
    assert before.total > 0
    assert not any(hit.word_match for hit in before.hits)
    call_command("reindex_search", stdout=io.StringIO())
    after = section_search(query="法治", facets=False, limit=50)
    assert after.total == before.total
    assert any(hit.word_match for hit in after.hits)
    Report.objects.filter(pk=report.pk).update(parsed_text_sha256="")
    report_parse(report_id=report.pk)  # a later re-parse indexes as it goes
    assert not sections.filter(search_vector__isnull=True).exists()


def test_same_text_in_three_formats_is_stored_once(run):
    """The .html, .pdf and GBK .txt of one report have one text: the first in path order is
    stored, the others are duplicates naming it. The .docx, which adds a table, comes first in
    path order; the .html's text, nearly the same, is stored too but flagged as its possible
    copy."""
    job = run(ingest_paths, paths=[str(build.HERE / "*.*")], job=new_job())
    html = outcome_named(job, "qingshan.html")
    docx = outcome_named(job, "qingshan.docx")
    assert (html.status, html.code) == (Status.PARSED, "near_duplicate")  # parsed, and flagged
    assert html.report.duplicate_of_id == docx.report_id
    assert html.report.status == Report.Status.PARSED
    assert (html.report.source_format, html.report.encoding) == ("html", "utf-8")
    for name in ("qingshan.pdf", "qingshan_gbk.txt"):
        outcome = outcome_named(job, name)
        assert (outcome.status, outcome.code) == (Status.DUPLICATE, "duplicate_report")
        assert outcome.report_id == html.report_id
        assert f"report {html.report_id}" in outcome.message
    assert outcome_named(job, "qingshan.docx").report.source_format == "docx"
    assert outcome_named(job, "build.py").code == "unsupported_format"


@pytest.fixture
def bad_batch(tmp_path: Path) -> Path:
    """A folder of good and bad inputs, as a careless export would have them."""
    folder = tmp_path / "batch"
    folder.mkdir()
    text = CORPUS[0].read_text("utf-8")
    (folder / "a_gbk.txt").write_bytes(text.encode("gbk"))
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    (folder / "d_big.txt").write_bytes(("法治" * 30_000).encode())
    (folder / "e_corrupt.zip").write_bytes(b"PK\x03\x04 this is not an archive")
    with zipfile.ZipFile(folder / "f_evil.zip", "w") as archive:
        archive.writestr("../escaped.txt", "越界写入的文件")
        archive.writestr("/etc/absolute.txt", "绝对路径的文件")
        archive.writestr("inner/good.txt", CORPUS[1].read_text("utf-8"))
    (folder / "g_copy_of_a.txt").write_bytes(text.encode("gbk"))
    return folder


@override_settings(UPLOAD_MAX_FILE_BYTES=100_000)
def test_bad_inputs_fail_one_by_one_while_the_batch_goes_on(run, bad_batch: Path):
    """Every bad file gets its own outcome with a code and a message; good files are ingested."""
    job = ingestion_job_finish(job=run(ingest_paths, paths=[str(bad_batch)], job=new_job()))
    expected = {
        "a_gbk.txt": (Status.PARSED, ""),
        "b_empty.txt": (Status.FAILED, "empty_file"),
        "c_binary.txt": (Status.FAILED, "undecodable"),
        "d_big.txt": (Status.FAILED, "file_too_large"),
        "e_corrupt.zip": (Status.FAILED, "corrupt_archive"),
        "../escaped.txt": (Status.FAILED, "unsafe_path"),
        "/etc/absolute.txt": (Status.FAILED, "unsafe_path"),
        "inner/good.txt": (Status.PARSED, ""),
        "g_copy_of_a.txt": (Status.DUPLICATE, "duplicate_report"),
    }
    seen = {o.filename.split("!")[-1].rsplit("/batch/", 1)[-1]: o for o in job.outcomes.all()}
    assert {name: (o.status, o.code) for name, o in seen.items()} == expected
    for outcome in seen.values():
        if outcome.status != Status.PARSED:
            assert outcome.message, outcome.filename
    assert "100000" in seen["d_big.txt"].message
    assert seen["g_copy_of_a.txt"].report_id == seen["a_gbk.txt"].report_id
    assert (job.total, job.ingested, job.duplicate, job.failed) == (9, 2, 1, 6)
    assert job.status == IngestionJob.Status.FAILED
    assert not (bad_batch.parent / "escaped.txt").exists()
    assert not Path("/etc/absolute.txt").exists()
    assert not Report.objects.filter(raw_text__contains="越界写入").exists()


@pytest.mark.django_db(transaction=True)
@override_settings(UPLOAD_MAX_FILE_BYTES=100_000)
def test_command_prints_each_failure_and_exits_non_zero(bad_batch: Path):
    """One ``name: code: message`` line per failed or duplicate file, a summary, a failing exit."""
    out = io.StringIO()
    with pytest.raises(CommandError, match="6 of 9 files failed"):
        call_command("ingest_reports", str(bad_batch), "--no-progress", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith(f"{bad_batch / 'b_empty.txt'}: empty_file: ") for line in lines)
    assert any(": unsafe_path: ../escaped.txt" in line for line in lines)
    assert any("g_copy_of_a.txt: duplicate_report: " in line for line in lines)
    assert "  duplicates: 1" in lines
    assert any(line.startswith("  failed:     6 (") and "unsafe_path 2" in line for line in lines)


def test_duplicate_across_batches_names_the_existing_report(run):
    """Ingesting a file again in a later job is a duplicate of the report of the first job."""
    first = run(ingest_paths, paths=[str(CORPUS[0])], job=new_job())
    second = run(ingest_paths, paths=[str(CORPUS[0])], job=new_job())
    original = first.outcomes.get().report
    again = second.outcomes.get()
    assert (again.status, again.code, again.report_id) == (
        Status.DUPLICATE,
        "duplicate_report",
        original.pk,
    )
    assert f"report {original.pk}" in again.message
    assert Report.objects.count() == 1


def test_same_file_twice_in_one_batch_is_a_duplicate(run):
    """Naming one file twice in a batch stores it once."""
    job = run(ingest_paths, paths=[str(CORPUS[0]), str(CORPUS[0])], job=new_job())
    statuses = list(job.outcomes.order_by("id").values_list("status", flat=True))
    assert statuses == [Status.PARSED, Status.DUPLICATE]
    assert (job.ingested, job.duplicate) == (1, 1)


@override_settings(UPLOAD_MAX_FILE_BYTES=1000)
def test_size_limit_is_checked_before_reading_the_file():
    """Bytes past UPLOAD_MAX_FILE_BYTES fail as file_too_large, even if they are not text."""
    outcome = report_ingest_file(data=b"\x00" * 1001, filename="x.bin", job=new_job())
    assert (outcome.status, outcome.code) == (Status.FAILED, "file_too_large")
    assert "1001 bytes, over the limit of 1000" in outcome.message


def test_manifest_overrides_metadata_and_reports_bad_lines(run, tmp_path: Path):
    """Manifest metadata beats the parser and is pinned; a malformed line and a missing file fail
    with their line numbers while the other lines are ingested."""
    for path in CORPUS[:2]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    lines = [
        json.dumps(
            {
                "path": CORPUS[0].name,
                "title": "手工标题",
                "report_year": 2019,
                "province": "江苏省",
                "source_url": "https://example.gov.cn/a.html",
            },
            ensure_ascii=False,
        ),
        '{"path": "missing.txt"}',
        "{not json",
        "",
        json.dumps({"path": CORPUS[1].name, "report_year": "去年"}, ensure_ascii=False),
    ]
    manifest = tmp_path / "load.jsonl"
    manifest.write_text("\n".join(lines) + "\n", "utf-8")
    job = run(ingest_paths, paths=[str(manifest)], job=new_job())
    outcomes = list(job.outcomes.order_by("id"))
    assert [(o.status, o.code) for o in outcomes] == [
        (Status.PARSED, ""),
        (Status.FAILED, "missing_file"),
        (Status.FAILED, "bad_manifest_line"),
        (Status.FAILED, "bad_manifest_line"),
    ]
    assert outcomes[1].message.startswith("line 2: ")
    assert outcomes[2].filename == "load.jsonl:3"
    assert outcomes[2].message.startswith("line 3: ")
    assert outcomes[3].message.startswith("line 5: report_year")
    report = outcomes[0].report
    assert (report.title, report.report_year, report.province) == ("手工标题", 2019, "江苏省")
    assert report.source_url == "https://example.gov.cn/a.html"
    assert report.metadata_overrides == {
        "title": "手工标题",
        "report_year": 2019,
        "province": "江苏省",
    }


def test_upload_expands_a_zip_in_memory(run):
    """An API upload of a zip ingests its members; unsafe members are refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in CORPUS[:2]:
            archive.writestr(f"reports/{path.name}", path.read_bytes())
        archive.writestr("../../outside.txt", "不应写出")
    files = [("batch.zip", buffer.getvalue()), ("page.html", build.html_page())]
    job = run(report_ingest_upload, files=files, metadata={"report_year": 2023})
    job.refresh_from_db()  # ingested by the task queued on commit
    assert job.source == IngestionJob.Source.API
    assert (job.total, job.ingested, job.failed) == (4, 3, 1)
    assert job.outcomes.get(status=Status.FAILED).code == "unsafe_path"
    assert set(Report.objects.values_list("report_year", flat=True)) == {2023}


def test_ingest_file_without_a_job_returns_an_unsaved_outcome():
    """A lone file can be ingested with no job; its outcome is returned, not stored."""
    outcome = report_ingest_file(data=b"", filename="nothing.txt")
    assert (outcome.status, outcome.code, outcome.pk) == (Status.FAILED, "empty_file", None)


def test_archive_junk_entries_are_not_files_of_the_load(run, tmp_path: Path):
    """macOS resource forks and hidden entries in a zip are skipped, not reported as failures."""
    archive_path = tmp_path / "mac.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("reports/a.txt", CORPUS[0].read_bytes())
        archive.writestr("__MACOSX/reports/._a.txt", b"\x00\x05\x16\x07 resource fork")
        archive.writestr("reports/.DS_Store", b"\x00\x00\x00\x01Bud1")
    job = run(ingest_paths, paths=[str(archive_path)], job=new_job())
    assert [(o.filename, o.status) for o in job.outcomes.all()] == [
        (f"{archive_path}!reports/a.txt", Status.PARSED)
    ]


@pytest.mark.django_db(transaction=True)
def test_manifest_option_reads_a_jsonl_manifest(tmp_path: Path):
    """``--manifest FILE`` ingests the files a manifest names, with its metadata."""
    (tmp_path / "r.txt").write_bytes(CORPUS[2].read_bytes())
    manifest = tmp_path / "list.txt"  # any name: the option says it is a manifest
    manifest.write_text(json.dumps({"path": "r.txt", "county": "测试县"}, ensure_ascii=False))
    out = io.StringIO()
    call_command("ingest_reports", "--manifest", str(manifest), "--no-progress", stdout=out)
    assert "ingested:   1" in out.getvalue()
    assert Report.objects.get().county == "测试县"


@pytest.mark.django_db(transaction=True)
def test_command_lists_reports_whose_parse_failed(monkeypatch, tmp_path: Path):
    """A report that is stored but cannot be parsed is listed with its code, and fails the run."""
    from reports.services import parse as parse_service

    def crash(text, **kwargs):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(parse_service, "parse_text", crash)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        call_command("ingest_reports", str(CORPUS[0]), "--no-progress", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"{CORPUS[0]}: parse_crashed: RuntimeError: parser exploded" in lines
    assert "  parse failed: 1" in lines


@pytest.mark.django_db(transaction=True)
def test_reindex_in_worker_processes_writes_the_vectors_of_the_single_process_path(monkeypatch):
    """``reindex(workers=2)`` outside a transaction, as a bulk rewrite: the indexes are dropped,
    the workers read, segment and write on their own connections, the table is vacuumed, the
    indexes are built again (each on its own connection); every section ends with exactly the
    vectors computed here."""
    from django.db import connection

    from reports.models import Section
    from reports.parsing.segment import segmenter_version
    from reports.search import index
    from reports.search.index import RECALL_INDEX, reindex
    from reports.search.vectors import section_vector

    call_command("ingest_reports", str(CORPUS_DIR), "--no-progress", stdout=io.StringIO())
    Section.objects.update(search_vector=None, segmenter_version="old")
    monkeypatch.setattr(index, "BULK_THRESHOLD", 1)  # the corpus counts as a bulk rewrite
    monkeypatch.setattr(index, "WORKER_BATCH", 7)  # several batches per worker
    assert reindex(stale_only=True, workers=2) == Section.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'reports_section'")
        assert RECALL_INDEX in {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT n_dead_tup, last_vacuum IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'reports_section'"
        )
        assert cursor.fetchone() == (0, True)  # the rewrite's dead row versions reclaimed
    assert not Section.objects.exclude(segmenter_version=segmenter_version()).exists()
    with connection.cursor() as cursor:
        for section in Section.objects.all():
            cursor.execute(
                "SELECT search_vector = %s::tsvector FROM reports_section WHERE id = %s",
                [section_vector(section.title, section.text), section.pk],
            )
            assert cursor.fetchone() == (True,), section.pk
