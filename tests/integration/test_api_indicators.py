"""The REST API for the indicator catalogue, indicator values and exports."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from openpyxl import load_workbook
from rest_framework.test import APIClient

from indicators.models import IndicatorValue
from indicators.services.curation import indicator_value_correct, indicator_value_reject
from reports.models import Report
from reports.services.manage import report_update_metadata
from tests.integration.api_support import ingest_corpus, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()


@pytest.fixture
def reports(django_capture_on_commit_callbacks) -> list[Report]:
    loaded = ingest_corpus(django_capture_on_commit_callbacks)
    years = {"000_21c7d6ccdca8baa6.txt": 2022, "002_386134580bdd984c.txt": 2022}
    for report in loaded:
        report_update_metadata(
            report=report, fields={"report_year": years.get(report.filename, 2023)}
        )
    return loaded


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def curator():
    return user_with("curator-values", "indicators.change_indicatorvalue")


def _all_pages(client, url, params=None):
    rows, body = [], client.get(url, params or {}).json()
    while True:
        rows += body["results"]
        if not body["next"]:
            return rows
        body = client.get(body["next"]).json()


def test_catalogue_lists_every_seeded_indicator(client, reports):
    """The catalogue holds the indicators of seeds/catalogue.json, each with its unit."""
    seeded = json.loads((Path(settings.SEEDS_DIR) / "catalogue.json").read_text())["indicators"]
    rows = _all_pages(client, "/api/v1/indicators/definitions/", {"page_size": 500})
    assert {r["code"] for r in rows} == {i["code"] for i in seeded}
    detail = client.get(f"/api/v1/indicators/definitions/{seeded[0]['code']}/").json()
    assert detail["unit"] == seeded[0]["unit"]


def test_catalogue_counts_values_by_effective_code_without_rejected(client, reports, curator):
    """``value_count`` follows a correction to its new code and leaves rejected values out."""
    counts = dict.fromkeys(
        IndicatorValue.objects.exclude(definition=None).values_list("definition__code", flat=True),
        0,
    )
    for code in IndicatorValue.objects.exclude(definition=None).values_list(
        "definition__code", flat=True
    ):
        counts[code] += 1
    source, target = sorted(counts, key=lambda c: -counts[c])[:2]
    moved, rejected = IndicatorValue.objects.filter(definition__code=source).order_by("pk")[:2]
    indicator_value_correct(value=moved, user=curator, corrected_value=None, code=target, note="")
    indicator_value_reject(value=rejected, user=curator, note="not a figure")
    rows = _all_pages(client, "/api/v1/indicators/definitions/", {"page_size": 500})
    listed = {r["code"]: r["value_count"] for r in rows}
    assert listed[source] == counts[source] - 2
    assert listed[target] == counts[target] + 1
    assert all(
        listed[code] == counts.get(code, 0) for code in listed if code not in (source, target)
    )


def test_value_list_filters_by_effective_code(client, reports):
    """``code`` selects the values mapped to that code, and nothing else."""
    code = IndicatorValue.objects.filter(definition__isnull=False).first().definition.code
    rows = _all_pages(client, "/api/v1/indicators/values/", {"code": code})
    expected = IndicatorValue.objects.filter(definition__code=code).count()
    assert len(rows) == expected > 0
    assert {r["code"] for r in rows} == {code}


def test_corrected_code_and_value_are_what_the_list_shows(client, reports, curator):
    """A curator's correction replaces the code and value in the list; the extracted one stays."""
    value = IndicatorValue.objects.filter(unit="件").first()
    indicator_value_correct(
        value=value, user=curator, corrected_value=Decimal("77"), code="reconsideration_received"
    )
    rows = _all_pages(client, "/api/v1/indicators/values/", {"code": "reconsideration_received"})
    row = next(r for r in rows if r["id"] == value.pk)
    assert row["value"] == 77
    assert Decimal(str(row["extracted_value"])) == value.value
    assert row["status"] == "corrected"


def test_value_list_filters_by_year_region_and_status(client, reports, curator):
    """Year, region and status filters follow the value's report and its review state."""
    rows = _all_pages(client, "/api/v1/indicators/values/", {"year": 2023})
    assert rows
    assert {r["report"]["report_year"] for r in rows} == {2023}
    rejected = IndicatorValue.objects.first()
    indicator_value_reject(value=rejected, user=curator)
    only = _all_pages(client, "/api/v1/indicators/values/", {"status": "rejected"})
    assert [r["id"] for r in only] == [rejected.pk]


