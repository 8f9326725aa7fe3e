"""Catalogue codes from context: the indicator a figure measures when its own clause does not
name it.

Reports name the topic once and then list figures: ``全年收到申请233件，受理112件`` in a paragraph
about 行政复议, ``决定废止1件、拟修订13件`` after 规范性文件清理, ``聘请29人`` under 法律顾问.
The topics lexicon (seeds/indicator_topics.json) lists each topic's mentions and, per topic, the
codes its figures take: a rule admits a figure by its unit and by an action word of its clause
(受理, 废止, 培训 …).

The topic is looked for in widening scopes: the sentence around the figure (nearest mention
first), the paragraph before it, then the heading path (deepest heading first). In the first scope
that names a topic, the nearest mention decides: its topic's fitting rule gives the code, and a
nearer mention of another specific topic (人大建议, 12345热线 …) leaves the figure uncoded. Topics
marked ``generic`` (行政执法, a word of many sentences) never stand in the way of another.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reports.parsing.joins import TextView
from reports.parsing.seeds import seeds_dir
from reports.parsing.subjects import kind_modifier
from reports.parsing.types import Quantity, Section

TOPICS_FILE = "indicator_topics.json"
#: Confidence of a code read from the sentence, the paragraph and the heading path.
SCOPE_CONFIDENCE = (0.7, 0.6, 0.5)
CONTEXT_CONFIDENCES = frozenset(SCOPE_CONFIDENCE)
PARAGRAPH_WINDOW = 800
BARE_RATE_LENGTH = 5
SENTENCE_WINDOW = 300  # a run-on sentence is read this far around the figure
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_NEWLINE = re.compile("\n")
_CLAUSE_END = re.compile(r"[，,；;：:。]")
_CLAUSE_MARK = re.compile(r"[，,；;：:。、（(]")
_CODED_SCOPES = frozenset({"annual", "cumulative", "subset"})


@dataclass(frozen=True, slots=True)
class ContextRule:
    code: str
    units: frozenset[str]
    clause: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    near: bool = False  # the topic must be named in the figure's own sentence

    def admits(self, quantity: Quantity, clause: str, scope: int, modifier: str | None) -> bool:
        """Whether the rule takes the figure: its unit, an action word of its clause and nothing
        the rule excludes; a figure that names its own kind of case (民事诉讼案件) only when the
        rule's action words name that kind too (一审案件 under 行政应诉)."""
        if quantity.unit not in self.units or (self.near and scope > 0):
            return False
        if modifier is not None and not (self.clause and self.clause.search(modifier)):
            return False
        if self.clause is not None and not self.clause.search(clause):
            return False
        return not (self.exclude and self.exclude.search(clause))


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    generic: bool
    rules: tuple[ContextRule, ...]

    def code_for(
        self, quantity: Quantity, clause: str, scope: int, modifier: str | None
    ) -> str | None:
        return next(
            (r.code for r in self.rules if r.admits(quantity, clause, scope, modifier)), None
        )


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    topic: int  # index into TopicLexicon.topics


class TopicLexicon:
    """Topics with their mentions (literal words) compiled into one pattern: one scan, led by a
    class of the mentions' first characters, finds every mention of every topic."""

    __slots__ = ("_pattern", "_topic_of", "topics")

    def __init__(self, topics: tuple[Topic, ...], mentions: Sequence[Sequence[str]]) -> None:
        self.topics = topics
        self._topic_of: dict[str, int] = {}
        for i, words in enumerate(mentions):
            for word in words:
                self._topic_of.setdefault(word, i)
        words = sorted(self._topic_of, key=len, reverse=True)
        firsts = "".join(sorted({re.escape(w[0]) for w in words}))
        alternation = "|".join(re.escape(w) for w in words)
        self._pattern = re.compile(f"(?=[{firsts}])(?:{alternation})") if words else None

    @classmethod
    def from_rows(
        cls, rows: list[dict[str, Any]], excludes: dict[str, tuple[str, ...]]
    ) -> TopicLexicon:
        """Build from the ``topics`` list of the lexicon. ``excludes`` maps each code of the
        catalogue in use to its rules' ``exclude`` patterns, which bind a context rule too (what
        the catalogue says a code is not, context cannot make it); rules for other codes are
        dropped."""
        codes = excludes
        topics = []
        for row in rows:
            rules = tuple(
                ContextRule(
                    code=r["code"],
                    units=frozenset(r["units"]),
                    clause=re.compile(r["clause"]) if r.get("clause") else None,
                    exclude=_exclusions(r.get("exclude"), excludes.get(r["code"], ())),
                    near=bool(r.get("near")),
                )
                for r in row.get("rules", ())
                if r["code"] in codes
            )
            topics.append(Topic(row["topic"], bool(row.get("generic")), rules))
        return cls(tuple(topics), [row["mentions"] for row in rows])

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        if self._pattern is None:
            return []
        end = len(text) if end is None else end
        topic_of = self._topic_of
        return [
            Mention(m.start(), m.end(), topic_of[m.group()])
            for m in self._pattern.finditer(text, start, end)
        ]


