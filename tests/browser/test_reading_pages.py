"""In a real browser (headless Debian Chromium via Playwright), at 1280 pixels wide: a reader
searches, opens a hit, reads the report and jumps to a figure and back; every page reads in
Chinese with no horizontal scrolling. Screenshots go to artifacts/screenshots/ (kept by CI)."""

from __future__ import annotations

import pytest

from tests.browser_support import SCREENSHOTS, WIDTH, needs_chromium, page_width
from tests.curation_support import (
    CORPUS_DIR,
    ingest_and_parse,
    number_offset,
    report_make,
    value_add,
    value_at,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_chromium,
]


@pytest.fixture
def page(browser_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return browser_page(WIDTH, 900)


def _shot(page, name: str, *, full_page: bool = True) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def _no_horizontal_scroll(page) -> None:
    width = page_width(page)
    assert width <= WIDTH, f"{page.url} is {width}px wide"


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


@pytest.fixture
def shanwei():
    report = ingest_and_parse(
        CORPUS_DIR / "003_4a080416cfef067e.txt",
        metadata={"province": "广东省", "city": "汕尾市", "county": "城区", "report_year": 2023},
    )
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        if path.name != "003_4a080416cfef067e.txt":
            ingest_and_parse(path)
    return report


def test_search_open_a_hit_read_and_jump_to_a_figure(live_server, page, shanwei):
    """Home → search → the hit about 行政复议应诉 → its section in view → the figure 52 →
    its row (value, status) → back to the figure in the text."""
    value = value_at(shanwei, number_offset(shanwei.raw_text, "共收到行政复议案件52件", "52"))
    assert value is not None

    page.goto(live_server.url + "/")
    _no_horizontal_scroll(page)
    _shot(page, "01-home")
    page.fill("input[name=q]", "行政复议")
    page.click("form.search-box button")
    page.wait_for_selector("ol.hits")
    _no_horizontal_scroll(page)
    assert "行政复议" in page.inner_text("#result-count")
    assert page.locator("ol.hits mark").count() > 0
    _shot(page, "02-search")

    hit = page.locator("ol.hits li.hit h3 a", has_text="加强行政复议应诉工作").first
    section_link = hit.get_attribute("href")
    hit.click()
    page.wait_for_selector("#report-text")
    anchor = section_link.split("#", 1)[1]
    assert page.url.endswith(section_link)
    assert _in_view(page, f"#{anchor} h4, #{anchor} h3, #{anchor} h2, #{anchor} h5")
    _no_horizontal_scroll(page)
    _shot(page, "03-report-at-section", full_page=False)

    figure = page.locator(f"#fig-{value.pk}")
    assert figure.inner_text() == value.quote
    figure.click()
    page.wait_for_url(f"**#v-{value.pk}")
    row = page.locator(f"#v-{value.pk}")
    assert "52 件" in row.inner_text()
    assert "抽取" in row.inner_text()
    assert _in_view(page, f"#v-{value.pk}")
    _shot(page, "04-figure-row", full_page=False)

    row.locator("td.quote a").click()
    page.wait_for_url(f"**#fig-{value.pk}")
    assert _in_view(page, f"#fig-{value.pk}")
    _shot(page, "05-back-to-figure", full_page=False)


def test_every_page_reads_in_chinese_without_horizontal_scroll(live_server, page, shanwei):
    """Each page at 1280 px: Chinese labels, no page wider than the window."""
    for n in range(12):
        report = report_make(province="浙江省", city="金华市", county=f"第{n}区", year=2023)
        value_add(report, code="legal_aid_cases", value=100 * n + 1, subject="受理法律援助案件")
    pages = [
        ("/", "10-home", "最新报告"),
        ("/search/", "11-search-help", "检索语法"),
        ("/search/?q=法律援助&mode=reports", "12-search-reports", "章节命中"),
        (f"/reports/{shanwei.pk}/", "13-report", "目录"),
        ("/indicators/legal_aid_cases/", "14-indicator", "各地区各年度数值"),
        ("/compare/?code=legal_aid_cases&year=2023", "15-compare", "各地区"),
        ("/compare/?code=legal_aid_cases&year=2023&admin_level=province", "16-empty", "没有"),
        ("/coverage/", "17-coverage", "报告覆盖"),
        ("/accounts/login/", "18-login", "用户名"),
    ]
    for path, name, text in pages:
        page.goto(live_server.url + path)
        if path.startswith("/compare/?") and "province" not in path:
            page.wait_for_selector("#chart[data-ready='1']")
        assert text in page.inner_text("main"), path
        assert "首页" in page.inner_text("header")
        _no_horizontal_scroll(page)
        _shot(page, name)

    # Places cascade in place (htmx): choosing a province lists its cities.
    page.goto(live_server.url + "/compare/?code=legal_aid_cases")
    assert page.locator("#id_city option").count() == 1
    page.select_option("#id_province", "浙江省")
    page.wait_for_selector("#id_city option[value='金华市']", state="attached")
    page.select_option("#id_city", "金华市")
    page.wait_for_selector("#id_county option[value='第3区']", state="attached")
    page.select_option("#id_county", "第3区")
    page.click("#compare-form button[type=submit]")
    page.wait_for_selector("#comparison-table")
    assert "浙江省金华市第3区 历年" in page.inner_text("#comparison h2")
    _shot(page, "20-compare-series")

    page.goto(live_server.url + "/")
    page.click("form.lang-switch button[value=en]")
    page.wait_for_selector("text=Latest reports")
    assert "Search" in page.inner_text("header")
    _shot(page, "19-home-english")
