"""Parsing and re-parsing on a real PostgreSQL: idempotency, reviewed values and curator edits
kept, conflicts listed, crashes recorded without half-written rows."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from indicators.models import IndicatorValue
from indicators.services.curation import (
    indicator_value_correct,
    indicator_value_reject,
    indicator_value_verify,
)
from reports.models import IngestionJob, IngestionOutcome, Report
from reports.services import parse as parse_service
from reports.services.ingest import ingestion_job_create, report_ingest_file
from reports.services.manage import report_update_metadata
from reports.services.parse import report_parse, report_reparse_enqueue
from reports.services.sections import section_update
from tests.fixtures.files import build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
TEXT = build.report_text()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a block queues on commit (the parse task), as production does after commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def report(on_commit) -> Report:
    """The sample report, ingested in a job and parsed."""
    job = ingestion_job_create(source=IngestionJob.Source.COMMAND, label="reparse")
    with on_commit():
        outcome = report_ingest_file(data=TEXT.encode("gbk"), filename="qingshan.txt", job=job)
    report = Report.objects.get(pk=outcome.report_id)
    assert report.status == Report.Status.PARSED, report.error_message
    return report


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user(username="curator")


def value_quoting(report: Report, phrase: str) -> IndicatorValue:
    """The report's value whose number is ``phrase`` (e.g. "52件") inside its quote."""
    start = TEXT.index(phrase)
    (value,) = [
        v
        for v in report.indicator_values.all()
        if v.start_offset <= start < v.end_offset and phrase in v.quote
    ]
    return value


def rows(report: Report) -> tuple[list, list]:
    sections = list(report.sections.order_by("position").values_list("level", "marker", "title"))
    values = list(
        report.indicator_values.order_by("start_offset", "end_offset").values_list(
            "quote", "value", "unit", "status", "start_offset", "end_offset", "section__position"
        )
    )
    return sections, values


def reparse(report: Report, on_commit) -> Report:
    with on_commit():
        assert report_reparse_enqueue(report_ids=[report.pk]) == 1
    report.refresh_from_db()
    return report


def text_replaced(report: Report, old: str, new: str) -> None:
    """Stand-in for a corrected source text (same length, so offsets stay put)."""
    text = report.raw_text.replace(old, new)
    Report.objects.filter(pk=report.pk).update(
        raw_text=text, text_sha256=hashlib.sha256(text.encode()).hexdigest()
    )


def test_report_has_sections_and_values_of_its_text(report):
    """The parse stores the numbered headings and the counted quantities of the text."""
    markers = list(report.sections.order_by("position").values_list("marker", flat=True))
    assert markers == ["一、", "（一）", "（二）", "二、"]
    assert value_quoting(report, "52件").value == 52
    assert value_quoting(report, "31件").section.marker == "（二）"
    assert report.clean_text
    assert report.parsed_text_sha256 == report.text_sha256


def test_parsing_twice_gives_the_same_rows(report, on_commit):
    """A second parse (a redelivered task) and a forced re-parse leave the same rows."""
    before = rows(report)
    parsed_at = report.parsed_at
    assert report_parse(report_id=report.pk).parsed_at == parsed_at  # already applied: no-op
    assert rows(report) == before
    reparsed = reparse(report, on_commit)
    assert reparsed.parsed_at > parsed_at
    assert rows(reparsed) == before


def test_reparse_keeps_verified_and_corrected_values(report, curator, on_commit):
    """Verified and corrected values survive a re-parse unchanged, with no extracted twin."""
    verified = indicator_value_verify(value=value_quoting(report, "52件"), user=curator)
    corrected = indicator_value_correct(
        value=value_quoting(report, "48件"), user=curator, corrected_value=46
    )
    reparse(report, on_commit)
    verified.refresh_from_db()
    corrected.refresh_from_db()
    assert (verified.status, verified.value) == (IndicatorValue.Status.VERIFIED, 52)
    assert (corrected.status, corrected.value, corrected.corrected_value) == (
        IndicatorValue.Status.CORRECTED,
        48,
        46,
    )
    assert (verified.parse_conflict, corrected.parse_conflict) == (None, None)
    assert verified.section.marker == "（一）"  # re-pointed at the new section rows
    for value in (verified, corrected):  # the number and unit end the quote: one row per end
        assert list(report.indicator_values.filter(end_offset=value.end_offset)) == [value]


