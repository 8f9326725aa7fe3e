# ruff: noqa: S608 - only fixed fragments are interpolated; every value is a query parameter
"""Search selectors: sections and reports matching a query, ranked, highlighted and faceted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from reports.models import Report, Section
from reports.search import sql
from reports.search.query import SearchQuery, parse_query
from reports.search.snippets import Snippet, find_matches, make_snippet
from reports.search.sql import SearchFilters, Where

MAX_WINDOW = 10_000  # offset + limit
MAX_EXACT_COUNT = 1_000  # without facets, totals are counted exactly up to this ...
CONFIRM_BUDGET = 200  # ... and at most this many rows are confirmed on the text for them
FACET_CAP = 1_000  # the default of settings.SEARCH_FACET_CAP: matches the facets count
SEARCH_WORK_MEM = "64MB"  # bitmaps of a million sections' matches stay exact (see _index_scans)
FACETS = ("report_year", "province", "admin_level", "level")
_FACET_TYPES = {"report_year": "smallint", "province": "varchar", "admin_level": "varchar"}

__all__ = ["SearchFilters", "report_search", "section_search"]


@dataclass
class SectionHit:
    section: Section
    score: float  # word-match rank (higher is better); 0 for matches found by characters only
    word_match: bool
    path: list[str]  # report title, then each enclosing heading, then this one
    title_highlights: list[tuple[int, int]]
    snippet: Snippet


@dataclass
class SectionSearchResult:
    query: SearchQuery
    total: int  # exact, or a floor when ``total_exact`` is False (see ``section_search``)
    hits: list[SectionHit]
    facets: dict[str, list[tuple[object, int]]] = field(default_factory=dict)
    total_exact: bool = True
    facets_exact: bool = True  # False: each facet count is a floor (see ``section_search``)


@dataclass
class ReportHit:
    report: Report
    hits: int  # matching sections
    best: SectionHit | None


@dataclass
class ReportSearchResult:
    query: SearchQuery
    total: int
    hits: list[ReportHit]
    facets: dict[str, list[tuple[object, int]]] = field(default_factory=dict)
    total_exact: bool = True  # reports are ranked on all their matches, so always exact
    facets_exact: bool = True


@contextmanager
def _index_scans() -> Iterator[None]:
    """Run the search's statements with sequential scans discouraged.

    The planner prices ``tsvector @@ tsquery`` as cheap, so for a frequent term it prefers a
    sequential scan that computes every row's recall vector to a bitmap scan of the GIN index
    that needs no vector at all. ``work_mem`` is raised so that the bitmap of a frequent term
    stays exact: a lossy page would have the recall vector of each of its rows computed again.
    JIT is off: the recall function's high price makes the planner think a search is costly
    enough to compile, and compiling costs more than the search.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # one round trip; no parallel plans, so that the tiers' UNION ALL stays in order
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0; "
            f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'; SET LOCAL jit = off"
        )
        yield


def _where(filters: SearchFilters | None, **options: Any) -> Where:
    """The filters as conditions, the ids of the reports that pass them read once here."""
    f = filters or SearchFilters()
    statement = sql.report_filter(f)
    ids = None if statement is None else [pk for (pk,) in _fetch(statement)]
    return sql.filters(f, report_ids=ids, **options)


def _fetch(statement: sql.Sql) -> list[tuple[Any, ...]]:
    text, params = statement
    with connection.cursor() as cursor:
        cursor.execute(text, params)  # type: ignore[arg-type]  # values psycopg adapts
        return cursor.fetchall()


def _facets(rows: list[tuple], names: tuple[str, ...]) -> tuple[int, dict]:
    """Rows of ``GROUP BY GROUPING SETS`` ``(grouping bitmask, *values, count)``."""
    total = 0
    facets: dict[str, list[tuple[object, int]]] = {name: [] for name in names}
    full = (1 << len(names)) - 1
    for mask, *values, count in rows:
        if mask == full:
            total = count
            continue
        index = next(i for i in range(len(names)) if not mask & (1 << (len(names) - 1 - i)))
        facets[names[index]].append((values[index], count))
    for name in names:
        facets[name].sort(key=lambda vc: (-vc[1], str(vc[0])))
    return total, facets


