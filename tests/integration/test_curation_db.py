"""Curation services, admin and API: verify, reject, correct, the audit trail, re-parse safety."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indicators.models import CurationEvent, IndicatorValue
from indicators.selectors import indicator_values_with_conflicts
from indicators.services.curation import (
    indicator_value_conflict_resolve,
    indicator_value_correct,
    indicator_value_reject,
    indicator_value_verify,
    indicator_values_reject_bulk,
    indicator_values_verify_bulk,
)
from indicators.services.remap import indicator_values_remap
from reports.errors import ReviewStateError
from reports.services.parse import report_reparse_enqueue
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
Status = IndicatorValue.Status


@pytest.fixture
def curator(django_user_model):
    return curator_make(django_user_model)


@pytest.fixture
def report():
    return report_make(province="广东省", city="汕尾市", county="城区", year=2023)


def _events(value):
    return [
        (e.user.username, e.action, e.field, e.before, e.after)
        for e in CurationEvent.objects.filter(value=value).order_by("id")
    ]


def test_verify_records_who_and_the_status_change(report, curator):
    """Verifying sets the reviewer and time and records status extracted → verified."""
    value = value_add(report, code="legal_aid_cases", value=734)
    indicator_value_verify(value=value, user=curator)
    value.refresh_from_db()
    assert (value.status, value.reviewer, value.reviewed_at is not None) == (
        Status.VERIFIED,
        curator,
        True,
    )
    assert _events(value) == [("curator", "verify", "status", "extracted", "verified")]
    event = CurationEvent.objects.get(value=value)
    assert (event.report_id, event.created_at is not None) == (report.pk, True)


def test_verify_twice_records_one_event(report, curator):
    """A second verify changes nothing, so it adds no event."""
    value = value_add(report, code="legal_aid_cases", value=734)
    indicator_value_verify(value=value, user=curator)
    indicator_value_verify(value=value, user=curator)
    assert len(_events(value)) == 1


def test_verify_of_a_corrected_value_is_refused(report, curator):
    """A corrected value cannot be verified back to the extracted reading."""
    value = value_add(report, code="legal_aid_cases", value=734)
    indicator_value_correct(value=value, user=curator, corrected_value=743)
    with pytest.raises(ReviewStateError):
        indicator_value_verify(value=value, user=curator)


def test_correct_keeps_the_extracted_reading_and_audits_each_field(report, curator):
    """Correcting value and code records one event per changed field; the extracted value stays."""
    value = value_add(report, code="legal_aid_cases", value=52)
    indicator_value_correct(
        value=value,
        user=curator,
        corrected_value="50",
        code="reconsideration_received",
        note="笔误",
    )
    value.refresh_from_db()
    assert (value.value, value.corrected_value, value.effective_definition.code) == (
        Decimal(52),
        Decimal(50),
        "reconsideration_received",
    )
    assert _events(value) == [
        ("curator", "correct", "status", "extracted", "corrected"),
        ("curator", "correct", "corrected_value", None, "50"),
        ("curator", "correct", "corrected_definition", None, "reconsideration_received"),
        ("curator", "correct", "review_note", "", "笔误"),
    ]


def test_correct_with_an_unknown_code_is_refused(report, curator):
    """An unknown indicator code is a validation error and nothing is written."""
    value = value_add(report, code=None, value=5)
    with pytest.raises(ValidationError):
        indicator_value_correct(value=value, user=curator, code="no_such_code")
    value.refresh_from_db()
    assert (value.status, CurationEvent.objects.count()) == (Status.EXTRACTED, 0)


def test_bulk_verify_records_each_values_own_before(report, curator, django_user_model):
    """Bulk verify writes one event per changed value with that value's previous status, and
    leaves verified and corrected values (and their trails) alone."""
    other = curator_make(django_user_model, username="other")
    extracted = value_add(report, code=None, value=1, start=0)
    rejected = value_add(report, code=None, value=2, start=10)
    verified = value_add(report, code=None, value=3, start=20)
    corrected = value_add(report, code=None, value=4, start=30)
    indicator_value_reject(value=rejected, user=other)
    indicator_value_verify(value=verified, user=other)
    indicator_value_correct(value=corrected, user=other, corrected_value=40)
    ids = [extracted.pk, rejected.pk, verified.pk, corrected.pk]
    assert indicator_values_verify_bulk(ids=ids, user=curator) == 2
    bulk = CurationEvent.objects.filter(user=curator).order_by("value_id")
    assert [(e.value_id, e.field, e.before, e.after) for e in bulk] == [
        (extracted.pk, "status", "extracted", "verified"),
        (rejected.pk, "status", "rejected", "verified"),
    ]
    corrected.refresh_from_db()
    assert (corrected.status, corrected.reviewer) == (Status.CORRECTED, other)


def test_bulk_reject_records_status_and_note_per_value(report, curator):
    """Bulk reject records status and note changes for each value."""
    values = [value_add(report, code=None, value=n, start=10 * n) for n in range(3)]
    assert indicator_values_reject_bulk(ids=[v.pk for v in values], user=curator, note="页码") == 3
    events = CurationEvent.objects.filter(action="reject")
    assert sorted((e.value_id, e.field, e.before, e.after) for e in events) == sorted(
        [(v.pk, "status", "extracted", "rejected") for v in values]
        + [(v.pk, "review_note", "", "页码") for v in values]
    )


@pytest.fixture
def parsed_report():
    return ingest_and_parse(CORPUS_DIR / "003_4a080416cfef067e.txt")


def _reparse(report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert report_reparse_enqueue(report_ids=[report.pk]) == 1


def _value_52(report) -> IndicatorValue:
    value = value_at(report, number_offset(report.raw_text, "共收到行政复议案件52件", "52"))
    assert value is not None
    return value


def test_verified_value_survives_reparse_and_remap(
    parsed_report, curator, django_capture_on_commit_callbacks
):
    """A verified value keeps its row, status, number and code through a re-parse and a remap."""
    value = _value_52(parsed_report)
    indicator_value_verify(value=value, user=curator)
    before = (value.pk, value.value, value.definition_id)
    _reparse(parsed_report, django_capture_on_commit_callbacks)
    indicator_values_remap()
    value.refresh_from_db()
    assert (value.pk, value.value, value.definition_id, value.status) == (*before, Status.VERIFIED)
    assert value.parse_conflict is None
    mentions = IndicatorValue.objects.filter(
        report=parsed_report, start_offset__lt=value.end_offset, end_offset__gt=value.start_offset
    )
    assert list(mentions) == [value]  # the re-parse added no duplicate of the reviewed mention


def test_rejected_and_corrected_values_survive_reparse(
    parsed_report, curator, django_capture_on_commit_callbacks
):
    """Rejected and corrected values are not recreated as extracted values by a re-parse."""
    offset = number_offset(parsed_report.raw_text, "受理法律援助案件734件", "734")
    corrected = value_at(parsed_report, offset)
    rejected = value_at(
        parsed_report, number_offset(parsed_report.raw_text, "成功处置突发事件40起", "40")
    )
    indicator_value_correct(value=corrected, user=curator, corrected_value=743)
    indicator_value_reject(value=rejected, user=curator)
    _reparse(parsed_report, django_capture_on_commit_callbacks)
    corrected.refresh_from_db()
    rejected.refresh_from_db()
    assert (corrected.status, corrected.corrected_value) == (Status.CORRECTED, Decimal(743))
    assert rejected.status == Status.REJECTED
    assert not IndicatorValue.objects.filter(
        report=parsed_report,
        status=Status.EXTRACTED,
        start_offset__lt=rejected.end_offset,
        end_offset__gt=rejected.start_offset,
    ).exists()


def test_conflicting_reparse_is_listed_not_applied(
    parsed_report, curator, django_capture_on_commit_callbacks
):
    """When a re-parse reads a verified value differently, the curated reading stays and the
    disagreement is listed for review; accepting it is a correction with its own audit events."""
    value = _value_52(parsed_report)
    # An earlier parser misread the figure as 25, and a curator verified that reading.
    IndicatorValue.objects.filter(pk=value.pk).update(value=Decimal(25))
    value.refresh_from_db()
    indicator_value_verify(value=value, user=curator)
    _reparse(parsed_report, django_capture_on_commit_callbacks)
    value.refresh_from_db()
    assert (value.status, value.value) == (Status.VERIFIED, Decimal(25))
    assert value.parse_conflict["value"] == 52
    assert list(indicator_values_with_conflicts()) == [value]
    indicator_value_conflict_resolve(value=value, user=curator, accept=True)
    value.refresh_from_db()
    assert (value.status, value.effective_value, value.parse_conflict) == (
        Status.CORRECTED,
        Decimal(52),
        None,
    )
    assert ("curator", "conflict_accept", "corrected_value", None, "52") in _events(value)


# Admin.


def test_admin_bulk_verify_action_records_events(client, report, curator):
    """The admin's verify action goes through the service: one event per value."""
    values = [value_add(report, code=None, value=n, start=10 * n) for n in range(1, 4)]
    client.force_login(curator)
    url = reverse("admin:indicators_indicatorvalue_changelist")
    response = client.post(
        url, {"action": "verify_selected", "_selected_action": [v.pk for v in values]}
    )
    assert response.status_code == 302
    assert CurationEvent.objects.filter(action="verify", user=curator).count() == 3
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {Status.VERIFIED}


