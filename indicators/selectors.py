"""Reads of the indicators app: comparisons, coverage, the review queue, unmapped subjects, audit.

Comparisons take the curated value where one exists (verified or corrected) and otherwise the
extracted one, and say which (``source``). Rejected values never count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Substr
from django.http import Http404

from indicators.models import CurationEvent, IndicatorDefinition, IndicatorValue, effective_sql
from reports.models import AdminLevel, Report

Status = IndicatorValue.Status
DEADLINE_MONTH_DAY = (4, 1)  # governments publish the previous year's report by 1 April


@dataclass(frozen=True, slots=True)
class ComparisonPoint:
    province: str
    city: str
    county: str
    admin_level: str
    year: int | None
    value: Decimal
    unit: str
    source: str  # "curated" (verified or corrected) or "extracted"
    status: str
    value_id: int
    report_id: int
    report_title: str
    quote: str
    reviewer: str
    reviewed_at: dt.datetime | None
    region: str  # province + city + county as one name

    @property
    def display_value(self) -> str:
        """The number as written, without trailing zeros or exponent (100, 87.5)."""
        return format(self.value.normalize(), "f")


@dataclass(frozen=True, slots=True)
class Comparison:
    definition: IndicatorDefinition
    mode: str  # "regions" (one year) or "series" (one region)
    points: list[ComparisonPoint]
    label: str  # the year or the region compared
    audit: dict[int, list[CurationEvent]]

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def unit(self) -> str:
        return self.definition.unit

    @property
    def filename(self) -> str:
        """An ASCII file name (header-safe): the code and the year, or ``series``."""
        return f"{self.code}_{self.label if self.mode == 'regions' else 'series'}.csv"

    def csv_rows(self) -> list[dict[str, object]]:
        """One row per point, with its review state and its audit trail in one column."""
        return [
            {
                "code": self.code,
                "region": p.region,
                "province": p.province,
                "city": p.city,
                "county": p.county,
                "year": p.year,
                "value": p.display_value,
                "unit": p.unit,
                "source": p.source,
                "status": p.status,
                "reviewer": p.reviewer,
                "reviewed_at": p.reviewed_at.isoformat() if p.reviewed_at else "",
                "audit": " | ".join(_event_line(e) for e in self.audit.get(p.value_id, [])),
                "quote": p.quote,
                "report_id": p.report_id,
                "value_id": p.value_id,
            }
            for p in self.points
        ]


def _event_line(event: CurationEvent) -> str:
    who = event.user.get_username() if event.user else "?"
    when = event.created_at.isoformat(timespec="seconds")
    return f"{when} {who} {event.action} {event.field}: {event.before} → {event.after}"


def indicator_definition_get(*, code: str) -> IndicatorDefinition | None:
    return IndicatorDefinition.objects.filter(code=code).first()


def comparison_for(
    *,
    code: str,
    year: int | None = None,
    province: str = "",
    city: str = "",
    county: str = "",
    admin_level: str = "",
    with_audit: bool = False,
) -> Comparison:
    """Regions compared for ``year`` when it is given, else the series of the named region."""
    definition = indicator_definition_get(code=code)
    if definition is None:
        raise Http404(f"No indicator {code!r}.")
    if year is not None:
        points = indicator_compare_regions(
            definition=definition, year=year, admin_level=admin_level, province=province
        )
        mode, label = "regions", str(year)
    else:
        points = indicator_series(
            definition=definition, province=province, city=city, county=county
        )
        mode, label = "series", "".join((province, city, county))
    audit: dict[int, list[CurationEvent]] = {}
    if with_audit:
        events = CurationEvent.objects.filter(value_id__in=[p.value_id for p in points])
        for event in events.select_related("user").order_by("created_at", "id"):
            audit.setdefault(event.value_id, []).append(event)
    return Comparison(definition=definition, mode=mode, points=points, label=label, audit=audit)


# The value that stands for each region (or year) is picked in SQL: curated first, then the
# indicator's own unit, annual scope, confidence, the latest report, the first mention. First one
# per report (an integer sort), then one per group. The UNION keeps both branches index-only (see
# migration 0004); rejected values never count.
_PICK_SQL = """
WITH candidates AS (
    SELECT v.id, v.report_id, v.status, v.unit, v.scope, v.confidence, v.start_offset
      FROM indicators_indicatorvalue v
     WHERE v.corrected_definition_id IS NULL AND v.definition_id = %(definition)s
       AND v.status <> 'rejected'
    UNION ALL
    SELECT v.id, v.report_id, v.status, v.unit, v.scope, v.confidence, v.start_offset
      FROM indicators_indicatorvalue v
     WHERE v.corrected_definition_id = %(definition)s AND v.status <> 'rejected'
), per_report AS (
    SELECT DISTINCT ON (c.report_id) c.id, c.report_id, c.confidence, c.start_offset,
           c.status IN ('verified', 'corrected') AS curated, c.unit = %(unit)s AS own_unit,
           c.scope = 'annual' AS annual
      FROM candidates c
     WHERE c.report_id IN (SELECT r.id FROM reports_report r WHERE {where})
     ORDER BY c.report_id, curated DESC, own_unit DESC, annual DESC, c.confidence DESC,
              c.start_offset
)
SELECT DISTINCT ON ({group}) p.id
  FROM per_report p JOIN reports_report r ON r.id = p.report_id
 ORDER BY {group}, p.curated DESC, p.own_unit DESC, p.annual DESC, p.confidence DESC,
          r.published_on DESC NULLS LAST, p.report_id, p.start_offset
