"""The pure report parser: ``text in → ParsedReport out``.

Imports the standard library, jieba and text libraries only — never Django, DRF, Celery or settings.
The catalogue, gazetteer and jieba dictionary come from ``seeds/`` via pure loaders or arguments.
"""

from __future__ import annotations

from dataclasses import replace

from reports.parsing.catalogue import Catalogue, load_catalogue
from reports.parsing.clean import strip_web_noise
from reports.parsing.extract import extract_text
from reports.parsing.gazetteer import Gazetteer, load_gazetteer
from reports.parsing.joins import join_layout
from reports.parsing.metadata import read_metadata
from reports.parsing.quantities import find_quantities
from reports.parsing.sections import split_sections
from reports.parsing.segment import segment, tokenize
from reports.parsing.types import (
    PARSER_VERSION,
    ExtractedText,
    Metadata,
    ParsedReport,
    Quantity,
    Region,
    Section,
)

__all__ = [
    "PARSER_VERSION",
    "Catalogue",
    "ExtractedText",
    "Gazetteer",
    "Metadata",
    "ParsedReport",
    "Quantity",
    "Region",
    "Section",
    "extract_text",
    "load_catalogue",
    "load_gazetteer",
    "parse_text",
    "segment",
    "tokenize",
]


def parse_text(
    text: str, *, catalogue: Catalogue | None = None, gazetteer: Gazetteer | None = None
) -> ParsedReport:
    """Parse a report's text. Offsets in the result index into ``text`` itself.

    ``strip_web_noise`` returns a text of the same length with page furniture blanked out, so every
    offset found in the cleaned text is an offset into the original.
    """
    catalogue = catalogue if catalogue is not None else load_catalogue()
    gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
    body = strip_web_noise(text)
    sections = split_sections(body)
    view = join_layout(body)
    quantities = [_verbatim(q, text) for q in find_quantities(body, sections, view=view)]
    return ParsedReport(
        metadata=read_metadata(text, body=body, gazetteer=gazetteer),
        sections=sections,
        indicators=catalogue.assign_codes(quantities, text=body, sections=sections, view=view),
        clean_text=body,
    )


def _verbatim(quantity: Quantity, text: str) -> Quantity:
    """The quote as it stands in the original text (the cleaner only blanks characters)."""
    quote = text[quantity.start : quantity.end]
    return quantity if quote == quantity.quote else replace(quantity, quote=quote)
