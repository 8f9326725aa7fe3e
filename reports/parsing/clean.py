"""Web-page noise removal. SCAFFOLD: replaced by the full cleaner."""

from __future__ import annotations


def strip_web_noise(text: str) -> str:
    """Return ``text`` with page furniture blanked out; same length, so offsets are unchanged."""
    return text
