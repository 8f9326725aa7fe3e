"""Where a page's time goes, in one process: CPU, queries and their time, the hottest functions.

    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_pages_bench \\
        python -m benchmarks.profile_pages --repeat 30 [--cprofile PAGE]

Runs each page of ``bench_pages`` (and the curators' review queue) through Django's full request
handler, middleware included, for a logged-in curator (DEBUG off, no response cache), after one
warming request per URL. Prints per page: wall time and this process's CPU per request (Django,
without a load generator), the CPU of the PostgreSQL backend that served it (from /proc: run it
on the database's machine; parallel workers a query may start are not counted), the number of
queries and the time spent waiting on them. ``--cprofile NAME`` prints the functions with the
most time (``--sort``, ``--lines``) for one page; ``--only NAME`` runs only the pages whose
names start so.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "False")
    django.setup()
    from benchmarks.bench_pages import _setup

    scenarios, cookie = _setup()
    return scenarios, cookie.partition("=")[2]


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of PostgreSQL's backend process ``pid`` (same machine)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _QueryTimer:
    """execute_wrapper: counts statements and the time spent waiting on them."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over each page's URLs")
    parser.add_argument("--cprofile", default="", help="profile this page (a prefix of its name)")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order (tottime …)")
    parser.add_argument("--lines", type=int, default=30, help="cProfile: functions printed")
    parser.add_argument("--only", default="", help="only the pages whose names start so")
    args = parser.parse_args()
    scenarios, session_key = _setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    print(
        f"{'page':30} {'urls':>4} {'wall ms':>8} {'cpu ms':>7} {'pg cpu':>7} {'queries':>7} "
        f"{'db ms':>6}"
    )
    for name, paths in scenarios.items():
        if not name.startswith(args.only):
            continue
        for path in paths:  # warm: templates compiled, connections open, caches filled
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
        profile = cProfile.Profile() if args.cprofile and name.startswith(args.cprofile) else None
        timer = _QueryTimer()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        pg0 = _backend_cpu(backend)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timer):
            if profile:
                profile.enable()
            for _ in range(args.repeat):
                for path in paths:
                    client.get(path)
            if profile:
                profile.disable()
        n = args.repeat * len(paths)
        wall = (time.perf_counter() - wall0) / n * 1000
        cpu = (time.process_time() - cpu0) / n * 1000
        pg = (_backend_cpu(backend) - pg0) / n * 1000
        print(
            f"{name:30} {len(paths):4d} {wall:8.1f} {cpu:7.1f} {pg:7.1f} {timer.count / n:7.1f} "
            f"{timer.seconds / n * 1000:6.1f}"
        )
        if profile:
            stats = pstats.Stats(profile).sort_stats(args.sort)
            stats.print_stats(args.lines)
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
