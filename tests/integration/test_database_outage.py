"""PostgreSQL stopped and restarted in the middle of a bulk load (a private cluster, started by
the test with initdb/pg_ctl): every file ends ingested exactly once and every job ends, on
workers and in the synchronous command alike."""

import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from benchmarks.bench_faults import ROOT, FaultStack, figures, wait_until_settled, write_corpus

pytestmark = pytest.mark.slow
COUNT = 60
ALL_INGESTED_ONCE = {
    "ingested": COUNT,
    "duplicated": 0,
    "lost": 0,
    "stuck": 0,
    "failed": 0,
    "jobs_running": 0,
}


@pytest.fixture
def stack():
    # Not under pytest's own temporary folder: the postgres user must reach its cluster.
    folder = Path(tempfile.mkdtemp(prefix="fazhi-outage-", dir="/tmp"))
    folder.chmod(0o755)
    started = FaultStack(folder).start()
    yield started
    started.stop()
    shutil.rmtree(folder, ignore_errors=True)


def _when(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:  # noqa: S110 (the database may be starting)
            pass
        time.sleep(0.05)
    return False


def _reports(stack: FaultStack) -> int:
    return stack.query("SELECT count(*) FROM reports_report")[0][0]


def test_queued_load_survives_a_database_restart(stack: FaultStack):
    """``ingest_reports --async`` on a worker while PostgreSQL restarts: the load is retried
    and goes on where it stopped; all files are ingested once and parsed, no job is left
    running."""
    corpus = stack.folder / "corpus"
    write_corpus(corpus, COUNT)
    stack.worker_start()
    stack.beat_start()
    stack.manage("ingest_reports", str(corpus), "--async")
    assert _when(lambda: _reports(stack) >= 3, 60), "the load never started"
    assert _reports(stack) < COUNT, "the load ended before the restart"
    stack.postgres_restart(3)
    waited = wait_until_settled(stack, COUNT, 150)
    assert not math.isnan(waited), figures(stack, COUNT)
    assert figures(stack, COUNT) == ALL_INGESTED_ONCE


def test_synchronous_command_survives_a_database_restart(stack: FaultStack):
    """The command (no broker: parses in-process) retries each file while the database is
    away instead of dying: every file is ingested once; a parse the outage cut short is
    finished by ``sweep_stuck_work``."""
    corpus = stack.folder / "corpus"
    write_corpus(corpus, COUNT)
    env = {**stack.env, "REDIS_URL": "", "STUCK_PARSE_SECONDS": "0", "STUCK_QUEUED_SECONDS": "0"}
    command = subprocess.Popen(
        [sys.executable, "manage.py", "ingest_reports", str(corpus), "--no-progress"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert _when(lambda: _reports(stack) >= 3, 60), "the load never started"
    stack.postgres_restart(3)
    output, _ = command.communicate(timeout=240)
    assert command.returncode == 0, output[-3000:]
    assert f"ingested:   {COUNT}" in output
    swept = subprocess.run(
        [sys.executable, "manage.py", "sweep_stuck_work"], cwd=ROOT, env=env, check=False
    )
    assert swept.returncode == 0
    assert figures(stack, COUNT) == ALL_INGESTED_ONCE
