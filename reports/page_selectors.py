"""Reads behind the reading pages: the home page's figures and a report's reading view."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, QuerySet

from indicators.models import IndicatorValue
from reports.models import PARSED_METADATA_FIELDS, AdminLevel, Report, Section
from reports.reading import Paragraph, paragraphs_marked

LATEST_REPORTS = 8
HEADING_PUNCTUATION = "。．.；;：:，,"


EXACT_COUNT_LIMIT = 50_000  # past this many rows, the sections and values are estimated


@dataclass(frozen=True, slots=True)
class SiteCounts:
    reports: int
    sections: int
    values: int  # not rejected (estimated: all values)
    curated: int
    regions: int
    year_first: int | None
    year_last: int | None
    estimated: bool  # sections and values from the planner's statistics, not counted


# Big tables are counted only while they are small; past EXACT_COUNT_LIMIT rows their size comes
# from PostgreSQL's statistics (kept by autovacuum), so the home page costs the same at any size.
# Uncorrelated subqueries are InitPlans, run only when their CASE branch is taken.
_COUNTS_SQL = """
WITH estimate AS (
    SELECT (SELECT greatest(reltuples, 0)::bigint FROM pg_class
             WHERE oid = 'reports_section'::regclass) AS sections,
           (SELECT greatest(reltuples, 0)::bigint FROM pg_class
             WHERE oid = 'indicators_indicatorvalue'::regclass) AS "values"
)
SELECT (SELECT count(*) FROM reports_report
         WHERE status = 'parsed' AND duplicate_of_id IS NULL),
       CASE WHEN e.sections > %(limit)s THEN e.sections
            ELSE (SELECT count(*) FROM reports_section) END,
       CASE WHEN e."values" > %(limit)s THEN e."values"
            ELSE (SELECT count(*) FROM indicators_indicatorvalue WHERE status <> 'rejected') END,
       (SELECT count(*) FROM indicators_indicatorvalue WHERE status IN ('verified', 'corrected')),
       (SELECT count(*) FROM (SELECT DISTINCT province, city, county FROM reports_report
                               WHERE province <> '') d),
       (SELECT min(report_year) FROM reports_report),
       (SELECT max(report_year) FROM reports_report),
       e.sections > %(limit)s OR e."values" > %(limit)s
  FROM estimate e
"""


def site_counts() -> SiteCounts:
    """What the platform holds, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, {"limit": EXACT_COUNT_LIMIT})
        return SiteCounts(*cursor.fetchone())


def report_latest(*, limit: int = LATEST_REPORTS) -> QuerySet[Report]:
    """The reports added last that parsed, with only what a list shows."""
    return (
        Report.objects.counted()
        .filter(status=Report.Status.PARSED)
        .only("id", "filename", *PARSED_METADATA_FIELDS)
        .order_by("-id")[:limit]
    )


@dataclass(frozen=True, slots=True)
class CoverageGlance:
    years: list[int]
    levels: list[str]
    counts: dict[tuple[str, int], int]  # (admin level, year) → reports
    totals: dict[int, int]  # year → reports

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        return [
            (level, [self.counts.get((level, year), 0) for year in self.years])
            for level in self.levels
        ]


def coverage_glance(*, years: int = 6) -> CoverageGlance:
    """Reports per covered year and government level, for the last ``years`` years present."""
    rows = list(
        Report.objects.counted()
        .exclude(report_year=None)
        .values("admin_level", "report_year")
        .annotate(n=Count("id"))
        .order_by()
    )
    all_years = sorted({r["report_year"] for r in rows})[-years:]
    counts: dict[tuple[str, int], int] = {}
    totals: dict[int, int] = {}
    for r in rows:
        if r["report_year"] not in all_years:
            continue
        counts[(r["admin_level"], r["report_year"])] = r["n"]
        totals[r["report_year"]] = totals.get(r["report_year"], 0) + r["n"]
    order = [level for level in AdminLevel.values if any(k[0] == level for k in counts)]
    if any(k[0] == "" for k in counts):
        order.append("")
    return CoverageGlance(years=all_years, levels=order, counts=counts, totals=totals)


