"""In a real browser (headless Debian Chromium via Playwright), at 1280 pixels wide, in Chinese:
a curator uploads a Word file and the same report as PDF, watches the job finish and sees the
PDF flagged as a possible duplicate; then reviews figures with the keyboard, opens one, corrects
it and sees the audit entry. Screenshots go to artifacts/screenshots/ (kept by CI)."""

from __future__ import annotations

import base64
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.models import CurationEvent, IndicatorValue
from reports.models import Report
from tests.browser_support import SCREENSHOTS, WIDTH, needs_chromium, page_width
from tests.curation_support import (
    CORPUS_DIR,
    curator_make,
    ingest_and_parse,
    number_offset,
    value_at,
)

VARIANTS = Path(__file__).resolve().parents[1] / "fixtures" / "variants"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_chromium,
]


@pytest.fixture
def page(browser_page):
    """A 1280-pixel-wide page of headless Chromium, in a Chinese locale."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page(WIDTH, 900)
    page.set_default_timeout(20_000)
    return page


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    width = page_width(page)
    assert width <= WIDTH, f"{page.url} is {width}px wide"


def _log_in(page, live_server, user, next_path: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "pw-curator-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_path}")


def _drop(page, path: Path) -> None:
    """Drop a file on the drop zone as a drag from the desktop would."""
    page.evaluate(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const files = new DataTransfer();
            files.items.add(new File([bytes], name));
            const zone = document.getElementById("drop-zone");
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: files, bubbles: true,
                                                      cancelable: true}));
        }""",
        [path.name, base64.b64encode(path.read_bytes()).decode()],
    )


def test_upload_word_and_pdf_then_the_duplicate_is_flagged(live_server, page, django_user_model):
    curator = curator_make(django_user_model)
    name = "003_4a080416cfef067e"
    _log_in(page, live_server, curator, "/workspace/upload/")
    assert page.inner_text("h1") == "上传报告"
    page.set_input_files("#upload-files", [str(VARIANTS / f"{name}.docx")])
    _drop(page, VARIANTS / f"{name}.pdf")  # dragged onto the drop zone: joins the chosen file
    assert page.locator("#chosen-files li").count() == 2
    _shot(page, "workspace-01-upload")
    page.click("#upload-submit")
    page.wait_for_selector("#job-progress[data-done='1']")
    first = Report.objects.get(filename=f"{name}.docx")
    row = page.locator(f"tr[data-filename='{name}.pdf']")
    assert "疑似重复" in row.inner_text()
    assert f"疑似与报告 {first.pk} 重复" in row.inner_text()
    assert "已入库并解析" in page.locator(f"tr[data-filename='{name}.docx']").inner_text()
    _shot(page, "workspace-02-job-finished")

    row.get_by_role("link", name="合并或保留").click()
    copy = Report.objects.get(filename=f"{name}.pdf")
    page.wait_for_selector(f"#dup-{copy.pk}")
    assert f"报告 {copy.pk}：疑似与报告 {first.pk} 重复" in page.inner_text(f"#dup-{copy.pk} h2")
    _shot(page, "workspace-03-duplicates")

    page.goto(f"{live_server.url}/workspace/")
    assert "疑似重复" in page.inner_text("main")
    _shot(page, "workspace-00-home")


def test_review_with_keyboard_then_correct_a_figure_and_see_the_audit(
    live_server, page, django_user_model
):
    report = ingest_and_parse(
        CORPUS_DIR / "003_4a080416cfef067e.txt",
        metadata={"province": "广东省", "city": "汕尾市", "county": "城区", "report_year": 2023},
    )
    text = report.raw_text
    to_correct = value_at(report, number_offset(text, "受理法律援助案件734件", "734"))
    assert to_correct is not None
    curator = curator_make(django_user_model)
    _log_in(page, live_server, curator, "/workspace/review/")
    first_card = page.locator(".rv-card").first
    first_id = int(first_card.get_attribute("data-id"))
    assert (
        first_card.locator("mark.quote").inner_text()
        in first_card.locator(".rv-paragraph").inner_text()
    )
    _shot(page, "workspace-04-review-queue")

    page.keyboard.press("j")  # the first card takes the focus
    page.keyboard.press("v")  # verified through htmx, in place
    page.wait_for_selector(f"#value-{first_id}.status-verified")
    assert page.locator(f"#value-{first_id} .rv-tick").count() == 1  # still in the bulk form
    assert IndicatorValue.objects.get(pk=first_id).status == IndicatorValue.Status.VERIFIED

    # The code picker of the card now in focus: only codes whose unit and kind fit, searched.
    card = page.locator(".rv-card:focus")
    card_id = card.get_attribute("data-id")
    page.keyboard.press("g")
    page.wait_for_selector(f"#codes-{card_id} .rv-code-choice")  # all that fit, on focus
    unit = IndicatorValue.objects.get(pk=card_id).unit
    assert f"单位为“{unit}”的数值可归入的指标" in page.inner_text(f"#codes-{card_id}")
    every = page.locator(f"#codes-{card_id} .rv-code-choice").count()
    page.keyboard.type("法规")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length < n",
        arg=[f"#codes-{card_id} .rv-code-choice", every],
    )
    choices = page.locator(f"#codes-{card_id} .rv-code-choice").all_inner_texts()
    assert choices
    assert all("法规" in choice for choice in choices)
    _shot(page, "workspace-04b-review-picker")

    page.goto(f"{live_server.url}/workspace/review/{to_correct.pk}/")
    assert page.inner_text(".rv-card mark.quote") == to_correct.quote
    page.fill(".rv-number", "735")
    page.click(".rv-correct button[type=submit]")
    page.wait_for_selector("#audit-trail tr.audit-correct")
    assert "735" in page.inner_text("#audit-trail")
    assert page.inner_text("#audit-trail h2") == "审核记录"
    _shot(page, "workspace-05-value-corrected-audit")

    to_correct.refresh_from_db()
    assert (to_correct.status, to_correct.corrected_value) == ("corrected", Decimal(735))
    assert CurationEvent.objects.filter(
        value=to_correct, field="corrected_value", after="735", user=curator
    ).exists()
