"""Coverage: which governments have a report for which covered year, and how timely it was."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.selectors import coverage_grid
from tests.curation_support import report_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports():
    report_make(
        province="江苏省", city="南通市", county="通州区", year=2022, published_on="2023-03-10"
    )
    report_make(
        province="江苏省", city="南通市", county="通州区", year=2023, published_on="2024-04-15"
    )
    report_make(province="浙江省", city="金华市", county="浦江县", year=2023)
    report_make(
        province="浙江省",
        city="金华市",
        county="浦江县",
        year=2023,
        published_on="2024-04-01",
        admin_level="department",
    )


def test_grid_shows_reports_and_days_relative_to_the_1_april_deadline(reports):
    """A report published 10 March for 2022 is 22 days early; 15 April 2024 for 2023 is 14 days
    late; an undated report is marked so; a missing year is an empty cell; departments are left
    out of the government grid."""
    grid = coverage_grid()
    assert grid.years == [2022, 2023]
    cells = {
        (row.region, year): (cell.reports, cell.days_after_deadline, cell.status)
        for row in grid.rows
        for year, cell in row.cells.items()
    }
    assert cells == {
        ("江苏省南通市通州区", 2022): (1, -22, "on_time"),
        ("江苏省南通市通州区", 2023): (1, 14, "late"),
        ("浙江省金华市浦江县", 2023): (1, None, "undated"),
    }


def test_coverage_api_lists_rows_with_one_cell_per_reported_year(reports):
    """GET /api/v1/coverage/ returns the years and, per region, its cells with deadlines."""
    body = APIClient().get(reverse("v1:coverage")).json()
    assert body["years"] == [2022, 2023]
    tongzhou = next(r for r in body["rows"] if r["county"] == "通州区")
    assert [(c["year"], c["deadline"], c["status"]) for c in tongzhou["cells"]] == [
        (2022, "2023-04-01", "on_time"),
        (2023, "2024-04-01", "late"),
    ]


def test_coverage_api_filters_departments_on_request(reports):
    """admin_level=department shows only department reports (published on the deadline day)."""
    body = APIClient().get(reverse("v1:coverage"), {"admin_level": "department"}).json()
    assert [(r["region"], r["cells"][0]["days_after_deadline"]) for r in body["rows"]] == [
        ("浙江省金华市浦江县", 0)
    ]


def test_coverage_page_shows_the_grid(client, reports):
    """The coverage page renders a region × year table with empty cells for missing years."""
    html = client.get(reverse("indicators:coverage")).content.decode()
    assert 'id="coverage-grid"' in html
    assert html.count('class="cell missing"') == 1
    assert "+14 天" in html
    assert "-22 天" in html
