"""REST API latency and throughput under load: wrk against gunicorn on loopback.

    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_api_bench \\
        python -m benchmarks.load_api_bench --count 5000        # once
    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_api_bench \\
        python -m benchmarks.bench_api --connections 20 --duration 10 \\
        --redis-url redis://127.0.0.1:6379/3

Starts gunicorn (DEBUG off, throttling kept on but raised out of the way) on 127.0.0.1, warms each
endpoint, then runs wrk with ``--connections`` concurrent clients per endpoint and prints
requests/s and the p50/p95/p99 latency of: the report list, a report's detail (rotating over 200
reports), the indicator-value list with filters, and the comparison endpoint. It does so twice,
side by side: uncached (every request queries and serializes), then with the response cache of
anonymous reads on (``API_READ_CACHE_SECONDS``; needs ``--redis-url``). Needs ``wrk`` (Debian
package). Prints the machine's load average beside the figures: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 18732

LUA = """
paths = {%(paths)s}
headers = {%(headers)s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\\"p50\\": %%.3f, \\"p95\\": %%.3f, \\"p99\\": %%.3f, \\"requests\\": %%d, " ..
    "\\"duration_us\\": %%d, \\"non_2xx\\": %%d, \\"socket_errors\\": %%d}\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def busiest_code_year() -> tuple[str, int, int]:
    """The catalogue code and report year with the most values, and how many: the heaviest
    filter and comparison a client can ask for."""
    from django.db.models import Count

    from indicators.models import IndicatorValue

    top = (
        IndicatorValue.objects.filter(definition__isnull=False)
        .values("definition__code", "report__report_year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return top["definition__code"], top["report__report_year"], top["n"]


def _scenarios() -> dict[str, list[str]]:
    """The endpoints to load, with real ids and codes from the benchmark database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    from indicators.models import IndicatorValue
    from reports.models import Report

    ids = list(Report.objects.values_list("id", flat=True))
    rng = random.Random(5)
    sample = rng.sample(ids, min(200, len(ids)))
    code, year, n = busiest_code_year()
    print(
        f"reports: {len(ids)}; values: {IndicatorValue.objects.count()}; "
        f"busiest code/year: {code} {year} ({n} values)"
    )
    return {
        "report list": ["/api/v1/reports/"],
        "report detail": [f"/api/v1/reports/{i}/" for i in sample],
        "indicator values (filtered)": [
            f"/api/v1/indicators/values/?code={code}&year_min={year - 2}&year_max={year}"
            f"&status=extracted&value_min=1"
        ],
        "comparison (regions, one year)": [f"/api/v1/indicators/compare/?code={code}&year={year}"],
    }


def _start_gunicorn(
    workers: int,
    read_cache: int,
    redis_url: str,
    extra: tuple[str, ...] = (),
    settings: str = "config.settings.base",
) -> subprocess.Popen:
    """gunicorn on PORT with ``workers`` processes; ``extra``: more of its options."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DEBUG": "False",
        "THROTTLE_ANON": "1000000/s",  # a 1 s window keeps the throttle history short
        "THROTTLE_USER": "1000000/s",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "API_READ_CACHE_SECONDS": str(read_cache),
        "REDIS_URL": redis_url,  # empty: per-process memory cache
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(workers),
        "--access-logfile",
        "/dev/null",
        "--log-level",
        "warning",
        *extra,
    ]
    return wait_until_serving(subprocess.Popen(command, cwd=ROOT, env=env))


def wait_until_serving(
    server: subprocess.Popen, *, port: int = PORT, seconds: float = 20
) -> subprocess.Popen:
    """``server`` once gunicorn answers /api/v1/status/ on ``port``; stopped, and an exit, if it
    does not within ``seconds``."""
    for _ in range(int(seconds / 0.2)):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/status/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _wrk(
    paths: list[str],
    *,
    connections: int,
    duration: int,
    threads: int,
    headers: dict[str, str] | None = None,
) -> dict:
    """wrk over ``paths`` in turn (each request with ``headers``): latency percentiles in ms."""
    lua_headers = ", ".join(
        f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "headers": lua_headers}
        )
    try:
        output = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def _run(scenarios: dict[str, list[str]], args, read_cache: int) -> list[tuple]:
    """Each endpoint under wrk against a fresh gunicorn: (name, result, load average before)."""
    server = _start_gunicorn(args.workers, read_cache, args.redis_url)
    rows = []
    try:
        for name, paths in scenarios.items():
            for path in paths:  # every URL once, so the cached run starts with all of them cached
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30).read()
            _wrk(paths, connections=args.connections, duration=3, threads=args.threads)  # warm
            load_before = os.getloadavg()[0]
            result = _wrk(
                paths, connections=args.connections, duration=args.duration, threads=args.threads
            )
            rows.append((name, result, load_before))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rows


def _print(runs: dict[str, list[tuple]], args) -> None:
    print(
        f"\nwrk {args.connections} connections, {args.duration} s per endpoint, gunicorn "
        f"{args.workers} sync workers, {os.cpu_count()} cores, "
        f"cache {'Redis' if args.redis_url else 'per-process memory'}; "
        f"cached: API_READ_CACHE_SECONDS={args.read_cache}, anonymous reads"
    )
    header = f"{'endpoint':30}"
    for mode in runs:
        header += (
            f" | {mode + ' req/s':>15} {'p50':>6} {'p95':>6} {'p99':>6} {'err':>4} {'load':>4}"
        )
    print(header)
    for i, name in enumerate(next(iter(runs.values()))):
        line = f"{name[0]:30}"
        for rows in runs.values():
            _, r, load = rows[i]
            errors = r["non_2xx"] + r["socket_errors"]
            line += (
                f" | {r['rps']:15.0f} {r['p50']:6.1f} {r['p95']:6.1f} {r['p99']:6.1f} "
                f"{errors:4d} {load:4.1f}"
            )
        print(line)
    print(
        "latencies in ms; uptime:",
        subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--read-cache",
        type=int,
        default=30,
        help="API_READ_CACHE_SECONDS of the cached run (0: run uncached only)",
    )
    parser.add_argument(
        "--redis-url",
        default="",
        help="REDIS_URL for the server (throttles and cache shared by its workers, e.g. "
        "redis://127.0.0.1:6379/3); without it the cached run is skipped",
    )
    parser.add_argument("--cached-only", action="store_true", help="skip the uncached run")
    args = parser.parse_args()
    scenarios = _scenarios()
    runs = {}
    if not args.cached_only:
        runs["uncached"] = _run(scenarios, args, 0)
    if args.read_cache and args.redis_url:
        runs["cached"] = _run(scenarios, args, args.read_cache)
    _print(runs, args)


if __name__ == "__main__":
    main()
