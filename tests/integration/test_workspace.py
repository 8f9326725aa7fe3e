"""The curators' workspace: staff only; the review page (figure in its paragraph, verify, reject,
correct, recode with codes that fit, bulk, every change audited), upload with the job's
progress, possible duplicates merged or kept; bounded queries on every page."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from indicators.models import CurationEvent, IndicatorValue
from reports.models import IngestionJob, Report
from tests.curation_support import curator_make, report_make, value_add

pytestmark = pytest.mark.django_db

VARIANTS = Path(__file__).resolve().parents[1] / "fixtures" / "variants"
PAGES = ("home", "review", "upload", "duplicates")
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def curator(django_user_model):
    return curator_make(django_user_model)


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def values():
    """Twenty-one extracted values in one report, the paragraph of each around its quote."""
    report = report_make(province="广东省", city="汕尾市", county="城区", year=2023)
    text = "".join(f"第{i}段说明。共收到行政复议案件{50 + i}件。\n" for i in range(21))
    Report.objects.filter(pk=report.pk).update(raw_text=text)
    made = []
    for i in range(21):
        quote = f"共收到行政复议案件{50 + i}件"
        start = text.index(quote)
        value = value_add(
            report,
            code="reconsideration_received",
            value=50 + i,
            subject="共收到行政复议案件",
            confidence=0.5 + i / 100,
            start=start,
        )
        made.append(value)
    return made


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(f"workspace:{name}"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_logged_in_non_staff_are_refused(client, name):
    client.force_login(User.objects.create_user("reader"))
    assert client.get(reverse(f"workspace:{name}")).status_code == 403


def test_staff_without_review_permission_cannot_act(client, values):
    client.force_login(User.objects.create_user("clerk", is_staff=True))
    assert client.get(reverse("workspace:review")).status_code == 403
    url = reverse("workspace:review-act", kwargs={"pk": values[0].pk})
    assert client.post(url, {"action": "verify"}).status_code == 403
    assert IndicatorValue.objects.get(pk=values[0].pk).status == "extracted"


def test_review_page_shows_each_quote_marked_in_its_paragraph(
    curator_client, values, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = curator_client.get(reverse("workspace:review"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<mark class="quote">共收到行政复议案件50件</mark>' in page
    assert "第0段说明。<mark" in page  # the paragraph before the quote, not the next one
    assert "第1段说明" not in page.split('id="value-' + str(values[0].pk))[1].split("</p>")[0]
    assert page.count('class="card rv-card') == 20  # one page
    assert "审核数值" in page  # Chinese by default


def test_verify_from_the_queue_returns_the_card_and_audits(curator_client, curator, values):
    value = values[3]
    url = reverse("workspace:review-act", kwargs={"pk": value.pk})
    response = curator_client.post(url, {"action": "verify"}, **HX)
    assert response.status_code == 200
    assert "status-verified" in response.content.decode()
    event = CurationEvent.objects.get(value=value)
    assert (event.action, event.field, event.after, event.user) == (
        "verify",
        "status",
        "verified",
        curator,
    )


def test_correct_number_and_reject_without_javascript(curator_client, values):
    url = reverse("workspace:review-act", kwargs={"pk": values[1].pk})
    response = curator_client.post(url, {"action": "correct", "corrected_value": "1,391"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(pk=values[1].pk)
    assert (value.status, value.corrected_value) == ("corrected", Decimal("1391"))
    reject = reverse("workspace:review-act", kwargs={"pk": values[2].pk})
    curator_client.post(reject, {"action": "reject", "note": "目录中的编号"})
    rejected = IndicatorValue.objects.get(pk=values[2].pk)
    assert (rejected.status, rejected.review_note) == ("rejected", "目录中的编号")


def test_a_bad_number_is_an_error_on_the_card_not_a_500(curator_client, values):
    url = reverse("workspace:review-act", kwargs={"pk": values[1].pk})
    response = curator_client.post(url, {"action": "correct", "corrected_value": "abc"}, **HX)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert IndicatorValue.objects.get(pk=values[1].pk).status == "extracted"


def test_code_picker_offers_only_codes_whose_unit_and_kind_fit(curator_client, values):
    url = reverse("workspace:review-codes", kwargs={"pk": values[0].pk})
    page = curator_client.get(url).content.decode()
    assert 'value="reconsideration_received"' in page
    assert 'value="head_court_appearance_rate"' not in page  # a rate in %, not a count in 件
    searched = curator_client.get(url, {"q": "应诉"}).content.decode()
    assert 'value="reconsideration_received"' not in searched
    assert "应诉" in searched


def test_change_code_is_a_correction_audited(curator_client, values):
    url = reverse("workspace:review-act", kwargs={"pk": values[0].pk})
    curator_client.post(url, {"action": "code", "code": "reconsideration_accepted"}, **HX)
    value = IndicatorValue.objects.select_related("corrected_definition").get(pk=values[0].pk)
    assert value.corrected_definition.code == "reconsideration_accepted"
    assert CurationEvent.objects.filter(
        value=value, field="corrected_definition", after="reconsideration_accepted"
    ).exists()


def test_bulk_verify_and_reject(curator_client, values):
    ids = [v.pk for v in values[:3]]
    curator_client.post(reverse("workspace:review-bulk"), {"ids": ids, "action": "verify"})
    assert set(IndicatorValue.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "verified"
    }
    assert CurationEvent.objects.filter(value_id__in=ids, action="verify").count() == 3
    curator_client.post(reverse("workspace:review-bulk"), {"ids": ids[:1], "action": "reject"})
    assert IndicatorValue.objects.get(pk=ids[0]).status == "rejected"


def test_value_page_shows_audit_trail_and_next(
    curator_client, values, django_assert_max_num_queries
):
    url = reverse("workspace:review-value", kwargs={"pk": values[0].pk})
    curator_client.post(
        reverse("workspace:review-act", kwargs={"pk": values[0].pk}),
        {"action": "correct", "corrected_value": "49", "next": url},
    )
    with django_assert_max_num_queries(10):
        page = curator_client.get(url + "?status=extracted").content.decode()
    assert "audit-correct" in page
    next_url = reverse("workspace:review-value", kwargs={"pk": values[1].pk})
    assert f'href="{next_url}?status=extracted" id="next-value"' in page


def test_upload_of_word_and_pdf_shows_the_near_duplicate(
    curator_client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    name = "003_4a080416cfef067e"
    with (
        (VARIANTS / f"{name}.docx").open("rb") as docx,
        (VARIANTS / f"{name}.pdf").open("rb") as pdf,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = curator_client.post(reverse("workspace:upload"), {"files": [docx, pdf]})
    job = IngestionJob.objects.get()
    assert response["Location"] == reverse("workspace:job", kwargs={"pk": job.pk})
    with django_assert_max_num_queries(10):
        fragment = curator_client.get(response["Location"], **HX).content.decode()
    assert 'data-done="1"' in fragment
    assert "hx-trigger" not in fragment  # finished: polling stops
    first = Report.objects.get(filename=f"{name}.docx")
    assert f"疑似与报告 {first.pk} 重复" in fragment
    assert 'class="outcome-near_duplicate"' in fragment


def _upload_one_by_one(client, capture, name: str) -> None:
    """Upload the web page, then the PDF, then the Word file of one report, each its own job."""
    for ext in ("html", "pdf", "docx"):
        with (VARIANTS / f"{name}.{ext}").open("rb") as handle, capture(execute=True):
            client.post(reverse("workspace:upload"), {"files": [handle]})


def test_merge_and_keep_decisions(curator_client, django_capture_on_commit_callbacks):
    name = "000_21c7d6ccdca8baa6"
    _upload_one_by_one(curator_client, django_capture_on_commit_callbacks, name)
    first = Report.objects.get(filename=f"{name}.html")
    pdf = Report.objects.get(filename=f"{name}.pdf")
    docx = Report.objects.get(filename=f"{name}.docx")
    page = curator_client.get(reverse("workspace:duplicates")).content.decode()
    assert f'id="dup-{pdf.pk}"' in page
    assert f'id="dup-{docx.pk}"' in page
    decide = "workspace:duplicate-decide"
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(reverse(decide, kwargs={"pk": pdf.pk}), {"decision": "merge"})
    assert not Report.objects.filter(pk=pdf.pk).exists()
    curator_client.post(reverse(decide, kwargs={"pk": docx.pk}), {"decision": "keep"})
    docx.refresh_from_db()
    assert docx.duplicate_of_id is None
    assert CurationEvent.objects.filter(report=first, action="near_duplicate_merge").exists()


def test_duplicates_list_pages_through_the_flagged_copies(curator_client):
    """Flagged copies are listed twenty a page, oldest flag first, with their total."""
    original = report_make(province="广东省", city="广州市", county="越秀区", year=2023)
    copies = [
        report_make(province="广东省", city="广州市", county="越秀区", year=2023) for _ in range(23)
    ]
    Report.objects.filter(pk__in=[c.pk for c in copies]).update(
        duplicate_of=original, duplicate_similarity=0.9
    )
    first = curator_client.get(reverse("workspace:duplicates"))
    second = curator_client.get(reverse("workspace:duplicates"), {"page": 2})
    listed = [[r.pk for r in page.context["pairs"]] for page in (first, second)]
    assert listed == [[c.pk for c in copies[:20]], [c.pk for c in copies[20:]]]
    assert first.context["page"].paginator.count == 23
    assert 'href="?page=2"' in first.content.decode()
    assert f'id="dup-{original.pk}"' not in first.content.decode()


def test_admin_links_to_the_workspace(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root-admin", password="x")  # noqa: S106
    client.force_login(admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("workspace:home")}" id="admin-workspace-link"' in page


@pytest.mark.parametrize("name", ["home", "upload", "duplicates"])
def test_pages_answer_in_a_bounded_number_of_queries(
    curator_client, django_capture_on_commit_callbacks, django_assert_max_num_queries, name
):
    """With jobs, possible duplicates and values in the database, each page's query count stays
    fixed (no query per row)."""
    _upload_one_by_one(curator_client, django_capture_on_commit_callbacks, "000_21c7d6ccdca8baa6")
    assert Report.objects.exclude(duplicate_of=None).count() == 2
    with django_assert_max_num_queries(10):
        response = curator_client.get(reverse(f"workspace:{name}"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, 21 + 3),
        ({"province": "浙江省"}, 3),
        ({"province": "广东省", "year": "2023"}, 21),
        ({"code": "legal_aid_cases"}, 2),
        ({"status": "verified"}, 0),
    ],
)
def test_review_queue_counts_the_values_it_lists(curator_client, values, query, expected):
    """The queue's total (counted apart from the page's rows) agrees with its filters."""
    other = report_make(province="浙江省", city="金华市", county="浦江县", year=2022)
    value_add(other, code="legal_aid_cases", value=500, subject="受理法律援助案件")
    value_add(other, code="legal_aid_cases", value=501, subject="受理法律援助案件")
    value_add(other, code=None, value=7, subject="召开会议")
    response = curator_client.get(reverse("workspace:review"), query)
    assert response.context["page"].paginator.count == expected
    assert len(response.context["cards"]) == min(expected, 20)  # the first page of 20


def test_review_queue_counts_up_to_the_cap(curator_client, values, monkeypatch):
    """Past the cap the count is a floor ("at least") and the last page number too ("+");
    under it, exact."""
    page = curator_client.get(reverse("workspace:review")).content.decode()
    count = re.search(r'<small id="queue-count">(.*?)</small>', page, re.S).group(1)
    assert count.strip() == "共 21 个数值"
    assert "1 / 2</span>" in page
    monkeypatch.setattr("indicators.review_selectors.REVIEW_COUNT_CAP", 10)
    page = curator_client.get(reverse("workspace:review")).content.decode()
    count = re.search(r'<small id="queue-count">(.*?)</small>', page, re.S).group(1)
    assert count.strip() == "至少 10 个数值"
    assert page.count('class="card rv-card') == 10  # one page of the ten counted
    assert "1 / 1+</span>" in page


def test_review_cards_escape_what_the_report_and_the_request_carry(curator_client, values):
    """The card is built in Python (indicators/templatetags/review.py): every text in it is
    escaped, in the queue, on a value's page and in the card an action returns."""
    hostile = '<script>alert("x")</script>'
    value = values[0]
    IndicatorValue.objects.filter(pk=value.pk).update(
        subject=hostile, unit=hostile, corrected_value=Decimal("12.50")
    )
    Report.objects.filter(pk=value.report_id).update(province=hostile, county='"><b>x</b>')
    pages = [
        curator_client.get(reverse("workspace:review"), {"year": "2023", "x": hostile}),
        curator_client.get(
            reverse("workspace:review-value", kwargs={"pk": value.pk}), {"x": hostile}
        ),
        curator_client.post(
            reverse("workspace:review-act", kwargs={"pk": value.pk}), {"action": "nothing"}, **HX
        ),
    ]
    for response in pages:
        html = response.content.decode()
        assert "<script>alert" not in html
        assert '"><b>x</b>' not in html
        assert "&lt;script&gt;alert" in html
    queue = pages[0].content.decode()
    assert "<s>50</s> 12.5" in queue  # the parser's number struck through, the curator's beside
    assert 'class="error" role="alert"' in pages[2].content.decode()
