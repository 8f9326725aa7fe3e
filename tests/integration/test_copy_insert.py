"""``copy_insert``: many rows of one model by COPY, other columns taking their model defaults."""

import datetime as dt
from decimal import Decimal

import pytest

from indicators.models import IndicatorValue
from reports.models import Report
from reports.services.copy import copy_insert

pytestmark = pytest.mark.django_db


@pytest.fixture
def report() -> Report:
    return Report.objects.create(
        filename="r.txt", raw_sha256="a" * 64, text_sha256="b" * 64, raw_text="一、总体情况"
    )


def test_rows_are_stored_with_model_defaults_for_the_rest(report):
    columns = ("report_id", "subject", "value", "unit", "quote", "start_offset", "end_offset")
    rows = [
        (report.pk, "行政复议案件", Decimal("52"), "件", "办理行政复议案件52件", 0, 11),
        (report.pk, "出庭应诉率", Decimal("99.5"), "%", "出庭应诉率99.5%", 20, 30),
    ]
    assert copy_insert(IndicatorValue, columns, rows) == 2
    stored = list(report.indicator_values.order_by("start_offset"))
    assert [(v.subject, v.value, v.unit) for v in stored] == [
        ("行政复议案件", Decimal("52"), "件"),
        ("出庭应诉率", Decimal("99.5"), "%"),
    ]
    first = stored[0]
    assert first.status == IndicatorValue.Status.EXTRACTED  # model default
    assert (first.numeral, first.kind, first.scope) == ("arabic", "count", "annual")
    assert first.corrected_value is None
    assert first.parse_conflict is None
    assert first.review_note == ""
    age = dt.datetime.now(dt.UTC) - first.created_at
    assert dt.timedelta(0) <= age < dt.timedelta(minutes=5)


def test_unknown_column_is_refused_before_writing(report):
    with pytest.raises(ValueError, match="no columns"):
        copy_insert(IndicatorValue, ("report_id", "nonsense"), [(report.pk, 1)])
    assert not IndicatorValue.objects.exists()


def test_a_required_column_left_out_is_refused(report):
    with pytest.raises(ValueError, match="needs a value"):
        copy_insert(IndicatorValue, ("report_id",), [(report.pk,)])


def test_database_errors_are_raised_as_djangos(report):
    """A row the database refuses raises Django's exception, as any other query would."""
    from django.db import IntegrityError, transaction

    columns = ("report_id", "subject", "value", "unit", "quote", "start_offset", "end_offset")
    backwards = (report.pk, "x", 1, "件", "x", 11, 0)  # end before start: a check constraint
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_insert(IndicatorValue, columns, [backwards])
