"""Exports cannot run formulas: every text cell of every export (report and value exports, the
comparison CSV, the admin's CSV actions; CSV and XLSX) that a spreadsheet would evaluate starts
with ``'`` (OWASP), and numbers stay numbers."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from indicators.models import IndicatorValue
from reports.models import Report
from reports.services.uploads import report_ingest_upload
from tests.integration.api_support import WRITE_PERMISSIONS, token_client, user_with

pytestmark = pytest.mark.django_db
TITLE = '=HYPERLINK("http://evil.example","click")'
PROVINCE = "+cmd|' /C calc'!A0"
SUBJECT = "-2+3行政诉讼案件"
TEXT = (
    "某县2023年法治政府建设年度报告\n一、主要举措\n全年共收到行政复议案件52件。\n"
    f"{SUBJECT}共17件。\n"
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def hostile_report(django_capture_on_commit_callbacks) -> Report:
    """A report whose text yields the subject ``-2+3行政诉讼案件``, its title and province then
    set through the API to a formula and a DDE payload."""
    with django_capture_on_commit_callbacks(execute=True):
        job = report_ingest_upload(files=[("hostile.txt", TEXT.encode())])
    report = Report.objects.get(job=job)
    client = token_client(user_with("editor", *WRITE_PERMISSIONS))
    fields = {"title": TITLE, "province": PROVINCE, "report_year": 2023}
    response = client.patch(f"/api/v1/reports/{report.pk}/", fields, format="json")
    assert response.status_code == 200, response.content
    assert IndicatorValue.objects.filter(report=report, subject=SUBJECT).exists()
    return report


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response):
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows())


def test_report_export_csv_quotes_the_formula_title(hostile_report):
    """The report CSV holds ``'=HYPERLINK(…)`` and ``'+cmd…``; the id stays a plain number."""
    response = APIClient().get("/api/v1/reports/export/", {"fields": "id,title,province"})
    _, row = _csv(response)
    assert row == [str(hostile_report.pk), "'" + TITLE, "'" + PROVINCE]


def test_report_export_xlsx_has_no_formula_cell(hostile_report):
    """In the XLSX the title is a text cell with the quote, not a live formula; the id and
    year are numbers."""
    response = APIClient().get(
        "/api/v1/reports/export/", {"file_format": "xlsx", "fields": "id,title,report_year"}
    )
    _, row = _xlsx(response)
    assert [c.data_type for c in row] == ["n", "s", "n"]
    assert [c.value for c in row] == [hostile_report.pk, "'" + TITLE, 2023]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_value_export_quotes_the_parsed_subject(hostile_report, file_format):
    """A subject the parser took from an uploaded report (``-2+3行政诉讼案件``) is quoted in the
    value export; its value stays a number."""
    response = APIClient().get(
        "/api/v1/indicators/values/export/",
        {"file_format": file_format, "fields": "subject,value", "report": hostile_report.pk},
    )
    if file_format == "csv":
        rows = [tuple(r) for r in _csv(response)[1:]]
        assert ("'" + SUBJECT, "17") in rows
    else:
        rows = [(r[0].value, r[1].value, r[1].data_type) for r in _xlsx(response)[1:]]
        assert ("'" + SUBJECT, 17, "n") in rows
    assert all(not str(r[0]).startswith(("=", "+", "-", "@")) for r in rows)


def test_compare_csv_quotes_region_and_quote(hostile_report):
    """The comparison CSV's province and quote columns are quoted too."""
    response = APIClient().get(
        "/api/v1/indicators/compare/",
        {"code": "litigation_cases", "year": 2023},
        HTTP_ACCEPT="text/csv",
    )
    assert response.status_code == 200, response.content
    header, *rows = _csv(response)
    by_name = [dict(zip(header, row, strict=True)) for row in rows]
    assert by_name[0]["province"] == "'" + PROVINCE
    assert by_name[0]["value"] == "17"
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_admin_csv_action_quotes_every_cell(hostile_report, client):
    """The admin's "export selected as CSV" action writes the report title and subject quoted."""
    client.force_login(User.objects.create_superuser("admin-x"))
    ids = list(IndicatorValue.objects.filter(report=hostile_report).values_list("pk", flat=True))
    response = client.post(
        reverse("admin:indicators_indicatorvalue_changelist"),
        {"action": "export_with_audit", "_selected_action": ids},
    )
    assert response.status_code == 200
    cells = [cell for row in _csv(response) for cell in row]
    assert "'" + SUBJECT in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
