"""Helpers for the curation, catalogue, comparison and coverage tests: state built through the
real ingestion, parse and curation services; extracted values added directly where a test needs
exact numbers and codes (the parser's output is what those tests stand in for)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group

from indicators.models import IndicatorDefinition, IndicatorValue
from reports.models import Report
from reports.services.ingest import report_ingest_file
from reports.services.parse import report_parse

CORPUS_DIR = Path(__file__).parent / "fixtures" / "corpus"
_serial = itertools.count(1)


def ingest_and_parse(path: Path, *, metadata: dict | None = None) -> Report:
    """Ingest one corpus file with the real service (optional metadata overrides) and parse it."""
    outcome = report_ingest_file(data=path.read_bytes(), filename=path.name, metadata=metadata)
    assert outcome.report_id is not None, (outcome.code, outcome.message)
    report_parse(report_id=outcome.report_id)
    return Report.objects.get(pk=outcome.report_id)


def report_make(
    *,
    province: str,
    city: str = "",
    county: str = "",
    year: int,
    published_on: str | None = None,
    admin_level: str = "county",
) -> Report:
    """A (not yet parsed) report with the given metadata, ingested through the real service."""
    place = f"{province}{city}{county}"
    text = f"{place}{year}年法治政府建设年度报告\n一、主要举措和成效\n编号{next(_serial)}。\n"
    metadata = {
        "province": province,
        "city": city,
        "county": county,
        "report_year": year,
        "published_on": published_on,
        "admin_level": admin_level,
    }
    outcome = report_ingest_file(
        data=text.encode("utf-8"), filename=f"{place}-{year}.txt", metadata=metadata
    )
    assert outcome.report_id is not None, (outcome.code, outcome.message)
    return Report.objects.get(pk=outcome.report_id)


def value_add(
    report: Report,
    *,
    code: str | None,
    value: str | int,
    unit: str = "件",
    subject: str = "",
    confidence: float = 0.9,
    scope: str = "annual",
    start: int = 0,
) -> IndicatorValue:
    """An extracted value as the parser would store it."""
    definition = IndicatorDefinition.objects.get(code=code) if code else None
    quote = f"{subject}{value}{unit}"
    return IndicatorValue.objects.create(
        report=report,
        definition=definition,
        subject=subject or "数量",
        value=Decimal(str(value)),
        unit=unit,
        quote=quote,
        start_offset=start,
        end_offset=start + len(quote),
        confidence=confidence,
        scope=scope,
        kind="rate" if unit == "%" else "count",
    )


def curator_make(django_user_model, username: str = "curator"):
    """A staff user in the "curator" group (created by the indicators migration)."""
    user = django_user_model.objects.create_user(username=username, password="pw-curator-1")  # noqa: S106
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="curator"))
    return user


def number_offset(text: str, phrase: str, number: str) -> int:
    """Offset in ``text`` of ``number`` inside the first occurrence of ``phrase``."""
    at = text.find(phrase)
    assert at >= 0, f"{phrase!r} is not in the report"
    return at + phrase.index(number)


def value_at(report: Report, offset: int) -> IndicatorValue | None:
    """The stored value whose span covers ``offset`` (the parser's row for that number)."""
    return (
        IndicatorValue.objects.filter(
            report=report, start_offset__lte=offset, end_offset__gt=offset
        )
        .select_related("definition")
        .order_by("end_offset")
        .first()
    )
