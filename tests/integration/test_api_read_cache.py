"""The response cache of anonymous API reads (config.read_cache) on real PostgreSQL and Redis.

Transactions really commit here (``transaction=True``; the catalogue that the migrations load,
emptied by another such test's flush, is loaded again first): the cache is invalidated when a
write commits, which a test wrapped in one transaction would never reach.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from indicators.models import IndicatorValue
from indicators.services.curation import indicator_value_reject
from reports.models import Report
from reports.services.manage import report_delete, report_update_metadata
from tests.integration.api_support import CORPUS_DIR, ingest_corpus, token_client, user_with
from tests.integration.cache_support import SAMPLES, redis_cache

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_catalogue", "eager_tasks"),
]


@pytest.fixture(autouse=True)
def _redis_cache():
    """A shared Redis cache, as in production, with the read cache on."""
    with redis_cache("read-cache-test", API_READ_CACHE_SECONDS=60):
        yield


@pytest.fixture
def reports() -> list[Report]:
    return ingest_corpus(paths=SAMPLES)


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def _detail(client, report: Report):
    return client.get(f"/api/v1/reports/{report.pk}/")


def test_anonymous_reads_are_served_from_the_cache(client, reports):
    """A second anonymous read is the cached response: a change made without a service (so
    without invalidation) does not show, while a token client reads the database."""
    report = reports[0]
    before = _detail(client, report).json()["title"]
    Report.objects.filter(pk=report.pk).update(title="改过的标题")
    assert _detail(client, report).json()["title"] == before
    curator = token_client(user_with("reader"))
    assert _detail(curator, report).json()["title"] == "改过的标题"


def test_anonymous_read_is_fresh_once_a_metadata_change_commits(client, reports):
    """Report detail and list show a metadata change as soon as its transaction has committed."""
    report = reports[0]
    _detail(client, report)
    client.get("/api/v1/reports/")
    report_update_metadata(report=report, fields={"title": "新标题"})
    assert _detail(client, report).json()["title"] == "新标题"
    titles = [r["title"] for r in client.get("/api/v1/reports/").json()["results"]]
    assert "新标题" in titles


def test_anonymous_read_is_fresh_after_curation_and_delete(client, reports):
    """A rejected value leaves the cached value list and the report's indicator count at once; a
    deleted report leaves the list."""
    report = reports[0]
    url = f"/api/v1/indicators/values/?report={report.pk}"
    listed = {row["id"] for row in client.get(url).json()["results"]}
    count = client.get("/api/v1/reports/").json()["results"]
    value = IndicatorValue.objects.filter(pk__in=listed).order_by("pk").first()
    indicator_value_reject(value=value, user=user_with("curator"), note="not a figure")
    rows = {row["id"]: row["status"] for row in client.get(url).json()["results"]}
    assert rows[value.pk] == "rejected"
    after = client.get("/api/v1/reports/").json()["results"]
    counts = [{r["id"]: r["indicator_count"] for r in rows} for rows in (count, after)]
    assert counts[1][report.pk] == counts[0][report.pk] - 1
    report_delete(report=report)
    assert _detail(client, report).status_code == 404
    assert report.pk not in [r["id"] for r in client.get("/api/v1/reports/").json()["results"]]


def test_anonymous_read_is_fresh_after_a_new_report_is_ingested(client, reports):
    """An upload (ingest and parse) shows in a list that was cached before it."""
    assert client.get("/api/v1/reports/").json()["count"] == 2
    ingest_corpus(paths=[CORPUS_DIR / "002_386134580bdd984c.txt"])
    body = client.get("/api/v1/reports/").json()
    assert body["count"] == 3
    assert {r["status"] for r in body["results"]} == {"parsed"}


def test_etag_answers_not_modified_until_the_data_changes(client, reports):
    """A response carries a strong ETag; sending it back answers 304, and a write gives a new
    representation with a new ETag."""
    report = reports[0]
    first = _detail(client, report)
    etag = first["ETag"]
    assert etag.startswith('"')
    assert first["Cache-Control"] == "no-cache"
    again = client.get(f"/api/v1/reports/{report.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    report_update_metadata(report=report, fields={"title": "再改"})
    changed = client.get(f"/api/v1/reports/{report.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["title"] == "再改"


def test_cached_responses_vary_on_credentials_and_representation(client, reports):
    """Cached and fresh responses say what they vary on, and a cache hit is byte-identical."""
    first = client.get("/api/v1/reports/")
    second = client.get("/api/v1/reports/")
    for response in (first, second):
        vary = {v.strip() for v in response["Vary"].split(",")}
        assert {"Accept", "Authorization", "Cookie"} <= vary
    assert first.content == second.content


def test_anonymous_throttle_holds_on_cached_responses(client, reports):
    """Hits count against the anonymous rate: past it the API answers 429 ``throttled``."""
    from django.conf import settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    with override_settings(REST_FRAMEWORK=rest):
        statuses = [client.get("/api/v1/reports/").status_code for _ in range(3)]
        response = client.get("/api/v1/reports/")
    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_nothing_is_cached_while_reads_require_a_token(reports):
    """With API_READS_REQUIRE_TOKEN, anonymous reads are refused even after a cached read."""
    APIClient().get("/api/v1/reports/")
    with override_settings(API_READS_REQUIRE_TOKEN=True):
        assert APIClient().get("/api/v1/reports/").status_code in (401, 403)


def test_admin_deletes_go_through_the_services(client, reports):
    """A report deleted in the admin (one, or in bulk with the delete action) leaves the cached
    list at once: the admin deletes through the service, which invalidates cached reads."""
    from django.contrib.auth.models import User
    from django.test import Client

    admin_user = User.objects.create_superuser("root-admin", password="x")  # noqa: S106
    browser = Client()
    browser.force_login(admin_user)
    listed = {r["id"] for r in client.get("/api/v1/reports/").json()["results"]}
    assert {r.pk for r in reports} <= listed
    first, second = reports
    response = browser.post(f"/admin/reports/report/{first.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert first.pk not in {r["id"] for r in client.get("/api/v1/reports/").json()["results"]}
    response = browser.post(
        "/admin/reports/report/",
        {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert client.get("/api/v1/reports/").json()["count"] == 0
    assert not Report.objects.exists()
