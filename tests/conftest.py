"""Shared fixtures: paths to the sample corpus and gold annotations."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS_DIR = FIXTURES / "corpus"
GOLD_DIR = FIXTURES / "gold"


@pytest.fixture
def corpus_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("*.txt"))


@pytest.fixture(autouse=True)
def originals_in_tmp(settings, tmp_path_factory):
    """Each test keeps uploaded originals in a folder of its own, not in the project's var/."""
    location = tmp_path_factory.mktemp("originals")
    settings.STORAGES = {
        **settings.STORAGES,
        "originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location
