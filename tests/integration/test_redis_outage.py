"""Redis down (a private redis-server, stopped or frozen by the test): reads go on, throttling
and the read cache fail open with a logged warning, /status/ says the broker is down with 503,
and an upload that cannot be queued is refused with 503 and leaves nothing behind."""

import logging

import pytest
from rest_framework.test import APIClient

from benchmarks.private_services import PrivateRedis
from config.celery_app import app as celery_app
from reports.models import IngestionJob, IngestionOutcome, Report, StoredUpload
from reports.services.ingest import ingestion_job_create, report_ingest_file
from tests.conftest import CORPUS_DIR
from tests.integration.api_support import WRITE_PERMISSIONS, token_client, user_with
from tests.integration.broker_support import reset_broker

pytestmark = pytest.mark.django_db(transaction=True)
CORPUS = sorted(CORPUS_DIR.glob("*.txt"))


@pytest.fixture
def redis_server(settings):
    """Cache, throttles, read cache and broker all on a private redis-server."""
    server = PrivateRedis().start()
    settings.REDIS_URL = server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",  # as deployed
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.API_READ_CACHE_SECONDS = 60
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager")}
    conf.update(broker_url=server.url, task_always_eager=False)
    reset_broker()
    yield server
    server.resume() if server.process else None
    server.stop()
    conf.update(saved)
    reset_broker()


@pytest.fixture
def report() -> Report:
    report_ingest_file(data=CORPUS[0].read_bytes(), filename="r.txt")  # parse left queued
    return Report.objects.get()


def _degraded_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "fazhi.degraded"]


def test_reads_go_on_without_redis_with_a_warning(redis_server, report, caplog):
    """Anonymous reads (read cache, anonymous throttle) and token reads (user throttle) answer
    200 while Redis is down; the fallback is logged."""
    assert APIClient().get("/api/v1/reports/").status_code == 200
    redis_server.stop()
    caplog.set_level(logging.WARNING, logger="fazhi.degraded")
    anonymous = APIClient().get("/api/v1/reports/")
    assert anonymous.status_code == 200
    assert anonymous.json()["count"] == 1
    reader = token_client(user_with("reader"))
    assert reader.get(f"/api/v1/reports/{report.pk}/").status_code == 200
    warnings = _degraded_warnings(caplog)
    assert any(w.startswith("read cache: cache unavailable") for w in warnings), warnings
    assert any(w.startswith("throttling: cache unavailable") for w in warnings), warnings


def test_status_says_the_broker_is_down_with_503(redis_server, report):
    """``/status/`` answers 503: the database up, Redis (the broker) down."""
    assert APIClient().get("/api/v1/status/").status_code == 200
    redis_server.stop()
    response = APIClient().get("/api/v1/status/")
    assert response.status_code == 503
    body = response.json()
    assert (body["ok"], body["database"]["ok"], body["redis"]["ok"]) == (False, True, False)


def test_upload_that_cannot_be_queued_is_refused_and_nothing_kept(redis_server):
    """With the broker down an upload gets 503 ``broker_unavailable`` with a message saying so;
    no job, stored file, outcome or report remains. Once Redis is back, the same upload is
    accepted and queued."""
    client = token_client(user_with("uploader", *WRITE_PERMISSIONS))
    redis_server.stop()
    with CORPUS[0].open("rb") as handle:
        refused = client.post("/api/v1/reports/", {"files": [handle]}, format="multipart")
    assert refused.status_code == 503
    assert refused.json()["code"] == "broker_unavailable"
    assert "nothing of it was kept" in refused.json()["message"]
    for model in (IngestionJob, StoredUpload, IngestionOutcome, Report):
        assert not model.objects.exists(), model
    redis_server.start()
    reset_broker()
    with CORPUS[0].open("rb") as handle:
        accepted = client.post("/api/v1/reports/", {"files": [handle]}, format="multipart")
    assert accepted.status_code == 202
    assert accepted.json()["status"] == "pending"
    assert StoredUpload.objects.count() == 1


def test_a_write_while_redis_hangs_is_not_hidden_by_the_read_cache(redis_server, report):
    """Redis frozen (requests to it time out): a metadata change still succeeds, and once Redis
    answers again the cached read shows the change instead of the entry from before it."""
    url = f"/api/v1/reports/{report.pk}/"
    assert APIClient().get(url).json()["title"] != "改过的标题"  # cached now
    editor = token_client(user_with("editor", *WRITE_PERMISSIONS))
    redis_server.pause()
    try:
        changed = editor.patch(url, {"title": "改过的标题"}, format="json")
        assert changed.status_code == 200
    finally:
        redis_server.resume()
    assert APIClient().get(url).json()["title"] == "改过的标题"


def test_ingest_goes_on_when_a_parse_cannot_be_queued(redis_server):
    """A bulk load with the broker down stores every file; their reports stay ``queued`` (the
    stuck-work sweep queues them later) instead of the first one stopping the batch."""
    redis_server.stop()
    job = ingestion_job_create(source=IngestionJob.Source.COMMAND, label="broker down")
    for path in CORPUS:
        report_ingest_file(data=path.read_bytes(), filename=path.name, job=job)
    job.refresh_from_db()
    assert (job.total, job.ingested) == (len(CORPUS), len(CORPUS))
    assert Report.objects.filter(status=Report.Status.QUEUED).count() == len(CORPUS)
