"""Reads behind the indicator pages: which indicators and places have data, an indicator's
values across regions and years, and why a comparison came out empty."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.selectors.comparison import (
    Comparison,
    ComparisonPoint,
    comparison_for,
    indicator_definition_get,
    picked_points,
)
from reports.labels import admin_level_name
from reports.models import Report

Status = IndicatorValue.Status
OVERVIEW_MAX_REGIONS = 300


def _values_of(definition: IndicatorDefinition) -> QuerySet[IndicatorValue]:
    """Values that count for an indicator: not rejected, under its parsed or corrected code."""
    return IndicatorValue.objects.exclude(status=Status.REJECTED).mapped_to(definition.pk)


def indicator_definitions_with_data() -> QuerySet[IndicatorDefinition]:
    """Indicators with at least one value that counts, in catalogue order."""
    parsed = IndicatorValue.objects.filter(
        definition=OuterRef("pk"), corrected_definition=None
    ).exclude(status=Status.REJECTED)
    corrected = IndicatorValue.objects.filter(corrected_definition=OuterRef("pk")).exclude(
        status=Status.REJECTED
    )
    return (
        IndicatorDefinition.objects.filter(Exists(parsed) | Exists(corrected))
        .only("code", "name", "unit", "category")
        .order_by("category", "code")
    )


@dataclass(frozen=True, slots=True)
class IndicatorOverview:
    definition: IndicatorDefinition
    years: list[int]
    rows: list[tuple[str, str, list[ComparisonPoint | None]]]  # region, level, cell per year
    regions_total: int
    status_counts: dict[str, int]


def indicator_overview(
    *, definition: IndicatorDefinition, admin_level: str = ""
) -> IndicatorOverview:
    """One value per region and year (curated first, as in comparisons), regions by name."""
    where: dict[str, str | int] = {"admin_level": admin_level} if admin_level else {}
    points = picked_points(
        definition=definition,
        group="r.province, r.city, r.county, r.report_year",
        where=where,
    )
    years = sorted({p.year for p in points if p.year is not None})
    by_region: dict[tuple[str, str, str], dict[int | None, ComparisonPoint]] = {}
    levels: dict[tuple[str, str, str], str] = {}
    for p in points:
        key = (p.province, p.city, p.county)
        by_region.setdefault(key, {})[p.year] = p
        levels.setdefault(key, p.admin_level)
    keys = sorted(by_region)
    rows = [
        ("".join(key) or "—", levels[key], [by_region[key].get(y) for y in years])
        for key in keys[:OVERVIEW_MAX_REGIONS]
    ]
    counts = dict(
        _values_of(definition)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return IndicatorOverview(
        definition=definition,
        years=years,
        rows=rows,
        regions_total=len(keys),
        status_counts=counts,
    )


# ---------------------------------------------------------------------------------------------
# Choices for the comparison form: only what exists


def report_years() -> list[int]:
    """Covered years that have reports, newest first."""
    years = (
        Report.objects.exclude(report_year=None)
        .values_list("report_year", flat=True)
        .order_by("-report_year")
        .distinct()
    )
    return [year for year in years if year is not None]


def place_names(*, province: str = "", city: str = "") -> dict[str, list[str]]:
    """Provinces with reports; the cities of ``province``; the counties of its ``city``."""
    reports = Report.objects.order_by()
    names = {
        "provinces": list(
            reports.exclude(province="")
            .values_list("province", flat=True)
            .distinct()
            .order_by("province")
        ),
        "cities": [],
        "counties": [],
    }
    if province:
        names["cities"] = list(
            reports.filter(province=province)
            .exclude(city="")
            .values_list("city", flat=True)
            .distinct()
            .order_by("city")
        )
        names["counties"] = list(
            reports.filter(province=province, city=city)
            .exclude(county="")
            .values_list("county", flat=True)
            .distinct()
            .order_by("county")
        )
    return names


def comparison_default_level(*, definition: IndicatorDefinition, year: int) -> str:
    """The level of government with the most reports holding this indicator in ``year``, so
    that a comparison does not mix provinces with counties unless asked to."""
    row = (
        _values_of(definition)
        .filter(report__report_year=year)
        .exclude(report__admin_level="")
        .values("report__admin_level")
        .annotate(n=Count("report_id", distinct=True))
        .order_by("-n", "report__admin_level")
        .first()
    )
    return row["report__admin_level"] if row else ""


def comparison_empty_reason(
    *,
    definition: IndicatorDefinition,
    year: int | None = None,
    admin_level: str = "",
    province: str = "",
    city: str = "",
    county: str = "",
) -> str:
    """Why a comparison found no value, in the reader's language: the narrowest condition that
    already leaves nothing."""
    reports = Report.objects.all()
    values = _values_of(definition)
    if year is not None:
        if not reports.filter(report_year=year).exists():
            return _("There is no report covering %(year)s.") % {"year": year}
        if not values.filter(report__report_year=year).exists():
            return _("No report covering %(year)s states “%(name)s”.") % {
                "year": year,
                "name": definition.name,
            }
        if admin_level:
            return _(
                "No %(level)s report covering %(year)s states “%(name)s”; "
                "choose another level, or all levels."
            ) % {"level": admin_level_name(admin_level), "year": year, "name": definition.name}
        return _("No report in %(place)s covering %(year)s states “%(name)s”.") % {
            "place": province,
            "year": year,
            "name": definition.name,
        }
    place = {"province": province, "city": city, "county": county}
    where = "".join(p for p in (province, city, county) if p)
    if not reports.filter(**place).exists():
        return _("There is no report of %(place)s itself. Choose a place from the lists.") % {
            "place": where
        }
    return _("The reports of %(place)s do not state “%(name)s”.") % {
        "place": where,
        "name": definition.name,
    }


ALL_LEVELS = "all"


@dataclass(frozen=True, slots=True)
class ComparisonPage:
    comparison: Comparison
    params: dict[str, Any]  # what was compared, as the comparison API's query parameters
    level_chosen: str  # the level picked for the reader ("" when they chose one, or all)
    empty_reason: str  # why there is no value ("" when there are some)


def comparison_page(
    *,
    code: str,
    year: int | None = None,
    admin_level: str = "",
    province: str = "",
    city: str = "",
    county: str = "",
) -> ComparisonPage:
    """A comparison as the page shows it. With a year: the regions of one level of government
    (the most common one that year unless ``admin_level`` names one, or ``"all"`` to mix them),
    within ``province`` if given. Without: the series of the place named exactly. An empty result
    comes with the reason."""
    params: dict[str, Any] = {"code": code}
    chosen = ""
    if year is not None:
        params["year"] = year
        if province:
            params["province"] = province
        if not admin_level:
            definition = indicator_definition_get(code=code)
            if definition is not None:
                admin_level = comparison_default_level(definition=definition, year=year)
                chosen = admin_level_name(admin_level) if admin_level else ""
        if admin_level and admin_level != ALL_LEVELS:
            params["admin_level"] = admin_level
    else:
        place = {"province": province, "city": city, "county": county}
        params.update({k: v for k, v in place.items() if v})
    comparison = comparison_for(**params)
    reason = ""
    if not comparison.points:
        reason = comparison_empty_reason(
            definition=comparison.definition,
            **{k: v for k, v in params.items() if k != "code"},
        )
    return ComparisonPage(comparison, params, chosen, reason)
