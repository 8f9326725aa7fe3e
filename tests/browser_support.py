"""Where the browser tests find Chromium and put their screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"  # every page the browser tests open (CI keeps them)
WIDTH = 1280  # pixels: no page may scroll sideways at this width
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def page_width(page) -> int:
    """How wide the page's document is, in CSS pixels (wider than the window: it scrolls)."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
)
