# ruff: noqa: S608 - fixed SQL fragments; values are parameters
"""Chinese full-text search benchmark: ours (jieba + PostgreSQL) vs Whoosh + jieba vs ILIKE.

    python benchmarks/bench_search.py --sections 100000 --queries 200

Uses (and empties) its own database: the DATABASE_URL database name + ``_bench``. Sections come
from the synthetic corpus (benchmarks/synth.py) split with ``reports.parsing.split_sections``.
Prints, side by side: index build time, query latency p50/p95 over the same fixed queries, and
recall and false hits of each engine against a substring scan of the same sections. Each stage
(load, ours-build, whoosh-build, queries) runs in a process of its own.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOMAIN_TERMS = [
    "行政复议",
    "法律援助",
    "营商环境",
    "出庭应诉",
    "首违不罚",
    "规范性文件",
    "行政执法",
    "法治政府",
    "依法行政",
    "合法性审查",
    "行政诉讼",
    "公共法律服务",
    "人民调解",
    "矛盾纠纷",
    "普法",
    "法治宣传",
    "执法监督",
    "重大行政决策",
    "法律顾问",
    "政务公开",
    "放管服",
    "行政许可",
    "综合执法",
    "信访",
    "法治督察",
    "证明事项",
    "告知承诺制",
    "双随机",
    "一网通办",
    "行政处罚",
    "备案审查",
    "司法所",
    "负责人出庭",
    "法治建设",
    "第一责任人",
    "八五普法",
    "习近平法治思想",
    "基层治理",
    "诉源治理",
    "公平竞争审查",
    "包容审慎",
    "轻微违法",
    "行政争议",
    "复议决定",
    "法治化",
    "数字政府",
    "调解",
    "执法人员",
    "案件",
    "法治",
]
FREQUENT = ["工作", "推进", "建设", "行政", "政府", "加强", "依法", "制度"]


@dataclass
class Row:
    id: int
    title: str
    text: str
    province: str
    year: int
    level: int


@dataclass
class Query:
    text: str
    terms: list[str]  # substrings that must all occur (title or body)
    province: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    level: int | None = None


def bench_database_url() -> str:
    url = urlparse(os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/fazhi"))
    name = url.path.lstrip("/")
    if not name.endswith("_bench"):
        name += "_bench"
    return urlunparse(url._replace(path="/" + name))


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        name = parsed.path.lstrip("/")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(n_sections: int, seed: int) -> list[tuple[dict, list]]:
    from benchmarks import synth
    from reports.parsing import split_sections

    places = {p.city + p.county: p for p in synth._places()}
    out, count = [], 0
    title_re = re.compile(r"^(.*?)(\d{4})年法治政府建设年度报告")
    for _, text in synth.generate_reports(10**9, seed):
        m = title_re.match(text)
        place = places.get(m.group(1)) if m else None
        meta = {
            "title": text.split("\n", 1)[0],
            "province": place.province if place else "",
            "year": int(m.group(2)) if m else None,
            "text": text,
        }
        sections = split_sections(text)
        out.append((meta, sections))
        count += len(sections)
        if count >= n_sections:
            break
    return out


def load(reports: list[tuple[dict, list]], n_sections: int) -> None:
    import hashlib

    from django.db import connection

    from reports.models import Report, Section

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reports_report, reports_section CASCADE")
    left = n_sections
    for k, (meta, sections) in enumerate(reports):
        text = meta["text"]
        report = Report.objects.create(
            filename=f"synth_{k}.txt",
            raw_sha256="-",
            text_sha256=hashlib.sha256(f"{k}:{text}".encode()).hexdigest(),
            raw_text=text,
            title=meta["title"][:500],
            province=meta["province"],
            report_year=meta["year"],
            admin_level="county",
            status="parsed",
        )
        rows = [
            Section(
                report=report,
                position=j,
                level=s.level,
                marker=s.marker[:20],
                title=s.title[:1000],
                text=s.text,
            )
            for j, s in enumerate(sections[:left])
        ]
        Section.objects.bulk_create(rows)
        left -= len(rows)
        if left <= 0:
            break


def fetch_rows() -> list[Row]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.id, s.title, s.text, r.province, r.report_year, s.level "
            "FROM reports_section s JOIN reports_report r ON r.id = s.report_id ORDER BY s.id"
        )
        return [Row(*r) for r in cursor.fetchall()]


def make_queries(rows: list[Row], n: int, seed: int) -> list[Query]:
    from benchmarks import synth

    rng = random.Random(seed)
    rare = list(synth._pool().terms)
    provinces = sorted({r.province for r in rows if r.province})
    han = re.compile(r"[\u4e00-\u9fff]{8,}")
    queries: list[Query] = []
    while len(queries) < n:
        kind = rng.random()
        if kind < 0.35:
            terms = [rng.choice(DOMAIN_TERMS)]
        elif kind < 0.45:
            terms = [rng.choice(rare)]
        elif kind < 0.50:
            terms = [rng.choice(FREQUENT)]
        elif kind < 0.70:
            terms = rng.sample(DOMAIN_TERMS, 2)
        elif kind < 0.78:
            terms = [rng.choice(DOMAIN_TERMS), rng.choice(rare)]
        elif kind < 0.85:
            terms = rng.sample(DOMAIN_TERMS + FREQUENT, 3)
        else:  # a phrase or an out-of-dictionary string taken from a section
            row = rng.choice(rows)
            runs = han.findall(row.text)
            if not runs:
                continue
            run = rng.choice(runs)
            size = rng.randint(3, 6)
            at = rng.randint(0, len(run) - size)
            terms = [run[at : at + size]]
        quoted = kind >= 0.92
        text = " ".join(f'"{t}"' if quoted else t for t in terms)
        q = Query(text=text, terms=terms)
        if rng.random() < 0.15:
            pick = rng.random()
            if pick < 0.4 and provinces:
                q.province = rng.choice(provinces)
            elif pick < 0.8:
                q.year_from = rng.randint(2019, 2023)
                q.year_to = q.year_from + 1
            else:
                q.level = rng.choice([1, 2, 3])
        queries.append(q)
    return queries


def truth(rows: list[Row], queries: list[Query]) -> list[set[int]]:
    from reports.search.vectors import normalise

    texts = [(r, normalise(r.title), normalise(r.text)) for r in rows]
    cache: dict[str, set[int]] = {}
    for term in {normalise(t) for q in queries for t in q.terms}:
        cache[term] = {r.id for r, title, text in texts if term in title or term in text}
    out = []
    by_id = {r.id: r for r in rows}
    for q in queries:
        ids = set.intersection(*(cache[normalise(t)] for t in q.terms))
        out.append({i for i in ids if passes(by_id[i], q)})
    return out


def passes(row: Row, q: Query) -> bool:
    if q.province and row.province != q.province:
        return False
    if q.year_from is not None and not (q.year_from <= (row.year or 0) <= q.year_to):
        return False
    return not (q.level is not None and row.level != q.level)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def score(found: list[set[int]], expected: list[set[int]]) -> tuple[float, int]:
    hits = sum(len(f & e) for f, e in zip(found, expected, strict=True))
    wanted = sum(len(e) for e in expected)
    false = sum(len(f - e) for f, e in zip(found, expected, strict=True))
    return (hits / wanted if wanted else 1.0), false


def whole_tier_ranked(query, where, *, limit: int, rum: bool):
    """For comparison with the impact tiers: the whole first tier (every word match) ranked in
    the database, by ``ts_rank`` or by the RUM index's distance. Ids and scores."""
    from django.db import connection

    from reports.search import sql
    from reports.search.selectors import _index_scans

    rank = query.rank_tsquery()
    tiers = query.tier_tsqueries()
    if isinstance(rank, bool) or not tiers:
        return []
    where_sql, where_params = where.all
    # every word match: the union of the tiers, from the recall index (the word vector has none)
    parts = [f"{sql.RECALL} @@ %s::tsquery AND s.search_vector @@ %s::tsquery AND {where_sql}"]
    params = [" | ".join(f"( {t} )" for t in tiers), rank, *where_params]
    for term in query.excluded:
        contained, ps = sql.contains(term)
        parts.append(f"NOT {contained}")
        params += ps
    if rum:
        score = "1.0 / NULLIF(s.search_vector <=> %s::tsquery, 0)"
        order = "s.search_vector <=> %s::tsquery"
    else:
        score = "ts_rank(s.search_vector, %s::tsquery)"
        order = "ts_rank(s.search_vector, %s::tsquery) DESC, s.id"
    statement = (
        f"SELECT s.id, {score} AS score FROM reports_section s "
        f"JOIN reports_report r ON r.id = s.report_id WHERE {' AND '.join(parts)} "
        f"ORDER BY {order} LIMIT %s"
    )
    with _index_scans(), connection.cursor() as cursor:
        cursor.execute(statement, [rank, *params, rank, limit])
        return cursor.fetchall()


