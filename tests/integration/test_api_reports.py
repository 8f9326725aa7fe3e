"""The REST API for reports, sections and ingestion jobs, through HTTP on a real PostgreSQL."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from indicators.models import CurationEvent
from reports.models import IngestionJob, Report, Section
from reports.services.manage import report_update_metadata
from reports.services.parse import report_parse
from tests.integration.api_support import (
    CORPUS_DIR,
    WRITE_PERMISSIONS,
    ingest_corpus,
    token_client,
    user_with,
)

pytestmark = pytest.mark.django_db

# Metadata as stated in the sample reports' own text (their titles, publishing lines and places).
STATED = {
    "000_21c7d6ccdca8baa6.txt": {
        "province": "江苏省",
        "city": "南通市",
        "county": "通州湾江海联动开发示范区",
        "admin_level": "development_zone",
        "report_year": 2022,
    },
    "002_386134580bdd984c.txt": {
        "province": "浙江省",
        "city": "金华市",
        "county": "浦江县",
        "admin_level": "county",
        "report_year": 2022,
    },
    "003_4a080416cfef067e.txt": {
        "province": "广东省",
        "city": "汕尾市",
        "county": "城区",
        "admin_level": "county",
        "report_year": 2023,
    },
}


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()


@pytest.fixture
def reports(django_capture_on_commit_callbacks) -> dict[str, Report]:
    """The three whole sample reports, parsed, with their stated metadata pinned."""
    paths = [CORPUS_DIR / name for name in STATED]
    loaded = ingest_corpus(django_capture_on_commit_callbacks, paths=paths)
    for report in loaded:
        report_update_metadata(report=report, fields=STATED[report.filename])
    return {r.filename: Report.objects.get(pk=r.pk) for r in loaded}


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def curator_client():
    return token_client(user_with("curator-api", *WRITE_PERMISSIONS))


def test_report_list_paginates_with_count_and_stable_default_order(client, reports):
    """The list answers page-number pages with the total, newest report first."""
    response = client.get("/api/v1/reports/", {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    ids = sorted((r.pk for r in reports.values()), reverse=True)
    second = client.get(body["next"]).json()
    assert [r["id"] for r in body["results"] + second["results"]] == ids


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "广东省"}, {"003_4a080416cfef067e.txt"}),
        ({"region": "浦江县"}, {"002_386134580bdd984c.txt"}),
        ({"region": "南通市"}, {"000_21c7d6ccdca8baa6.txt"}),
        ({"report_year": 2022}, {"000_21c7d6ccdca8baa6.txt", "002_386134580bdd984c.txt"}),
        ({"year_min": 2023}, {"003_4a080416cfef067e.txt"}),
        ({"admin_level": "development_zone"}, {"000_21c7d6ccdca8baa6.txt"}),
    ],
)
def test_report_list_filters(client, reports, params, expected):
    """Region, year and level filters select the reports whose metadata match."""
    body = client.get("/api/v1/reports/", params).json()
    assert {r["filename"] for r in body["results"]} == expected


def test_report_list_orders_by_year_then_id(client, reports):
    """``ordering=report_year`` sorts ascending, ties broken by id."""
    body = client.get("/api/v1/reports/", {"ordering": "report_year"}).json()
    keys = [(r["report_year"], r["id"]) for r in body["results"]]
    assert keys == sorted(keys)


def test_report_list_rejects_invalid_filter_with_the_error_body(client, reports):
    """A malformed filter is a 400 with code ``invalid`` and the field under detail.fields."""
    response = client.get("/api/v1/reports/", {"report_year": "twenty"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "report_year" in body["detail"]["fields"]
    assert set(body) == {"code", "message", "detail"}


def test_report_detail_nests_sections_under_their_headings(client, reports):
    """The section tree puts each heading under the nearest higher-level heading before it."""
    report = reports["003_4a080416cfef067e.txt"]
    body = client.get(f"/api/v1/reports/{report.pk}/").json()
    seen = []

    def walk(nodes, parent_level):
        for node in nodes:
            assert node["level"] > parent_level
            seen.append(node["position"])
            walk(node["children"], node["level"])

    walk(body["sections"], 0)
    assert sorted(seen) == list(range(Section.objects.filter(report=report).count()))
    assert seen == sorted(seen)  # depth-first order is document order
    assert body["section_count"] == len(seen)


def test_report_detail_lists_indicators_quoted_from_the_text(client, reports):
    """Every indicator carries a verbatim quote of the report's text and its section id."""
    report = reports["003_4a080416cfef067e.txt"]
    body = client.get(f"/api/v1/reports/{report.pk}/").json()
    assert body["indicators"]
    section_ids = set(Section.objects.filter(report=report).values_list("id", flat=True))
    for indicator in body["indicators"]:
        assert indicator["quote"] in report.raw_text
        assert indicator["section"] is None or indicator["section"] in section_ids
    assert body["indicator_count"] == len(body["indicators"])


