"""Remap throughput over a million stored values, and comparison endpoint latency.

Needs a dedicated, migrated database (the script empties the report and value tables):

    createdb -h 127.0.0.1 -U root fazhi_bench
    export DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_bench
    python manage.py migrate
    python -m benchmarks.bench_remap --values 1000000 --reports 5000 --reset

Values are real parser output: quantities found by ``parse_text`` in reports from
``benchmarks.synth``, spread over synthetic reports (gazetteer regions × years) with their numbers
shifted so that rows differ. They are stored without codes, as if parsed under an empty catalogue.
Then: remap (maps everything), a catalogue change and remap, a remap with nothing to change, and
p50/p95 of /api/v1/indicators/compare/ (regions for a year; one region's series).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time

NEW_CODE = "npc_cppcc_proposals"
_COPY_COLUMNS = (
    "report_id, definition_id, subject, value, unit, qualifier, numeral, kind, scope, quote, "
    "start_offset, end_offset, confidence, parser_version, status, review_note, "
    "created_at, updated_at"
)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def _regions(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    from reports.parsing.gazetteer import LEVEL_COUNTY, load_gazetteer

    counties = [d for d in load_gazetteer().divisions if d.level == LEVEL_COUNTY]
    rng.shuffle(counties)
    return [(d.province or "", d.city or "", d.name) for d in counties[:count]]


def _quantity_pool(reports: int, seed: int) -> list:
    from benchmarks.synth import generate_reports
    from reports.parsing import load_catalogue, parse_text

    empty = load_catalogue().__class__.from_entries([])  # no codes at parse time
    pool = []
    for _, text in generate_reports(reports, seed):
        pool.extend(parse_text(text, catalogue=empty).indicators)
    return pool


def _reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE indicators_curationevent, indicators_indicatorvalue, reports_section, "
            "reports_ingestionoutcome, reports_report RESTART IDENTITY CASCADE"
        )
        cursor.execute("DELETE FROM indicators_indicatordefinition WHERE code = %s", [NEW_CODE])


def _make_reports(count: int, rng: random.Random) -> list[int]:
    from reports.models import Report

    years = list(range(2019, 2024))
    regions = _regions(-(-count // len(years)), rng)
    rows = []
    for i in range(count):
        province, city, county = regions[i // len(years)]
        year = years[i % len(years)]
        published = dt.date(year + 1, 4, 1) + dt.timedelta(days=rng.randint(-60, 30))
        rows.append(
            Report(
                filename=f"bench_{i:06d}.txt",
                raw_sha256=f"{i:064x}",
                text_sha256=f"{i:064x}",
                raw_text="synthetic",
                title=f"{city}{county}{year}年法治政府建设年度报告",
                province=province,
                city=city,
                county=county,
                admin_level="county",
                report_year=year,
                published_on=published,
                status=Report.Status.PARSED,
            )
        )
    return [r.pk for r in Report.objects.bulk_create(rows, batch_size=2000)]


def _copy_values(report_ids: list[int], pool: list, total: int, rng: random.Random) -> None:
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    per_report = -(-total // len(report_ids))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY indicators_indicatorvalue ({_COPY_COLUMNS}) FROM STDIN") as copy,
    ):
        for i in range(total):
            q = pool[i % len(pool)]
            shift = i // len(pool)
            value = q.value + shift
            # The number in the quote changes with the value, as it would in another report.
            quote = q.quote.replace(format(q.value.normalize(), "f"), format(value, "f"), 1)
            status = "verified" if rng.random() < 0.02 else "extracted"
            start = (i % per_report) * 40
            copy.write_row(
                (
                    report_ids[i // per_report],
                    None,
                    q.subject[:500],
                    value,
                    q.unit,
                    q.qualifier or "",
                    q.numeral,
                    q.kind,
                    q.scope,
                    quote[:1000],
                    start,
                    start + len(quote),
                    0.0,
                    "bench",
                    status,
                    "",
                    now,
                    now,
                )
            )


def _remap(label: str) -> None:
    from indicators.services.remap import indicator_values_remap_detailed

    started = time.perf_counter()
    result = indicator_values_remap_detailed()
    seconds = time.perf_counter() - started
    print(
        f"remap [{label}]: {result.seen:,} values seen, {result.changed:,} changed, "
        f"{seconds:.1f} s -> {result.seen / seconds:,.0f} values/s"
    )


def _catalogue_change() -> None:
    from indicators.services.catalogue import catalogue_entries_from_db, catalogue_seed

    rows = catalogue_entries_from_db()
    rows.append(
        {
            "code": "npc_cppcc_proposals",
            "name": "人大建议和政协提案办理数",
            "unit": "件",
            "kind": "count",
            "category": "S5",
            "patterns": ["人大建议|政协提案|代表建议"],
        }
    )
    print(f"catalogue change: {catalogue_seed(rows=rows)} definition(s) written")


def _p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] if len(samples) > 1 else samples[0]


def _compare_latency(requests: int, rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from indicators.models import IndicatorValue
    from reports.models import Report

    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)  # the user throttle, not the anonymous one
    codes = list(
        IndicatorValue.objects.exclude(definition=None)
        .values_list("definition__code", flat=True)
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    regions = list(Report.objects.values_list("province", "city", "county").distinct())
    for mode in ("regions", "series"):
        samples, points = [], 0
        for _ in range(requests):
            params = {"code": rng.choice(codes)}
            if mode == "regions":
                params["year"] = rng.randint(2019, 2023)
            else:
                params.update(zip(("province", "city", "county"), rng.choice(regions), strict=True))
            started = time.perf_counter()
            response = client.get("/api/v1/indicators/compare/", params)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"compare failed: {response.status_code} {response.content[:200]}")
            points += len(response.json()["points"])
        print(
            f"compare [{mode}]: {requests} requests, {points / requests:.0f} points each, "
            f"p50 {_p(samples, 50):.1f} ms, p95 {_p(samples, 95):.1f} ms"
        )


def _load_and_remap(args: argparse.Namespace, rng: random.Random) -> None:
    from django.db import connection

    if args.reset:
        _reset()
    started = time.perf_counter()
    pool = _quantity_pool(args.pool_reports, args.seed)
    report_ids = _make_reports(args.reports, rng)
    _copy_values(report_ids, pool, args.values, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE indicators_indicatorvalue")
        cursor.execute("ANALYZE reports_report")
    print(
        f"setup: {len(pool):,} distinct parsed quantities, {len(report_ids):,} reports, "
        f"{args.values:,} values in {time.perf_counter() - started:.0f} s"
    )
    _remap("first mapping, every value gets a code or none")
    _catalogue_change()
    _remap("after adding an indicator")
    _remap("nothing to change")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=5_000)
    parser.add_argument("--pool-reports", type=int, default=200, help="synthetic reports parsed")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="empty the report and value tables")
    parser.add_argument(
        "--compare-only", action="store_true", help="only time comparisons on the loaded data"
    )
    args = parser.parse_args()
    _setup()
    from django.db import connection

    rng = random.Random(args.seed)
    print(f"load before: {os.getloadavg()[0]:.2f} (1-min), {os.cpu_count()} cores")
    if not args.compare_only:
        _load_and_remap(args, rng)
    with connection.cursor() as cursor:  # steady state: visibility map and statistics current
        cursor.execute("VACUUM ANALYZE indicators_indicatorvalue")
        cursor.execute("VACUUM ANALYZE reports_report")
    _compare_latency(args.requests, rng)
    print(f"load after: {os.getloadavg()[0]:.2f} (1-min)")


if __name__ == "__main__":
    main()
