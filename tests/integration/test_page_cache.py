"""The home page's figures kept under the read generation (config.page_cache), on real
PostgreSQL and Redis.

Transactions really commit here (``transaction=True``): the generation is bumped when a write
commits, which a test wrapped in one transaction would never reach.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from indicators.models import IndicatorValue
from indicators.services.curation import indicator_value_verify
from reports.models import Report
from reports.services.manage import report_update_metadata
from tests.integration.api_support import ingest_corpus
from tests.integration.cache_support import SAMPLES, redis_cache

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_catalogue", "eager_tasks"),
]


@pytest.fixture(autouse=True)
def _redis_cache():
    """A shared Redis cache, as in production, with the page cache on."""
    with redis_cache("page-cache-test", PAGE_CACHE_SECONDS=60):
        yield


def _counts(client) -> list[int]:
    """The home page's figures: reports, governments, sections, values, values reviewed."""
    html = client.get("/").content.decode()
    block = re.search(r'id="counts">(.*?)</div>\s*<div class="grid-2">', html, re.S).group(1)
    return [int(n) for n in re.findall(r"<b>(\d+)</b>", block)]


def _latest_titles(client) -> list[str]:
    html = client.get("/").content.decode()
    block = re.search(r'id="latest">(.*?)</section>', html, re.S).group(1)
    return re.findall(r'<a href="/reports/\d+/">([^<]*)</a>', block)


def test_home_figures_come_from_the_cache_until_a_write_commits(client):
    reports = ingest_corpus(paths=SAMPLES)
    first = _counts(client)
    assert first[0] == 2  # two reports
    assert first[4] == 0  # nothing reviewed yet

    # A change made without a service bumps no generation: the cached figures still show.
    Report.objects.filter(pk=reports[0].pk).update(status=Report.Status.FAILED)
    assert _counts(client) == first
    Report.objects.filter(pk=reports[0].pk).update(status=Report.Status.PARSED)

    # A write through a service is seen on the very next view.
    value = IndicatorValue.objects.filter(report=reports[0]).order_by("id").first()
    indicator_value_verify(value=value, user=User.objects.create_user("curator-cache"))
    after = _counts(client)
    assert after[4] == 1
    assert after[:4] == first[:4]


def test_latest_reports_follow_a_metadata_change(client):
    reports = ingest_corpus(paths=SAMPLES)
    assert "改过的标题" not in _latest_titles(client)
    report_update_metadata(report=reports[0], fields={"title": "改过的标题"})
    assert "改过的标题" in _latest_titles(client)


def test_without_the_cache_every_view_reads_the_database(client):
    reports = ingest_corpus(paths=SAMPLES)
    with override_settings(PAGE_CACHE_SECONDS=0):
        assert _counts(client)[0] == 2
        Report.objects.filter(pk=reports[0].pk).update(status=Report.Status.FAILED)
        assert _counts(client)[0] == 1