def test_value_list_filters_by_value_range(client, reports):
    """``value_min``/``value_max`` bound the effective value."""
    rows = _all_pages(
        client, "/api/v1/indicators/values/", {"value_min": 10, "value_max": 100, "page_size": 50}
    )
    assert rows
    assert all(10 <= r["value"] <= 100 for r in rows)
    expected = IndicatorValue.objects.filter(value__gte=10, value__lte=100).count()
    assert len(rows) == expected


def test_value_list_orders_by_effective_value(client, reports):
    """``ordering=-value`` walks values from the largest down, across cursor pages."""
    rows = _all_pages(client, "/api/v1/indicators/values/", {"ordering": "-value", "page_size": 9})
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True)
    assert len(rows) == IndicatorValue.objects.count()


def test_value_carries_quote_section_and_report(client, reports):
    """Each value names its report and section, and its quote is in the report's text."""
    value = IndicatorValue.objects.filter(section__isnull=False).select_related("report").first()
    body = client.get(f"/api/v1/indicators/values/{value.pk}/").json()
    assert body["quote"] in value.report.raw_text
    assert body["report"]["id"] == value.report_id
    assert body["section"]["id"] == value.section_id


def test_value_export_csv_has_every_filtered_row_and_the_chosen_columns(client, reports):
    """The CSV export holds all rows of the filtered list, with the columns asked for."""
    response = client.get(
        "/api/v1/indicators/values/export/",
        {"year": 2022, "fields": "id,code,value,quote,report_title"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["id", "code", "value", "quote", "report_title"]
    expected = IndicatorValue.objects.filter(report__report_year=2022).count()
    assert len(rows) - 1 == expected > 50  # more than one page: the export is not paginated


def test_value_export_xlsx_opens_with_the_same_rows(client, reports):
    """The XLSX export is a workbook with a header row and one row per value."""
    response = client.get(
        "/api/v1/indicators/values/export/", {"file_format": "xlsx", "fields": "id,unit"}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == ("id", "unit")
    assert len(rows) - 1 == IndicatorValue.objects.count()


def test_report_export_csv_lists_reports(client, reports):
    """The report export has one row per report matching the filter."""
    response = client.get("/api/v1/reports/export/", {"report_year": 2022, "fields": "id,title"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["id", "title"]
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(
        r.pk for r in reports if r.filename.startswith(("000", "002"))
    )


def test_export_rejects_unknown_columns_with_a_json_error(client, reports):
    """An unknown column is a 400 with the error body, in JSON even when CSV was asked for."""
    response = client.get(
        "/api/v1/indicators/values/export/", {"fields": "id,nope"}, HTTP_ACCEPT="text/csv"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "fields" in response.json()["detail"]["fields"]


@pytest.mark.parametrize(
    ("url", "max_queries"),
    [
        ("/api/v1/reports/", 2),  # count + page
        ("/api/v1/sections/", 1),  # cursor page
        ("/api/v1/indicators/values/", 1),
        ("/api/v1/indicators/values/?code=reconsideration_received", 2),  # + code lookup
        ("/api/v1/indicators/definitions/", 2),
        ("/api/v1/ingestion-jobs/", 2),
    ],
)
def test_list_query_count_does_not_grow_with_page_size(
    client, reports, django_assert_max_num_queries, url, max_queries
):
    """A list costs the same number of queries for a page of 1 row and a page of 200."""
    joiner = "&" if "?" in url else "?"
    for size in (1, 200):
        with django_assert_max_num_queries(max_queries):
            response = client.get(f"{url}{joiner}page_size={size}")
        assert response.status_code == 200


@pytest.mark.parametrize("path", ["reports", "sections"])
def test_detail_query_count_is_constant(client, reports, django_assert_max_num_queries, path):
    """A report's detail (sections + indicators) or a section's costs a fixed number of queries."""
    obj_id = Report.objects.first().pk if path == "reports" else reports[0].sections.first().pk
    with django_assert_max_num_queries(3):
        assert client.get(f"/api/v1/{path}/{obj_id}/").status_code == 200