def test_admin_inline_correction_records_before_and_after(client, report, curator):
    """Editing the corrected value in the review queue is a correction with an audit event."""
    value = value_add(report, code="legal_aid_cases", value=734)
    client.force_login(curator)
    url = reverse("admin:indicators_indicatorvalue_changelist")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(value.pk),
        "form-0-corrected_value": "743",
        "form-0-corrected_definition": "",  # a typed code; empty keeps the parsed one
        "_save": "Save",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.status, value.corrected_value) == (Status.CORRECTED, Decimal(743))
    assert ("curator", "correct", "corrected_value", None, "743") in _events(value)


def test_review_queue_shows_the_quote_highlighted_in_its_sentence(client, parsed_report, curator):
    """The value's page shows its sentence from the report with the quote marked."""
    value = _value_52(parsed_report)
    client.force_login(curator)
    page = client.get(reverse("admin:indicators_indicatorvalue_change", args=[value.pk]))
    html = page.content.decode()
    assert f'<mark class="quote">{value.quote}</mark>' in html
    assert "2023年,共收到行政复议案件52件" in html.replace('<mark class="quote">', "").replace(
        "</mark>", ""
    )


def test_curator_cannot_change_the_catalogue_but_staff_can(client, curator, admin_user):
    """The curator group may view the catalogue; only users with its change permission edit it."""
    from indicators.models import IndicatorDefinition

    definition = IndicatorDefinition.objects.get(code="legal_aid_cases")
    url = reverse("admin:indicators_indicatordefinition_change", args=[definition.pk])
    client.force_login(curator)
    assert client.get(url).status_code == 200
    post = {"code": definition.code, "name": "改名", "unit": "件", "kind": "count"}
    assert client.post(url, post).status_code == 403
    client.force_login(admin_user)
    assert client.post(url, {**post, "category": "S6"}).status_code == 302
    definition.refresh_from_db()
    assert definition.name == "改名"


