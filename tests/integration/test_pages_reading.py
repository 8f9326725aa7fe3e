"""The reading pages on real PostgreSQL: home, search, a report's reading view, an indicator.

State is built through the ingestion and parse services; expectations come from the reports'
own text (what a reader would see), never from the pages' output.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from indicators.services.curation import indicator_value_correct, indicator_value_verify
from reports.models import Report, Section
from reports.services.ingest import report_ingest_file
from reports.services.parse import report_parse
from tests.curation_support import (
    CORPUS_DIR,
    curator_make,
    ingest_and_parse,
    number_offset,
    report_make,
    value_add,
    value_at,
)

pytestmark = pytest.mark.django_db
SHANWEI = CORPUS_DIR / "003_4a080416cfef067e.txt"
HOSTILE = '<script>alert("x")</script>'


def _ingest_text(text: str, name: str, **metadata) -> Report:
    outcome = report_ingest_file(data=text.encode("utf-8"), filename=name, metadata=metadata)
    assert outcome.report_id is not None, (outcome.code, outcome.message)
    report_parse(report_id=outcome.report_id)
    return Report.objects.get(pk=outcome.report_id)


@pytest.fixture
def shanwei():
    return ingest_and_parse(
        SHANWEI,
        metadata={"province": "广东省", "city": "汕尾市", "county": "城区", "report_year": 2023},
    )


@pytest.fixture
def hostile():
    """A report whose title, headings and text carry markup."""
    text = (
        f"{HOSTILE}县2023年法治政府建设年度报告\n"
        f"一、主要举措{HOSTILE}\n"
        f"全年共收到行政复议案件52件,<b>办结</b>{HOSTILE}。\n"
    )
    return _ingest_text(
        text,
        "hostile.txt",
        title=f"{HOSTILE}县报告",
        province="测试省",
        report_year=2023,
        admin_level="county",
    )


def _text(html: str) -> str:
    """The page's visible text, roughly: tags dropped, entities decoded."""
    return unescape(re.sub(r"<[^>]+>", "", html))


# ---------------------------------------------------------------------------------------------
# Home


def test_home_shows_counts_latest_reports_and_a_search_box(client, shanwei):
    """The home page answers at /, counts what is stored and links the latest report."""
    other = report_make(province="浙江省", city="金华市", county="浦江县", year=2022)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    counts = re.search(r'id="counts">(.*?)</div>\s*<div class="grid-2">', html, re.S).group(1)
    numbers = [int(n) for n in re.findall(r"<b>(\d+)</b>", counts)]
    sections = Section.objects.count()
    values = IndicatorValue.objects.count()
    assert numbers == [1, 2, sections, values, 0]  # parsed reports, governments, …, reviewed
    assert "2022–2023" in counts
    assert f'href="{reverse("reports:detail", args=[shanwei.pk])}"' in html
    assert f'href="{reverse("reports:detail", args=[other.pk])}"' not in html  # not parsed
    assert f'action="{reverse("reports:search")}"' in html
    assert "区县" in _text(html)  # the level's Chinese name in the glance table


def test_home_with_nothing_loaded_says_so(client):
    html = client.get("/").content.decode()
    assert "尚未导入报告" in html


def test_home_queries_are_bounded(client, shanwei, django_assert_max_num_queries):
    for n in range(5):
        report_make(province="湖南省", city=f"市{n}", year=2020 + n)
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200


# ---------------------------------------------------------------------------------------------
# Search


def test_search_ranks_hits_with_highlights_and_section_paths(client, shanwei):
    """Each hit links to its section in the report, with the terms marked in the snippet and
    the headings above it as a path."""
    response = client.get(reverse("reports:search"), {"q": "法律援助"})
    html = response.content.decode()
    assert response.status_code == 200
    truth = {
        s.pk
        for s in Section.objects.filter(report=shanwei)
        if "法律援助" in s.title or "法律援助" in s.text
    }
    linked = {int(pk) for pk in re.findall(rf"/reports/{shanwei.pk}/#s-(\d+)", html)}
    assert linked == truth
    assert "<mark>法律援助</mark>" in html
    assert f"{len(truth)} 条结果" in _text(html)
    nested = Section.objects.filter(report=shanwei, level__gte=2, pk__in=truth).first()
    if nested is not None:
        parent = nested.parent
        assert f"{parent.marker}{parent.title}" in _text(html)


def test_search_facets_filter_the_hits(client, shanwei):
    """The year facet lists each year with its count; following one keeps only that year."""
    report = _ingest_text(
        "某县2022年法治政府建设年度报告\n一、主要举措\n法律援助工作稳步推进。\n",
        "2022.txt",
        province="湖北省",
        report_year=2022,
        admin_level="county",
    )
    html = client.get(reverse("reports:search"), {"q": "法律援助"}).content.decode()
    facet = re.search(r'data-facet="year">(.*?)</ul>', html, re.S).group(1)
    links = dict(re.findall(r'href="([^"]+)"[^>]*><span>(\d{4})年</span>', facet))
    assert set(links.values()) == {"2022", "2023"}
    only_2022 = next(url for url, year in links.items() if year == "2022")
    filtered = client.get(reverse("reports:search") + unescape(only_2022)).content.decode()
    assert set(re.findall(r"/reports/(\d+)/#s-", filtered)) == {str(report.pk)}
    assert "年度: 2022年" in _text(filtered)  # the filter shown, removable


