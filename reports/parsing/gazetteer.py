"""China's administrative divisions. SCAFFOLD: replaced by the full gazetteer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Gazetteer:
    names: frozenset[str] = frozenset()


@cache
def load_gazetteer() -> Gazetteer:
    return Gazetteer()