def test_conflicts_list_in_the_admin_settles_a_conflict(client, report, curator):
    """The admin's conflicts page lists a conflict and "keep" clears it with an audit event."""
    value = value_add(report, code="legal_aid_cases", value=734)
    indicator_value_verify(value=value, user=curator)
    IndicatorValue.objects.filter(pk=value.pk).update(parse_conflict={"found": True, "value": 743})
    client.force_login(curator)
    url = reverse("admin:indicators_indicatorvalue_conflicts")
    assert "743" in client.get(url).content.decode()
    assert client.post(url, {"value": value.pk, "decision": "keep"}).status_code == 302
    value.refresh_from_db()
    assert (value.parse_conflict, value.status) == (None, Status.VERIFIED)
    assert CurationEvent.objects.filter(value=value, action="conflict_keep").count() == 1


# REST API.


def _token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def test_non_curator_cannot_verify(report, django_user_model):
    """An authenticated user outside the curator group gets 403; anonymous gets 401."""
    value = value_add(report, code=None, value=5)
    url = reverse("v1:indicator-value-verify", args=[value.pk])
    reader = django_user_model.objects.create_user(username="reader")
    assert _token_client(reader).post(url).status_code == 403
    assert APIClient().post(url).status_code == 401
    value.refresh_from_db()
    assert (value.status, CurationEvent.objects.count()) == (Status.EXTRACTED, 0)