def test_search_shows_facet_counts_as_floors_past_the_cap(client, shanwei, settings):
    """Past the facet cap the page says each facet count is a lower bound; the total stays
    exact when every match is on the page."""
    truth = sum(1 for s in Section.objects.filter(report=shanwei) if "法" in s.title + s.text)
    assert 2 < truth <= 20  # one page
    exact = client.get(reverse("reports:search"), {"q": "法"}).content.decode()
    assert "≥" not in exact
    assert 'id="facets-floor"' not in exact
    settings.SEARCH_FACET_CAP = 2
    html = client.get(reverse("reports:search"), {"q": "法"}).content.decode()
    assert f"共 {truth} 条结果" in _text(html)
    assert 'id="facets-floor"' in html
    facet = re.search(r'data-facet="year">(.*?)</ul>', html, re.S).group(1)
    floors = re.findall(r"<small>(≥?)(\d+)</small>", facet)
    assert floors
    assert all(mark == "≥" and 0 < int(n) < truth for mark, n in floors)


def test_search_report_mode_lists_each_report_once(client, shanwei):
    html = client.get(reverse("reports:search"), {"q": "法律援助", "mode": "reports"}).content
    html = html.decode()
    assert re.findall(r'<li class="hit">', html).__len__() == 1
    matching = sum(
        1 for s in Section.objects.filter(report=shanwei) if "法律援助" in s.title + s.text
    )
    assert f"{matching} 个章节命中" in _text(html)


def test_search_paginates(client):
    for n in range(23):
        _ingest_text(
            f"第{n}县法治政府建设年度报告\n一、主要举措\n开展法治督察第{n}次。\n",
            f"r{n}.txt",
            province="测试省",
            report_year=2023,
        )
    first = client.get(reverse("reports:search"), {"q": "法治督察"}).content.decode()
    second = client.get(reverse("reports:search"), {"q": "法治督察", "page": 2}).content.decode()
    on_first = set(re.findall(r'<li class="hit">\s*<h3><a href="/reports/(\d+)/', first))
    on_second = set(re.findall(r'<li class="hit">\s*<h3><a href="/reports/(\d+)/', second))
    assert (len(on_first), len(on_second)) == (20, 3)
    assert not on_first & on_second
    assert 'rel="next"' in first
    assert 'rel="next"' not in second


def test_search_without_a_term_says_what_is_wrong(client):
    response = client.get(reverse("reports:search"), {"q": '"'})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="search-errors"' in html
    assert "检索式中没有检索词" in html  # the parser's English message, in the reader's language


def test_search_page_without_query_shows_the_help(client):
    html = client.get(reverse("reports:search")).content.decode()
    assert 'id="query-help" open' in html
    assert "行政复议 OR 行政诉讼" in html


