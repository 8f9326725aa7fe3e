"""Near-duplicate lookup at national scale: cost per ingested file against N stored reports.

Needs a dedicated, migrated database (the script empties the report table):

    createdb -h 127.0.0.1 -U root fazhi_bench_neardup
    export DATABASE_URL=postgres://root@127.0.0.1:5432/fazhi_bench_neardup
    python manage.py migrate
    python -m benchmarks.bench_near_duplicates --reports 250000 --reset

Stored: ``--synthetic`` reports from ``benchmarks.synth`` (sample paragraphs recombined with other
places, years and numbers: far more alike than real reports of different governments) with their
real fingerprints, and the rest of ``--reports`` as rows with random signatures (the index's
size, not its content, is what the lookup's cost depends on). Then, timed:

- copies: each of ``--queries`` stored synthetic texts with 5% of its lines dropped and web-page
  furniture added, looked up (should find its original);
- half copies: the same texts with only their first half kept (a copy lacking half of the text,
  as a Word file without the cover letter of the web page), looked up (should find its original);
- distinct: as many synthetic texts not stored, looked up (any match is a false positive);
- the candidate query's plan (it must use the GIN index on the band keys, not scan).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import time

import numpy as np

FURNITURE = "您当前的位置：首页 > 政务公开 > 法治政府建设\n字号：[大][中][小] 打印 关闭\n"
FOOTER = "\n主办单位：人民政府办公室 网站标识码3600000001 ICP备案号"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def _row(index: int, text: str, fingerprint):
    from reports.models import Report

    digest = hashlib.sha256(f"{index}:{text[:50]}".encode()).hexdigest()
    return Report(
        filename=f"bench-{index}.txt",
        raw_sha256=digest,
        text_sha256=digest,
        raw_text=text,
        status=Report.Status.PARSED,
        minhash=fingerprint.signature,
        shingle_count=fingerprint.size,
    ), fingerprint.bands


def _store(rows: list) -> None:
    from reports.models import Report, ReportBand

    reports = Report.objects.bulk_create([report for report, _ in rows])
    ReportBand.objects.bulk_create(
        [
            ReportBand(report=report, key=key)
            for report, (_, keys) in zip(reports, rows, strict=True)
            for key in keys
        ],
        batch_size=20_000,
    )


_COPY_REPORT = (
    "COPY reports_report (id, filename, content_type, source_format, encoding, size_bytes, "
    "raw_sha256, text_sha256, raw_text, clean_text, source_url, title, issuer, province, city, "
    "county, admin_level, metadata_overrides, status, error_code, error_message, parser_version, "
    "parsed_text_sha256, created_at, updated_at, minhash, original_name, shingle_count, "
    "parse_attempts) FROM STDIN"
)


def _copy_random(first_id: int, count: int, rng: np.random.Generator) -> None:
    """``count`` report rows with random signatures and band keys, written with COPY."""
    from django.db import connection
    from django.utils import timezone

    from reports.fingerprint import NUM_PERM, lsh_bands_rows

    bands, _ = lsh_bands_rows()
    now = timezone.now()
    signatures = rng.integers(0, 2**61 - 1, size=(count, NUM_PERM), dtype=np.uint64)
    keys = rng.integers(-(2**63), 2**63 - 1, size=(count, bands), dtype=np.int64)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(_COPY_REPORT) as copy:
            for n in range(count):
                pk = first_id + n
                digest = hashlib.sha256(str(pk).encode()).hexdigest()
                copy.write_row(
                    (
                        pk,
                        f"bench-{pk}.txt",
                        "",
                        "txt",
                        "",
                        0,
                        digest,
                        digest,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "{}",
                        "parsed",
                        "",
                        "",
                        "",
                        "",
                        now,
                        now,
                        signatures[n].astype("<u8").tobytes(),
                        "",
                        3000,
                        0,
                    )
                )
        with raw.copy("COPY reports_reportband (report_id, key) FROM STDIN") as copy:
            for n in range(count):
                for key in keys[n]:
                    copy.write_row((first_id + n, int(key)))


def _load(total: int, synthetic: list[tuple[str, str]], batch: int = 50_000) -> float:
    from django.db import connection

    from reports.fingerprint import text_fingerprint

    started = time.perf_counter()
    _store([_row(i, text, text_fingerprint(text)) for i, (_, text) in enumerate(synthetic)])
    rng = np.random.default_rng(1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM reports_report")
        (first,) = cursor.fetchone()
    for start in range(0, total - len(synthetic), batch):
        _copy_random(first + start, min(batch, total - len(synthetic) - start), rng)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('reports_report', 'id'), "
            "(SELECT max(id) FROM reports_report))"
        )
    return time.perf_counter() - started


def _variant(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    kept = [line for line in lines if rng.random() > 0.05]
    return FURNITURE + "\n".join(kept) + FOOTER


def _half(text: str) -> str:
    lines = text.splitlines()
    kept = lines[: max(len(lines) // 2, 1)]
    return "\n".join(kept)


def _found(picked: list[int], found: list, originals: dict[str, int]) -> int:
    return sum(
        1
        for i, match in zip(picked, found, strict=True)
        if match is not None and match.report_id == originals.get(f"bench-{i}.txt")
    )


def _timed(texts: list[str]) -> tuple[list[float], list[float], list]:
    """Per text: ms to fingerprint it, ms to look it up, and the match."""
    from reports.fingerprint import text_fingerprint
    from reports.services.near_duplicates import near_duplicate_find

    fingerprint_ms, lookup_ms, found = [], [], []
    for text in texts:
        started = time.perf_counter()
        fingerprint = text_fingerprint(text)
        middle = time.perf_counter()
        found.append(near_duplicate_find(fingerprint=fingerprint))
        fingerprint_ms.append((middle - started) * 1000)
        lookup_ms.append((time.perf_counter() - middle) * 1000)
    return fingerprint_ms, lookup_ms, found


def _ms(values: list[float]) -> str:
    return f"p50 {_p(values, 50):.1f} ms, p95 {_p(values, 95):.1f} ms"


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def _plan() -> str:
    from django.db import connection

    from benchmarks.synth import generate_report
    from reports.fingerprint import text_fingerprint
    from reports.services.near_duplicates import CANDIDATE_LIMIT, near_duplicate_candidates

    fingerprint = text_fingerprint(generate_report(0, seed=99)[1])
    query = near_duplicate_candidates(bands=fingerprint.bands).order_by().values_list("pk")
    sql, params = query[:CANDIDATE_LIMIT].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reports", type=int, default=250_000)
    ap.add_argument("--synthetic", type=int, default=2_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--reset", action="store_true", help="empty the report table first")
    args = ap.parse_args()
    _setup()
    from django.db import connection

    from benchmarks.synth import generate_reports
    from reports.models import Report

    if args.reset:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE reports_report RESTART IDENTITY CASCADE")
    corpus = list(generate_reports(args.synthetic + args.queries, seed=7))
    stored, unseen = corpus[: args.synthetic], corpus[args.synthetic :]
    seconds = _load(args.reports, stored)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_report")
        cursor.execute("ANALYZE reports_reportband")
    print(f"stored {Report.objects.count():,} reports in {seconds:.0f} s")

    rng = random.Random(3)
    picked = rng.sample(range(len(stored)), min(args.queries, len(stored)))
    copies = [_variant(stored[i][1], rng) for i in picked]
    fingerprint_ms, times, found = _timed(copies)
    originals = dict(
        Report.objects.filter(filename__in=[f"bench-{i}.txt" for i in picked]).values_list(
            "filename", "pk"
        )
    )
    hits = _found(picked, found, originals)
    print(
        f"copies (5% of lines dropped, furniture added): {hits}/{len(copies)} found; "
        f"fingerprint {_ms(fingerprint_ms)}; lookup {_ms(times)}"
    )
    _, half_times, found = _timed([_half(stored[i][1]) for i in picked])
    hits = _found(picked, found, originals)
    print(f"half copies (first half of the lines): {hits}/{len(picked)} found; {_ms(half_times)}")
    _, unseen_times, found = _timed([text for _, text in unseen])
    flagged = [m.similarity for m in found if m is not None]
    highest = ", ".join(f"{s:.2f}" for s in sorted(flagged)[-5:]) or "-"
    print(
        f"distinct synthetic reports: {len(flagged)}/{len(unseen)} flagged (highest: {highest}); "
        f"lookup {_ms(unseen_times)}"
    )
    print("candidate query plan:\n" + _plan())


if __name__ == "__main__":
    main()
