"""Text extraction from uploaded files. SCAFFOLD: replaced by the full extractor."""

from __future__ import annotations

from reports.errors import EmptyFileError, UndecodableFileError
from reports.parsing.types import ExtractedText


def extract_text(data: bytes, filename: str) -> ExtractedText:
    if not data.strip():
        raise EmptyFileError(f"{filename} is empty")
    try:
        return ExtractedText(text=data.decode("utf-8-sig"), format="txt", encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UndecodableFileError(f"{filename} could not be decoded") from exc
