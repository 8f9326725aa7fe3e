"""In a real browser (headless Debian Chromium via Playwright): a curator logs into the admin,
verifies one value in the review queue, corrects another inline, and opens the comparison page.
Screenshots go to artifacts/screenshots/ (kept by CI), each page checked for sideways scrolling
at 1280 pixels."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.models import CurationEvent, IndicatorDefinition, IndicatorValue
from tests.browser_support import SCREENSHOTS, WIDTH, needs_chromium, page_width
from tests.curation_support import (
    CORPUS_DIR,
    curator_make,
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


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"admin-{name}.png"), full_page=True)
    assert page_width(page) <= WIDTH, f"{page.url} is {page_width(page)}px wide"


def test_curator_reviews_values_and_opens_the_comparison(live_server, page, django_user_model):
    """Log in, verify one value (bulk action), correct another (inline in the queue), and see
    the corrected figure flagged as curated on the comparison page's chart and table."""
    report = ingest_and_parse(
        CORPUS_DIR / "003_4a080416cfef067e.txt",
        metadata={"province": "广东省", "city": "汕尾市", "county": "城区", "report_year": 2023},
    )
    text = report.raw_text
    to_verify = value_at(report, number_offset(text, "共收到行政复议案件52件", "52"))
    to_correct = value_at(report, number_offset(text, "受理法律援助案件734件", "734"))
    assert to_verify is not None
    assert to_correct is not None
    curator = curator_make(django_user_model)
    legal_aid = IndicatorDefinition.objects.get(code="legal_aid_cases")
    other = report_make(province="浙江省", city="金华市", county="浦江县", year=2023)
    value_add(other, code="legal_aid_cases", value=500, subject="受理法律援助案件")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/indicators/indicatorvalue/")
    page.fill("input[name=username]", curator.username)
    page.fill("input[name=password]", "pw-curator-1")
    page.click("input[type=submit]")
    page.wait_for_selector("#result_list")
    _shot(page, "01-review-queue")

    # Verify one value: find it by its quote, tick it, run the bulk action.
    page.goto(f"{live_server.url}/admin/indicators/indicatorvalue/?id__exact={to_verify.pk}")
    assert page.locator("#result_list mark.quote").first.inner_text() == to_verify.quote
    page.check(f"input[name=_selected_action][value='{to_verify.pk}']")
    page.select_option("select[name=action]", "verify_selected")
    page.click("button[name=index]")
    page.wait_for_selector("ul.messagelist")
    assert "Verified 1 of 1" in page.inner_text("ul.messagelist")
    _shot(page, "02-verified")

    # Correct another inline: number and code in the queue's editable columns, then save.
    page.goto(f"{live_server.url}/admin/indicators/indicatorvalue/?id__exact={to_correct.pk}")
    page.fill("input[name=form-0-corrected_value]", "735")
    page.fill("input[name=form-0-corrected_definition]", legal_aid.code)
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist")
    assert page.input_value("input[name=form-0-corrected_value]").startswith("735")
    _shot(page, "03-corrected")

    # The value's own page: sentence with the quote highlighted, and the audit trail.
    page.goto(f"{live_server.url}/admin/indicators/indicatorvalue/{to_correct.pk}/change/")
    assert page.locator(".field-context mark.quote").inner_text() == to_correct.quote
    assert "corrected_value" in page.inner_text("#events-group")
    _shot(page, "04-value-with-audit-trail")

    # The comparison page: chart drawn, table beside it, the corrected figure flagged curated.
    page.goto(f"{live_server.url}/compare/?code=legal_aid_cases&year=2023")
    page.wait_for_selector("#chart[data-ready='1']")
    rows = page.locator("#comparison-table tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split()[:2] == ["广东省汕尾市城区", "735"]
    assert rows.nth(0).get_attribute("class") == "curated"  # the corrected figure
    assert rows.nth(1).inner_text().split()[:2] == ["浙江省金华市浦江县", "500"]
    assert rows.nth(1).get_attribute("class") == "extracted"
    assert page.get_attribute("#csv-link", "href").endswith("format=csv")
    _shot(page, "05-comparison")

    to_verify.refresh_from_db()
    to_correct.refresh_from_db()
    assert to_verify.status == IndicatorValue.Status.VERIFIED
    assert (to_correct.status, to_correct.corrected_value, to_correct.corrected_definition) == (
        IndicatorValue.Status.CORRECTED,
        Decimal(735),
        legal_aid,
    )
    assert set(CurationEvent.objects.values_list("value_id", "field")) >= {
        (to_verify.pk, "status"),
        (to_correct.pk, "corrected_value"),
        (to_correct.pk, "corrected_definition"),
    }