def ours(
    queries: list[Query], *, ranking: str, facets: bool, collect: bool = True
) -> tuple[list[float], list[set[int]]]:
    """Latency of a page of 20 (with the total), and every match (untimed) for recall. With
    ``ranking`` "ts_rank" or "rum", the ranking query of the whole first tier only."""
    from django.db import connection

    from reports.search import sql
    from reports.search.query import parse_query
    from reports.search.selectors import SearchFilters, _index_scans, section_search

    times, found = [], []
    for q in queries:
        filters = SearchFilters(
            province=q.province, year_from=q.year_from, year_to=q.year_to, level=q.level
        )
        t0 = time.perf_counter()
        if ranking == "tiers":
            section_search(query=q.text, filters=filters, limit=20, facets=facets)
        else:
            parsed = parse_query(q.text)
            whole_tier_ranked(parsed, sql.filters(filters), limit=21, rum=ranking == "rum")
        times.append((time.perf_counter() - t0) * 1000)
        if not collect:
            continue
        inner = sql.members(parse_query(q.text), sql.filters(filters), ("s.id", []))
        with _index_scans(), connection.cursor() as cursor:  # the search's own settings
            cursor.execute(*inner)
            found.append({pk for (pk,) in cursor.fetchall()})
    return times, found


def ilike(queries: list[Query]) -> tuple[list[float], list[set[int]]]:
    from django.db import connection

    from reports.search.sql import SearchFilters, filters

    times, found = [], []
    for q in queries:
        where, params = filters(
            SearchFilters(
                province=q.province, year_from=q.year_from, year_to=q.year_to, level=q.level
            )
        ).all
        parts = []
        for term in q.terms:
            parts.append("(s.title ILIKE %s OR s.text ILIKE %s)")
            like = "%" + term.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
            params += [like, like]
        statement = (
            "SELECT s.id FROM reports_section s JOIN reports_report r ON r.id = s.report_id "
            f"WHERE {where} AND {' AND '.join(parts)}"
        )
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            ids = {pk for (pk,) in cursor.fetchall()}
        times.append((time.perf_counter() - t0) * 1000)
        found.append(ids)
    return times, found


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the segmentation workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _whoosh_jieba() -> None:
    """jieba as Whoosh's ChineseAnalyzer uses it (the global tokenizer), with the domain
    dictionary: loaded alike for indexing and for querying, so that both cut the same way."""
    import jieba

    from reports.parsing.seeds import seeds_dir

    user_dict = seeds_dir() / "jieba_dict.txt"
    if user_dict.is_file():
        jieba.load_userdict(str(user_dict))
    jieba.initialize()


