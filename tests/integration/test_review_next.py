"""The review page's "next figure": the queue's order walked one value at a time, ties included."""

from __future__ import annotations

import pytest

from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.review_selectors import ReviewFilters, review_next, review_queue
from tests.curation_support import report_make, value_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def tied_values():
    """Values that tie on confidence, on report and on position, in two reports and provinces,
    created in an order unlike the queue's; a curator's code correction moves one value into
    the first code and one out of it."""
    first = report_make(province="广东省", year=2023)
    second = report_make(province="浙江省", year=2023)
    made = [
        value_add(
            report,
            code="reconsideration_received" if start == 10 else "litigation_cases",
            value=start,
            confidence=confidence,
            start=start,
        )
        for confidence in (0.9, 0.4, 0.4, 0.7)
        for report in (second, first)
        for start in (30, 10, 10)
    ]
    received = IndicatorDefinition.objects.get(code="reconsideration_received")
    litigation = IndicatorDefinition.objects.get(code="litigation_cases")
    IndicatorValue.objects.filter(pk=made[0].pk).update(corrected_definition=received)
    IndicatorValue.objects.filter(pk=made[1].pk).update(corrected_definition=litigation)
    return list(IndicatorValue.objects.select_related("report").filter(pk__in=[v.pk for v in made]))


def _walk(first: IndicatorValue, filters: ReviewFilters) -> list[int]:
    order, at = [first.pk], first
    while (following := review_next(value=at, filters=filters)) is not None:
        order.append(following)
        at = IndicatorValue.objects.get(pk=following)
    return order


@pytest.mark.parametrize(
    "filters",
    [
        ReviewFilters(),
        ReviewFilters(code="reconsideration_received"),
        ReviewFilters(province="浙江省"),
    ],
    ids=["all", "code", "province"],
)
def test_next_walks_the_queue_in_its_order(tied_values, filters):
    def wanted(v: IndicatorValue) -> bool:
        effective = v.corrected_definition or v.definition
        code = effective.code if effective else ""
        return (not filters.code or code == filters.code) and (
            not filters.province or v.report.province == filters.province
        )

    # the order the page promises, computed here from the rows: lowest confidence first, then
    # report, position and id
    expected = sorted(
        (v for v in tied_values if wanted(v)),
        key=lambda v: (v.confidence, v.report_id, v.start_offset, v.pk),
    )
    start = IndicatorValue.objects.get(pk=expected[0].pk)
    assert _walk(start, filters) == [v.pk for v in expected]
    assert [v.pk for v in review_queue(filters=filters)] == [v.pk for v in expected]


def test_next_is_none_after_the_last(tied_values):
    last = max(tied_values, key=lambda v: (v.confidence, v.report_id, v.start_offset, v.pk))
    assert review_next(value=last, filters=ReviewFilters()) is None
