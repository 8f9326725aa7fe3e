"""Comparisons: one indicator across regions for a year, or one region's series across years.

They take the curated value where one exists (verified or corrected) and otherwise the extracted
one, and say which (``source``). Rejected values never count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.http import Http404

from indicators.models import CurationEvent, IndicatorDefinition, effective_sql


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
            if event.value_id is not None:
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


def picked_points(
    *, definition: IndicatorDefinition, group: str, where: Mapping[str, str | int]
) -> list[ComparisonPoint]:
    """The values standing for each ``group`` among reports matching ``where``: one query."""
    # A report flagged as a possible copy of another stands aside until a curator decides.
    clauses = [f"r.{field} = %({field})s" for field in where] + ["r.duplicate_of_id IS NULL"]
    if group == "r.report_year":
        clauses.append("r.report_year IS NOT NULL")
    pick = _PICK_SQL.format(group=group, where=" AND ".join(clauses))
    params: dict[str, str | int] = {"definition": definition.pk, "unit": definition.unit, **where}
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
    where: dict[str, str | int] = {"report_year": year}
    if admin_level:
        where["admin_level"] = admin_level
    if province:
        where["province"] = province
    points = picked_points(definition=definition, group=_REGION_GROUP, where=where)
    return sorted(points, key=lambda p: (-p.value, p.region))


def indicator_series(
    *, definition: IndicatorDefinition, province: str = "", city: str = "", county: str = ""
) -> list[ComparisonPoint]:
    """One region's values across the years it reported, oldest first."""
    where = {"province": province, "city": city, "county": county}
    points = picked_points(definition=definition, group="r.report_year", where=where)
    return sorted(points, key=lambda p: p.year or 0)
