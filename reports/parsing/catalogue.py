"""The indicator catalogue and code assignment. SCAFFOLD: replaced by the full mapper."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reports.parsing.seeds import seeds_dir
from reports.parsing.types import Quantity

CATALOGUE_FILE = "catalogue.json"


@dataclass(frozen=True, slots=True)
class IndicatorEntry:
    code: str
    name: str
    unit: str
    kind: str
    category: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    entries: tuple[IndicatorEntry, ...]

    @classmethod
    def from_entries(cls, rows: list[dict]) -> Catalogue:
        return cls(
            tuple(
                IndicatorEntry(
                    code=r["code"],
                    name=r["name"],
                    unit=r["unit"],
                    kind=r["kind"],
                    category=r.get("category", ""),
                    synonyms=tuple(r.get("synonyms", ())),
                )
                for r in rows
            )
        )

    def assign_code(self, quantity: Quantity) -> Quantity:
        return quantity


@cache
def _load(path: Path) -> Catalogue:
    return Catalogue.from_entries(json.loads(path.read_text("utf-8"))["indicators"])


def load_catalogue(path: Path | None = None) -> Catalogue:
    return _load(path or seeds_dir() / CATALOGUE_FILE)