def whoosh_build(rows: list[Row], path: Path) -> tuple[float, float]:
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields, index

    _whoosh_jieba()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    analyzer = ChineseAnalyzer()
    schema = fields.Schema(
        sid=fields.NUMERIC(stored=True, unique=True, bits=64),
        title=fields.TEXT(analyzer=analyzer, field_boost=2.0),
        content=fields.TEXT(analyzer=analyzer),
        province=fields.ID,
        year=fields.NUMERIC,
        level=fields.NUMERIC,
    )
    t0, c0 = time.perf_counter(), time.process_time()
    ix = index.create_in(str(path), schema)
    writer = ix.writer(limitmb=256)
    for r in rows:
        writer.add_document(
            sid=r.id,
            title=r.title,
            content=r.text,
            province=r.province or "-",
            year=r.year or 0,
            level=r.level,
        )
    writer.commit()
    return time.perf_counter() - t0, time.process_time() - c0


def whoosh_search(
    queries: list[Query], path: Path, *, collect: bool = True
) -> tuple[list[float], list[set[int]]]:
    from whoosh import index
    from whoosh import query as wq
    from whoosh.qparser import AndGroup, MultifieldParser

    _whoosh_jieba()
    ix = index.open_dir(str(path))
    times, found = [], []
    with ix.searcher() as searcher:
        parser = MultifieldParser(["title", "content"], ix.schema, group=AndGroup)
        for q in queries:
            parsed = parser.parse(q.text)
            conds = []
            if q.province:
                conds.append(wq.Term("province", q.province))
            if q.year_from is not None:
                conds.append(wq.NumericRange("year", q.year_from, q.year_to))
            if q.level is not None:
                conds.append(wq.NumericRange("level", q.level, q.level))
            filt = wq.And(conds) if conds else None
            t0 = time.perf_counter()
            results = searcher.search(parsed, limit=20, filter=filt)
            len(results)  # the total, as our search returns it
            times.append((time.perf_counter() - t0) * 1000)
            if not collect:
                continue
            every = searcher.search(parsed, limit=None, filter=filt)
            found.append({hit["sid"] for hit in every})
    return times, found