def test_reparse_lists_a_conflict_when_the_parser_reads_a_reviewed_value_differently(
    report, curator, on_commit
):
    """When the new parse says 53件 where 52件 was verified, the row keeps 52 and lists 53 in
    parse_conflict; once the parser agrees again, the conflict is cleared."""
    verified = indicator_value_verify(value=value_quoting(report, "52件"), user=curator)
    text_replaced(report, "案件52件", "案件53件")
    reparse(report, on_commit)
    verified.refresh_from_db()
    assert (verified.status, verified.value) == (IndicatorValue.Status.VERIFIED, 52)
    conflict = verified.parse_conflict
    assert (conflict["found"], conflict["value"], conflict["unit"]) == (True, 53, "件")
    assert "53件" in conflict["quote"]
    assert not report.indicator_values.filter(quote__contains="53件").exclude(pk=verified.pk)
    text_replaced(report, "案件53件", "案件52件")
    reparse(report, on_commit)
    verified.refresh_from_db()
    assert verified.parse_conflict is None


def test_reparse_does_not_bring_back_a_rejected_value(report, curator, on_commit):
    """A value a curator rejected stays rejected and is not extracted again."""
    rejected = indicator_value_reject(value=value_quoting(report, "31件"), user=curator)
    count = report.indicator_values.count()
    reparse(report, on_commit)
    rejected.refresh_from_db()
    assert rejected.status == IndicatorValue.Status.REJECTED
    assert report.indicator_values.count() == count


def test_reparse_keeps_metadata_a_curator_set(report, curator, on_commit):
    """A title set by a curator is pinned: the parser's title does not replace it."""
    report_update_metadata(report=report, fields={"title": "更正后的标题"}, user=curator)
    reparse(report, on_commit)
    assert report.title == "更正后的标题"


def test_reparse_keeps_sections_a_curator_edited(report, curator, on_commit):
    """Once a curator fixed a section, re-parsing keeps the stored sections and their text."""
    section = report.sections.get(marker="（二）")
    section_update(section=section, fields={"title": "加强规范性文件备案审查"}, user=curator)
    reparse(report, on_commit)
    section.refresh_from_db()
    assert section.title == "加强规范性文件备案审查"
    assert section.edited_by_curator
    assert value_quoting(report, "31件").section_id == section.pk


def test_parse_crash_leaves_the_report_failed_with_no_sections(monkeypatch, on_commit):
    """A crash of the pure parser is recorded on the report and its outcome; nothing is stored."""

    def crash(text, **kwargs):
        raise ValueError("unbalanced heading numbering")

    monkeypatch.setattr(parse_service, "parse_text", crash)
    job = ingestion_job_create(source=IngestionJob.Source.COMMAND, label="crash")
    with on_commit():
        outcome = report_ingest_file(data=TEXT.encode(), filename="crash.txt", job=job)
    report = Report.objects.get(pk=outcome.report_id)
    assert (report.status, report.error_code) == (Report.Status.FAILED, "parse_crashed")
    assert "unbalanced heading numbering" in report.error_message
    assert not report.sections.exists()
    assert not report.indicator_values.exists()
    outcome.refresh_from_db()
    assert (outcome.status, outcome.code) == (IngestionOutcome.Status.PARSE_FAILED, "parse_crashed")
    assert "unbalanced heading numbering" in outcome.message
    job.refresh_from_db()
    assert (job.parsed, job.parse_failed) == (0, 1)

    monkeypatch.undo()
    out = io.StringIO()
    with on_commit():
        call_command("reparse_reports", "--failed", stdout=out)
    assert "1 reports queued" in out.getvalue()
    report.refresh_from_db()
    job.refresh_from_db()
    assert (report.status, report.error_code) == (Report.Status.PARSED, "")
    assert report.sections.exists()
    assert (job.parsed, job.parse_failed) == (1, 0)


def test_parse_of_a_deleted_report_does_nothing():
    """A task whose report is gone exits cleanly."""
    assert report_parse(report_id=2**62) is None


def test_reparse_command_needs_exactly_one_choice():
    """``reparse_reports`` wants IDs, --all or --failed."""
    with pytest.raises(CommandError):
        call_command("reparse_reports", stdout=io.StringIO())


def test_reparse_all_queues_every_report(report, on_commit):
    """``reparse_reports --all`` re-parses every report."""
    out = io.StringIO()
    with on_commit():
        call_command("reparse_reports", "--all", stdout=out)
    assert out.getvalue().strip() == f"{Report.objects.count()} reports queued for parsing"
    report.refresh_from_db()
    assert report.parsed_text_sha256 == report.text_sha256


