"""Curators' API reads at a fixed offered rate (open loop), uncached, against gunicorn as deployed.

    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_api_bench \\
        python -m benchmarks.load_api_bench --count 5000        # once
    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_api_bench \\
        python -m benchmarks.bench_api_open --redis-url redis://127.0.0.1:6379/3

Starts gunicorn with the production settings (``config.settings.production``: DEBUG off,
WhiteNoise, throttles at their defaults and kept in Redis) on 127.0.0.1, with ``--curators``
users of the "curator" group, each with an API token and a logged-in session. Every request is
one curator's, by token or by session cookie, over the read endpoints a curator uses: the report
list with filters, a report's detail, its sections, a section, its values, the value list
filtered by code and years, one value, the catalogue, a comparison across regions and one
region's series. The read cache is off (``API_READ_CACHE_SECONDS=0``) unless ``--read-cache``.

The load is open-loop (benchmarks/open_loop.py): requests leave on a fixed schedule whatever the
server answers, and each latency is counted from its due time, so a stall shows in full. It runs
``--rate`` requests/s for ``--duration`` s by token, then by session, and prints p50/p95/p99 per
endpoint; then a saturation run steps the offered rate up (``--steps``, token and session
mixed) until p95 passes ``--p95-limit`` or more than 1 % of the requests fail. The machine's load
average is printed beside every figure, and the CPU the gunicorn workers spent per request.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks import open_loop
from benchmarks.bench_api import busiest_code_year, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
PORT = 18733
SECRET_KEY = secrets.token_urlsafe(50)  # this run's: the server and the sessions made here
CURATOR_PREFIX = "bench-curator-"
# Requests in flight at most, as a proxy in front of gunicorn would bound them; past it a request
# waits for a connection, and the wait counts in its latency.
MAX_CONNECTIONS = 128


def _django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["SECRET_KEY"] = SECRET_KEY  # the session hashes must match the server's
    django.setup()


def _curators(count: int, prefix: str = CURATOR_PREFIX) -> list[tuple[str, str]]:
    """``count`` curators, each as (API token, session key), created if needed."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    group = Group.objects.get(name="curator")
    found = []
    for i in range(count):
        user, _ = User.objects.get_or_create(username=f"{prefix}{i}")
        user.groups.add(group)
        token, _ = Token.objects.get_or_create(user=user)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(24 * 3600)
        session.create()
        found.append((token.key, session.session_key))
    return found


def _paths(seed: int = 7) -> dict[str, list[str]]:
    """The endpoints a curator reads, each with real ids, codes and places of the database."""
    from indicators.models import IndicatorValue
    from reports.models import Report, Section

    rng = random.Random(seed)
    ids = sorted(Report.objects.filter(duplicate_of=None).values_list("id", flat=True))
    reports = rng.sample(ids, min(200, len(ids)))
    code, year, busiest = busiest_code_year()
    places = list(
        IndicatorValue.objects.filter(definition__code=code)
        .values_list("report__province", "report__city", "report__county")
        .distinct()
        .order_by("report__province", "report__city", "report__county")[:200]
    )
    places = rng.sample(places, min(40, len(places)))
    provinces = sorted({p for p, _, _ in places if p})
    sections = list(Section.objects.filter(report_id__in=reports[:50]).values_list("id", flat=True))
    values = list(
        IndicatorValue.objects.filter(report_id__in=reports[:50]).values_list("id", flat=True)
    )
    q = urllib.parse.urlencode
    print(
        f"reports: {len(ids)}; sections: {Section.objects.count()}; values: "
        f"{IndicatorValue.objects.count()}; busiest code/year: {code} {year} ({busiest} values)"
    )
    return {
        "reports, filtered": [
            "/api/v1/reports/?"
            + q({"province": p, "year_min": year - 3, "ordering": "-report_year"})
            for p in provinces
        ]
        + ["/api/v1/reports/?" + q({"status": "parsed", "admin_level": "county", "page": 2})],
        "report detail": [f"/api/v1/reports/{i}/" for i in reports],
        "sections of a report": [f"/api/v1/sections/?report={i}" for i in reports],
        "section": [f"/api/v1/sections/{i}/" for i in rng.sample(sections, 100)],
        "values of a report": [f"/api/v1/indicators/values/?report={i}" for i in reports],
        "values, code + years": [
            "/api/v1/indicators/values/?"
            + q(
                {
                    "code": code,
                    "year_min": year - 2 - k,
                    "year_max": year,
                    "status": "extracted",
                    "value_min": 1,
                }
            )
            for k in range(3)
        ],
        "value": [f"/api/v1/indicators/values/{i}/" for i in rng.sample(values, 100)],
        "catalogue": ["/api/v1/indicators/definitions/"],
        "compare regions": [
            "/api/v1/indicators/compare/?" + q({"code": code, "year": y}) for y in (year, year - 1)
        ],
        "series of a region": [
            "/api/v1/indicators/compare/?"
            + q({"code": code, "province": p, "city": c, "county": n})
            for p, c, n in places
        ],
    }


