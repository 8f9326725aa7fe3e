# ruff: noqa: S608 - only fixed fragments are interpolated; every value is a query parameter
"""SQL of the search: membership, tiers, filters and facets, as ``(sql, params)`` pieces.

Membership is decided on the recall vector's GIN index: the ``certain`` rows straight from the
index, the ``uncertain`` ones confirmed with ``strpos`` on the stored text. The first tier (word
matches) is ranked on the word vector: from the RUM index (``<=>``, top-k without scoring every
match) where it exists, else with ``ts_rank`` over the GIN matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indicators.models import IndicatorDefinition, IndicatorValue
from reports.search.query import SearchQuery, Term

Sql = tuple[str, list[object]]
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
JOINED = "FROM reports_section s JOIN reports_report r ON r.id = s.report_id"
TIER_CAP = 400  # candidates taken from one impact tier


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


def filters(f: SearchFilters, *, indicator_scope: str = "section") -> Sql:
    parts: list[str] = []
    params: list[object] = []
    for column, value in (
        ("r.province", f.province),
        ("r.city", f.city),
        ("r.admin_level", f.admin_level),
        ("s.report_id", f.report_id),
        ("s.level", f.level),
    ):
        if value not in (None, ""):
            parts.append(f"{column} = %s")
            params.append(value)
    if f.year_from is not None:
        parts.append("r.report_year >= %s")
        params.append(f.year_from)
    if f.year_to is not None:
        parts.append("r.report_year <= %s")
        params.append(f.year_to)
    if f.indicator_code:
        owner = "section_id = s.id" if indicator_scope == "section" else "report_id = s.report_id"
        parts.append(
            f"EXISTS (SELECT 1 FROM {IndicatorValue._meta.db_table} v "
            f"JOIN {IndicatorDefinition._meta.db_table} d "
            "ON d.id = COALESCE(v.corrected_definition_id, v.definition_id) "
            f"WHERE v.{owner} AND d.code = %s AND v.status <> 'rejected')"
        )
        params.append(f.indicator_code)
    return " AND ".join(parts) or "TRUE", params


def base(sql: str) -> str:
    """FROM clause: the report is joined only where a filter or a column needs it."""
    return JOINED if re.search(r"\br\.", sql) else "FROM reports_section s"


def member_count(query: SearchQuery, where: Sql, *, cap: int) -> Sql:
    """How many sections match, counted up to ``cap`` (exact below it): a sum of per-branch
    counts whose bitmap heap scans stop at the cap, so a word in most sections stays cheap."""
    branches, params = [], []
    certain, uncertain = query.certain_tsquery(), query.uncertain_tsquery()
    head = f"SELECT 1 {base(where[0])} WHERE s.bigram_vector @@ %s::tsquery AND {where[0]}"
    if certain is not False:
        branches.append(f"(SELECT count(*) FROM ({head} LIMIT %s) c)")
        params += [certain, *where[1], cap]
    if uncertain is not False:
        exact_sql, exact_params = exact(query)
        branches.append(f"(SELECT count(*) FROM ({head} AND {exact_sql} LIMIT %s) c)")
        params += [uncertain, *where[1], *exact_params, cap]
    return "SELECT LEAST(" + " + ".join(branches) + ", %s)", [*params, cap]


def members(query: SearchQuery, where: Sql, columns: Sql) -> Sql:
    """SELECT ``columns`` of every matching section: certain rows UNION ALL confirmed ones."""
    branches: list[str] = []
    params: list[object] = []
    certain, uncertain = query.certain_tsquery(), query.uncertain_tsquery()
    head = (
        f"SELECT {columns[0]} {base(columns[0] + ' ' + where[0])} "
        f"WHERE s.bigram_vector @@ %s::tsquery AND {where[0]}"
    )
    if certain is not False:
        branches.append(head)
        params += [*columns[1], certain, *where[1]]
    if uncertain is not False:
        exact_sql, exact_params = exact(query)
        branches.append(f"{head} AND {exact_sql}")
        params += [*columns[1], uncertain, *where[1], *exact_params]
    return " UNION ALL ".join(branches), params


def word_tiers(query: SearchQuery, where: Sql, *, limit: int) -> Sql | None:
    """``(tier, id)`` of first-tier candidates from GIN alone, best tier first, ``limit`` in all.

    The branches of the UNION ALL run in order and stop at the limit, so a frequent word costs
    no more than a rare one.
    """
    tiers = query.tier_tsqueries()
    if not tiers:
        return None
    checks, check_params = [where[0]], list(where[1])
    if query.has_phrases:
        checks.append("s.search_vector @@ %s::tsquery")
        check_params.append(query.rank_tsquery())
    for term in query.excluded:
        if not term.exact_by_grams:
            sql, ps = contains(term)
            checks.append(f"NOT {sql}")
            check_params += ps
    check = " AND ".join(checks)
    branches, params = [], []
    for i, tier in enumerate(tiers):
        branches.append(
            f"SELECT {i} AS tier, s.id {base(check)} "
            f"WHERE s.bigram_vector @@ %s::tsquery AND {check}"
        )
        params += [tier, *check_params]
    return f"{' UNION ALL '.join(branches)} LIMIT %s", [*params, limit]


def word_scores(query: SearchQuery, ids: list[int]) -> Sql:
    """The rank of each candidate (title words weigh A, body words D)."""
    return (
        "SELECT s.id, ts_rank(s.search_vector, %s::tsquery) FROM reports_section s "
        "WHERE s.id = ANY(%s)",
        [query.rank_tsquery(), ids],
    )


def word_tier(query: SearchQuery, where: Sql, *, limit: int, rum: bool) -> Sql | None:
    """Ids and scores of the whole first tier ranked in the database (for comparison)."""
    rank = query.rank_tsquery()
    if isinstance(rank, bool):
        return None
    parts, params = [f"s.search_vector @@ %s::tsquery AND {where[0]}"], [rank, *where[1]]
    for term in query.excluded:
        sql, ps = contains(term)
        parts.append(f"NOT {sql}")
        params += ps
    if rum:
        score = "1.0 / NULLIF(s.search_vector <=> %s::tsquery, 0)"
        order = "s.search_vector <=> %s::tsquery"
    else:
        score = "ts_rank(s.search_vector, %s::tsquery)"
        order = "ts_rank(s.search_vector, %s::tsquery) DESC, s.id"
    where_sql = " AND ".join(parts)
    sql = (
        f"SELECT s.id, {score} AS score {base(where_sql)} WHERE {where_sql} "
        f"ORDER BY {order} LIMIT %s"
    )
    return sql, [rank, *params, rank, limit]


def second_tier(query: SearchQuery, where: Sql, *, limit: int) -> Sql:
    """Ids of matching sections without a word match: titles containing a term first."""
    rank = query.rank_tsquery()
    if not isinstance(rank, bool):
        where = (f"{where[0]} AND NOT (s.search_vector @@ %s::tsquery)", [*where[1], rank])
    title_sql = " OR ".join(f"strpos({_column('title', t)}, %s) > 0" for t in query.terms)
    columns = (
        f"s.id, s.report_id, s.position, ({title_sql}) AS title_hit",
        [t.text for t in query.terms],
    )
    inner, params = members(query, where, columns)
    return (
        f"SELECT id FROM ({inner}) m ORDER BY title_hit DESC, report_id DESC, position LIMIT %s",
        [*params, limit],
    )