def facet_cap() -> int:
    """How many matching sections the facets count before they become floors."""
    return settings.SEARCH_FACET_CAP


def _capped_facets(inner: sql.Sql, names: tuple[str, ...], *, cap: int) -> tuple[int, dict, bool]:
    """``(total, facets, exact)`` over the first ``cap + 1`` rows of ``inner``.

    Past ``cap`` rows the scan stops: ``exact`` is False, and the total and every facet count
    are floors (the counts of the rows read, which the full counts can only exceed).
    """
    cols = ", ".join(names)
    sets = ", ".join(f"({n})" for n in names)
    statement = (
        f"SELECT GROUPING({cols}), {cols}, count(*) FROM (SELECT * FROM ({inner[0]}) m "
        f"LIMIT %s) m GROUP BY GROUPING SETS ({sets}, ())",
        [*inner[1], cap + 1],
    )
    total, facets = _facets(_fetch(statement), names)
    return total, facets, total <= cap


_ANCESTORS = """
WITH RECURSIVE chain(id, parent_id, label) AS (
    SELECT id, parent_id, marker || title FROM reports_section WHERE id = ANY(%s)
    UNION
    SELECT p.id, p.parent_id, p.marker || p.title
    FROM reports_section p JOIN chain c ON p.id = c.parent_id
)
SELECT id, parent_id, label FROM chain
"""


def _paths(sections: list[Section]) -> dict[int, list[str]]:
    """Report title › each enclosing heading › the section's own heading."""
    nodes = {
        pk: (parent, label)
        for pk, parent, label in _fetch((_ANCESTORS, [[s.pk for s in sections]]))
    }
    paths = {}
    for s in sections:
        chain: list[str] = []
        at = s.pk
        while at is not None and at in nodes and len(chain) < 8:
            parent, label = nodes[at]
            chain.append(label)
            at = parent
        paths[s.pk] = [str(s.report), *reversed(chain)]
    return paths


def _hits(query: SearchQuery, ranked: list[tuple[int, float | None, bool]]) -> list[SectionHit]:
    by_id = Section.objects.select_related("report").defer(
        "search_vector", "report__raw_text", "report__clean_text"
    )
    sections = by_id.in_bulk([pk for pk, _, _ in ranked])
    present = [sections[pk] for pk, _, _ in ranked if pk in sections]
    paths = _paths(present)
    terms = [t.text for t in query.terms]
    hits = []
    for pk, score, word in ranked:
        section = sections.get(pk)
        if section is None:
            continue
        hits.append(
            SectionHit(
                section=section,
                score=float(score or 0.0),
                word_match=word,
                path=paths[pk],
                title_highlights=find_matches(section.title, terms),
                snippet=make_snippet(section.text or section.title, terms),
            )
        )
    return hits


def _first_tier(
    query: SearchQuery, where: Where, *, window: int
) -> list[tuple[int, float | None, bool]]:
    """Word matches, best first: candidates tier by tier from the GIN index, then ranked.

    Only the tiers that fill the window are ranked (at most ``TIER_CAP`` candidates, or the
    window on deep pages), so a frequent word never scores all its sections.
    """
    statement = sql.word_tiers(query, where, limit=max(window, sql.TIER_CAP))
    if statement is None:
        return []
    tier_of: dict[int, int] = {}
    chosen: list[int] = []
    last = None
    for tier, pk in _fetch(statement):
        if len(chosen) >= window and tier != last:
            break
        tier_of[pk], last = tier, tier
        chosen.append(pk)
    scores = dict(_fetch(sql.word_scores(query, chosen))) if chosen else {}
    chosen.sort(key=lambda pk: (tier_of[pk], -scores.get(pk, 0.0), pk))
    return [(pk, scores.get(pk), True) for pk in chosen[:window]]


def _ranked_ids(
    query: SearchQuery, where: Where, *, window: int
) -> list[tuple[int, float | None, bool]]:
    first = _first_tier(query, where, window=window)
    if len(first) >= window:
        return first
    return first + [(pk, None, False) for pk in _second_tier(query, where, first, window)]


