"""Comparisons: one indicator across regions for a year, a region's series, the page and CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.services.curation import (
    indicator_value_correct,
    indicator_value_reject,
    indicator_value_verify,
)
from tests.curation_support import curator_make, report_make, value_add

pytestmark = pytest.mark.django_db
CODE = "reconsideration_received"


@pytest.fixture
def curator(django_user_model):
    return curator_make(django_user_model)


@pytest.fixture
def regions_2023(curator):
    """Four regions' 2023 reports, one value chosen by each rule, plus a 2022 report."""
    shanwei = report_make(province="广东省", city="汕尾市", county="城区", year=2023)
    pujiang = report_make(province="浙江省", city="金华市", county="浦江县", year=2023)
    tongzhou = report_make(province="江苏省", city="南通市", county="通州区", year=2023)
    haifeng = report_make(province="广东省", city="汕尾市", county="海丰县", year=2023)
    old = report_make(province="广东省", city="汕尾市", county="城区", year=2022)
    # Shanwei: an extracted 52 and a verified 50 -> the curated one stands for the region.
    value_add(shanwei, code=CODE, value=52, confidence=0.99, start=0)
    verified = value_add(shanwei, code=CODE, value=50, confidence=0.5, start=30)
    indicator_value_verify(value=verified, user=curator)
    # Pujiang: extracted 12 with a correction to 21 -> 21, curated.
    indicator_value_correct(
        value=value_add(pujiang, code=CODE, value=12), user=curator, corrected_value=21
    )
    # Tongzhou: only an extracted 30 -> 30, extracted.
    value_add(tongzhou, code=CODE, value=30)
    # Haifeng: its only value was rejected -> the region is absent.
    indicator_value_reject(value=value_add(haifeng, code=CODE, value=99), user=curator)
    value_add(old, code=CODE, value=40)
    return shanwei


def _points(body):
    return [(p["region"], Decimal(str(p["value"])), p["source"]) for p in body["points"]]


def test_regions_for_a_year_prefer_curated_values_and_skip_rejected(regions_2023):
    """Each region shows one value, the curated one where it exists, flagged; rejected values
    and other years are left out; largest first."""
    body = APIClient().get(reverse("v1:indicator-compare"), {"code": CODE, "year": 2023}).json()
    assert (body["mode"], body["unit"]) == ("regions", "件")
    assert _points(body) == [
        ("广东省汕尾市城区", Decimal(50), "curated"),
        ("江苏省南通市通州区", Decimal(30), "extracted"),
        ("浙江省金华市浦江县", Decimal(21), "curated"),
    ]


def test_series_of_one_region_across_years(regions_2023):
    """A region's series lists its years in order, each with the value that stands for it."""
    params = {"code": CODE, "province": "广东省", "city": "汕尾市", "county": "城区"}
    body = APIClient().get(reverse("v1:indicator-compare"), params).json()
    assert body["mode"] == "series"
    assert [(p["year"], p["value"], p["source"]) for p in body["points"]] == [
        (2022, 40, "extracted"),
        (2023, 50, "curated"),
    ]


def test_compare_csv_carries_review_state_and_audit_trail(regions_2023):
    """format=csv gives one row per region with source, status and the audit trail."""
    response = APIClient().get(
        reverse("v1:indicator-compare"), {"code": CODE, "year": 2023, "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{CODE}_2023.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["region"], r["value"], r["source"], r["status"]) for r in rows] == [
        ("广东省汕尾市城区", "50", "curated", "verified"),
        ("江苏省南通市通州区", "30", "extracted", "extracted"),
        ("浙江省金华市浦江县", "21", "curated", "corrected"),
    ]
    assert "curator verify status: extracted → verified" in rows[0]["audit"]
    assert rows[1]["audit"] == ""


def test_compare_needs_a_year_or_a_region_and_a_known_code(regions_2023):
    """Without year or region the request is invalid; an unknown code is 404."""
    api = APIClient()
    missing = api.get(reverse("v1:indicator-compare"), {"code": CODE})
    unknown = api.get(reverse("v1:indicator-compare"), {"code": "nope", "year": 2023})
    assert (missing.status_code, missing.json()["code"]) == (400, "invalid")
    assert unknown.status_code == 404


def test_compare_errors_are_json_when_csv_was_asked_for(regions_2023):
    """A CSV request that fails still gets the one JSON error body."""
    response = APIClient().get(reverse("v1:indicator-compare"), {"code": CODE, "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "invalid"


def test_compare_endpoint_query_count_does_not_grow_with_regions(
    regions_2023, django_assert_max_num_queries
):
    """The comparison is two queries (definition, values) however many regions there are."""
    for n in range(10):
        value_add(report_make(province="湖南省", city=f"市{n}", year=2023), code=CODE, value=n)
    with django_assert_max_num_queries(4):
        response = APIClient().get(reverse("v1:indicator-compare"), {"code": CODE, "year": 2023})
    assert len(response.json()["points"]) == 13


def test_compare_page_shows_chart_table_and_csv_link(client, regions_2023):
    """The comparison page renders the chart canvas, the table with flags and the CSV link."""
    page = client.get(reverse("indicators:compare"), {"code": CODE, "year": 2023})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<canvas id="chart"' in html
    assert "indicators/vendor/chart.umd.js" in html
    assert html.count('<tr class="curated">') == 2
    assert html.count('<tr class="extracted">') == 1
    assert "format=csv" in html