def test_search_escapes_hostile_text(client, hostile):
    html = client.get(reverse("reports:search"), {"q": "行政复议"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_search_queries_are_bounded(client, shanwei, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:search"), {"q": "行政复议"}).status_code == 200
    with django_assert_max_num_queries(12):
        params = {"q": "行政复议", "mode": "reports"}
        assert client.get(reverse("reports:search"), params).status_code == 200


# ---------------------------------------------------------------------------------------------
# A report


def test_report_page_marks_every_figure_in_place_with_its_value_and_status(
    client, shanwei, django_user_model
):
    """Every extracted figure is a link in the text to its row, which shows the value as a
    number people read and its review state; a correction shows the corrected value."""
    curator = curator_make(django_user_model)
    text = shanwei.raw_text
    verified = value_at(shanwei, number_offset(text, "共收到行政复议案件52件", "52"))
    corrected = value_at(shanwei, number_offset(text, "受理法律援助案件734件", "734"))
    indicator_value_verify(value=verified, user=curator)
    indicator_value_correct(value=corrected, user=curator, corrected_value=735)
    html = client.get(reverse("reports:detail", args=[shanwei.pk])).content.decode()
    marked = re.findall(r'<a class="fig (\w+)" id="fig-(\d+)" href="#v-(\d+)"', html)
    values = IndicatorValue.objects.filter(report=shanwei)
    assert {int(pk) for _, pk, _ in marked} == set(values.values_list("pk", flat=True))
    assert all(a == b for _, a, b in marked)
    assert (verified.status, corrected.status) != ("", "")
    status = {int(pk): css for css, pk, _ in marked}
    assert (status[verified.pk], status[corrected.pk]) == ("verified", "corrected")
    row = re.search(rf'<tr id="v-{verified.pk}">(.*?)</tr>', html, re.S).group(1)
    assert "52 件" in row
    assert "已核实" in row
    assert "52.000000" not in html
    row = re.search(rf'<tr id="v-{corrected.pk}">(.*?)</tr>', html, re.S).group(1)
    assert "735 件" in row
    # the figure stands where the text has it: its quote is the marked text
    fig = re.search(rf'id="fig-{verified.pk}"[^>]*>([^<]*)</a>', html).group(1)
    assert fig == verified.quote


def test_report_page_outline_links_every_section(client, shanwei):
    html = client.get(reverse("reports:detail", args=[shanwei.pk])).content.decode()
    outline = re.search(r'id="outline"(.*?)</aside>', html, re.S).group(1)
    sections = list(Section.objects.filter(report=shanwei).values_list("pk", flat=True))
    assert [int(pk) for pk in re.findall(r'href="#s-(\d+)"', outline)] == sections
    assert all(f'<section id="s-{pk}">' in html for pk in sections)


def test_report_page_loses_no_text(client, shanwei):
    """Every non-blank line of the report's text, page furniture removed, is on the page."""
    html = _text(client.get(reverse("reports:detail", args=[shanwei.pk])).content.decode())
    page = re.sub(r"\s+", "", html)
    assert shanwei.clean_text
    for line in shanwei.clean_text.splitlines():
        if line.strip():
            assert re.sub(r"\s+", "", line) in page, line


def test_report_page_escapes_hostile_text(client, hostile):
    html = client.get(reverse("reports:detail", args=[hostile.pk])).content.decode()
    assert "<script>alert" not in html
    assert "<b>办结</b>" not in html
    assert "&lt;b&gt;办结&lt;/b&gt;" in html


def test_report_page_offers_the_original_only_when_it_is_kept(client, shanwei):
    url = reverse("reports:detail", args=[shanwei.pk])
    link = reverse("v1:report-original", kwargs={"pk": shanwei.pk})
    assert f'href="{link}" id="original-download"' in client.get(url).content.decode()
    Report.objects.filter(pk=shanwei.pk).update(original_name="")  # loaded before originals
    assert 'id="original-download"' not in client.get(url).content.decode()


def test_report_page_for_a_missing_report_is_404(client):
    assert client.get(reverse("reports:detail", args=[999_999])).status_code == 404


def test_report_page_queries_are_bounded(client, shanwei, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(reverse("reports:detail", args=[shanwei.pk])).status_code == 200


# ---------------------------------------------------------------------------------------------
# An indicator


def test_indicator_page_shows_definition_and_values_by_region_and_year(client):
    a = report_make(province="广东省", city="汕尾市", county="城区", year=2022)
    b = report_make(province="广东省", city="汕尾市", county="城区", year=2023)
    c = report_make(province="浙江省", city="金华市", county="浦江县", year=2023)
    va = value_add(a, code="legal_aid_cases", value=700, subject="受理法律援助案件")
    vb = value_add(b, code="legal_aid_cases", value="734.000000", subject="受理法律援助案件")
    value_add(c, code="legal_aid_cases", value=500, subject="受理法律援助案件")
    html = client.get(reverse("indicators:detail", args=["legal_aid_cases"])).content.decode()
    assert "法律援助案件" in html
    grid = re.search(r'id="values-grid">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", grid, re.S)
    assert [r[0] for r in rows] == ["广东省汕尾市城区", "浙江省金华市浦江县"]
    assert f"/reports/{a.pk}/#fig-{va.pk}" in rows[0][1]
    assert f"/reports/{b.pk}/#fig-{vb.pk}" in rows[0][1]
    assert "734 件" in rows[0][1]
    assert re.findall(r"<th class=\"num\">(\d{4})</th>", grid) == ["2022", "2023"]


def test_indicator_page_for_an_unknown_code_is_404(client):
    assert client.get(reverse("indicators:detail", args=["no_such_code"])).status_code == 404


def test_indicator_page_queries_are_bounded(client, django_assert_max_num_queries):
    for n in range(8):
        r = report_make(province="湖南省", city=f"市{n}", year=2023)
        value_add(r, code="legal_aid_cases", value=n)
    with django_assert_max_num_queries(5):
        url = reverse("indicators:detail", args=["legal_aid_cases"])
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------------------------
# Language


def test_pages_are_chinese_by_default_and_english_on_request(client, shanwei):
    chinese = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in chinese
    assert "最新报告" in chinese
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert "Latest reports" in english
    assert "County / district" in english


def test_workspace_link_only_for_staff_and_only_where_it_exists(client, django_user_model):
    from django.urls import NoReverseMatch
    from django.urls import reverse as url_of

    try:
        workspace = url_of("workspace:home")
    except NoReverseMatch:
        workspace = None
    assert 'id="nav-workspace"' not in client.get("/").content.decode()
    client.force_login(curator_make(django_user_model))
    html = client.get("/").content.decode()
    assert ('id="nav-workspace"' in html) == (workspace is not None)
    assert reverse("admin:index") in html
