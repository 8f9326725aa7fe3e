"""Shared fixtures: paths to the sample corpus and gold annotations."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS_DIR = FIXTURES / "corpus"
GOLD_DIR = FIXTURES / "gold"


@pytest.fixture
def corpus_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("*.txt"))
