"""What bounds the pages' throughput on this machine: the stack's floor and each page's SQL alone.

    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_pages_bench \\
        python -m benchmarks.page_floors --connections 20 --duration 10 [--only NAME]

Two measurements at ``--connections`` closed-loop clients, on the database of ``bench_pages``
(same pages, same logged-in curator):

1. *The stack's floor*: gunicorn (``--workers`` sync workers, the site's settings with
   ``benchmarks/floor_urls.py`` in front of its URLs) under wrk on three views that do nearly
   nothing: one that reads neither the session nor the user; one that loads both, as every page
   does for a logged-in curator; one that renders the site's layout with an empty content block.
   No page can serve more requests a second than these.
2. *Each page's SQL alone*: every statement the page runs (captured in-process through Django's
   test client, session and user included) is replayed by ``pgbench`` with the same number of
   clients, one transaction per page view. That is the database's ceiling for the page, with no
   Python at all: PostgreSQL has both cores to itself (pgbench's own cost is small).

Prints requests (transactions) a second and the p50/p95 latency of each, and the machine's load.
Needs ``wrk`` and ``pgbench`` (Debian packages).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from benchmarks.bench_api import _start_gunicorn, _wrk
from benchmarks.bench_pages import _setup

MAX_SCRIPTS = 100  # pgbench takes at most 128 scripts: a page's first 100 URLs

FLOOR_VIEWS = {
    "floor: no session read": "/floor/bare/",
    "floor: session and user": "/floor/user/",
    "floor: empty layout page": "/floor/layout/",
}


def _statements(paths: list[str], session_key: str) -> list[list[str]]:
    """The SQL each view of ``paths`` runs (the second view of each, so nothing is first-time),
    with its parameters inlined as PostgreSQL's client library would send them."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    views = []
    for path in paths:
        client.get(path)
        seen: list[str] = []

        def record(execute, sql, params, many, context, seen=seen):
            result = execute(sql, params, many, context)
            cursor = context["cursor"]
            seen.append(connection.ops.last_executed_query(cursor, sql, params))
            return result

        with connection.execute_wrapper(record):
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        for statement in seen:
            verb = statement.lstrip().split(None, 1)[0].upper()
            if verb not in {"SELECT", "WITH", "SET"}:
                raise SystemExit(f"{path} writes ({verb}): not replayed")
        views.append(seen)
    return views


def _pgbench(views: list[list[str]], clients: int, duration: int) -> dict:
    """pgbench replaying each view as one transaction: transactions/s and latency in ms."""
    from django.db import connection

    params = connection.get_connection_params()
    with tempfile.TemporaryDirectory() as folder:
        scripts = []
        for i, statements in enumerate(views):
            script = Path(folder) / f"view{i}.sql"
            body = ["BEGIN;", *(" ".join(s.split()).rstrip(";") + ";" for s in statements)]
            script.write_text("\n".join([*body, "COMMIT;", ""]), encoding="utf-8")
            scripts += ["-f", str(script)]
        command = [
            "pgbench",
            "-n",
            f"-c{clients}",
            f"-j{min(2, clients)}",
            f"-T{duration}",
            "-l",
            "--log-prefix",
            f"{folder}/log",
            "-h",
            str(params.get("host") or "127.0.0.1"),
            "-p",
            str(params.get("port") or 5432),
            "-U",
            str(params.get("user") or "postgres"),
            *scripts,
            str(params["dbname"]),
        ]
        done = subprocess.run(command, capture_output=True, text=True, cwd=folder)
        if done.returncode:
            raise SystemExit(f"pgbench failed: {done.stderr.strip()[-2000:]}")
        latencies = [
            int(line.split()[2]) / 1000  # µs → ms
            for log in Path(folder).glob("log*")
            for line in log.read_text().splitlines()
        ]
    latencies.sort()
    cut = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / duration,
        "p50": cut[49],
        "p95": cut[94],
        "count": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--redis-url", default="", help="the site's cache (as bench_pages)")
    parser.add_argument("--only", action="append", default=[], help="pages starting with this")
    args = parser.parse_args()
    os.environ["REDIS_URL"] = args.redis_url  # the views replayed in-process use the same cache
    scenarios, cookie = _setup()
    if args.only:
        scenarios = {k: v for k, v in scenarios.items() if k.startswith(tuple(args.only))}
    headers = {"Cookie": cookie}

    rows = []
    server = _start_gunicorn(args.workers, 0, args.redis_url, settings="benchmarks.floor_settings")
    try:
        for name, path in FLOOR_VIEWS.items():
            _wrk([path], connections=args.connections, duration=2, threads=2, headers=headers)
            load = os.getloadavg()[0]
            r = _wrk(
                [path],
                connections=args.connections,
                duration=args.duration,
                threads=2,
                headers=headers,
            )
            rows.append((name, "gunicorn + wrk", r["rps"], r["p50"], r["p95"], load))
    finally:
        server.terminate()
        server.wait(timeout=10)

    session_key = cookie.partition("=")[2]
    for name, paths in scenarios.items():
        views = _statements(paths[:MAX_SCRIPTS], session_key)
        load = os.getloadavg()[0]
        r = _pgbench(views, args.connections, args.duration)
        rows.append((name, "its SQL, pgbench", r["rps"], r["p50"], r["p95"], load))

    print(
        f"\n{args.connections} closed-loop clients, {args.duration} s each, "
        f"{os.cpu_count()} cores; gunicorn {args.workers} sync workers; logged-in curator"
    )
    print(f"{'what':30} {'how':18} {'per s':>7} {'p50 ms':>7} {'p95 ms':>7} {'load':>5}")
    for name, how, rps, p50, p95, load in rows:
        print(f"{name:30} {how:18} {rps:7.0f} {p50:7.1f} {p95:7.1f} {load:5.1f}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
