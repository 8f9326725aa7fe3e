"""The coverage grid: which governments have a report for which covered year, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min

from reports.models import AdminLevel, Report

DEADLINE_MONTH_DAY = (4, 1)  # governments publish the previous year's report by 1 April


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


def publication_deadline(*, year: int) -> dt.date:
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
    reports = Report.objects.counted().exclude(report_year=None)
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
        deadline = publication_deadline(year=year)
        row.cells[year] = CoverageCell(
            reports=g["n"],
            published_on=first,
            deadline=deadline,
            days_after_deadline=(first - deadline).days if first else None,
        )
        years.add(year)
    span = list(range(min(years), max(years) + 1)) if years else []
    return CoverageGrid(years=span, rows=list(rows.values()))
