"""Load a benchmark database for the REST API: N synthetic reports, parsed.

    DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_api_bench \\
        python -m benchmarks.load_api_bench --count 5000 --distinct 150

``--distinct`` synthetic reports (benchmarks/synth.py) go through the real ingestion and parse
services. Parsing thousands on a small machine takes long, so the rest are copies of those parsed
reports made in SQL — each copy with its own id, text hash, covered year (spread over 2016–2024)
and the same sections (without search vectors) and indicator values — which is what the API
reads. The
database is created and migrated first if needed; an already loaded database is left as it is.
``--flagged N`` then flags N of the copies as possible duplicates of the report they copy (the
workspace's duplicates list reads them; lists and search leave them out), if fewer are.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")


def _ensure_database(url: str) -> None:
    """createdb, unless the database is there already."""
    name = url.rsplit("/", 1)[-1]
    result = subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "root", name], capture_output=True, text=True
    )
    if result.returncode and "already exists" not in result.stderr:
        raise SystemExit(result.stderr)


def _ingest_distinct(count: int, seed: int) -> None:
    from benchmarks.synth import generate_reports
    from reports.services.uploads import report_ingest_upload

    started = time.perf_counter()
    batch: list[tuple[str, bytes]] = []
    for filename, text in generate_reports(count, seed):
        batch.append((filename, text.encode("utf-8")))
        if len(batch) == 25:
            report_ingest_upload(files=batch)
            batch = []
    if batch:
        report_ingest_upload(files=batch)
    print(f"ingested and parsed {count} distinct reports in {time.perf_counter() - started:.0f} s")


COPY_SQL = """
WITH bounds AS (
    SELECT (SELECT max(id) FROM reports_report) AS r,
           (SELECT coalesce(max(id), 0) FROM reports_section) AS s,
           (SELECT coalesce(max(id), 0) FROM indicators_indicatorvalue) AS v
)
SELECT r, s, v FROM bounds
"""


def _copy(total: int) -> None:
    """Copy the parsed reports (with their sections and values) until there are ``total``."""
    from django.db import connection, transaction

    from reports.models import Report

    base_ids = list(Report.objects.order_by("id").values_list("id", flat=True))
    base_count = len(base_ids)
    copy_no = 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        while Report.objects.count() < total:
            copy_no += 1
            cursor.execute(COPY_SQL)
            r_off, s_off, v_off = cursor.fetchone()
            limit = min(base_count, total - Report.objects.count())
            with transaction.atomic():
                _copy_once(cursor, copy_no, r_off, s_off, v_off, base_ids[:limit])
        for table in ("reports_report", "reports_section", "indicators_indicatorvalue"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        # Vacuumed as autovacuum would leave it (the visibility map lets the comparison's
        # covering index answer without the table), whether or not autovacuum runs here.
        cursor.execute("VACUUM ANALYZE")
    print(f"copied to {total} reports in {time.perf_counter() - started:.0f} s")


def _columns(cursor, table: str, *, computed: tuple[str, ...]) -> str:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    )
    return ", ".join(name for (name,) in cursor.fetchall() if name not in computed)


def _copy_once(cursor, copy_no, r_off, s_off, v_off, ids) -> None:
    cols = _columns(cursor, "reports_report", computed=("id", "text_sha256", "report_year"))
    cursor.execute(
        f"INSERT INTO reports_report (id, text_sha256, report_year, {cols}) "  # noqa: S608
        f"SELECT id + %s, md5(text_sha256 || (id + %s)::text) || md5((id + %s)::text), "
        f"2016 + ((coalesce(report_year, 2020) + %s) %% 9), {cols} "
        f"FROM reports_report WHERE id = ANY(%s)",
        [r_off, r_off, r_off, copy_no, ids],
    )
    # Copies leave the search vectors empty: the API reads here do not search, and filling the
    # GIN indexes would make loading several times slower.
    cols = _columns(
        cursor,
        "reports_section",
        computed=("id", "report_id", "parent_id", "search_vector"),
    )
    cursor.execute(
        f"INSERT INTO reports_section (id, report_id, parent_id, {cols}) "  # noqa: S608
        f"SELECT id + %s, report_id + %s, parent_id + %s, {cols} "
        f"FROM reports_section WHERE report_id = ANY(%s)",
        [s_off, r_off, s_off, ids],
    )
    cols = _columns(cursor, "indicators_indicatorvalue", computed=("id", "report_id", "section_id"))
    cursor.execute(
        f"INSERT INTO indicators_indicatorvalue (id, report_id, section_id, {cols}) "  # noqa: S608
        f"SELECT id + %s, report_id + %s, section_id + %s, {cols} "
        f"FROM indicators_indicatorvalue WHERE report_id = ANY(%s)",
        [v_off, r_off, s_off, ids],
    )


FLAG_SQL = """
WITH copies AS (
    SELECT c.id, (SELECT min(s.id) FROM reports_report s WHERE s.raw_sha256 = c.raw_sha256) AS of
    FROM reports_report c
    WHERE c.duplicate_of_id IS NULL
      AND c.id > (SELECT min(s.id) FROM reports_report s WHERE s.raw_sha256 = c.raw_sha256)
    ORDER BY c.id LIMIT %s
)
UPDATE reports_report r SET duplicate_of_id = copies.of, duplicate_similarity = 1.0
FROM copies WHERE r.id = copies.id
"""


def _flag(count: int) -> None:
    from django.db import connection

    from reports.models import Report

    missing = count - Report.objects.exclude(duplicate_of=None).count()
    if missing > 0:
        with connection.cursor() as cursor:
            cursor.execute(FLAG_SQL, [missing])
    print(f"flagged copies: {Report.objects.exclude(duplicate_of=None).count()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--distinct", type=int, default=150)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--flagged", type=int, default=0, help="copies flagged as duplicates")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    _ensure_database(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True)

    import django

    django.setup()
    from reports.models import Report

    if Report.objects.count() >= args.count:
        print(f"already loaded: {Report.objects.count()} reports")
    else:
        if not Report.objects.exists():
            _ingest_distinct(args.distinct, args.seed)
        _copy(args.count)
        print(f"reports: {Report.objects.count()}")
    if args.flagged:
        _flag(args.flagged)


if __name__ == "__main__":
    main()
