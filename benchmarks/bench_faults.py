"""Ingestion through a bad day: a bulk load on real workers while workers are killed, PostgreSQL
restarts and Redis stops; then what became of every file.

    python -m benchmarks.bench_faults --reports 500

Everything runs on private services started here (a PostgreSQL cluster and a redis-server on free
ports, in a temporary folder), so nothing else on the machine is touched: two Celery workers
(``-c 2``), Celery beat running the stuck-work sweep every few seconds with short deadlines, and
``ingest_reports --async`` of ``--reports`` synthetic reports. While the load runs it:

- kills a worker with SIGKILL (its process group: pool children too), twice, starting a new one;
- restarts PostgreSQL once (``pg_ctl stop -m fast``, a few seconds down, start);
- stops Redis for 10 s (SIGKILL; Redis keeps an fsync-always append-only file, as in
  docker-compose).

It then waits for the job and every report to end and prints: reports ingested (parsed), reports
duplicated (a second report or a ``duplicate`` outcome for one file), lost (files with no report),
stuck (reports still queued or parsing), failed, and jobs left running. Target: N / 0 / 0 / 0 / 0.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from benchmarks.private_services import PrivatePostgres, PrivateRedis

ROOT = Path(__file__).resolve().parent.parent
# Short deadlines so that the sweep acts within the run (production: minutes; see settings).
SWEEP_ENV = {
    "STUCK_SWEEP_SECONDS": "5",
    "STUCK_JOB_SECONDS": "20",
    "STUCK_PARSE_SECONDS": "20",
    "STUCK_QUEUED_SECONDS": "60",
    "JOB_MAX_REQUEUES": "10",
    "REPORT_MAX_PARSE_ATTEMPTS": "5",
}


@dataclass
class FaultStack:
    """Private PostgreSQL and Redis, workers and beat on them, and the faults to inflict."""

    folder: Path
    workers: list[subprocess.Popen] = field(default_factory=list)
    beat: subprocess.Popen | None = None

    def __post_init__(self) -> None:
        self.postgres = PrivatePostgres(self.folder / "postgres")
        self.redis = PrivateRedis(data_dir=self.folder / "redis")
        self.log = self.folder / "celery.log"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": self.postgres.url("fazhi"),
            "REDIS_URL": self.redis.url,
            "CELERY_QUEUE": "celery",
            "CELERY_UNACKED_MUTEX_EXPIRE": "5",
            "CONN_MAX_AGE": "0",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            **SWEEP_ENV,
        }

    def start(self) -> FaultStack:
        self.postgres.init().start()
        self.postgres.create_database("fazhi")
        self.manage("migrate", "-v", "0")
        self.redis.start()
        return self

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
        )

    def _celery(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own: SIGKILL reaches its children
        )

    def worker_start(self) -> None:
        self.workers.append(self._celery("worker", "-c", "2", "--loglevel=WARNING"))

    def beat_start(self) -> None:
        schedule = self.folder / "beat-schedule"
        self.beat = self._celery("beat", "--loglevel=WARNING", "--schedule", str(schedule))

    def worker_kill(self) -> None:
        """SIGKILL the oldest worker and its pool; start a new one."""
        victim = self.workers.pop(0)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(10)
        self.worker_start()

    def postgres_restart(self, down_seconds: float) -> None:
        self.postgres.stop("fast")
        time.sleep(down_seconds)
        self.postgres.start()

    def redis_outage(self, down_seconds: float) -> None:
        self.redis.stop()
        time.sleep(down_seconds)
        self.redis.start()

    def query(self, sql: str) -> list[tuple]:
        with psycopg.connect(self.postgres.url("fazhi"), connect_timeout=5) as connection:
            return connection.execute(sql).fetchall()

    def stop(self) -> None:
        for process in [*self.workers, *([self.beat] if self.beat else [])]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        self.workers.clear()
        self.redis.stop()
        self.postgres.destroy()


def write_corpus(folder: Path, count: int, seed: int = 5) -> list[str]:
    from benchmarks.synth import generate_reports

    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for name, text in generate_reports(count, seed):
        (folder / name).write_text(text, "utf-8")
        names.append(name)
    return names


FIGURES_SQL = {
    "reports": "SELECT count(*) FROM reports_report",
    "parsed": "SELECT count(*) FROM reports_report WHERE status = 'parsed'",
    "failed": "SELECT count(*) FROM reports_report WHERE status = 'failed'",
    "stuck": "SELECT count(*) FROM reports_report WHERE status IN ('queued', 'parsing')",
    "files_with_report": "SELECT count(DISTINCT filename) FROM reports_report",
    "duplicate_outcomes": (
        "SELECT count(*) FROM reports_ingestionoutcome WHERE status = 'duplicate'"
    ),
    "failed_outcomes": "SELECT count(*) FROM reports_ingestionoutcome WHERE status = 'failed'",
    "jobs_running": (
        "SELECT count(*) FROM reports_ingestionjob WHERE status IN ('pending', 'running')"
    ),
}


def figures(stack: FaultStack, count: int) -> dict[str, int]:
    raw = {name: stack.query(sql)[0][0] for name, sql in FIGURES_SQL.items()}
    return {
        "ingested": raw["parsed"],
        "duplicated": raw["reports"] - raw["files_with_report"] + raw["duplicate_outcomes"],
        "lost": count - raw["files_with_report"],
        "stuck": raw["stuck"],
        "failed": raw["failed"] + raw["failed_outcomes"],
        "jobs_running": raw["jobs_running"],
    }


def settled(stack: FaultStack, count: int) -> bool:
    try:
        now = figures(stack, count)
    except psycopg.OperationalError:
        return False
    return now["lost"] == 0 and now["stuck"] == 0 and now["jobs_running"] == 0


def wait_until_settled(stack: FaultStack, count: int, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if settled(stack, count):
            return time.monotonic() - started
        time.sleep(1)
    return float("nan")


def _faults(stack: FaultStack, schedule: list[tuple[float, str]], events: list[str]) -> None:
    started = time.monotonic()
    for at, what in schedule:
        time.sleep(max(0.0, at - (time.monotonic() - started)))
        stamp = time.monotonic() - started
        if what == "kill":
            stack.worker_kill()
        elif what == "postgres":
            stack.postgres_restart(3)
        elif what == "redis":
            stack.redis_outage(10)
        events.append(f"{stamp:5.1f} s  {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--timeout", type=float, default=240)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-faults-", dir="/tmp") as tmp:
        folder = Path(tmp)
        os.chmod(folder, 0o755)  # noqa: S103 (the postgres user reaches its cluster through it)
        names = write_corpus(folder / "corpus", args.reports)
        stack = FaultStack(folder).start()
        try:
            for _ in range(2):
                stack.worker_start()
            stack.beat_start()
            time.sleep(3)
            started = time.monotonic()
            queued = stack.manage("ingest_reports", str(folder / "corpus"), "--async")
            print(queued.stdout.strip())
            schedule = [(4, "kill"), (12, "postgres"), (24, "redis"), (42, "kill")]
            events: list[str] = []
            faults = threading.Thread(target=_faults, args=(stack, schedule, events))
            faults.start()
            faults.join()
            waited = wait_until_settled(stack, len(names), args.timeout)
            elapsed = time.monotonic() - started
            result = figures(stack, len(names))
        finally:
            stack.stop()
    print("faults:\n  " + "\n  ".join(events))
    print(f"settled {waited:.0f} s after the last fault; {elapsed:.0f} s in all")
    print(f"reports ingested:  {result['ingested']} / {len(names)}")
    print(f"duplicated:        {result['duplicated']}")
    print(f"lost:              {result['lost']}")
    print(f"stuck:             {result['stuck']}")
    print(f"failed:            {result['failed']}")
    print(f"jobs left running: {result['jobs_running']}")


if __name__ == "__main__":
    main()
