"""The cache of authenticated API reads (config.read_cache.AuthenticatedReadCacheMixin) on real
PostgreSQL and Redis: curators' reads by token or session are cached only behind their own
authentication, permissions and throttles, and every committed write is in the next read.

Transactions really commit here (``transaction=True``), as in test_api_read_cache.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indicators.models import IndicatorValue
from reports.models import Report
from tests.integration.api_support import ingest_corpus, token_client, user_with
from tests.integration.cache_support import SAMPLES, redis_cache

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_catalogue", "eager_tasks"),
]

READ = ("reports.view_report", "indicators.view_indicatorvalue")
CURATE = (*READ, "reports.change_report", "indicators.change_indicatorvalue")


@pytest.fixture(autouse=True)
def _redis_cache():
    """A shared Redis cache, as in production, with the read cache on."""
    with redis_cache("auth-read-cache-test", API_READ_CACHE_SECONDS=60):
        yield


@pytest.fixture
def reports() -> list[Report]:
    return ingest_corpus(paths=SAMPLES)


def _session_client(user: User) -> Client:
    client = Client(HTTP_ACCEPT="application/json")
    client.force_login(user)
    return client


def _title(client, report: Report) -> str:
    response = client.get(f"/api/v1/reports/{report.pk}/")
    assert response.status_code == 200
    return response.json()["title"]


def test_curators_reads_are_cached_across_token_and_session(reports):
    """A change made without a service (so without invalidation) does not show to a curator who
    read before it, by token or by session: the reads are cached; an anonymous reader, whose
    entries are kept apart, reads the database."""
    report = reports[0]
    by_token = token_client(user_with("curator-a", *CURATE))
    by_session = _session_client(user_with("curator-b", *CURATE))
    before = _title(by_token, report)
    Report.objects.filter(pk=report.pk).update(title="改过的标题")
    assert _title(by_token, report) == before
    assert _title(by_session, report) == before
    assert _title(APIClient(), report) == "改过的标题"


def test_a_write_by_another_curator_is_in_the_next_read(reports):
    """Curator A's cached detail and list show curator B's metadata change (through the API) on
    A's next read, by token and by session."""
    report = reports[0]
    reader_token = token_client(user_with("reader-a", *READ))
    reader_session = _session_client(user_with("reader-b", *READ))
    for client in (reader_token, reader_session):
        _title(client, report)
        client.get("/api/v1/reports/")
    writer = token_client(user_with("writer", *CURATE))
    response = writer.patch(f"/api/v1/reports/{report.pk}/", {"title": "新标题"}, format="json")
    assert response.status_code == 200
    for client in (reader_token, reader_session):
        assert _title(client, report) == "新标题"
        titles = [r["title"] for r in client.get("/api/v1/reports/").json()["results"]]
        assert "新标题" in titles


def test_a_curated_correction_is_in_the_next_read(reports):
    """A value corrected by another curator shows corrected in the value, the report's detail
    and the value list that were cached before."""
    report = reports[0]
    value = IndicatorValue.objects.filter(report=report).order_by("pk").first()
    reader = token_client(user_with("reader", *READ))
    urls = (
        f"/api/v1/indicators/values/{value.pk}/",
        f"/api/v1/reports/{report.pk}/",
        f"/api/v1/indicators/values/?report={report.pk}",
    )
    for url in urls:
        assert reader.get(url).status_code == 200
    corrected = Decimal(value.value) + 7
    curator = _session_client(user_with("curator", *CURATE))
    response = curator.post(
        f"/api/v1/indicators/values/{value.pk}/correct/",
        {"corrected_value": str(corrected), "note": "misread"},
        content_type="application/json",
    )
    assert response.status_code == 200
    detail = reader.get(urls[0]).json()
    assert (Decimal(str(detail["value"])), detail["status"]) == (corrected, "corrected")
    in_report = {v["id"]: v for v in reader.get(urls[1]).json()["indicators"]}
    assert Decimal(str(in_report[value.pk]["value"])) == corrected
    listed = {v["id"]: v for v in reader.get(urls[2]).json()["results"]}
    assert listed[value.pk]["status"] == "corrected"


def test_a_permission_change_is_in_the_next_read(reports):
    """The audit trail needs ``view_curationevent``. Once a user's group loses it, their next
    read is refused although the response is cached, and a user who never held it is refused
    the cached response."""
    value = IndicatorValue.objects.filter(report=reports[0]).order_by("pk").first()
    user_with("editor", *CURATE)
    token_client(User.objects.get(username="editor")).post(
        f"/api/v1/indicators/values/{value.pk}/verify/"
    )
    group = Group.objects.create(name="auditors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="indicators", codename="view_curationevent")
    )
    auditor = user_with("auditor", *READ)
    auditor.groups.add(group)
    url = f"/api/v1/indicators/values/{value.pk}/audit/"
    by_token, by_session = token_client(auditor), _session_client(auditor)
    first = by_token.get(url)
    assert first.status_code == 200
    assert first.json()  # the verification's event
    assert by_session.get(url).json() == first.json()
    assert token_client(user_with("outsider", *READ)).get(url).status_code == 403
    auditor.groups.remove(group)
    assert by_token.get(url).status_code == 403
    assert by_session.get(url).status_code == 403


def test_revoked_token_and_deactivated_user_are_refused_at_once(reports):
    """With reads requiring authentication, a cached read is not served to a token that was
    revoked or to a user deactivated since."""
    report = reports[0]
    with override_settings(API_READS_REQUIRE_TOKEN=True):
        user = user_with("reader", *READ)
        by_token, by_session = token_client(user), _session_client(user)
        assert by_token.get(f"/api/v1/reports/{report.pk}/").status_code == 200
        assert by_session.get(f"/api/v1/reports/{report.pk}/").status_code == 200
        Token.objects.filter(user=user).delete()
        assert by_token.get(f"/api/v1/reports/{report.pk}/").status_code == 401
        User.objects.filter(pk=user.pk).update(is_active=False)
        assert by_session.get(f"/api/v1/reports/{report.pk}/").status_code in (401, 403)


def test_the_browsable_page_is_never_served_from_the_cache(reports):
    """Only JSON is stored: the browsable API page, which names the user, is rendered each time."""
    report = reports[0]
    first = _session_client(user_with("reader-alpha-7", *READ))
    second = _session_client(user_with("reader-beta-9", *READ))
    url = f"/api/v1/reports/{report.pk}/"
    assert b"reader-alpha-7" in first.get(url, HTTP_ACCEPT="text/html").content
    page = second.get(url, HTTP_ACCEPT="text/html").content
    assert b"reader-beta-9" in page
    assert b"reader-alpha-7" not in page
