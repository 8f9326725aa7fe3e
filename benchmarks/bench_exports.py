"""Large exports: time to the first byte, total time and peak memory, CSV and XLSX, at two sizes.

    createdb -h 127.0.0.1 fazhi_export_bench
    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_export_bench \\
        python -m benchmarks.bench_exports --rows 300000

Migrates the database, fills it (once, with SQL) with ``--rows`` indicator values spread over
reports, then exports the value list (all columns) as CSV and as XLSX through the real export
view, each in a process of its own: all ``--rows`` and a tenth of them (a filter), so that the
memory figures show whether memory grows with the size. Prints, per run, the seconds to the
first byte and to the last, the bytes sent and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

SETTINGS = "config.settings.base"
VALUES_PER_REPORT = 250


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    django.setup()


def _fill(rows: int) -> None:
    """``rows`` indicator values over ``rows / VALUES_PER_REPORT`` reports, by SQL."""
    from django.core.management import call_command
    from django.db import connection

    from indicators.models import IndicatorValue

    call_command("migrate", verbosity=0)
    if IndicatorValue.objects.count() >= rows:
        return
    reports = -(-rows // VALUES_PER_REPORT)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reports_report CASCADE")
        cursor.execute(
            """
            INSERT INTO reports_report (filename, content_type, source_format, encoding,
              size_bytes, raw_sha256, text_sha256, raw_text, clean_text, source_url, title,
              issuer, province, city, county, admin_level, report_year, metadata_overrides,
              status, error_code, error_message, parser_version, parsed_text_sha256,
              parse_attempts, created_at, updated_at)
            SELECT 'r' || i || '.txt', 'text/plain', 'txt', 'utf-8', 1, md5(i::text),
              md5('t' || i), '', '', '', '某县' || i || '年度报告', '', '某省', '', '', 'county',
              2023, '{}', 'parsed', '', '', '', '', 0, now(), now()
            FROM generate_series(1, %s) AS i
            """,
            [reports],
        )
        cursor.execute(
            """
            INSERT INTO indicators_indicatorvalue (report_id, definition_id, subject, value,
              unit, qualifier, numeral, kind, scope, quote, start_offset, end_offset,
              confidence, parser_version, status, review_note, created_at, updated_at)
            SELECT r.id, d.id, '收到行政复议案件', (n %% 997), '件', '', 'arabic', 'count',
              'annual', '全年共收到行政复议案件' || (n %% 997) || '件。', n, n + 10, 0.9, '1',
              'extracted', '', now(), now()
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM reports_report) AS r
            CROSS JOIN generate_series(1, %s) AS n
            CROSS JOIN LATERAL (SELECT id FROM indicators_indicatordefinition ORDER BY id
              LIMIT 1) AS d
            WHERE (r.k - 1) * %s + n <= %s
            """,
            [VALUES_PER_REPORT, VALUES_PER_REPORT, rows],
        )
        cursor.execute("ANALYZE")


def _one(file_format: str, part: str) -> dict:
    """Export all values (``part="all"``) or about a tenth of them (value at most 24) through
    the view; the figures of this process."""
    from django.test import Client

    from indicators.models import IndicatorValue

    query = {"file_format": file_format, "ordering": "id"}
    values = IndicatorValue.objects.all()
    if part == "tenth":
        query["value_max"] = "24"
        values = values.filter(value__lte=24)
    started = time.perf_counter()
    response = Client().get("/api/v1/indicators/values/export/", query)
    first = None
    sent = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        sent += len(chunk)
    total = time.perf_counter() - started
    return {
        "format": file_format,
        "rows": values.count(),
        "first_byte_s": round(first or 0.0, 3),
        "total_s": round(total, 2),
        "bytes": sent,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--one", nargs=2, metavar=("FORMAT", "PART"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    _setup()
    if args.one:
        print(json.dumps(_one(args.one[0], args.one[1])))
        return
    started = time.perf_counter()
    _fill(args.rows)
    print(f"database filled ({args.rows} values) in {time.perf_counter() - started:.0f} s")
    print(
        f"{'format':<6} {'values':>9} {'first byte s':>13} {'total s':>8} {'MB sent':>8} "
        f"{'peak RSS MB':>12}"
    )
    for file_format in ("csv", "xlsx"):
        for part in ("tenth", "all"):
            command = [sys.executable, "-m", "benchmarks.bench_exports", "--one", file_format, part]
            out = subprocess.run(command, capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{r['format']:<6} {r['rows']:>9} {r['first_byte_s']:>13} {r['total_s']:>8} "
                f"{r['bytes'] / 1e6:>8.1f} {r['peak_rss_mb']:>12}"
            )


if __name__ == "__main__":
    main()