def test_reviewed_value_does_not_hide_its_neighbour(report, curator, on_commit):
    """Verifying one figure keeps the figure right next to it extracted after a re-parse, even
    when their quotes touch."""
    indicator_value_verify(value=value_quoting(report, "52件"), user=curator)
    reparse(report, on_commit)
    neighbour = value_quoting(report, "48件")
    assert (neighbour.status, neighbour.value) == (IndicatorValue.Status.EXTRACTED, 48)


def test_failed_includes_a_parse_whose_worker_died(report, on_commit):
    """``reparse_reports --failed`` also takes a report left ``parsing`` for longer than a task
    may run (its worker was killed), and parses it completely."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    long_ago = timezone.now() - timedelta(seconds=3 * settings.CELERY_TASK_TIME_LIMIT)
    Report.objects.filter(pk=report.pk).update(  # what a killed worker leaves behind
        status=Report.Status.PARSING, updated_at=long_ago, parsed_text_sha256=""
    )
    report.sections.all().delete()
    out = io.StringIO()
    with on_commit():
        call_command("reparse_reports", "--failed", stdout=out)
    assert out.getvalue().startswith("1 reports queued")
    report.refresh_from_db()
    assert report.status == Report.Status.PARSED
    assert report.sections.count() == 4


def test_a_parse_in_progress_is_not_taken_as_failed(report, on_commit):
    """A report that started parsing moments ago is left to its worker."""
    Report.objects.filter(pk=report.pk).update(status=Report.Status.PARSING)
    out = io.StringIO()
    with on_commit():
        call_command("reparse_reports", "--failed", stdout=out)
    assert out.getvalue().startswith("0 reports queued")


def test_reparse_keeps_the_history_of_a_replaced_value(report, curator, on_commit):
    """A note on an unreviewed value is history: after a re-parse replaces the value, the audit
    event is still there (no longer linked to a row)."""
    from indicators.models import CurationEvent
    from indicators.services.curation import indicator_value_note_set

    value = indicator_value_note_set(value=value_quoting(report, "31件"), user=curator, note="待核")
    assert value.status == IndicatorValue.Status.EXTRACTED
    events = CurationEvent.objects.filter(report=report, action="note")
    assert events.count() == 1
    reparse(report, on_commit)
    assert not IndicatorValue.objects.filter(pk=value.pk).exists()
    assert list(events.values_list("value_id", "note")) == [(None, "待核")]
    assert value_quoting(report, "31件").status == IndicatorValue.Status.EXTRACTED


def test_report_with_a_section_too_long_for_one_tsvector_is_parsed_and_searchable(on_commit):
    """A section whose lexemes exceed PostgreSQL's tsvector limit is indexed in part instead of
    failing the parse; its characters are still found."""
    import random

    from reports.search.selectors import section_search

    rng = random.Random(11)  # noqa: S311
    body = "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(250_000))
    text = f"青山县2023年法治政府建设年度报告\n一、总体情况\n{body}\n"
    with on_commit():
        outcome = report_ingest_file(data=text.encode(), filename="long.txt")
    report = Report.objects.get(pk=outcome.report_id)
    assert report.status == Report.Status.PARSED, report.error_message
    section = report.sections.get()
    assert section.search_vector is not None
    probe = body[123_456]
    hits = section_search(query=probe, facets=False)
    assert section.pk in {h.section.pk for h in hits.hits}


def test_a_database_limit_while_storing_fails_the_report_instead_of_retrying(
    monkeypatch, on_commit
):
    """Should a vector still exceed PostgreSQL's limit, the parse is recorded as failed with the
    database's message (deterministic: a retry would fail the same way), nothing half written."""
    from reports.services import parse as parse_module

    oversized = " ".join(f"'{i:07d}{'字' * 120}'" for i in range(3000))  # > 1 MiB of lexemes
    monkeypatch.setattr(parse_module, "section_vector", lambda title, text: oversized)
    with on_commit():
        outcome = report_ingest_file(data=TEXT.encode(), filename="limit.txt")
    report = Report.objects.get(pk=outcome.report_id)
    assert report.status == Report.Status.FAILED
    assert report.error_code == "parse_crashed"
    assert "too long for tsvector" in report.error_message
    assert not report.sections.exists()
    assert not report.indicator_values.exists()
