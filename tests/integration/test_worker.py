"""The pipeline with a real broker: Redis, a Celery worker, committed PostgreSQL rows.

The first test runs an embedded worker (``start_worker``) and the bulk command in ``--async
--wait`` mode; the second runs ``celery -A config worker`` processes and kills one with SIGKILL in
the middle of a load: every report is then either completely parsed or not at all, and the
unacknowledged tasks are delivered again to the next worker, which finishes them.
"""

import io
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from config.celery_app import app as celery_app
from indicators.models import IndicatorValue
from reports.models import IngestionJob, Report, Section
from reports.parsing import parse_text
from reports.services.ingest import ingestion_job_create, report_ingest_file
from tests.conftest import CORPUS_DIR, GOLD_DIR
from tests.integration.broker_support import reset_broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_broker():
    """Tasks go to Redis, on a queue of this test's own, instead of running in-process."""
    queue = f"fazhi-test-{uuid.uuid4().hex[:12]}"
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=queue)
    reset_broker()
    yield queue
    conf.update(saved)
    reset_broker()
    redis.Redis.from_url(REDIS_URL).delete(queue)


@pytest.fixture
def embedded_worker(redis_broker):
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ) as worker:
        yield worker


def assert_never_half_written() -> None:
    """Sections and values exist exactly for the parsed reports."""
    with_sections = set(Section.objects.values_list("report_id", flat=True))
    with_values = set(IndicatorValue.objects.values_list("report_id", flat=True))
    parsed = set(Report.objects.filter(status=Report.Status.PARSED).values_list("pk", flat=True))
    assert with_sections == {r for r in parsed if Section.objects.filter(report_id=r).exists()}
    assert with_sections <= parsed
    assert with_values <= parsed


def assert_complete(report: Report) -> None:
    """A parsed report holds every section and value the parser finds in its text."""
    parsed = parse_text(report.raw_text)
    assert report.status == Report.Status.PARSED, report.error_message
    assert report.sections.count() == len(parsed.sections)
    assert report.indicator_values.count() == len(parsed.indicators)


def test_async_command_ingests_the_corpus_on_a_worker(embedded_worker):
    """``ingest_reports --async --wait`` queues the load, a worker ingests and parses every file,
    and the command reports the job once all its reports are parsed."""
    out = io.StringIO()
    call_command(
        "ingest_reports", str(CORPUS_DIR), "--async", "--wait", "--timeout", "180", stdout=out
    )
    corpus = sorted(CORPUS_DIR.glob("*.txt"))
    job = IngestionJob.objects.get()
    assert out.getvalue().startswith(f"job {job.pk} queued")
    assert (job.total, job.ingested, job.parsed, job.parse_failed) == (len(corpus),) * 3 + (0,)
    assert job.status == IngestionJob.Status.FINISHED
    assert f"parsed:     {len(corpus)}" in out.getvalue()
    for path in corpus:
        report = Report.objects.get(filename=str(path))
        assert report.raw_text == path.read_text("utf-8").strip("\n")
        assert_complete(report)
        gold = json.loads((GOLD_DIR / f"{path.stem}.json").read_text("utf-8"))
        assert report.indicator_values.exists() == bool(gold["indicators"])
    assert_never_half_written()


def _worker_env(queue: str) -> dict[str, str]:
    """A worker process on the test database and this test's queue."""
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER'] or 'root'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "CELERY_QUEUE": queue,
        # The redelivery sweep's lock in Redis, which a killed worker may hold, lapses soon.
        "CELERY_UNACKED_MUTEX_EXPIRE": "5",
    }


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "2", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: SIGKILL reaches the pool children too
    )


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _parsed() -> int:
    return Report.objects.filter(status=Report.Status.PARSED).count()


