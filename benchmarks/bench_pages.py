"""Reading pages under load, for a logged-in user, uncached: wrk against gunicorn on loopback.

    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_pages_bench \\
        python -m benchmarks.load_api_bench --count 5000 --distinct 150 --flagged 100  # once
    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_pages_bench \\
        python manage.py reindex_search --all                                # once: search vectors
    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_pages_bench \\
        python -m benchmarks.bench_pages --connections 20 --duration 10

Starts gunicorn (DEBUG off; the pages have no response cache), logs in a staff user of the
curator group (a session cookie on every request, so each page also loads the session and the
user), warms each page, then runs wrk with ``--connections`` concurrent clients per page and
prints requests/s and the p50/p95/p99 latency of: the home page; the search page (section hits
with facets, rotating over queries of one to three terms, a phrase and an OR); a facet-filtered
search; the report list by report; a report's reading view (rotating over 200 reports); and the
curators' workspace: the review queue (unfiltered, by code, by province, by year, and its
second page), a value's page (rotating over 200 values), the upload page and the list of
possible duplicates (the ``--flagged`` copies). ``--only NAME`` (repeatable) runs only the pages
whose name starts with NAME. Needs ``wrk`` (Debian package). Prints the machine's load average
beside the figures: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import urllib.parse
import urllib.request

from benchmarks.bench_api import PORT, _start_gunicorn, _wrk

QUERIES = [
    "行政复议",
    "法律援助",
    "行政执法 规范",
    '"出庭应诉"',
    "营商环境",
    "矛盾纠纷 调解",
    "行政复议 OR 行政诉讼",
    "普法 宣传 教育",
    "规范性文件",
    "法治督察",
]


def _setup() -> tuple[dict[str, list[str]], str]:
    """The pages to load (real ids from the benchmark database), and a staff session cookie."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from indicators.models import IndicatorValue
    from reports.models import Report

    user, _ = get_user_model().objects.get_or_create(
        username="pages-bench", defaults={"is_staff": True}
    )
    user.set_password("pages-bench-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="curator"))  # the workspace's pages need its rights
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()

    ids = list(Report.objects.filter(status="parsed").values_list("id", flat=True))
    sample = random.Random(5).sample(ids, min(200, len(ids)))
    year = Report.objects.exclude(report_year=None).values_list("report_year", flat=True).first()
    values = list(
        IndicatorValue.objects.filter(status=IndicatorValue.Status.EXTRACTED)
        .order_by("id")
        .values_list("id", flat=True)[:20_000]
    )
    value_sample = random.Random(7).sample(values, min(200, len(values)))
    code, province = (
        IndicatorValue.objects.exclude(definition=None)
        .values_list("definition__code", "report__province")
        .first()
    ) or ("", "")
    flagged = Report.objects.exclude(duplicate_of=None).count()
    print(
        f"reports: {len(ids)} parsed, {flagged} flagged as copies; sections: {_sections()}; "
        f"values: {IndicatorValue.objects.count()}"
    )

    def search(q: str, **extra: object) -> str:
        return "/search/?" + urllib.parse.urlencode({"q": q, **extra})

    scenarios = {
        "home": ["/"],
        "search (sections, facets)": [search(q) for q in QUERIES],
        "search (year facet chosen)": [search(q, year=year) for q in QUERIES],
        "search (by report)": [search(q, mode="reports") for q in QUERIES],
        "report reading view": [f"/reports/{pk}/" for pk in sample],
        "workspace: review queue": [
            "/workspace/review/",
            f"/workspace/review/?code={code}",
            "/workspace/review/?" + urllib.parse.urlencode({"province": province}),
            f"/workspace/review/?year={year}",
            "/workspace/review/?page=2",
        ],
        "workspace: a value's page": [f"/workspace/review/{pk}/" for pk in value_sample],
        "workspace: upload page": ["/workspace/upload/"],
        "workspace: duplicates list": ["/workspace/duplicates/"],
    }
    return scenarios, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _sections() -> int:
    from reports.models import Section

    return Section.objects.count()


def _run(scenarios: dict[str, list[str]], cookie: str, args) -> list[tuple]:
    server = _server(args)
    headers = {"Cookie": cookie}
    rows = []
    try:
        for name, paths in scenarios.items():
            for path in paths:
                request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers)
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    if b"pages-bench" not in response.read():
                        raise SystemExit(f"{path}: the page does not show the user logged in")
            _wrk(
                paths,
                connections=args.connections,
                duration=2,
                threads=min(2, args.connections),
                headers=headers,
            )
            load_before = os.getloadavg()[0]
            result = _wrk(
                paths,
                connections=args.connections,
                duration=args.duration,
                threads=min(2, args.connections),
                headers=headers,
            )
            rows.append((name, result, load_before))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--only", action="append", default=[], help="pages starting with this")
    _server_arguments(parser)
    _open_loop_arguments(parser)
    args = parser.parse_args()
    scenarios, cookie = _setup()
    if args.only:
        scenarios = {k: v for k, v in scenarios.items() if k.startswith(tuple(args.only))}
    if args.open_loop or args.saturation:
        _open_loop_main(scenarios, cookie, args)
        return
    rows = _run(scenarios, cookie, args)
    print(
        f"\nwrk {args.connections} connections, {args.duration} s per page, gunicorn "
        f"{_server_label(args)}, {os.cpu_count()} cores; logged-in curator, uncached"
    )
    print(f"{'page':30} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'err':>4} {'load':>5}")
    for name, r, load in rows:
        errors = r["non_2xx"] + r["socket_errors"]
        print(
            f"{name:30} {r['rps']:7.0f} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} "
            f"{errors:4d} {load:5.1f}"
        )
    print(
        "latencies in ms; uptime:",
        subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    )


