"""The comparison and coverage pages: choices come from the data, levels are not mixed unless
asked for, an empty result says why, and every label is Chinese."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from indicators.models import IndicatorDefinition
from indicators.services.curation import indicator_value_reject
from tests.curation_support import curator_make, report_make, value_add

pytestmark = pytest.mark.django_db
CODE = "legal_aid_cases"


@pytest.fixture
def places():
    """Two counties and a city in 2023, one county's 2022 report; values of one indicator."""
    pujiang = report_make(province="浙江省", city="金华市", county="浦江县", year=2023)
    yiwu = report_make(province="浙江省", city="金华市", county="义乌市", year=2023)
    jinhua = report_make(province="浙江省", city="金华市", year=2023, admin_level="city")
    old = report_make(province="浙江省", city="金华市", county="浦江县", year=2022)
    value_add(pujiang, code=CODE, value=500)
    value_add(yiwu, code=CODE, value=800)
    value_add(jinhua, code=CODE, value=5000)
    value_add(old, code=CODE, value=450)
    return {"pujiang": pujiang, "jinhua": jinhua}


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def _rows(html: str) -> list[list[str]]:
    table = re.search(r'id="comparison-table">(.*?)</table>', html, re.S).group(1)
    body = table.split("<tbody>")[1]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_only_indicators_with_data_are_offered(client, places, django_user_model):
    """An indicator whose only value was rejected is not offered; one with values is."""
    other = value_add(places["pujiang"], code="people_mediation_cases", value=3)
    indicator_value_reject(value=other, user=curator_make(django_user_model))
    html = client.get(reverse("indicators:compare")).content.decode()
    assert _options(html, "code") == [CODE]
    assert IndicatorDefinition.objects.count() > 1


def test_places_and_years_are_chosen_from_what_exists(client, places):
    html = client.get(reverse("indicators:compare")).content.decode()
    assert _options(html, "province") == ["", "浙江省"]
    assert _options(html, "year") == ["", "2023", "2022"]
    html = client.get(
        reverse("indicators:compare"), {"code": CODE, "province": "浙江省", "city": "金华市"}
    ).content.decode()
    assert _options(html, "city") == ["", "金华市"]
    assert _options(html, "county") == ["", "义乌市", "浦江县"]


def test_place_lists_refresh_in_place_for_htmx(client, places):
    """An htmx request (a province chosen) answers the form with the province's cities and no
    comparison; a county of another city is dropped."""
    response = client.get(
        reverse("indicators:compare"),
        {"code": CODE, "province": "浙江省", "city": "金华市", "county": "不存在县"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="places"' in html
    assert _options(html, "city") == ["", "金华市"]
    assert 'id="comparison"' not in html


def test_regions_of_a_year_keep_to_one_level_by_default(client, places):
    """Counties are the most common level in 2023: the city's value is left out and the page
    says so; choosing all levels mixes them."""
    html = client.get(reverse("indicators:compare"), {"code": CODE, "year": 2023}).content
    html = html.decode()
    assert [r[:2] for r in _rows(html)] == [
        ["浙江省金华市义乌市", "800 件"],
        ["浙江省金华市浦江县", "500 件"],
    ]
    assert 'id="level-note"' in html
    assert "区县" in html
    mixed = client.get(
        reverse("indicators:compare"), {"code": CODE, "year": 2023, "admin_level": "all"}
    ).content.decode()
    regions = [r[0] for r in _rows(mixed)]
    assert regions == ["浙江省金华市", "浙江省金华市义乌市", "浙江省金华市浦江县"]
    assert "5000 件" in mixed


def test_series_of_a_place_chosen_from_the_lists(client, places):
    params = {"code": CODE, "province": "浙江省", "city": "金华市", "county": "浦江县"}
    html = client.get(reverse("indicators:compare"), params).content.decode()
    assert [r[:2] for r in _rows(html)] == [["2022", "450 件"], ["2023", "500 件"]]


def test_an_empty_comparison_says_why(client, places):
    level = client.get(
        reverse("indicators:compare"), {"code": CODE, "year": 2022, "admin_level": "city"}
    ).content.decode()
    reason = re.search(r'id="no-data">(.*?)</p>', level, re.S).group(1)
    assert "2022年度的市级报告中没有" in reason
    place = client.get(
        reverse("indicators:compare"), {"code": CODE, "province": "浙江省"}
    ).content.decode()
    reason = re.search(r'id="no-data">(.*?)</p>', place, re.S).group(1)
    assert "尚无浙江省本级的报告" in reason


def test_a_request_without_year_or_place_says_what_to_choose(client, places):
    html = client.get(reverse("indicators:compare"), {"code": CODE}).content.decode()
    assert "请选择年度" in html


def test_coverage_shows_levels_in_chinese(client, places):
    html = client.get(reverse("indicators:coverage")).content.decode()
    grid = re.search(r'id="coverage-grid">(.*?)</table>', html, re.S).group(1)
    levels = re.findall(r"</th><td>([^<]*)</td>", grid)
    assert set(levels) == {"区县", "市级"}
    assert "county" not in grid


def test_coverage_province_is_chosen_from_what_exists(client, places):
    html = client.get(reverse("indicators:coverage")).content.decode()
    assert _options(html, "province") == ["", "浙江省"]
    empty = client.get(reverse("indicators:coverage"), {"admin_level": "township"}).content.decode()
    assert "没有符合条件的报告" in empty


def test_compare_page_queries_are_bounded(client, places, django_assert_max_num_queries):
    for n in range(10):
        value_add(report_make(province="湖南省", city=f"市{n}", year=2023), code=CODE, value=n)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("indicators:compare"), {"code": CODE, "year": 2023})
    assert response.status_code == 200
