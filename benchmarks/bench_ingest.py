"""Bulk ingestion end to end through Redis and Celery workers: files → reports → parsed rows.

    python benchmarks/bench_ingest.py --count 2000 --workers 2 --concurrency 1

Writes ``--count`` synthetic reports (benchmarks/synth.py) to a temporary folder, starts
``--workers`` ``celery -A config worker -c <concurrency>`` processes on Redis, then times
``manage.py ingest_reports FOLDER --wait``: the command ingests every file while the workers parse
(sections, indicator values, search vectors), and returns once every report is parsed or failed.
Prints reports/s end to end and the peak memory of each worker (main process plus pool
processes, sampled every 0.5 s: PSS, RSS sum, largest process), with the machine's load.

Uses (and empties) its own database: the DATABASE_URL database name + ``_bench_ingest``; and a
queue of its own on REDIS_URL (default redis://127.0.0.1:6379/1).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATE = 50.0  # reports/s
TARGET_RSS_MB = 300.0  # per worker


def bench_database_url(base: str) -> str:
    url = urlparse(base)
    name = url.path.lstrip("/") or "fazhi"
    return urlunparse(url._replace(path=f"/{name}_bench_ingest"))


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def write_corpus(folder: Path, count: int, seed: int) -> int:
    from benchmarks.synth import generate_reports

    size = 0
    for name, text in generate_reports(count, seed):
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        size += len(data)
    return size


class RssSampler(threading.Thread):
    """Peak RSS of each worker's process tree (main + pool children), sampled in the background."""

    def __init__(self, pids: list[int], interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.interval = interval
        self.peak_tree = dict.fromkeys(pids, 0)  # sum of RSS: shared pages counted twice
        self.peak_pss = dict.fromkeys(pids, 0)  # sum of PSS: shared pages split between them
        self.peak_process = dict.fromkeys(pids, 0)
        self.stopped = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stopped.is_set():
            for pid in self.pids:
                try:
                    main = psutil.Process(pid)
                    tree = [main, *main.children(recursive=True)]
                    full = [p.memory_full_info() for p in tree]
                except psutil.Error:
                    continue
                sizes = [m.rss for m in full]
                self.peak_tree[pid] = max(self.peak_tree[pid], sum(sizes))
                self.peak_pss[pid] = max(self.peak_pss[pid], sum(m.pss for m in full))
                self.peak_process[pid] = max(self.peak_process[pid], max(sizes))
            self.stopped.wait(self.interval)


def _tree_cpu(pid: int) -> float:
    import psutil

    try:
        main = psutil.Process(pid)
        tree = [main, *main.children(recursive=True)]
        return sum(sum(p.cpu_times()[:4]) for p in tree)
    except psutil.Error:
        return 0.0


class BackendCpu(threading.Thread):
    """CPU seconds of the PostgreSQL processes serving one database (backends, autovacuum),
    sampled in the background so that short-lived ones count too (to within one interval), and
    of the server's shared background processes (WAL writer, checkpointer, …), kept apart:
    the server may be serving other databases meanwhile."""

    SHARED = ("walwriter", "checkpointer", "background writer", "autovacuum launcher")

    def __init__(self, database: str, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.marker = f" {database} "
        self.interval = interval
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.kind: dict[int, str] = {}
        self.stopped = threading.Event()
        self.sample(baseline=True)

    def sample(self, baseline: bool = False) -> None:
        import psutil

        for process in psutil.process_iter(["name"]):
            if process.info["name"] != "postgres" or self.kind.get(process.pid, "") is None:
                continue
            kind = self.kind.get(process.pid)
            if kind is None:
                try:
                    title = " ".join(process.cmdline()) + " "
                except psutil.Error:
                    continue
                kind = "database" if self.marker in title else None
                if kind is None and any(s in title for s in self.SHARED):
                    kind = "shared"
                if kind is None:
                    self.kind[process.pid] = None  # another database's: never looked at again
                    continue
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            used = times.user + times.system
            if process.pid not in self.first:
                self.first[process.pid] = used if baseline else 0.0
                self.kind[process.pid] = kind
            self.last[process.pid] = used

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.sample()

    def seconds(self, kind: str) -> float:
        return sum(self.last[p] - self.first[p] for p in self.first if self.kind[p] == kind)


def server_cpu(name: str) -> float:
    """CPU seconds of a server's processes so far, including those it has reaped (a backend
    that exited is counted in its parent's children times)."""
    import psutil

    total = 0.0
    for process in psutil.process_iter(["name"]):
        if process.info["name"] != name:
            continue
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
        if process.ppid() == 1 or process.parent() is None or process.parent().name() != name:
            total += times.children_user + times.children_system
    return total


def start_workers(env: dict[str, str], count: int, concurrency: int, log: Path):
    workers = []
    for i in range(count):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-c",
            str(concurrency),
            "-n",
            f"bench{i}@%h",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        out = (log / f"worker{i}.log").open("wb")
        workers.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        )
    return workers


def wait_ready(env: dict[str, str], names: list[str], timeout: float = 120.0) -> None:
    """Wait until every worker answers a ping (dictionaries loaded, pool forked)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = subprocess.run(
            [sys.executable, "-m", "celery", "-A", "config", "inspect", "ping", "-t", "2"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if all(name in result.stdout for name in names):
            return
        time.sleep(0.5)
    raise SystemExit("workers did not become ready")


def db_counts(env: dict[str, str]) -> str:
    code = (
        "from reports.models import Report, Section; from indicators.models import IndicatorValue;"
        "from django.db.models import Count;"
        "s = dict(Report.objects.values_list('status').annotate(n=Count('id')));"
        "print(f'reports by status {s}; sections {Section.objects.count()}; "
        "indicator values {IndicatorValue.objects.count()}')"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def cpu_breakdown(folder: Path, sample: int = 50) -> str:
    """Single-process CPU per report of the pure stages, on a sample (no database)."""
    from reports.parsing import extract_text, parse_text

    files = sorted(folder.iterdir())[:sample]
    data = [(f.name, f.read_bytes()) for f in files]
    parse_text(extract_text(data[0][1], data[0][0]).text)  # load the dictionaries first
    started = time.process_time()
    texts = [extract_text(blob, name).text for name, blob in data]
    extract_ms = (time.process_time() - started) / len(data) * 1000
    started = time.process_time()
    parsed = [parse_text(text) for text in texts]
    parse_ms = (time.process_time() - started) / len(data) * 1000
    line = f"pure stages per report: extract {extract_ms:.1f} ms, parse {parse_ms:.1f} ms"
    try:
        from reports.search.vectors import section_vector
    except ImportError:
        return line
    started = time.process_time()
    for report in parsed:
        for section in report.sections:
            section_vector(section.title, section.text)
    vectors_ms = (time.process_time() - started) / len(data) * 1000
    return f"{line}, search vectors {vectors_ms:.1f} ms (CPU time, one process)"


def machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument(
        "--defer-index",
        action="store_true",
        help="ingest_reports --defer-index: parse + store first, then one bulk search-index pass",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the workers on the way out

    base_url = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/fazhi")
    database_url = bench_database_url(base_url)
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",  # as deployed: no query log kept in every worker
        "CELERY_QUEUE": f"bench-ingest-{os.getpid()}",
    }
    recreate_database(database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        size = write_corpus(folder, args.count, args.seed)
        print(f"{args.count} synthetic reports, {size / 1e6:.1f} MB, in {folder}")
        print(cpu_breakdown(folder))
        workers = start_workers(env, args.workers, args.concurrency, Path(tmp))
        try:
            wait_ready(env, [f"bench{i}@" for i in range(args.workers)])
            sampler = RssSampler([w.pid for w in workers])
            sampler.start()
            load_before = os.getloadavg()
            backends = BackendCpu(urlparse(database_url).path.lstrip("/"))
            backends.start()
            cpu_before = {
                "workers": sum(_tree_cpu(w.pid) for w in workers),
                "redis": server_cpu("redis-server"),
                "command": _children_cpu(),
                "benchmark's samplers": time.process_time(),
            }
            machine_before = machine_busy()
            started = time.perf_counter()
            flags = ["--defer-index"] if args.defer_index else []
            command = subprocess.run(
                [sys.executable, "manage.py", "ingest_reports", str(folder), "--wait", *flags],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            elapsed = time.perf_counter() - started
            machine_after = machine_busy()
            load_after = os.getloadavg()
            backends.stopped.set()
            backends.join()
            backends.sample()
            cpu_after = {
                "workers": sum(_tree_cpu(w.pid) for w in workers),
                "redis": server_cpu("redis-server"),
                "command": _children_cpu(),
                "benchmark's samplers": time.process_time(),
            }
            sampler.stopped.set()
            sampler.join()
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(30)
        print(command.stdout.strip()[-600:])
        if command.returncode:
            print(command.stderr.strip()[-2000:])
        print(db_counts(env))
    rate = args.count / elapsed
    indexed = re.search(r"indexed (\d+) sections for search in ([\d.]+) s", command.stdout)
    if indexed:
        index_seconds = float(indexed.group(2))
        stored = elapsed - index_seconds
        print(
            f"\n{args.count} reports parsed + stored in {stored:.1f} s: "
            f"{args.count / stored:.1f} reports/s (target ≥ {TARGET_RATE:g}); then "
            f"{indexed.group(1)} sections indexed for search in {index_seconds:.1f} s"
        )
        print(
            f"{args.count} reports in {elapsed:.1f} s end to end (ingest + parse + store + "
            f"search index): {rate:.1f} reports/s"
        )
    else:
        print(
            f"\n{args.count} reports in {elapsed:.1f} s end to end (ingest + parse + store + "
            f"search index): {rate:.1f} reports/s (target ≥ {TARGET_RATE:g})"
        )
    for i, worker in enumerate(workers):
        tree = sampler.peak_tree[worker.pid] / 2**20
        pss = sampler.peak_pss[worker.pid] / 2**20
        single = sampler.peak_process[worker.pid] / 2**20
        print(
            f"worker {i} (-c {args.concurrency}): peak {pss:.0f} MB PSS for main + pool "
            f"processes ({tree:.0f} MB summing RSS, which counts shared pages twice); largest "
            f"single process {single:.0f} MB RSS; target ≤ {TARGET_RSS_MB:g} MB"
        )
    spent = {key: cpu_after[key] - cpu_before[key] for key in cpu_before}
    spent["postgres"] = backends.seconds("database")
    spent["postgres shared"] = backends.seconds("shared")
    parts = ", ".join(f"{key} {value / args.count * 1000:.1f}" for key, value in spent.items())
    total = sum(spent.values())
    print(
        f"CPU per report, ms: {parts}; total {total / args.count * 1000:.1f} "
        f"({total / elapsed:.2f} of {os.cpu_count()} cores busy)"
    )
    busy = machine_after[0] - machine_before[0]
    print(
        f"the whole machine meanwhile: {busy / elapsed:.2f} of {os.cpu_count()} cores busy "
        f"({busy / args.count * 1000:.1f} ms of CPU per report, whatever ran)"
    )
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"({os.cpu_count()} cores, shared)"
    )


if __name__ == "__main__":
    main()
