"""The curators' admin for reports and ingestion jobs, through Django's test client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import CurationEvent
from reports.models import IngestionJob, IngestionOutcome, Report
from reports.services.uploads import report_ingest_upload
from tests.fixtures.files import build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def job(django_capture_on_commit_callbacks) -> IngestionJob:
    """An upload job with one good file (parsed) and one empty file (failed)."""
    files = [
        SimpleUploadedFile("qingshan.txt", build.report_text().encode("gbk")),
        SimpleUploadedFile("empty.txt", b""),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = report_ingest_upload(files=files)
    job.refresh_from_db()  # ingested by the task queued on commit
    return job


@pytest.fixture
def report(job) -> Report:
    return job.reports.get()


def test_upload_of_uploaded_files_records_each_outcome(job):
    """Uploaded file objects are read like bytes: one report, one empty-file failure."""
    outcomes = {o.filename: (o.status, o.code) for o in job.outcomes.all()}
    assert outcomes == {
        "qingshan.txt": (IngestionOutcome.Status.PARSED, ""),
        "empty.txt": (IngestionOutcome.Status.FAILED, "empty_file"),
    }
    assert job.status == IngestionJob.Status.FAILED


def test_report_changelist_lists_and_filters_reports(admin_client, report):
    """The report list shows the report and filters by status and year."""
    url = reverse("admin:reports_report_changelist")
    page = admin_client.get(url, {"status__exact": "parsed"})
    assert page.status_code == 200
    assert (report.title or report.filename) in page.content.decode()
    empty = admin_client.get(url, {"status__exact": "failed"})
    assert (report.title or report.filename) not in empty.content.decode()
    found = admin_client.get(url, {"q": "qingshan"})
    assert (report.title or report.filename) in found.content.decode()


def test_report_page_shows_sections_and_values_read_only(admin_client, report):
    """The report page lists its sections (with a body preview) and its indicator values."""
    page = admin_client.get(reverse("admin:reports_report_change", args=[report.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "深化行政复议体制改革" in html
    assert "全年共收到行政复议案件52件" in html


def test_metadata_edit_in_admin_is_pinned_and_recorded(admin_client, admin_user, report):
    """Saving a new title in the admin pins it against re-parses and records who changed it."""
    url = reverse("admin:reports_report_change", args=[report.pk])
    data = {
        "title": "管理员修改的标题",
        "issuer": report.issuer,
        "source_url": "",
        "province": report.province,
        "city": report.city,
        "county": report.county,
        "admin_level": report.admin_level,
        "report_year": report.report_year or "",
        "published_on": report.published_on or "",
    }
    for prefix in ("sections", "indicator_values", "curation_events"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.title == "管理员修改的标题"
    assert report.metadata_overrides["title"] == "管理员修改的标题"
    event = CurationEvent.objects.get(report=report, field="title")
    assert (event.user, event.after) == (admin_user, "管理员修改的标题")


def test_reparse_action_queues_the_selected_reports(
    admin_client, report, django_capture_on_commit_callbacks
):
    """The "re-parse" action parses the selected reports again."""
    before = report.parsed_at
    url = reverse("admin:reports_report_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"action": "reparse_reports", "_selected_action": [report.pk]}, follow=True
        )
    assert "1 reports queued for parsing" in response.content.decode()
    report.refresh_from_db()
    assert report.parsed_at > before


def test_job_page_lists_each_file_outcome_with_its_message(admin_client, job):
    """An ingestion job's page lists every file with its status, code and message."""
    page = admin_client.get(reverse("admin:reports_ingestionjob_change", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "empty_file" in html
    assert "empty.txt is empty" in html
    listing = admin_client.get(reverse("admin:reports_ingestionjob_changelist"))
    assert listing.status_code == 200


def test_section_edit_in_admin_marks_it_curated_and_records_it(admin_client, admin_user, report):
    """A curator's fix to a section title is saved, marked as curated and recorded."""
    section = report.sections.get(marker="（二）")
    url = reverse("admin:reports_section_change", args=[section.pk])
    before = section.title
    data = {"level": section.level, "marker": section.marker, "title": "加强备案审查"}
    data["text"] = section.text  # unchanged
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    section.refresh_from_db()
    assert (section.title, section.edited_by_curator) == ("加强备案审查", True)
    event = CurationEvent.objects.get(report=report, action="section_update")
    assert (event.user, event.before, event.after) == (admin_user, before, "加强备案审查")
