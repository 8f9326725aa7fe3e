# ruff: noqa: S608 - only fixed fragments are interpolated; every value is a query parameter
"""SQL of the search: membership, tiers, filters and counts, as ``(sql, params)`` pieces.

Membership is decided on the recall vector's GIN index (on the expression ``RECALL``): the
``certain`` rows straight from the index, the ``uncertain`` ones confirmed with ``strpos`` on
the stored text. The first tier (word matches) is drawn tier by tier from the same index and
ranked on the word vector.

Every statement reads sections through ``_scan``: the GIN bitmap of the recall vector plus the
filters on the section row itself, behind an ``OFFSET 0`` fence. The planner prices ``@@`` as
cheap, so without the fence it happily drives a scan from another index (``report_id``) and
tests the recall vector, which it must compute, on every row; behind the fence, vectors and
text are read only for the rows that the index returns and the report filters keep, in order,
and a ``LIMIT`` stops the reading early. The recall vector is computed again only for rows of a
lossy bitmap page, which the search's ``work_mem`` keeps from happening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indicators.models import IndicatorDefinition, IndicatorValue, effective_sql
from reports.search.query import SearchQuery, Term

Sql = tuple[str, list[object]]
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
TIER_CAP = 60  # candidates taken from the impact tiers (and ranked) for a first page
FEW_REPORTS = 1000  # report filters that leave at most this many reports use their index
PHRASE_BUDGET = 300  # first-tier candidates whose word vector is read to confirm a phrase
RECALL = "section_recall(s.title, s.text, s.search_vector)"  # the GIN index's expression
_SECTION = "s.id, s.report_id, s.position, s.level, s.marker, s.title, s.text, s.search_vector"


@dataclass(frozen=True, slots=True)
class SearchFilters:
    province: str | None = None
    city: str | None = None
    admin_level: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    report_id: int | None = None
    level: int | None = None
    indicator_code: str | None = None

    @property
    def needs_report(self) -> bool:
        return any(
            v not in (None, "")
            for v in (self.province, self.city, self.admin_level, self.year_from, self.year_to)
        )


@dataclass(frozen=True, slots=True)
class Where:
    """Filters: on the section row itself (``rows``, applied with the index condition), on its
    report when it leaves many reports (``report``: a semi-join, also applied with the index
    condition, except where ``certain_count`` counts the rows it examines), and on anything else
    (``joined``: indicator values; applied to the index's rows)."""

    rows: Sql = ("TRUE", [])
    joined: Sql = ("TRUE", [])
    report: Sql = ("TRUE", [])

    @property
    def all(self) -> Sql:
        """All of them, as one condition on ``s`` (joined to its report ``r``)."""
        return (
            f"{self.rows[0]} AND {self.report[0]} AND {self.joined[0]}",
            [*self.rows[1], *self.report[1], *self.joined[1]],
        )

    @property
    def scanned(self) -> Sql:
        """The conditions applied with the index condition."""
        return f"{self.rows[0]} AND {self.report[0]}", [*self.rows[1], *self.report[1]]

    def and_rows(self, condition: str, params: list[object]) -> Where:
        rows = (f"{self.rows[0]} AND {condition}", [*self.rows[1], *params])
        return Where(rows, self.joined, self.report)


def _column(name: str, term: Term) -> str:
    if any(c.isascii() and c.isalpha() for c in term.text):
        return f"translate(s.{name}, '{_UPPER}', '{_LOWER}')"
    return f"s.{name}"


def contains(term: Term) -> Sql:
    """The section's title or body contains the term (ASCII letters case-folded)."""
    sql = f"(strpos({_column('title', term)}, %s) > 0 OR strpos({_column('text', term)}, %s) > 0)"
    return sql, [term.text, term.text]


def exact(query: SearchQuery) -> Sql:
    """The whole query, decided on the text itself."""
    parts, params = [], []
    for group in query.groups:
        ors = [contains(t) for t in group]
        parts.append("(" + " OR ".join(sql for sql, _ in ors) + ")")
        params += [p for _, ps in ors for p in ps]
    for term in query.excluded:
        sql, ps = contains(term)
        parts.append(f"NOT {sql}")
        params += ps
    return " AND ".join(parts), params


def _and(parts: list[Sql]) -> Sql:
    return " AND ".join(sql for sql, _ in parts) or "TRUE", [p for _, ps in parts for p in ps]


def _on_report(f: SearchFilters, alias: str = "r") -> list[Sql]:
    on_report: list[Sql] = [
        (f"{alias}.{column} = %s", [value])
        for column, value in (
            ("province", f.province),
            ("city", f.city),
            ("admin_level", f.admin_level),
        )
        if value not in (None, "")
    ]
    if f.year_from is not None:
        on_report.append((f"{alias}.report_year >= %s", [f.year_from]))
    if f.year_to is not None:
        on_report.append((f"{alias}.report_year <= %s", [f.year_to]))
    return on_report


def report_filter(f: SearchFilters) -> Sql | None:
    """``SELECT`` the ids of the reports that pass the filters on the report (at most
    ``FEW_REPORTS + 1`` of them), if there are any."""
    on_report = _on_report(f)
    if not on_report:
        return None
    condition, params = _and(on_report)
    return f"SELECT r.id FROM reports_report r WHERE {condition} LIMIT %s", [
        *params,
        FEW_REPORTS + 1,
    ]


def filters(
    f: SearchFilters, *, indicator_scope: str = "section", report_ids: list[int] | None = None
) -> Where:
    """The filters as conditions, all but the indicator's applied with the index condition,
    inside the fence: a filter makes the scan shorter, and rows are confirmed on their text
    only once they have passed it.

    Filters on the report (province, city, level of government, years): when they leave at
    most ``FEW_REPORTS`` reports (``report_ids``, read by ``report_filter``), the section's
    ``report_id`` among them, which the planner ANDs with the recall index's bitmap (through
    the ``report_id`` index); otherwise a semi-join to the reports. ``level`` has an index of
    its own for the same purpose.
    """
    rows: list[Sql] = [
        (f"{column} = %s", [value])
        for column, value in (("s.report_id", f.report_id), ("s.level", f.level))
        if value not in (None, "")
    ]
    if report_ids is not None and len(report_ids) <= FEW_REPORTS:
        # a parameter of the plan: the planner does not estimate every id
        rows.append(("s.report_id = ANY((SELECT %s::bigint[])::bigint[])", [report_ids]))
    report: Sql = ("TRUE", [])
    if (report_ids is None or len(report_ids) > FEW_REPORTS) and (on_report := _on_report(f, "f")):
        condition, params = _and(on_report)
        report = (
            # "+ 0": the sections' side is never an index scan repeated per report
            f"EXISTS (SELECT 1 FROM reports_report f WHERE f.id = s.report_id + 0 AND {condition})",
            params,
        )
    joined: list[Sql] = []
    if f.indicator_code:
        owner = "section_id = s.id" if indicator_scope == "section" else "report_id = s.report_id"
        joined.append(
            (
                f"EXISTS (SELECT 1 FROM {IndicatorValue._meta.db_table} v "
                f"JOIN {IndicatorDefinition._meta.db_table} d "
                f"ON d.id = {effective_sql('v', 'definition_id')} "
                f"WHERE v.{owner} AND d.code = %s AND v.status <> 'rejected')",
                [f.indicator_code],
            )
        )
    return Where(_and(rows), _and(joined), report)


def _from(sql: str) -> str:
    """The report is joined only where a column needs it."""
    if re.search(r"\br\.", sql):
        return "s JOIN reports_report r ON r.id = s.report_id"
    return "s"


def _scan(tsquery: str, where: Where, columns: str, rest: str = "") -> Sql:
    """``SELECT columns FROM`` the sections whose recall vector matches ``tsquery`` (from its
    GIN index, fenced: see the module's docstring) and that pass the filters, then ``rest``."""
    scanned, scanned_params = where.scanned
    inner = (
        f"(SELECT {_SECTION} FROM reports_section s "
        f"WHERE {RECALL} @@ %s::tsquery AND {scanned} OFFSET 0)"
    )
    joined = where.joined[0]
    source = _from(f"{columns} {joined} {rest}")
    sql = f"SELECT {columns} FROM {inner} {source} WHERE {joined} {rest}"
    return sql, [tsquery, *scanned_params, *where.joined[1]]


def members(query: SearchQuery, where: Where, columns: Sql) -> Sql:
    """SELECT ``columns`` of every matching section: certain rows UNION ALL confirmed ones."""
    branches: list[Sql] = []
    certain, uncertain = query.certain_tsquery(), query.uncertain_tsquery()
    if certain is not False:
        sql, params = _scan(str(certain), where, columns[0])
        branches.append((sql, [*columns[1], *params]))
    if uncertain is not False:
        exact_sql, exact_params = exact(query)
        sql, params = _scan(str(uncertain), where, columns[0], f"AND {exact_sql}")
        branches.append((sql, [*columns[1], *params, *exact_params]))
    return " UNION ALL ".join(sql for sql, _ in branches), [p for _, ps in branches for p in ps]


def certain_count(query: SearchQuery, where: Where, *, limit: int) -> Sql | None:
    """``(examined, matching)``: rows the index alone decides, at most ``limit`` of them, and
    how many of those pass the filters on the report (all of them when there are none)."""
    certain = query.certain_tsquery()
    if certain is False:
        return None
    joined_sql, joined_params = _and([where.report, where.joined])
    rows = Where(where.rows)
    sql, params = _scan(str(certain), rows, f"({joined_sql}) AS passes", "LIMIT %s")
    return (
        f"SELECT count(*), count(*) FILTER (WHERE passes) FROM ({sql}) c",
        [*joined_params, *params, limit],
    )


def confirmed_count(query: SearchQuery, where: Where, *, limit: int) -> Sql | None:
    """``(examined, matching)``: rows to confirm on the text, at most ``limit`` of them, and
    how many of those contain the terms."""
    uncertain = query.uncertain_tsquery()
    if uncertain is False:
        return None
    exact_sql, exact_params = exact(query)
    sql, params = _scan(str(uncertain), where, f"({exact_sql}) AS hit", "LIMIT %s")
    return (
        f"SELECT count(*), count(*) FILTER (WHERE hit) FROM ({sql}) c",
        [*exact_params, *params, limit],
    )


def word_tiers(query: SearchQuery, where: Where, *, limit: int) -> Sql | None:
    """``(tier, id)`` of first-tier candidates from GIN alone, best tier first, ``limit`` in all.

    The branches of the UNION ALL run in order and stop at the limit, so a frequent word costs
    no more than a rare one. Phrases (and long exclusions) are checked on each candidate's
    word vector (or text), at most ``PHRASE_BUDGET`` of them: frequent words that are seldom
    adjacent stop there, and their other matches go to the second tier.
    """
    tiers = query.tier_tsqueries()
    if not tiers:
        return None
    checks: list[Sql] = []
    if query.has_phrases:
        checks.append(("s.search_vector @@ %s::tsquery", [query.rank_tsquery()]))
    checks += [(f"NOT {sql}", ps) for sql, ps in map(contains, query.excluded_on_text)]
    columns = "s.id, s.title, s.text, s.search_vector" if checks else "s.id"
    branches = [_scan(tier, where, f"{i} AS tier, {columns}") for i, tier in enumerate(tiers)]
    sql = " UNION ALL ".join(sql for sql, _ in branches)
    params = [p for _, ps in branches for p in ps]
    if not checks:
        return f"{sql} LIMIT %s", [*params, limit]
    check_sql, check_params = _and(checks)
    return (
        f"SELECT s.tier, s.id FROM ({sql} LIMIT %s) s WHERE {check_sql} LIMIT %s",
        [*params, PHRASE_BUDGET, *check_params, limit],
    )


def word_scores(query: SearchQuery, ids: list[int]) -> Sql:
    """The rank of each candidate (title words weigh A, body words D)."""
    return (
        "SELECT s.id, ts_rank(s.search_vector, %s::tsquery) FROM reports_section s "
        "WHERE s.id = ANY(%s)",
        [query.rank_tsquery(), ids],
    )


def second_tier(
    query: SearchQuery, where: Where, *, first: list[int], limit: int, scan: int | None
) -> Sql:
    """Ids of the other matching sections (not in ``first``, the first tier's): titles
    containing a term first, then in document order (latest report first).

    The candidates of the recall vector are put in that order first (title and position only,
    no text; only the first ``scan`` of them if given), then confirmed on the text one by one
    until the page is full.
    """
    possible = query.possible_tsquery()
    if possible is False:
        return "SELECT NULL::bigint WHERE FALSE", []
    title_sql = " OR ".join(f"strpos({_column('title', t)}, %s) > 0" for t in query.terms)
    ordered, params = _scan(
        str(possible),
        where,
        f"s.id, s.title, s.text, s.report_id, s.position, ({title_sql}) AS title_hit",
        "ORDER BY title_hit DESC, s.report_id DESC, s.position "
        + ("LIMIT %s" if scan else "OFFSET 0"),
    )
    params = [*(t.text for t in query.terms), *params, *([scan] if scan else [])]
    exact_sql, exact_params = exact(query)
    return (
        f"SELECT s.id FROM ({ordered}) s WHERE NOT s.id = ANY(%s) AND {exact_sql} "
        "ORDER BY s.title_hit DESC, s.report_id DESC, s.position LIMIT %s",
        [*params, first, *exact_params, limit],
    )