def _targets(paths: dict[str, list[str]], credentials, auth: str, seed: int = 3):
    """A deterministic mix: endpoints in turn, each over its paths, curators in turn."""
    rng = random.Random(seed)
    targets = []
    labels = list(paths)
    for i in range(len(paths) * 120):
        label = labels[i % len(paths)]
        if label == "catalogue" and (i // len(paths)) % 4:
            label = labels[(i + 1) % len(paths)]  # a curator reads the catalogue less often
        token, session = credentials[i % len(credentials)]
        mode = auth if auth != "mixed" else ("token", "session")[(i // len(paths)) % 2]
        header = (
            ("Authorization", f"Token {token}")
            if mode == "token"
            else ("Cookie", f"sessionid={session}")
        )
        targets.append(
            open_loop.Target(
                rng.choice(paths[label]), (("Accept", "application/json"), header), label
            )
        )
    return targets


class _Writer(threading.Thread):
    """Another curator changing a report's title through the API ``rate`` times a second."""

    def __init__(self, token: str, report_ids: list[int], rate: float) -> None:
        super().__init__(daemon=True)
        self.token, self.report_ids, self.interval = token, report_ids, 1 / rate
        self.statuses: dict[int, int] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stopped.wait(self.interval):
            n += 1
            pk = self.report_ids[n % len(self.report_ids)]
            request = urllib.request.Request(
                f"http://127.0.0.1:{PORT}/api/v1/reports/{pk}/",
                data=json.dumps({"title": f"标题 {n}"}).encode(),
                method="PATCH",
                headers={
                    "Authorization": f"Token {self.token}",
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0
            self.statuses[status] = self.statuses.get(status, 0) + 1


def _start_gunicorn(args) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "API_READ_CACHE_SECONDS": str(args.read_cache),
        "REDIS_URL": args.redis_url,
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--access-logfile",
        "/dev/null",
        "--log-level",
        "warning",
    ]
    if args.threads:
        command += ["--threads", str(args.threads)]
    server = subprocess.Popen(command, cwd=args.source or ROOT, env=env)
    return wait_until_serving(server, port=PORT, seconds=30)


def _workers_cpu(server: subprocess.Popen) -> float:
    """CPU seconds (user + system) of the gunicorn master's children so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def _drained(limit: float = 60) -> None:
    """Waits until the server answers a small read at once: requests that an overloaded run
    gave up on are still in the workers' queue, and would be the next run's backlog."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/", timeout=limit).read()
        if time.perf_counter() - started < 0.2:
            return
        time.sleep(1)


def _run(server, targets, rate: float, duration: float) -> tuple[open_loop.Result, dict]:
    _drained()
    load_before = _load()
    cpu_before = _workers_cpu(server)
    result = open_loop.run(
        targets, rate=rate, duration=duration, port=PORT, max_connections=MAX_CONNECTIONS
    )
    cpu = _workers_cpu(server) - cpu_before
    info = {
        "load_before": load_before,
        "load_after": _load(),
        "cpu_ms": 1000 * cpu / max(1, sum(result.statuses.values())),
    }
    return result, info


def _row(name: str, result: open_loop.Result, values=None) -> str:
    count = len(values) if values is not None else result.ok
    p = [result.percentile(x, values) for x in (50, 95, 99)]
    return f"{name:24} {count:7d} {p[0]:8.1f} {p[1]:8.1f} {p[2]:8.1f}"


def _print_fixed(title: str, result: open_loop.Result, info: dict) -> None:
    errors = result.failed
    lags = result.send_lags
    print(
        f"\n{title}: {result.rate:.0f} req/s offered for {result.duration:.0f} s, "
        f"{result.scheduled} requests; answered {result.ok} 2xx at "
        f"{result.throughput:.1f} req/s, failed {errors} (statuses {result.statuses}, "
        f"errors {result.errors}); send lag p99 {result.percentile(99, lags):.1f} ms, max "
        f"{max(lags, default=0) * 1000:.1f} ms; workers' CPU {info['cpu_ms']:.1f} ms/request; "
        f"load {info['load_before']} before, {info['load_after']} after"
    )
    print(f"{'endpoint':24} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for label, values in sorted(result.by_label.items()):
        print(_row(label, result, values))
    print(_row("all (failures = ∞)", result))


def _saturation(server, targets, args) -> None:
    print(
        f"\nsaturation: token and session mixed, {args.step_duration:.0f} s per step, "
        f"stop past p95 {args.p95_limit:.0f} ms or 1 % failed"
    )
    print(
        f"{'offered':>8} {'answered/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'failed':>7} {'lag p99':>8} {'cpu ms':>7}  load"
    )
    best = None
    for rate in args.steps:
        result, info = _run(server, targets, rate, args.step_duration)
        p50, p95, p99 = (result.percentile(x) for x in (50, 95, 99))
        lag = result.percentile(99, result.send_lags)
        print(
            f"{rate:8.0f} {result.throughput:10.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f} "
            f"{result.failed:7d} {lag:8.1f} {info['cpu_ms']:7.1f}  "
            f"{info['load_before']} → {info['load_after']}",
            flush=True,
        )
        held = p95 <= args.p95_limit and result.failed <= 0.01 * result.scheduled
        if not held:
            break
        best = (rate, result.throughput)
    if best:
        print(
            f"saturation throughput: {best[1]:.0f} req/s answered at {best[0]:.0f} offered, the "
            f"highest step with p95 ≤ {args.p95_limit:.0f} ms and ≤ 1 % failed"
        )
    else:
        print("saturation throughput: no step held")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--curators", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (as deployed)")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=0, help="gunicorn --threads (gthread)")
    parser.add_argument("--read-cache", type=int, default=0, help="API_READ_CACHE_SECONDS")
    parser.add_argument("--redis-url", required=True, help="the server's REDIS_URL")
    parser.add_argument(
        "--steps",
        type=lambda s: [float(x) for x in s.split(",")],
        default=[100, 150, 200, 250, 300, 350, 400, 500, 600],
    )
    parser.add_argument("--step-duration", type=float, default=15)
    parser.add_argument("--p95-limit", type=float, default=50)
    parser.add_argument("--skip-saturation", action="store_true")
    parser.add_argument(
        "--source",
        help="serve the code of this directory instead (e.g. a `git archive` of an earlier "
        "commit, for a before/after on the same database and machine)",
    )
    parser.add_argument(
        "--writes",
        type=float,
        default=0,
        help="metadata changes per second by another curator through the API during the runs "
        "(each one invalidates every cached read)",
    )
    parser.add_argument("--skip-fixed", action="store_true")
    args = parser.parse_args()

    _django()
    credentials = _curators(args.curators)
    paths = _paths()
    writer_token = _curators(1, prefix="bench-writer-")[0][0]
    from django.db import connections

    connections.close_all()
    server = _start_gunicorn(args)
    print(
        f"gunicorn {args.workers} {args.worker_class} workers"
        + (f" × {args.threads} threads" if args.threads else "")
        + f", config.settings.production, {os.cpu_count()} cores, {args.curators} curators, "
        f"read cache {'off' if not args.read_cache else f'{args.read_cache} s'}"
        + (f", code of {args.source}" if args.source else "")
    )
    try:
        warm = _targets(paths, credentials, "mixed")
        for target in warm[: len(paths) * 4]:
            request = urllib.request.Request(
                f"http://127.0.0.1:{PORT}{target.path}", headers=dict(target.headers)
            )
            urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 (http://127.0.0.1)
        open_loop.run(warm, rate=min(args.rate, 50), duration=5, port=PORT)
        writer = None
        if args.writes:
            ids = [int(p.rstrip("/").rsplit("/", 1)[1]) for p in paths["report detail"]]
            writer = _Writer(writer_token, ids, args.writes)
            writer.start()
            print(f"another curator changes a report's title {args.writes:g} times a second")
        if not args.skip_fixed:
            for auth in ("token", "session"):
                result, info = _run(
                    server, _targets(paths, credentials, auth), args.rate, args.duration
                )
                _print_fixed(f"curators by {auth}", result, info)
        if not args.skip_saturation:
            _saturation(server, warm, args)
        if writer:
            writer.stopped.set()
            writer.join()
            print(f"writes: {sum(writer.statuses.values())}, statuses {writer.statuses}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # threads still busy with abandoned requests
            server.kill()
            server.wait()
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
