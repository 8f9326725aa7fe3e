"""The search endpoints and the admin's search boxes, on real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from reports.models import Report, Section
from reports.search.vectors import normalise
from reports.services.ingest import report_ingest_file
from reports.services.parse import report_parse

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
SECTIONS_URL = "/api/v1/search/sections/"
REPORTS_URL = "/api/v1/search/reports/"


@pytest.fixture
def corpus() -> list[Report]:
    """The sample reports, ingested and parsed by the real services."""
    reports = []
    for path in sorted(CORPUS.glob("*.txt")):
        outcome = report_ingest_file(data=path.read_bytes(), filename=path.name)
        report_parse(report_id=outcome.report_id)
        reports.append(Report.objects.get(pk=outcome.report_id))
    return reports


def containing(term: str, **filters) -> set[int]:
    return {
        s.pk
        for s in Section.objects.filter(**filters)
        if term in normalise(s.title) or term in normalise(s.text)
    }


def test_section_search_returns_ranked_hits_with_paths_and_snippets(corpus):
    """The endpoint lists matching sections with report, path, highlights and facets."""
    response = APIClient().get(SECTIONS_URL, {"q": "行政复议", "page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(containing("行政复议"))
    assert {hit["id"] for hit in body["results"]} == containing("行政复议")
    hit = body["results"][0]
    assert hit["path"][0] == hit["report"]["title"]
    assert hit["path"][-1] == hit["marker"] + hit["title"]
    snippet = hit["snippet"]
    for start, end in snippet["highlights"]:
        assert snippet["text"][start:end] == "行政复议"
    assert sum(f["count"] for f in body["facets"]["province"]) == body["count"]


def test_section_search_flags_facet_floors_past_the_cap(corpus, settings):
    """Past the server's facet cap the response says the facets and the count are floors."""
    truth = len(containing("法治"))
    exact = APIClient().get(SECTIONS_URL, {"q": "法治"}).json()
    assert exact["facets_exact"] is True
    assert exact["count_exact"] is True
    assert exact["count"] == truth
    settings.SEARCH_FACET_CAP = 3
    body = APIClient().get(SECTIONS_URL, {"q": "法治"}).json()
    assert body["facets_exact"] is False
    assert body["count_exact"] is False
    assert 3 <= body["count"] < truth
    full = {f["value"]: f["count"] for f in exact["facets"]["province"]}
    for row in body["facets"]["province"]:
        assert row["count"] <= full[row["value"]]


def test_report_search_says_its_count_and_facets_are_exact(corpus, settings):
    """Reports are ranked on all their matches, so their count and facets stay exact."""
    settings.SEARCH_FACET_CAP = 1
    body = APIClient().get(REPORTS_URL, {"q": "法治"}).json()
    matching = {s.report_id for s in Section.objects.filter(pk__in=containing("法治"))}
    assert body["count"] == len(matching)
    assert body["count_exact"] is True
    assert body["facets_exact"] is True
    assert sum(f["count"] for f in body["facets"]["province"]) == len(matching)


def test_section_search_pages_link_to_each_other(corpus):
    """``page``/``page_size`` pages carry next/previous links and never overlap."""
    client = APIClient()
    first = client.get(SECTIONS_URL, {"q": "法治", "page_size": 5, "facets": "false"}).json()
    assert "facets" not in first
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["previous"] is not None
    ids_first = {h["id"] for h in first["results"]}
    ids_second = {h["id"] for h in second["results"]}
    assert len(ids_first) == len(ids_second) == 5
    assert not ids_first & ids_second


def test_section_search_filters_by_report_and_level(corpus):
    """Filters given as query parameters restrict the hits like the ORM does."""
    report = corpus[0]
    response = APIClient().get(
        SECTIONS_URL, {"q": "法治", "report": report.pk, "level": 1, "page_size": 100}
    )
    body = response.json()
    assert {h["id"] for h in body["results"]} == containing("法治", report=report, level=1)


def test_report_search_lists_reports_with_hit_counts(corpus):
    """Each report mentioning the term appears once, with its number of matching sections."""
    body = APIClient().get(REPORTS_URL, {"q": "法治政府"}).json()
    sections = Section.objects.filter(pk__in=containing("法治政府"))
    expected = {r: sections.filter(report_id=r).count() for r in {s.report_id for s in sections}}
    assert {r["report"]["id"]: r["hits"] for r in body["results"]} == expected
    assert body["count"] == len(expected)
    for result in body["results"]:
        assert "法治政府" in result["best"]["snippet"]["text"] + result["best"]["title"]


@pytest.mark.parametrize(
    ("params", "code"),
    [({}, "invalid"), ({"q": "-行政复议"}, "invalid_query"), ({"q": "法", "level": 9}, "invalid")],
)
def test_bad_search_requests_get_the_error_body(corpus, params, code):
    """A missing or term-less query, or a bad filter, is a 400 with the one error body."""
    response = APIClient().get(SECTIONS_URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert set(body) == {"code", "message", "detail"}


def test_search_endpoints_are_in_the_openapi_schema():
    """Both routes and their query parameters are documented."""
    response = APIClient().get(reverse("schema"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/search/sections/" in text
    assert "/api/v1/search/reports/" in text
    assert "year_from" in text


def test_admin_section_search_uses_the_engine(corpus, client):
    """The Section admin's search box finds exactly the sections containing the term."""
    admin = User.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)
    response = client.get("/admin/reports/section/", {"q": "行政复议"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == len(containing("行政复议"))


def test_admin_report_search_finds_reports_by_their_sections(corpus, client):
    """The Report admin's search box finds reports whose sections contain the term."""
    admin = User.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)
    response = client.get("/admin/reports/report/", {"q": "首违不罚"})
    expected = {s.report_id for s in Section.objects.filter(pk__in=containing("首违不罚"))}
    assert expected
    assert {r.pk for r in response.context["cl"].result_list} == expected