def test_killed_worker_leaves_no_half_written_report(redis_broker, tmp_path: Path):
    """SIGKILL of a worker mid-load: each report is complete or untouched; the tasks it held
    are redelivered to the next worker, which parses every report completely."""
    from benchmarks.synth import generate_reports
    from reports.services.sweep import stuck_work_sweep

    count = 60
    job = ingestion_job_create(source=IngestionJob.Source.COMMAND, label="kill test")
    for name, text in generate_reports(count, 7):
        report_ingest_file(data=text.encode(), filename=name, job=job)  # queued on Redis
    assert Report.objects.filter(status=Report.Status.QUEUED).count() == count

    env = _worker_env(redis_broker)
    # The next worker takes back what a dead one held after 10 s (production: an hour).
    quick_redelivery = {
        "CELERY_VISIBILITY_TIMEOUT": "10",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    log = tmp_path / "worker.log"
    first = _worker(env, log)
    try:
        assert _wait_for(lambda: _parsed() >= 5, 120), log.read_text()
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    parsed_at_kill = _parsed()
    assert parsed_at_kill < count, "the worker finished before it could be killed"
    assert_never_half_written()

    second = _worker({**env, **quick_redelivery}, log)
    try:
        if not _wait_for(lambda: _parsed() == count, 120):
            # Redis's transport can lose the one message a worker has popped (BRPOP) but not
            # yet recorded as unacknowledged when SIGKILL lands (celery/kombu#305): the broker
            # cannot redeliver it, and the stuck-work sweep (Celery beat) queues it again.
            stragglers = count - _parsed()
            assert stragglers <= 2, (stragglers, log.read_text()[-3000:])
            with override_settings(STUCK_PARSE_SECONDS=30, STUCK_QUEUED_SECONDS=30):
                assert stuck_work_sweep().reports_requeued >= stragglers
            assert _wait_for(lambda: _parsed() == count, 60), log.read_text()[-3000:]
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    assert_never_half_written()
    for report in Report.objects.all():
        assert_complete(report)
    job.refresh_from_db()
    assert (job.parsed, job.parse_failed) == (count, 0)


def test_sweep_recovers_a_killed_worker_reports_before_the_visibility_timeout(
    redis_broker, tmp_path: Path
):
    """SIGKILL of a worker with the broker's redelivery at its production default (an hour):
    the stuck-work sweep queues the reports it held again, and the next worker parses every
    report within minutes, not after the visibility timeout."""
    from benchmarks.synth import generate_reports
    from reports.services.sweep import stuck_work_sweep

    count = 40
    job = ingestion_job_create(source=IngestionJob.Source.COMMAND, label="sweep test")
    for name, text in generate_reports(count, 11):
        report_ingest_file(data=text.encode(), filename=name, job=job)
    env = {**_worker_env(redis_broker), "CELERY_VISIBILITY_TIMEOUT": "3600"}
    log = tmp_path / "worker.log"
    first = _worker(env, log)
    try:
        assert _wait_for(lambda: _parsed() >= 3, 120), log.read_text()
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    assert _parsed() < count, "the worker finished before it could be killed"
    second = _worker(env, log)
    try:
        with override_settings(STUCK_PARSE_SECONDS=2, STUCK_QUEUED_SECONDS=20):
            deadline = time.monotonic() + 150
            while _parsed() < count and time.monotonic() < deadline:
                stuck_work_sweep()
                time.sleep(3)
        assert _parsed() == count, log.read_text()[-3000:]
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    assert_never_half_written()
    job.refresh_from_db()
    assert (job.parsed, job.parse_failed) == (count, 0)


def test_status_shows_worker_host_names_to_staff_only(embedded_worker, settings):
    """``/status/`` counts the workers for everyone; their host names only for staff."""
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from rest_framework.test import APIClient

    settings.REDIS_URL = REDIS_URL
    cache.clear()
    public = APIClient().get("/api/v1/status/").json()["workers"]
    assert public["count"] >= 1
    assert "names" not in public
    staff = APIClient()
    staff.force_authenticate(User.objects.create_user("operator", is_staff=True))
    names = staff.get("/api/v1/status/").json()["workers"]["names"]
    assert len(names) == public["count"]
    assert all("@" in name for name in names)  # celery@<host>