def test_api_verify_reject_and_correct_with_a_curators_token(report, curator):
    """A curator's token verifies, rejects and corrects values; the audit endpoint lists it all."""
    api = _token_client(curator)
    a, b, c = (value_add(report, code=None, value=n, start=10 * n) for n in (1, 2, 3))
    assert api.post(reverse("v1:indicator-value-verify", args=[a.pk])).json()["status"] == (
        "verified"
    )
    rejected = api.post(reverse("v1:indicator-value-reject", args=[b.pk]), {"note": "页码"})
    assert (rejected.json()["status"], rejected.json()["review_note"]) == ("rejected", "页码")
    body = api.post(
        reverse("v1:indicator-value-correct", args=[c.pk]),
        {"corrected_value": "30", "code": "legal_aid_cases"},
        format="json",
    ).json()
    assert (body["status"], body["effective_code"], Decimal(body["effective_value"])) == (
        "corrected",
        "legal_aid_cases",
        Decimal(30),
    )
    audit = api.get(reverse("v1:indicator-value-audit", args=[c.pk])).json()
    assert {(e["field"], e["before"], e["after"], e["user"]) for e in audit} == {
        ("status", "extracted", "corrected", "curator"),
        ("corrected_value", None, "30", "curator"),
        ("corrected_definition", None, "legal_aid_cases", "curator"),
    }