def test_report_parsed_follows_the_parse_contract(client, reports):
    """The parsed representation has the contract's keys; sections are indexed by position."""
    report = reports["003_4a080416cfef067e.txt"]
    body = client.get(f"/api/v1/reports/{report.pk}/parsed/").json()
    assert set(body) == {
        "file",
        "title",
        "issuer",
        "region",
        "admin_level",
        "report_year",
        "published_on",
        "sections",
        "indicators",
    }
    assert body["file"] == "003_4a080416cfef067e.txt"
    assert body["region"] == {"province": "广东省", "city": "汕尾市", "county": "城区"}
    assert body["report_year"] == 2023
    assert body["sections"][0]["level"] == 1
    for indicator in body["indicators"]:
        assert set(indicator) == {
            "quote",
            "subject",
            "value",
            "unit",
            "qualifier",
            "code",
            "section",
        }
        if indicator["section"] is not None:
            assert 0 <= indicator["section"] < len(body["sections"])


def test_report_detail_unknown_id_is_404_with_the_error_body(client, reports):
    """A missing report — or an id beyond the integer range — answers 404 ``not_found``."""
    for path in ("/api/v1/reports/987654321/", f"/api/v1/reports/{10**30}/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_metadata_update_is_pinned_against_reparse(curator_client, reports):
    """A curator's title survives a re-parse and the change is recorded (before → after)."""
    report = reports["002_386134580bdd984c.txt"]
    response = curator_client.patch(
        f"/api/v1/reports/{report.pk}/",
        {"title": "浦江县2022年法治政府建设年度报告"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["title"] == "浦江县2022年法治政府建设年度报告"
    Report.objects.filter(pk=report.pk).update(parsed_text_sha256="")
    report_parse(report_id=report.pk)
    report.refresh_from_db()
    assert report.title == "浦江县2022年法治政府建设年度报告"
    event = CurationEvent.objects.filter(report=report, field="title").latest("id")
    assert event.after == "浦江县2022年法治政府建设年度报告"


def test_metadata_update_rejects_an_implausible_year(curator_client, reports):
    """A year outside 1990–2100 is a field error."""
    report = reports["002_386134580bdd984c.txt"]
    response = curator_client.patch(
        f"/api/v1/reports/{report.pk}/", {"report_year": 1066}, format="json"
    )
    assert response.status_code == 400
    assert "report_year" in response.json()["detail"]["fields"]


def test_delete_removes_report_and_its_sections(curator_client, reports):
    """DELETE answers 204; the report and its sections are gone."""
    report = reports["000_21c7d6ccdca8baa6.txt"]
    assert curator_client.delete(f"/api/v1/reports/{report.pk}/").status_code == 204
    assert curator_client.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert not Section.objects.filter(report_id=report.pk).exists()


def test_reparse_queues_the_report(curator_client, reports, django_capture_on_commit_callbacks):
    """POST …/reparse/ answers 202 with one report queued."""
    report = reports["000_21c7d6ccdca8baa6.txt"]
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(f"/api/v1/reports/{report.pk}/reparse/")
    assert response.status_code == 202
    assert response.json() == {"queued": 1}


def test_bulk_reparse_needs_a_selection(curator_client, reports):
    """A bulk re-parse naming nothing is a validation error, not a re-parse of everything."""
    response = curator_client.post("/api/v1/reports/reparse/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_upload_answers_202_with_the_job(curator_client, django_capture_on_commit_callbacks):
    """A multipart upload of one file creates a report and answers 202 with its job."""
    path = CORPUS_DIR / "003_4a080416cfef067e.txt"
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as handle:
        response = curator_client.post("/api/v1/reports/", {"files": [handle]}, format="multipart")
    assert response.status_code == 202
    body = curator_client.get(f"/api/v1/ingestion-jobs/{response.json()['id']}/").json()
    assert body["total"] == 1
    assert body["ingested"] == 1
    assert response["Location"] == f"/api/v1/ingestion-jobs/{body['id']}/"
    assert Report.objects.filter(job_id=body["id"], filename=path.name).exists()


def test_upload_of_a_zip_reports_each_member(curator_client, django_capture_on_commit_callbacks):
    """A zip is expanded: one outcome per member, visible on the job."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("000_21c7d6ccdca8baa6.txt", "002_386134580bdd984c.txt"):
            archive.writestr(name, (CORPUS_DIR / name).read_bytes())
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "batch.zip"
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post("/api/v1/reports/", {"files": [upload]}, format="multipart")
    assert response.status_code == 202
    job = curator_client.get(f"/api/v1/ingestion-jobs/{response.json()['id']}/").json()
    assert len(job["outcomes"]) == 2
    assert job["done"] is True


def test_upload_metadata_applies_to_the_reports(curator_client, django_capture_on_commit_callbacks):
    """Metadata sent with an upload is stored on each report and pinned."""
    path = CORPUS_DIR / "002_386134580bdd984c.txt"
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as handle:
        response = curator_client.post(
            "/api/v1/reports/",
            {"files": [handle], "issuer": "浦江县人民政府", "report_year": 2022},
            format="multipart",
        )
    report = Report.objects.get(job_id=response.json()["id"])
    assert report.issuer == "浦江县人民政府"
    assert report.metadata_overrides["issuer"] == "浦江县人民政府"


def test_upload_without_files_is_invalid(curator_client):
    """An upload naming no file is a field error on ``files``."""
    response = curator_client.post("/api/v1/reports/", {"issuer": "x"}, format="multipart")
    assert response.status_code == 400
    assert "files" in response.json()["detail"]["fields"]


def test_job_detail_supports_conditional_polling(client, reports):
    """The job detail carries an ETag; sending it back answers 304 while nothing changed."""
    job = IngestionJob.objects.latest("id")
    first = client.get(f"/api/v1/ingestion-jobs/{job.pk}/")
    assert first.status_code == 200
    assert first.json()["total"] == 3
    assert {o["status"] for o in first.json()["outcomes"]} <= {"parsed", "ingested"}
    again = client.get(f"/api/v1/ingestion-jobs/{job.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_job_outcomes_are_listed_per_file(client, reports):
    """The outcomes sub-list has one row per uploaded file."""
    job = IngestionJob.objects.latest("id")
    body = client.get(f"/api/v1/ingestion-jobs/{job.pk}/outcomes/").json()
    assert sorted(o["filename"] for o in body["results"]) == sorted(STATED)


def test_section_list_filters_by_report_and_level(client, reports):
    """Sections filter by report and level; each carries its path from the top heading."""
    report = reports["003_4a080416cfef067e.txt"]
    body = client.get("/api/v1/sections/", {"report": report.pk, "level": 2}).json()
    assert body["results"]
    for section in body["results"]:
        assert section["report"] == report.pk
        assert section["level"] == 2
        assert len(section["path"]) >= 2
        assert section["path"][-1] == section["marker"] + section["title"]


def test_section_detail_path_starts_at_its_top_heading(client, reports):
    """A level-2 section's path starts with its level-1 parent's marker and title."""
    section = Section.objects.filter(level=2, parent__isnull=False).select_related("parent").first()
    body = client.get(f"/api/v1/sections/{section.pk}/").json()
    assert body["path"][0] == section.parent.marker + section.parent.title
    assert body["text"] == section.text


def test_section_list_is_cursor_paginated(client, reports):
    """Following ``next`` walks every section exactly once."""
    seen, url = [], "/api/v1/sections/?page_size=7"
    while url:
        body = client.get(url).json()
        seen += [s["id"] for s in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(Section.objects.values_list("id", flat=True))
    assert len(seen) == len(set(seen))


def test_status_reports_database_and_last_ingest(client, reports):
    """The status endpoint says the database answers and when the last report arrived."""
    response = client.get("/api/v1/status/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["ingest"]["last_report_created_at"] is not None