def _exclusions(own: str | None, entry: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = [p for p in (own, *entry) if p]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


@cache
def _raw_topics(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["topics"]
    return rows


def load_topics(excludes: dict[str, tuple[str, ...]], path: Path | None = None) -> TopicLexicon:
    """The topics lexicon in seeds/ (or ``path``) for a catalogue whose codes map to their
    ``exclude`` patterns in ``excludes``."""
    path = path or seeds_dir() / TOPICS_FILE
    return TopicLexicon.from_rows(_raw_topics(path) if path.is_file() else [], excludes)


def is_bare_rate(subject: str) -> bool:
    """A rate named by its head alone (办结率, 优秀率, 按期办结率): what it rates is in the
    context, so the context decides its code before the clause does."""
    return len(subject) <= BARE_RATE_LENGTH and subject.endswith("率")


def figure_clause(quantity: Quantity) -> str:
    """The subject and the last clause of the quote: the words that say what the figure did."""
    quote = quantity.quote
    cut = max((m.end() for m in _CLAUSE_MARK.finditer(quote)), default=0)
    return f"{quantity.subject}|{quote[cut:]}"


class ContextReader:
    """Reads the topic around each quantity of one parsed text."""

    def __init__(
        self, lexicon: TopicLexicon, view: TextView, sections: tuple[Section, ...]
    ) -> None:
        self.lexicon = lexicon
        self.view = view
        self.sections = sections
        text = view.text
        self._mentions = lexicon.mentions(text)
        self._starts = [m.start for m in self._mentions]
        self._sentence_ends = [m.start() for m in _SENTENCE_END.finditer(text)]
        self._lines = [m.start() for m in _NEWLINE.finditer(text)]
        self._headings: dict[int, list[Mention]] = {}
        self._titles: dict[str, list[Mention]] = {}

    def code(self, quantity: Quantity) -> tuple[str | None, float, bool]:
        """``(code, confidence, decided)`` read from the figure's context. ``decided`` is true when
        a code was found or the nearest specific topic has none for the figure (人大建议 before a
        bare 办结率): the context then rules out a code the clause alone would suggest."""
        if quantity.kind == "change" or quantity.scope not in _CODED_SCOPES:
            return None, 0.0, False
        modifier = kind_modifier(quantity.subject)
        clause = figure_clause(quantity)
        start = self.view.to_view(quantity.start)
        end = max(start + 1, self.view.to_view(quantity.end))
        s_start, s_end = self._sentence(start, end)
        s_start, s_end = max(s_start, start - SENTENCE_WINDOW), min(s_end, end + SENTENCE_WINDOW)
        after = _CLAUSE_END.search(self.view.text, end, s_end)
        c_end = after.start() if after else s_end  # after the figure, only its own clause
        scopes = (
            lambda: self._nearest(self._within(s_start, c_end), start, end),
            lambda: self._within(
                max(self._paragraph_start(s_start), s_start - PARAGRAPH_WINDOW), s_start
            )[::-1],
            lambda: self._heading_mentions(quantity.section),
        )
        for scope, (read, confidence) in enumerate(zip(scopes, SCOPE_CONFIDENCE, strict=True)):
            for mention in read():  # the wider scopes are read only when the narrower are silent
                topic = self.lexicon.topics[mention.topic]
                code = topic.code_for(quantity, clause, scope, modifier)
                if code is not None:
                    return code, confidence, True
                if not topic.generic:
                    return None, 0.0, True  # the nearest specific topic is another one
        return None, 0.0, False

    def _sentence(self, start: int, end: int) -> tuple[int, int]:
        ends = self._sentence_ends
        i = bisect.bisect_left(ends, start)
        s_start = ends[i - 1] + 1 if i else 0
        j = bisect.bisect_left(ends, end)
        s_end = ends[j] if j < len(ends) else len(self.view.text)
        return s_start, s_end

    def _paragraph_start(self, pos: int) -> int:
        i = bisect.bisect_left(self._lines, pos)
        return self._lines[i - 1] + 1 if i else 0

    def _within(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [m for m in self._mentions[lo:hi] if m.end <= end]

    @staticmethod
    def _nearest(mentions: list[Mention], start: int, end: int) -> list[Mention]:
        """Mentions ordered by distance to the figure; one inside the figure's span comes first."""

        def distance(m: Mention) -> int:
            if m.end <= start:
                return start - m.end
            if m.start >= end:
                return m.start - end
            return -1

        return sorted(mentions, key=distance)

    def _heading_mentions(self, index: int | None) -> list[Mention]:
        """Mentions in the titles of the heading path, the deepest heading first and the last
        mention of a title first."""
        if index is None:
            return []
        found = self._headings.get(index)
        if found is None:
            found = []
            step: int | None = index
            for _ in range(len(self.sections)):  # a parent chain never loops, but stay bounded
                if step is None:
                    break
                title = self.sections[step].title
                in_title = self._titles.get(title)
                if in_title is None:
                    in_title = self._titles[title] = self.lexicon.mentions(title)[::-1]
                found.extend(in_title)
                section = self.sections[step]
                step = section.parent
            self._headings[index] = found
        return found
