"""Where the parser's data files live: the project's ``seeds/`` folder (overridable for tests)."""

from __future__ import annotations

import os
from pathlib import Path


def seeds_dir() -> Path:
    """``$SEEDS_DIR`` or the repository's ``seeds/`` (the settings' ``SEEDS_DIR`` is this)."""
    override = os.environ.get("SEEDS_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "seeds"