def test_api_errors_have_the_common_shape(report, curator):
    """A bad correction is 400 `invalid`; verifying a corrected value is 409."""
    api = _token_client(curator)
    value = value_add(report, code=None, value=1)
    bad = api.post(reverse("v1:indicator-value-correct", args=[value.pk]), {}, format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")
    api.post(reverse("v1:indicator-value-correct", args=[value.pk]), {"corrected_value": "2"})
    conflict = api.post(reverse("v1:indicator-value-verify", args=[value.pk]))
    assert (conflict.status_code, conflict.json()["code"]) == (409, "invalid_review_state")


def test_admin_change_form_correction_and_note_are_audited(client, report, curator):
    """Saving a value's page with a new code and note goes through the correction service."""
    from indicators.models import IndicatorDefinition

    value = value_add(report, code=None, value=43, subject="办理人大建议")
    legal_aid = IndicatorDefinition.objects.get(code="legal_aid_cases")
    client.force_login(curator)
    url = reverse("admin:indicators_indicatorvalue_change", args=[value.pk])
    data = {
        "corrected_value": "",
        "corrected_definition": str(legal_aid.pk),
        "review_note": "按目录归类",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    value.refresh_from_db()
    assert (value.status, value.effective_definition, value.review_note) == (
        Status.CORRECTED,
        legal_aid,
        "按目录归类",
    )
    assert {(f, b, a) for _, _, f, b, a in _events(value)} == {
        ("status", "extracted", "corrected"),
        ("corrected_definition", None, "legal_aid_cases"),
        ("review_note", "", "按目录归类"),
    }


def test_audit_trail_per_report_in_the_admin(client, curator):
    """The curation events page filtered by report lists that report's events only."""
    first = report_make(province="江苏省", city="南通市", year=2022)
    second = report_make(province="江苏省", city="南通市", year=2023)
    indicator_value_verify(value=value_add(first, code=None, value=147), user=curator)
    indicator_value_reject(value=value_add(second, code=None, value=111), user=curator)
    client.force_login(curator)
    url = reverse("admin:indicators_curationevent_changelist")
    html = client.get(url, {"report": first.pk}).content.decode()
    table = html.split('id="result_list"')[1].split("</table>")[0]
    assert '<td class="field-action">verify</td>' in table
    assert "reject" not in table


def test_admin_queue_typed_code_corrects_only_the_edited_row(client, report, curator):
    """A code typed in one queue row corrects that row; an untouched row gets no event."""
    untouched = value_add(report, code="legal_aid_cases", value=734, start=0)
    indicator_value_correct(value=untouched, user=curator, code="legal_aid_cases")
    edited = value_add(report, code=None, value=43, subject="办理人大建议", start=20)
    client.force_login(curator)
    url = reverse("admin:indicators_indicatorvalue_changelist")
    rows = sorted([untouched, edited], key=lambda v: (v.confidence, v.report_id, v.start_offset))
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "_save": "Save"}
    for i, value in enumerate(rows):
        data[f"form-{i}-id"] = str(value.pk)
        data[f"form-{i}-corrected_value"] = ""
        data[f"form-{i}-corrected_definition"] = (
            "legal_aid_cases" if value == untouched else "reconsideration_received"
        )
    before = CurationEvent.objects.filter(value=untouched).count()
    assert client.post(url, data).status_code == 302
    edited.refresh_from_db()
    assert edited.effective_definition.code == "reconsideration_received"
    assert CurationEvent.objects.filter(value=untouched).count() == before


def test_admin_exports_selected_values_and_events_as_csv(report, curator, admin_client):
    """The review queue's and the audit trail's CSV actions write a BOM, a header and one row
    per selected value or event, with the curator's change in it."""
    import csv
    import io

    value = value_add(report, code=None, value=52, subject="行政复议案件")
    indicator_value_reject(value=value, user=curator, note="不是指标")

    def download(url: str, ids: list[int], action: str) -> list[list[str]]:
        response = admin_client.post(url, {"action": action, "_selected_action": ids})
        text = response.content.decode("utf-8")
        assert response["Content-Type"].startswith("text/csv")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))

    rows = download("/admin/indicators/indicatorvalue/", [value.pk], "export_with_audit")
    assert rows[0][:3] == ["id", "report", "subject"]
    assert len(rows) == 2
    assert rows[1][0] == str(value.pk)
    assert rows[1][2] == "行政复议案件"
    assert "reject status: extracted → rejected" in rows[1][-1]
    event_ids = list(CurationEvent.objects.filter(value=value).values_list("pk", flat=True))
    rows = download("/admin/indicators/curationevent/", event_ids, "export_csv")
    assert rows[0][:3] == ["created_at", "user", "action"]
    assert {(r[2], r[3]) for r in rows[1:]} == {("reject", "status"), ("reject", "review_note")}


def test_conflicts_page_refuses_staff_without_permission_on_get(client, report, curator):
    """Staff without a permission on indicator values may not even list the conflicts: 403 on
    GET, as on POST, and no value of them is shown."""
    value = value_add(report, code="legal_aid_cases", value=734)
    indicator_value_verify(value=value, user=curator)
    IndicatorValue.objects.filter(pk=value.pk).update(parse_conflict={"found": True, "value": 743})
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("clerk", is_staff=True))
    url = reverse("admin:indicators_indicatorvalue_conflicts")
    response = client.get(url)
    assert response.status_code == 403
    assert "743" not in response.content.decode()