# ---------------------------------------------------------------------------------------------
# The server's shape, the curator's pages, and an open-loop load (latency from the scheduled send)


def _server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--worker-class", default="sync", choices=("sync", "gthread"), help="gunicorn's"
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--redis-url", default="", help="the site's cache (empty: each process its own memory)"
    )


def _server(args):
    extra = ("--worker-class", args.worker_class, "--threads", str(args.threads))
    return _start_gunicorn(args.workers, 0, args.redis_url, extra)


def _server_label(args) -> str:
    label = f"{args.workers} {args.worker_class} workers"
    if args.worker_class == "gthread":
        label += f" × {args.threads} threads"
    return label + (", Redis cache" if args.redis_url else "")


def _open_loop_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--open-loop",
        default="",
        help="offered rates, requests/s (e.g. 20,100): each page at each rate, open loop",
    )
    parser.add_argument(
        "--saturation",
        default="",
        help="offered rates for the mix of all pages (e.g. 40,80,120,160): where it saturates",
    )
    parser.add_argument(
        "--max-connections", type=int, default=64, help="open loop: connections at most"
    )


def _open_loop(paths: list[str], cookie: str, rate: float, duration: float, connections: int):
    """The pages at a fixed offered rate (benchmarks/open_loop.py: latency from the scheduled
    send, failures counted as infinitely slow), as a logged-in curator."""
    from benchmarks import open_loop

    targets = [open_loop.Target(path, (("Cookie", cookie),)) for path in paths]
    result = open_loop.run(
        targets, rate=rate, duration=duration, port=PORT, max_connections=connections
    )
    return {
        "offered": rate,
        "achieved": result.throughput,
        "p50": result.percentile(50),
        "p95": result.percentile(95),
        "p99": result.percentile(99),
        "errors": result.failed,
        "connections": result.connections_opened,
    }


def _open_loop_main(scenarios: dict[str, list[str]], cookie: str, args) -> None:
    server = _server(args)
    rows = []
    try:
        every = [p for paths in scenarios.values() for p in paths]
        for path in every:  # warm every URL once
            urllib.request.urlopen(
                urllib.request.Request(
                    f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie}
                ),
                timeout=60,
            ).read()
        for rate in [float(r) for r in args.open_loop.split(",") if r]:
            for name, paths in scenarios.items():
                load = os.getloadavg()[0]
                result = _open_loop(paths, cookie, rate, args.duration, args.max_connections)
                rows.append((name, result, load))
        if args.saturation:
            # the mix: every page in turn, its URLs interleaved
            longest = max(len(p) for p in scenarios.values())
            mix = [paths[i % len(paths)] for i in range(longest) for paths in scenarios.values()]
            for rate in [float(r) for r in args.saturation.split(",") if r]:
                load = os.getloadavg()[0]
                result = _open_loop(mix, cookie, rate, args.duration, args.max_connections)
                rows.append(("mix of all pages", result, load))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"\nopen loop, {args.duration} s per rate and page, gunicorn {_server_label(args)}, "
        f"{os.cpu_count()} cores; logged-in curator, uncached; latency from the scheduled send"
    )
    print(
        f"{'page':30} {'offered':>7} {'done/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'err':>4} {'opened':>6} {'load':>5}"
    )
    for name, r, load in rows:
        print(
            f"{name:30} {r['offered']:7.0f} {r['achieved']:7.1f} {r['p50']:7.1f} {r['p95']:7.1f} "
            f"{r['p99']:7.1f} {r['errors']:4d} {r['connections']:6d} {load:5.1f}"
        )
    print(
        "latencies in ms; uptime:",
        subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    )


if __name__ == "__main__":
    main()