# ---------------------------------------------------------------------------------------------
# A report's reading view


@dataclass
class OutlineNode:
    section: Section
    children: list[OutlineNode] = field(default_factory=list)


@dataclass
class ReadingBlock:
    """One section of the text (or the text before the first heading, ``section`` None)."""

    section: Section | None
    heading: Paragraph | None
    paragraphs: list[Paragraph]


@dataclass
class ReportReading:
    report: Report
    outline: list[OutlineNode]
    blocks: list[ReadingBlock]
    values: list[IndicatorValue]
    status_counts: dict[str, int]


def report_get(*, report_id: int) -> Report | None:
    return Report.objects.filter(pk=report_id).defer("minhash").first()


_DEFINITIONS = ("definition", "corrected_definition")
_DEFINITION_UNUSED = ("synonyms", "patterns", "description", "created_at", "updated_at")
# the review's bookkeeping, which the reading page does not show (a page reads some fifty values:
# their timestamps alone were a hundred date parses)
_VALUE_UNUSED = (
    "created_at", "updated_at", "reviewed_at", "review_note", "parse_conflict", "parser_version",
)  # fmt: skip


def report_values(*, report: Report) -> list[IndicatorValue]:
    """The report's values in text order, with their (corrected) indicators."""
    return list(
        IndicatorValue.objects.filter(report=report)
        .select_related("definition", "corrected_definition")
        .defer(*_VALUE_UNUSED, *(f"{d}__{f}" for d in _DEFINITIONS for f in _DEFINITION_UNUSED))
        .order_by("start_offset", "id")
    )


def _outline(sections: list[Section]) -> list[OutlineNode]:
    nodes = {s.pk: OutlineNode(s) for s in sections}
    roots: list[OutlineNode] = []
    for s in sections:
        parent = nodes.get(s.parent_id) if s.parent_id else None
        (parent.children if parent else roots).append(nodes[s.pk])
    return roots


def _blocks(text: str, sections: list[Section], values: list[IndicatorValue]) -> list[ReadingBlock]:
    """The text cut at each heading: every character of ``text`` lands in exactly one block."""
    spans = [(v.start_offset, v.end_offset, v) for v in values]
    starts = [min(s.start_offset, len(text)) for s in sections]
    blocks, done = [], 0
    if not sections or starts[0] > 0:
        done = starts[0] if sections else len(text)
        blocks.append(ReadingBlock(None, None, paragraphs_marked(text, 0, done, spans)))
    for i, section in enumerate(sections):
        start = max(starts[i], done)
        end = max(starts[i + 1] if i + 1 < len(sections) else len(text), start)
        done = end
        heading_text = f"{section.marker}{section.title}"
        heading_end = start
        if text.startswith(heading_text, start):
            heading_end = start + len(heading_text)
            while heading_end < end and text[heading_end] in HEADING_PUNCTUATION:
                heading_end += 1  # "1.加强应诉工作。2023年…": the full stop ends the heading
        heading = None
        if heading_end > start:
            (heading,) = paragraphs_marked(text, start, heading_end, spans) or [None]  # type: ignore[list-item]
        body = paragraphs_marked(text, heading_end, end, spans)
        blocks.append(ReadingBlock(section, heading, body))
    return blocks


def report_reading(*, report_id: int) -> ReportReading | None:
    """A report with its outline, its text cut into sections with every figure marked in place,
    and its values; None if there is no such report. Four queries."""
    report = report_get(report_id=report_id)
    if report is None:
        return None
    sections = list(
        Section.objects.filter(report=report).defer("search_vector", "text").order_by("position")
    )
    values = report_values(report=report)
    # The cleaned text has the same offsets, page furniture blanked; older rows may lack it.
    clean = report.clean_text
    text = clean if clean and len(clean) == len(report.raw_text) else report.raw_text
    counts: dict[str, int] = {}
    for v in values:
        counts[v.status] = counts.get(v.status, 0) + 1
    return ReportReading(
        report=report,
        outline=_outline(sections),
        blocks=_blocks(text, sections, values),
        values=values,
        status_counts=counts,
    )