STAGES = ("load", "ours-build", "whoosh-build", "queries")


class _BuildSteps(logging.Handler):
    """Seconds of each step of a bulk reindex, from the index module's log records."""

    NAMES = {
        "sections segmented and written": "segment and write",
        "Sections vacuumed": "vacuum",
        "Search indexes built": "GIN build",
    }

    def __init__(self) -> None:
        super().__init__()
        self.seconds: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        for key, name in self.NAMES.items():
            if key in str(record.msg) and record.args:
                self.seconds[name] = float(record.args[-1])  # type: ignore[index]


def database_sizes() -> dict[str, float]:
    """Bytes of the database, of the sections table with its indexes, and of each index."""
    from django.db import DatabaseError, connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_database_size(current_database()), "
            "pg_total_relation_size('reports_section'), pg_relation_size('reports_section'), "
            "pg_total_relation_size('reports_section') - pg_relation_size('reports_section') "
            "- pg_indexes_size('reports_section')"
        )
        database, sections, heap, toast = cursor.fetchone()
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'reports_section'::regclass"
        )
        indexes = dict(cursor.fetchall())
        free = 0  # the heap's free space (a bulk reindex rewrites every row), where measurable
        try:
            with transaction.atomic():
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
                cursor.execute("SELECT free_space FROM pgstattuple('reports_section')")
                free = cursor.fetchone()[0]
        except DatabaseError:
            pass
    return {
        "database": database,
        "sections": sections,
        "heap": heap,
        "heap_free": free,
        "toast": toast,
        **indexes,
    }


# The "Measured" table: main before this version (2 cores, load about 1.0 during the
# queries). p50 / p95 ms; sizes in GB; build in s.
BEFORE = {
    100_000: {
        "search": (21.3, 36.4),
        "facets": (31.8, 105.0),
        "ts_rank": (31.9, 325.6),
        "database": None,
        "build": "117 s (110 s Python CPU)",
    },
    1_000_000: {
        "search": (34.5, 113.4),
        "facets": (168.0, 793.0),
        "ts_rank": (224.0, 4332.0),
        "database": "8.5 GB (8.0 GB sections and indexes; 35 bytes per character)",
        "build": "2,060 s under load (1,164 s Python CPU), GIN builds 316 s",
    },
}
RUNS = {
    "search": "ours: jieba + bigrams, impact tiers (GIN)",
    "facets": "ours, with facet counts",
    "ts_rank": "ranking query only, ts_rank over every word match",
}


def print_comparison(results: dict[str, dict]) -> None:
    """The issue's table, before and after, side by side for each size measured."""
    sizes = sorted(int(k) for k in results)
    head = " | ".join(f"{n:,} before | {n:,} after" for n in sizes)
    print(f"\n| | {head} |")
    print("|---|" + "---|---|" * len(sizes))

    def cells(name: str, after) -> str:
        out = []
        for n in sizes:
            before = BEFORE.get(n, {}).get(name)
            if isinstance(before, tuple):
                before = f"{before[0]:.1f} / {before[1]:.1f} ms"
            out += [before or "-", after(results[str(n)])]
        return " | ".join(out)

    def latency(name: str):
        return lambda r: "{:.1f} / {:.1f} ms".format(*r["latency"][RUNS[name]])

    print(f"| search p50 / p95 | {cells('search', latency('search'))} |")
    print(f"| with facet counts | {cells('facets', latency('facets'))} |")
    print(f"| ts_rank over every match | {cells('ts_rank', latency('ts_rank'))} |")

    def size(r) -> str:
        z = r["sizes"]
        compact = z["sections"] - z.get("heap_free", 0)
        return (
            f"{z['database'] / 1e9:.2f} GB ({z['sections'] / 1e9:.2f} GB sections and indexes; "
            f"{z['sections'] / r['characters']:.1f} bytes per character; "
            f"{compact / 1e9:.2f} GB without the heap's free space)"
        )

    print(f"| database size | {cells('database', size)} |")

    def build(r) -> str:
        wall, cpu = r["build"]
        steps = ", ".join(f"{k} {v:.0f} s" for k, v in r.get("steps", {}).items())
        return f"{wall:,.0f} s ({cpu:,.0f} s Python CPU; {steps})"

    print(f"| index build | {cells('build', build)} |")
    for n in sizes:
        r = results[str(n)]
        print(
            f"{n:,} sections: recall {r['recall']}, false hits {r['false']}; load "
            f"{r['load_before']} before the queries, {r['load_after']} after; build load "
            f"{r.get('build_load')}"
        )