"""
_REGION_GROUP = "r.province, r.city, r.county"


_POINTS_SQL = """
SELECT v.id, {value}, v.status IN ('verified', 'corrected'), v.unit,
       v.status, v.quote, v.reviewed_at, v.report_id, u.username, r.province, r.city, r.county,
       r.admin_level, r.report_year, r.title
  FROM ({pick}) AS picked
  JOIN indicators_indicatorvalue v ON v.id = picked.id
  JOIN reports_report r ON r.id = v.report_id
  LEFT JOIN auth_user u ON u.id = v.reviewer_id
"""


def _picked_points(
    *, definition: IndicatorDefinition, group: str, where: dict[str, object]
) -> list[ComparisonPoint]:
    """The values standing for each ``group`` among reports matching ``where``: one query."""
    clauses = [f"r.{field} = %({field})s" for field in where] or ["TRUE"]
    if group == "r.report_year":
        clauses.append("r.report_year IS NOT NULL")
    pick = _PICK_SQL.format(group=group, where=" AND ".join(clauses))
    params = {"definition": definition.pk, "unit": definition.unit, **where}
    with connection.cursor() as cursor:
        cursor.execute(_POINTS_SQL.format(pick=pick, value=effective_sql("v", "value")), params)
        return [_point(row) for row in cursor.fetchall()]


def _point(row: tuple) -> ComparisonPoint:
    """A row of _POINTS_SQL as a point."""
    (value_id, value, curated, unit, status, quote, reviewed_at, report_id, reviewer) = row[:9]
    (province, city, county, admin_level, year, title) = row[9:]
    return ComparisonPoint(
        province=province,
        city=city,
        county=county,
        admin_level=admin_level,
        year=year,
        value=value,
        unit=unit,
        source="curated" if curated else "extracted",
        status=status,
        value_id=value_id,
        report_id=report_id,
        report_title=title,
        quote=quote,
        reviewer=reviewer or "",
        reviewed_at=reviewed_at,
        region=f"{province}{city}{county}" or "—",
    )


def indicator_compare_regions(
    *,
    definition: IndicatorDefinition,
    year: int,
    admin_level: str | None = None,
    province: str | None = None,
) -> list[ComparisonPoint]:
    """One value per region for ``year``, largest first."""
    where: dict[str, object] = {"report_year": year}
    if admin_level:
        where["admin_level"] = admin_level
    if province:
        where["province"] = province
    points = _picked_points(definition=definition, group=_REGION_GROUP, where=where)
    return sorted(points, key=lambda p: (-p.value, p.region))


def indicator_series(
    *, definition: IndicatorDefinition, province: str = "", city: str = "", county: str = ""
) -> list[ComparisonPoint]:
    """One region's values across the years it reported, oldest first."""
    where = {"province": province, "city": city, "county": county}
    points = _picked_points(definition=definition, group="r.report_year", where=where)
    return sorted(points, key=lambda p: p.year or 0)


@dataclass(frozen=True, slots=True)
class CoverageCell:
    reports: int
    published_on: dt.date | None
    deadline: dt.date
    days_after_deadline: int | None  # negative: published that many days before the deadline

    @property
    def status(self) -> str:
        if self.days_after_deadline is None:
            return "undated"
        return "late" if self.days_after_deadline > 0 else "on_time"


@dataclass(frozen=True, slots=True)
class CoverageRow:
    province: str
    city: str
    county: str
    admin_level: str
    cells: dict[int, CoverageCell]

    @property
    def region(self) -> str:
        return "".join(p for p in (self.province, self.city, self.county) if p) or "—"


@dataclass(frozen=True, slots=True)
class CoverageGrid:
    years: list[int]
    rows: list[CoverageRow]


def report_deadline(*, year: int) -> dt.date:
    """The publication deadline of the report covering ``year``: 1 April of the next year."""
    return dt.date(year + 1, *DEADLINE_MONTH_DAY)


