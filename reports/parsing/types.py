"""The parser's results: frozen dataclasses, the shape of ../docs parse contract. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

PARSER_VERSION = "1.1.0"


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """Text taken out of a file, before parsing."""

    text: str
    format: str  # txt | html | docx | pdf
    encoding: str | None = None  # detected encoding of a text or html file
    content_type: str = "text/plain"


@dataclass(frozen=True, slots=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    issuer: str | None = None
    region: Region = field(default_factory=Region)
    admin_level: str | None = None  # province city county township department development_zone
    report_year: int | None = None
    published_on: date | None = None


@dataclass(frozen=True, slots=True)
class Section:
    level: int  # 1 一、  2 （一）  3 1.  4 （1）
    marker: str  # exactly as written
    title: str
    text: str  # the body under the heading, up to the next heading
    start: int = 0  # offset of the marker in the parsed text
    end: int = 0  # offset where the section's body ends
    parent: int | None = None  # index of the enclosing section


@dataclass(frozen=True, slots=True)
class Quantity:
    quote: str  # text[start:end]: a short verbatim span containing the number
    subject: str  # what is counted, as written
    value: Decimal  # 万/亿 inside the number applied; money keeps its unit's multiplier
    unit: str  # 件, 人次, %, 万元 …
    start: int
    end: int
    qualifier: str | None = None  # 余 多 以上 近 超 逾 约 左右 同比下降 …
    numeral: str = "arabic"  # arabic | chinese
    kind: str = "count"  # count | rate | money | change | measure
    scope: str = "annual"  # annual | cumulative | subset | component
    section: int | None = None  # index into ParsedReport.sections
    code: str | None = None  # catalogue code
    confidence: float = 0.0  # of the code assignment, 0–1


@dataclass(frozen=True, slots=True)
class ParsedReport:
    metadata: Metadata
    sections: tuple[Section, ...]
    indicators: tuple[Quantity, ...]
    parser_version: str = PARSER_VERSION
    clean_text: str = ""  # the text with web-page furniture blanked (same length, same offsets)

    def to_contract(self, *, file: str | None = None) -> dict[str, object]:
        """The JSON-ready structure of the parse contract."""
        meta = self.metadata
        return {
            "file": file,
            "title": meta.title,
            "issuer": meta.issuer,
            "region": {
                "province": meta.region.province,
                "city": meta.region.city,
                "county": meta.region.county,
            },
            "admin_level": meta.admin_level,
            "report_year": meta.report_year,
            "published_on": meta.published_on.isoformat() if meta.published_on else None,
            "parser_version": self.parser_version,
            "sections": [
                {
                    "level": s.level,
                    "marker": s.marker,
                    "title": s.title,
                    "text": s.text,
                    "parent": s.parent,
                }
                for s in self.sections
            ],
            "indicators": [
                {
                    "quote": q.quote,
                    "subject": q.subject,
                    "value": _json_number(q.value),
                    "unit": q.unit,
                    "qualifier": q.qualifier,
                    "numeral": q.numeral,
                    "kind": q.kind,
                    "scope": q.scope,
                    "code": q.code,
                    "confidence": q.confidence,
                    "section": q.section,
                    "start": q.start,
                    "end": q.end,
                }
                for q in self.indicators
            ],
        }


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