def _second_tier(
    query: SearchQuery, where: Where, first: list[tuple[int, float | None, bool]], window: int
) -> list[int]:
    """The rest of the window: the best candidates by title and document order are confirmed
    first (a short sort), and all of them only if those do not fill the window."""
    ids, limit = [pk for pk, _, _ in first], window - len(first)
    for scan in (4 * limit + len(ids) + 100, None):
        rows = _fetch(sql.second_tier(query, where, first=ids, limit=limit, scan=scan))
        if len(rows) >= limit:
            break
    return [pk for (pk,) in rows]


def _counted(statement: sql.Sql | None, limit: int) -> tuple[int, bool]:
    """``(matching, all examined)`` of a count that stops after ``limit`` rows."""
    if statement is None:
        return 0, True
    ((examined, matching),) = _fetch(statement)
    return matching, examined < limit


def _total(query: SearchQuery, where: Where, *, known: int, cap: int) -> tuple[int, bool]:
    """How many sections match when there are more than a page: ``(total, exact)``.

    Rows the index decides alone are counted up to ``cap`` (with report filters: ``cap``
    rows examined); rows that must be confirmed on the text are confirmed up to
    ``CONFIRM_BUDGET``, and only if the first count was exact. Past either, the total is a
    floor (at least ``known``, the matches already seen).
    """
    certain, exact = _counted(sql.certain_count(query, where, limit=cap), cap)
    if not exact:
        return max(certain, known), False
    limit = CONFIRM_BUDGET + 1
    confirmed, exact = _counted(sql.confirmed_count(query, where, limit=limit), limit)
    return (certain + confirmed, True) if exact else (max(certain + confirmed, known), False)


# ``Report.objects.counted()`` in SQL: a report flagged as a copy of another stands aside for the
# earlier report, whose hits stand for the copy's. A statement's own hashed subplan, so no extra
# round trip.
_NOT_A_COPY = (
    "s.report_id NOT IN (SELECT c.id FROM reports_report c WHERE c.duplicate_of_id IS NOT NULL)"
)


def _without_copies(where: Where, filters: SearchFilters) -> Where:
    """``where``, leaving out the sections of flagged copies, unless one report is searched
    (``report_id``: a copy's own reading view searches its own text)."""
    if filters.report_id is not None:
        return where
    return where.and_rows(_NOT_A_COPY, [])


def section_search(
    *,
    query: str | SearchQuery,
    filters: SearchFilters | None = None,
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
    count_cap: int = MAX_EXACT_COUNT,
) -> SectionSearchResult:
    """Sections matching ``query``: word matches first (ranked, title above body), then sections
    that contain the terms only as characters; with the total and facet counts.

    Word matches are ranked among candidates from the precomputed impact tiers (see
    ``sql.word_tiers``).

    Facets count the matches up to ``facet_cap()``; past it they stop, ``facets_exact`` is
    False and each count is a floor: the count among the matches read. The total is exact
    when the matches end on this page, or when the facets or (without facets) ``_total``
    counted them all. Otherwise ``total_exact`` is False and the total is a floor, larger
    than ``offset + limit`` when there is a next page.

    A report flagged as a copy of another is left out (see ``_without_copies``).

    Raises ``SearchQueryError`` for a query without a term.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    filters = filters or SearchFilters()
    where = _without_copies(_where(filters), filters)
    window = min(offset + limit, MAX_WINDOW)
    columns: sql.Sql = ("s.level, r.report_year, r.province, r.admin_level", [])
    with _index_scans():
        ranked = _ranked_ids(parsed, where, window=window + 1)
        exact = facets_exact = True
        counts: dict[str, list[tuple[object, int]]] = {}
        if facets:
            members = sql.members(parsed, where, columns)
            total, counts, facets_exact = _capped_facets(members, FACETS, cap=facet_cap())
        if len(ranked) <= window:  # the matches end on this page
            total = len(ranked)
        elif facets:
            total, exact = max(total, len(ranked)), facets_exact
        else:
            total, exact = _total(parsed, where, known=len(ranked), cap=count_cap)
        hits = _hits(parsed, ranked[offset:window])
    return SectionSearchResult(
        query=parsed,
        total=total,
        hits=hits,
        facets=counts,
        total_exact=exact,
        facets_exact=facets_exact,
    )


def _best_sections(
    query: SearchQuery, where: Where, report_ids: list[int]
) -> dict[int, SectionHit]:
    """Each report's best matching section: word match first, then rank, then document order."""
    if not report_ids:
        return {}
    rank = query.rank_tsquery()
    columns: sql.Sql
    if isinstance(rank, bool):
        columns = ("s.id, s.report_id, FALSE AS word, 0.0 AS score, s.position", [])
    else:
        columns = (
            "s.id, s.report_id, s.search_vector @@ %s::tsquery AS word, "
            "ts_rank(s.search_vector, %s::tsquery) AS score, s.position",
            [rank, rank],
        )
    scoped = where.and_rows("s.report_id = ANY(%s)", [report_ids])
    inner = sql.members(query, scoped, columns)
    rows = _fetch(
        (
            f"SELECT DISTINCT ON (report_id) id, score, word FROM ({inner[0]}) m "
            "ORDER BY report_id, word DESC, score DESC, position",
            inner[1],
        )
    )
    hits = _hits(query, [(pk, score if word else None, word) for pk, score, word in rows])
    return {hit.section.report_id: hit for hit in hits}