def _without_option(argv: list[str], name: str) -> list[str]:
    """``argv`` without ``name value`` or ``name=value``."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == name:
            skip = True
        elif not arg.startswith(name + "="):
            out.append(arg)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sections", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=2, help="segmentation processes (ours)")
    ap.add_argument(
        "--whoosh-dir", type=Path, default=Path(tempfile.gettempdir()) / "fazhi_whoosh_bench"
    )
    ap.add_argument("--skip-whoosh", action="store_true")
    ap.add_argument("--skip-ilike", action="store_true")
    ap.add_argument(
        "--ilike-queries", type=int, default=None, help="time ILIKE on the first N queries only"
    )
    ap.add_argument(
        "--stages",
        default=",".join(STAGES),
        help=f"comma-separated subset of {','.join(STAGES)}, each run in its own process; "
        "build times are kept in --state for the queries stage to print",
    )
    ap.add_argument(
        "--state", type=Path, default=Path(tempfile.gettempdir()) / "fazhi_bench_state.json"
    )
    ap.add_argument(
        "--results",
        type=Path,
        default=ROOT / "benchmarks" / "results" / "search.json",
        help="figures of each size measured (kept between runs), for the side-by-side table",
    )
    ap.add_argument("--table", action="store_true", help="print the table of --results and stop")
    args = ap.parse_args()
    if args.table:
        print_comparison(json.loads(args.results.read_text()))
        return
    stages = [stage for stage in STAGES if stage in args.stages.split(",")]
    if len(stages) > 1:
        # Each stage in a fresh process: one engine's leftovers (Whoosh's writer heap, the page
        # cache it filled) must not land in another's timings.
        others = _without_option(sys.argv[1:], "--stages")
        for stage in stages:
            subprocess.run([sys.executable, __file__, *others, "--stages", stage], check=True)
        return

    url = bench_database_url()
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from reports.search.index import reindex, rum_available

    call_command("migrate", verbosity=0, skip_checks=True)
    print(f"database {url.rsplit('/', 1)[-1]}, load {os.getloadavg()}, RUM {rum_available()}")
    state = json.loads(args.state.read_text()) if args.state.is_file() else {}
    if "load" in stages:
        t0 = time.perf_counter()
        reports = generate(args.sections, args.seed)
        load(reports, args.sections)
        print(f"generated and loaded {args.sections} sections in {time.perf_counter() - t0:.0f} s")
        state = {}
    if "ours-build" in stages:
        steps = _BuildSteps()
        logging.getLogger("reports.search.index").addHandler(steps)
        logging.getLogger("reports.search.index").setLevel(logging.INFO)
        t0, c0 = time.perf_counter(), _cpu()
        reindex(workers=args.workers)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE reports_section")
            cursor.execute("VACUUM ANALYZE reports_report")
        state["ours"] = (time.perf_counter() - t0, _cpu() - c0)
        state["steps"] = steps.seconds
        state["build_load"] = os.getloadavg()
        print(
            f"ours: index built in {state['ours'][0]:.0f} s, {state['ours'][1]:.0f} s CPU "
            f"in Python ({args.workers} segmentation processes), steps {steps.seconds}, "
            f"load {os.getloadavg()}"
        )
    if "whoosh-build" in stages and not args.skip_whoosh:
        state["whoosh"] = whoosh_build(fetch_rows(), args.whoosh_dir)
        print(
            f"whoosh: index built in {state['whoosh'][0]:.0f} s, {state['whoosh'][1]:.0f} s "
            f"CPU (one writer process), load {os.getloadavg()}"
        )
    args.state.write_text(json.dumps(state))
    if "queries" not in stages:
        return
    load_before = os.getloadavg()
    figures: dict[str, dict] = {}
    build_ours = state.get("ours")
    rows = fetch_rows()
    chars = sum(len(r.title) + len(r.text) for r in rows)
    print(f"{len(rows)} sections, {chars / 1e6:.1f} M characters")
    queries = make_queries(rows, args.queries, args.seed)
    t0 = time.perf_counter()
    expected = truth(rows, queries)
    print(
        f"substring truth in {time.perf_counter() - t0:.0f} s; "
        f"{sum(map(len, expected))} expected hits, "
        f"{sum(1 for e in expected if not e)} queries without any"
    )
    # The sections and the expected ids (millions of objects) stay alive to the end: out of the
    # collector's way, so that its full passes over them do not land in the timed queries.
    gc.collect()
    gc.freeze()

    runs = {
        "ours: jieba + bigrams, impact tiers (GIN)": {"ranking": "tiers", "facets": False},
        "ours, with facet counts": {"ranking": "tiers", "facets": True},
        "ranking query only, ts_rank over every word match": {
            "ranking": "ts_rank",
            "facets": False,
        },
    }
    if rum_available():
        runs["ranking query only, RUM <=> over every word match"] = {
            "ranking": "rum",
            "facets": False,
        }
    # Every engine answers the queries twice: first with its caches as the build stages left
    # them (the first pass), then warm, as a running service would (the figures compared).
    found = None  # the same matches whatever the ranking: collected once
    for name, opts in runs.items():
        # the whole-tier ranking is a reference: timed warm only (at 1M it takes seconds a query)
        first = ours(queries, collect=False, **opts)[0] if opts["ranking"] == "tiers" else []
        times, matches = ours(queries, collect=found is None, **opts)
        found = found or matches
        figures[name] = {"build": build_ours, "times": times, "first": first, "found": found}

    if not args.skip_whoosh:
        first, _ = whoosh_search(queries, args.whoosh_dir, collect=False)
        times, found = whoosh_search(queries, args.whoosh_dir)
        figures["Whoosh 2.7.4 + jieba ChineseAnalyzer (BM25F)"] = {
            "build": state.get("whoosh"),
            "times": times,
            "first": first,
            "found": found,
        }
    if not args.skip_ilike:
        subset = queries[: args.ilike_queries or len(queries)]
        times, matches = ilike(subset)
        name = "ILIKE '%…%' scan" + (f" (first {len(subset)} queries)" if subset != queries else "")
        figures[name] = {"times": times, "found": matches, "expected": expected[: len(subset)]}

    load_after = os.getloadavg()
    print(f"\nload after the run: {load_after}")
    print(
        "\n| engine | index build s (wall, Python CPU) | p50 ms | p95 ms | p95 ms, first pass "
        "| recall | false hits |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, f in figures.items():
        if "times" not in f:
            continue
        recall, false = score(f["found"], f.get("expected", expected))
        build = "{:.0f} ({:.0f} CPU)".format(*f["build"]) if f.get("build") else "-"
        first = f"{percentile(f['first'], 0.95):.1f}" if f.get("first") else "-"
        print(
            f"| {name} | {build} | {statistics.median(f['times']):.1f} | "
            f"{percentile(f['times'], 0.95):.1f} | {first} | {recall:.4f} | {false} |"
        )
    results = json.loads(args.results.read_text()) if args.results.is_file() else {}
    recall, false = score(found or [], expected)
    results[str(len(rows))] = {
        "latency": {
            name: (statistics.median(f["times"]), percentile(f["times"], 0.95))
            for name, f in figures.items()
        },
        "build": build_ours,
        "steps": state.get("steps", {}),
        "build_load": state.get("build_load"),
        "sizes": database_sizes(),
        "characters": chars,
        "recall": round(recall, 4),
        "false": false,
        "load_before": load_before,
        "load_after": load_after,
    }
    args.results.write_text(json.dumps(results, indent=1))
    print_comparison(results)


if __name__ == "__main__":
    main()
