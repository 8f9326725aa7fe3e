"""The indicator catalogue and code assignment.

Each catalogue row (seeds/catalogue.json, or IndicatorDefinition rows from the database) carries
``patterns``: matching rules, each a dict

    {"subject": REGEX, "units": [...], "exclude": REGEX, "kinds": [...], "scopes": [...],
     "where": "subject" | "quote", "weight": 0.9}

(a plain string is a subject regex with the row's units). A quantity gets the code of the
highest-weighted rule whose unit, kind and scope admit it and whose regex finds its subject (or its
subject and quote, ``where="quote"``) without hitting ``exclude``. Year-on-year changes get no code;
components only where a rule lists the ``component`` scope. Rules are compiled once and results
memoised on (subject, unit, kind, quote, scope), so re-mapping stored values is cheap.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from reports.parsing.context import ContextReader, TopicLexicon, is_bare_rate, load_topics
from reports.parsing.joins import TextView, join_layout
from reports.parsing.seeds import seeds_dir
from reports.parsing.types import Quantity, Section

CATALOGUE_FILE = "catalogue.json"
DEFAULT_WEIGHT = 0.9
DEFAULT_SCOPES = frozenset({"annual", "cumulative", "subset"})
_MEMO_LIMIT = 500_000
_KNOWN_UNITS = re.compile(
    r"人次|家次|场次|台次|万元|亿元|%|件|宗|起|份|卷|次|场|人|名|位|家|户|项|个|本|张|条|部"
)


@dataclass(frozen=True, slots=True)
class IndicatorEntry:
    code: str
    name: str
    unit: str
    kind: str
    category: str
    synonyms: tuple[str, ...] = ()
    patterns: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class _Rule:
    code: str
    subject: re.Pattern[str]
    exclude: re.Pattern[str] | None
    units: frozenset[str]
    kinds: frozenset[str]
    scopes: frozenset[str]
    use_quote: bool
    weight: float


def _rule(entry: IndicatorEntry, spec: Any) -> _Rule:
    if isinstance(spec, str):
        spec = {"subject": spec}
    units = spec.get("units") or _KNOWN_UNITS.findall(entry.unit) or [entry.unit]
    exclude = spec.get("exclude")
    return _Rule(
        code=entry.code,
        subject=re.compile(spec["subject"]),
        exclude=re.compile(exclude) if exclude else None,
        units=frozenset(units),
        kinds=frozenset(spec.get("kinds") or [entry.kind]),
        scopes=frozenset(spec.get("scopes") or DEFAULT_SCOPES),
        use_quote=spec.get("where") == "quote",
        weight=float(spec.get("weight", DEFAULT_WEIGHT)),
    )


class Catalogue:
    """Indicator definitions with compiled matching rules, indexed by unit."""

    __slots__ = ("_by_unit", "_memo", "_screen", "_topics", "entries")

    def __init__(
        self, entries: tuple[IndicatorEntry, ...], topics: TopicLexicon | None = None
    ) -> None:
        self.entries = entries
        self._topics = topics
        by_unit: dict[str, list[_Rule]] = {}
        for entry in entries:
            for spec in entry.patterns:
                rule = _rule(entry, spec)
                for unit in rule.units:
                    by_unit.setdefault(unit, []).append(rule)
        self._by_unit = {u: tuple(rules) for u, rules in by_unit.items()}
        # One alternation per unit: a quantity no rule can match is turned away in one search.
        self._screen = {
            u: re.compile("|".join(f"(?:{r.subject.pattern})" for r in rules))
            for u, rules in self._by_unit.items()
        }
        self._memo: dict[tuple[str, str, str, str, str], tuple[str | None, float]] = {}

    @classmethod
    def from_entries(cls, rows: list[dict[str, Any]]) -> Catalogue:
        """Build from catalogue rows (the ``indicators`` list of catalogue.json)."""
        return cls(
            tuple(
                IndicatorEntry(
                    code=r["code"],
                    name=r["name"],
                    unit=r["unit"],
                    kind=r["kind"],
                    category=r.get("category", ""),
                    synonyms=tuple(r.get("synonyms", ())),
                    patterns=tuple(r.get("patterns", ())),
                )
                for r in rows
            )
        )

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(e.code for e in self.entries)

    def fitting(self, *, unit: str, kind: str) -> frozenset[str]:
        """The codes a quantity of this unit and kind may carry: one of the code's rules takes
        both (a code without rules: its own kind, and a unit its definition names)."""
        codes = {rule.code for rule in self._by_unit.get(unit, ()) if kind in rule.kinds}
        codes.update(
            entry.code
            for entry in self.entries
            if not entry.patterns
            and entry.kind == kind
            and unit in (_KNOWN_UNITS.findall(entry.unit) or [entry.unit])
        )
        return frozenset(codes)

    def match(self, quantity: Quantity) -> tuple[str | None, float]:
        """``(code, confidence)`` for a quantity; ``(None, 0.0)`` when no indicator fits."""
        key = (quantity.subject, quantity.unit, quantity.kind, quantity.quote, quantity.scope)
        found = self._memo.get(key)
        if found is None:
            found = self._match(*key)
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _match(
        self, subject: str, unit: str, kind: str, quote: str, scope: str
    ) -> tuple[str | None, float]:
        screen = self._screen.get(unit)
        if kind == "change" or screen is None or not screen.search(f"{subject}|{quote}"):
            return None, 0.0
        best: tuple[str | None, float] = (None, 0.0)
        for rule in self._by_unit.get(unit, ()):
            if rule.weight <= best[1] or kind not in rule.kinds or scope not in rule.scopes:
                continue
            text = f"{subject}|{quote}" if rule.use_quote else subject
            if rule.subject.search(text) and not (rule.exclude and rule.exclude.search(text)):
                best = (rule.code, rule.weight)
        return best

    @property
    def topics(self) -> TopicLexicon:
        """The topics lexicon of seeds/, restricted to this catalogue's codes (loaded once)."""
        if self._topics is None:
            excludes: dict[str, tuple[str, ...]] = {}
            for entry in self.entries:
                specs = [p for p in entry.patterns if isinstance(p, dict) and p.get("exclude")]
                excludes[entry.code] = tuple(str(p["exclude"]) for p in specs)
            self._topics = load_topics(excludes)
        return self._topics

    def assign_codes(
        self,
        quantities: list[Quantity],
        *,
        text: str,
        sections: tuple[Section, ...],
        view: TextView | None = None,
    ) -> tuple[Quantity, ...]:
        """Codes for every quantity of ``text``: from the figure's own clause (:meth:`match`),
        else from its sentence, paragraph or heading path (``context.ContextReader``). A rate
        named by its head alone (优秀率) takes its code from the context first."""
        reader: ContextReader | None = None
        out = []
        for quantity in quantities:
            coded = self.assign_code(quantity)
            bare = coded.code is not None and is_bare_rate(quantity.subject)
            if (coded.code is None or bare) and quantity.kind != "change":
                if reader is None:
                    view = view if view is not None else join_layout(text)
                    reader = ContextReader(self.topics, view, sections)
                code, confidence, decided = reader.code(quantity)
                if code != coded.code and (code is not None or (bare and decided)):
                    coded = replace(quantity, code=code, confidence=confidence)
            out.append(coded)
        return tuple(out)

    def assign_code(self, quantity: Quantity) -> Quantity:
        """A copy of ``quantity`` with the catalogue code and confidence filled in."""
        code, confidence = self.match(quantity)
        if quantity.code == code and quantity.confidence == confidence:
            return quantity
        return replace(quantity, code=code, confidence=confidence)


@cache
def _load(path: Path) -> Catalogue:
    return Catalogue.from_entries(json.loads(path.read_text("utf-8"))["indicators"])


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue in seeds/catalogue.json (or ``path``), loaded once per process."""
    return _load(path or seeds_dir() / CATALOGUE_FILE)