def coverage_grid(
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    admin_level: str | None = None,
    province: str | None = None,
) -> CoverageGrid:
    """Which governments have a report for which covered year, and when the first was published.

    Department reports are left out unless ``admin_level="department"`` is asked for.
    """
    reports = Report.objects.exclude(report_year=None)
    if admin_level:
        reports = reports.filter(admin_level=admin_level)
    else:
        reports = reports.exclude(admin_level=AdminLevel.DEPARTMENT)
    if province:
        reports = reports.filter(province=province)
    if year_from:
        reports = reports.filter(report_year__gte=year_from)
    if year_to:
        reports = reports.filter(report_year__lte=year_to)
    grouped = (
        reports.values("province", "city", "county", "report_year")
        .annotate(n=Count("id"), first=Min("published_on"), level=Min("admin_level"))
        .order_by("province", "city", "county", "report_year")
    )
    rows: dict[tuple[str, str, str], CoverageRow] = {}
    years: set[int] = set()
    for g in grouped:
        key = (g["province"], g["city"], g["county"])
        row = rows.setdefault(key, CoverageRow(*key, admin_level=g["level"] or "", cells={}))
        year, first = g["report_year"], g["first"]
        deadline = report_deadline(year=year)
        row.cells[year] = CoverageCell(
            reports=g["n"],
            published_on=first,
            deadline=deadline,
            days_after_deadline=(first - deadline).days if first else None,
        )
        years.add(year)
    span = list(range(min(years), max(years) + 1)) if years else []
    return CoverageGrid(years=span, rows=list(rows.values()))


def indicator_definition_list() -> QuerySet[IndicatorDefinition]:
    """The catalogue with ``value_count``: the values mapped to each code, rejected ones aside."""
    counted = (
        IndicatorValue.objects.mapped_to(OuterRef("pk"))
        .exclude(status=IndicatorValue.Status.REJECTED)
        .order_by()
        .annotate(n=Func(F("id"), function="COUNT"))
        .values("n")
    )
    value_count = Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    return IndicatorDefinition.objects.defer("patterns").annotate(value_count=value_count)


def indicator_value_queryset() -> QuerySet[IndicatorValue]:
    """Values with their effective code, name and value (the API's list and export read their
    columns, with their report's and section's, from it)."""
    return IndicatorValue.objects.with_effective()


def indicator_review_queue(
    *,
    code: str | None = None,
    status: str | None = None,
    min_confidence: float | None = None,
    max_confidence: float | None = None,
    province: str | None = None,
    year: int | None = None,
    has_conflict: bool | None = None,
) -> QuerySet[IndicatorValue]:
    """Values to review, lowest confidence first; ``code`` matches the corrected or parsed code."""
    values = IndicatorValue.objects.select_related(
        "report", "section", "definition", "corrected_definition", "reviewer"
    )
    if code:
        values = values.filter(Q(definition__code=code) | Q(corrected_definition__code=code))
    if status:
        values = values.filter(status=status)
    if min_confidence is not None:
        values = values.filter(confidence__gte=min_confidence)
    if max_confidence is not None:
        values = values.filter(confidence__lte=max_confidence)
    if province:
        values = values.filter(report__province=province)
    if year:
        values = values.filter(report__report_year=year)
    if has_conflict is not None:
        values = values.filter(parse_conflict__isnull=not has_conflict)
    return values.order_by("confidence", "report_id", "start_offset", "id")


def indicator_values_with_conflicts() -> QuerySet[IndicatorValue]:
    """Reviewed values a later parse disagrees with, waiting for a curator's decision."""
    return indicator_review_queue(has_conflict=True).order_by("report_id", "start_offset")


def indicator_unmapped_subjects(*, limit: int = 100) -> list[dict]:
    """Subjects (with unit) of values no catalogue code covers, most frequent first."""
    return list(
        IndicatorValue.objects.filter(definition=None, corrected_definition=None)
        .exclude(status=Status.REJECTED)
        .values("subject", "unit")
        .annotate(count=Count("id"), reports=Count("report_id", distinct=True))
        .order_by("-count", "subject")[:limit]
    )


def curation_events_for_value(*, value_id: int) -> QuerySet[CurationEvent]:
    return CurationEvent.objects.filter(value_id=value_id).select_related("user")


_SENTENCE_END = "。！？；!?;\n"
_WINDOW = 150  # characters fetched either side of a quote for its sentence


def with_context_window(values: QuerySet[IndicatorValue]) -> QuerySet[IndicatorValue]:
    """Annotate ``context_start``/``context_text``: a slice of the report text around each quote,
    fetched in the same query instead of whole report texts."""
    start = Greatest(F("start_offset") - _WINDOW, Value(0))
    return values.annotate(
        context_start=start,
        context_text=Substr("report__raw_text", start + 1, F("end_offset") - start + _WINDOW),
    )


def indicator_value_context(*, value: IndicatorValue, text: str) -> tuple[str, str, str]:
    """(before, quote, after): the sentence of ``text`` around the value's quote, split at it."""
    start, end = value.start_offset, value.end_offset
    if text[start:end] != value.quote:
        found = text.find(value.quote)
        if found < 0:
            return "", value.quote, ""
        start, end = found, found + len(value.quote)
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    ends = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    return text[left:start].lstrip(), text[start:end], text[end:right].rstrip()