def _report_page(
    inner: sql.Sql, *, offset: int, limit: int, facets: bool
) -> tuple[list[tuple[int, int]], int, dict]:
    """``(page of (report id, matching sections), total reports, facets)`` in one statement.

    Ranking by matching sections counts every match anyway, so the reports' total and facets
    come exactly from that one grouping (a join of the matching reports only), not from a
    second pass over the matches.
    """
    names = FACETS[:3] if facets else ()
    cols = ", ".join(f"r.{n}" for n in names)
    if names:
        sets = ", ".join(f"(r.{n})" for n in names)
        facet_sql = (
            f"SELECT 1 AS kind, GROUPING({cols}) AS mask, NULL::bigint, count(*), {cols} "
            "FROM per_report h JOIN reports_report r ON r.id = h.report_id "
            f"GROUP BY GROUPING SETS ({sets}, ())"
        )
    else:
        facet_sql = "SELECT 1 AS kind, 0 AS mask, NULL::bigint, count(*) FROM per_report"
    blanks = "".join(f", NULL::{_FACET_TYPES[n]}" for n in names)
    statement = (
        "WITH per_report AS MATERIALIZED ("
        f"SELECT report_id, count(*) AS hits FROM ({inner[0]}) m GROUP BY report_id) "
        f"(SELECT 0 AS kind, 0 AS mask, report_id::bigint, hits{blanks} "
        "FROM per_report ORDER BY hits DESC, report_id DESC LIMIT %s OFFSET %s) "
        f"UNION ALL ({facet_sql})",
        [*inner[1], limit, offset],
    )
    rows = _fetch(statement)
    page = [(pk, hits) for kind, _, pk, hits, *_ in rows if kind == 0]
    grouped = [(mask, *values, count) for kind, mask, _, count, *values in rows if kind == 1]
    if not names:
        return page, grouped[0][-1], {}
    total, counts = _facets(grouped, names)
    return page, total, counts


def report_search(
    *,
    query: str | SearchQuery,
    filters: SearchFilters | None = None,
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
) -> ReportSearchResult:
    """Reports with at least one matching section, most matching sections first, each with its
    number of matching sections and its best section's snippet; with facet counts of reports
    (exact: the ranking counts every match). Flagged copies are left out, as in
    ``section_search``.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    filters = filters or SearchFilters()
    where = _without_copies(_where(filters, indicator_scope="report"), filters)
    inner = sql.members(parsed, where, ("s.report_id", []))
    window = min(offset + limit, MAX_WINDOW)
    with _index_scans():
        rows, total, counts = _report_page(
            inner, offset=offset, limit=max(window - offset, 0), facets=facets
        )
        report_ids = [pk for pk, _ in rows]
        reports = Report.objects.defer("raw_text", "clean_text").in_bulk(report_ids)
        best = _best_sections(parsed, where, report_ids)
    hits = [ReportHit(report=reports[pk], hits=n, best=best.get(pk)) for pk, n in rows]
    return ReportSearchResult(query=parsed, total=total, hits=hits, facets=counts)
