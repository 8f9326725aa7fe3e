"""The section tree: numbered headings (一、 / （一） / 1. / （1）) with their bodies.

A heading is a marker that starts a paragraph (or follows a sentence end in a page whose paragraphs
were run together) and continues the numbering of its level: the next expected marker of each level
is tracked, so inline enumerations, numbers such as 1.5亿 and list items inside sentences are not
taken for headings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from reports.parsing.numerals import NumeralError, parse_chinese
from reports.parsing.seeds import seeds_dir
from reports.parsing.types import Section
from reports.parsing.wordcheck import starts_word

_CN = "一二三四五六七八九十"
#: Places a paragraph can start: a line start, after a sentence end or a wide gap of spaces.
_OPENINGS = re.compile(r"\n|[。！？!?\u3000]|[ \t\xa0]{2}|[ \xa0](?=[(（一二三四五六七八九十\d])")
_MARKER = re.compile(
    r"[ \t\u3000\xa0\r]*"
    rf"(?:(?P<l1>[{_CN}]{{1,3}}[、．.])"
    rf"|(?P<l2>[(（][{_CN}]{{1,3}}[)）])"
    r"|(?P<l3>(?<![\d.．,，:：/\-])\d{1,2}(?:[.．](?![\d.．])|、))"
    r"|(?P<l4>[(（]\d{1,2}[)）]))"
)
_TITLE_END = re.compile(r"[。；;！？!?\n]|[ \t\u3000\xa0]{2,}|\u3000")
_SENTENCE_END = "。！？!?"
_LEAD_IN = "：:"  # a colon before a space: the line break after 报告如下： collapsed
_SPACES = " \t\u3000\xa0\r"
_MAX_LEVEL = 4
LEXICON_FILE = "heading_lexicon.json"
_RUN_ON_TITLE = 40  # headings are shorter: a longer title ran into its body (breaks dropped)
_SENTENCE_AFTER_SPACE = 20  # a run this long with a comma after a space is a sentence
_INNER_SPACE = re.compile(r"[ \xa0]")
_CLAUSE_SEPARATOR = re.compile(r"[，,]")


@dataclass(frozen=True, slots=True)
class _BodyOpeners:
    after_space: re.Pattern[str]  # words that start a body after a collapsed line break
    run_on: re.Pattern[str]  # …and, in a title run into its body, the verbs that start it


@cache
def _openers() -> _BodyOpeners:
    """``seeds/heading_lexicon.json``: the words a heading's body starts with."""
    raw = json.loads((seeds_dir() / LEXICON_FILE).read_text("utf-8"))

    def alternation(words: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))

    return _BodyOpeners(
        after_space=alternation(raw["after_space"]),
        run_on=alternation(raw["after_space"] + raw["run_on"]),
    )


def _title_end(text: str, title_start: int) -> int:
    """Where a heading's title ends: at the first 。 or ； or line end; before a single space
    that stands for a collapsed line break (the body follows: a body-opening word such as 一是,
    a marker, a full sentence); in a title run into its body without any break, before the word
    that starts the body (…政治责任坚持“思想引领…)."""
    found = _TITLE_END.search(text, title_start)
    end = found.start() if found else len(text)
    openers = _openers()
    for space in _INNER_SPACE.finditer(text, title_start, end):
        after = space.end()
        word = openers.after_space.match(text, after)
        if word and starts_word(text, after, word.end()):
            return space.start()
        marker = _MARKER.match(text, after)
        if marker is not None and marker.lastgroup:
            return space.start()
        at_line_end = end == len(text) or text[end] == "\n"  # a heading on a line of its own
        long_run = end - after >= _SENTENCE_AFTER_SPACE
        if not at_line_end and long_run and _CLAUSE_SEPARATOR.search(text, after, end):
            return space.start()
    if end - title_start > _RUN_ON_TITLE:
        for word in openers.run_on.finditer(text, title_start + 4, end):
            glued = text[word.start() - 1]
            if _is_cjk(glued) and starts_word(text, word.start(), word.end()):
                return word.start()
    return end


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    number: int
    marker: str
    start: int  # marker start
    title_start: int
    title_end: int


def _number(marker: str) -> int | None:
    digits = "".join(ch for ch in marker if ch.isdigit())
    if digits:
        return int(digits)
    try:
        return parse_chinese("".join(ch for ch in marker if ch in _CN))
    except NumeralError:
        return None


def _boundary(text: str, pos: int) -> str | None:
    """``"line"`` when only spaces precede ``pos`` on its line; ``"sentence"`` when a sentence end
    or a wide gap of spaces does (paragraphs run together on one line), else None."""
    i = pos - 1
    while i >= 0 and text[i] in _SPACES:
        i -= 1
    if i < 0 or text[i] == "\n":
        return "line"
    gap = text[i + 1 : pos]
    if text[i] in _SENTENCE_END or len(gap) >= 2 or "\u3000" in gap:
        return "sentence"
    if text[i] in _LEAD_IN and gap:  # 报告如下： 一、… where the line break became a space
        return "sentence"
    return None


def _accepts(level: int, number: int, where: str, last: list[int], current: int) -> bool:
    """Does a marker continue (or properly restart) the numbering of its level? ``current`` is
    the level of the heading accepted last (0 before the first)."""
    previous = last[level]
    if where == "line":
        return number in (previous + 1, previous + 2) or number == 1
    if number == previous + 1 and previous >= 1:
        return True
    return number == 1 and previous == 0 and (level <= 2 or 0 < current < level)


def _marker_matches(text: str) -> list[re.Match[str]]:
    """Markers at the places a paragraph can start (checked once per place, not per character)."""
    found = []
    first = _MARKER.match(text)
    if first:
        found.append(first)
    for opening in _OPENINGS.finditer(text):
        m = _MARKER.match(text, opening.end())
        if m and (not found or m.start() >= found[-1].end()):
            found.append(m)
    return found


def _candidates(text: str) -> list[_Heading]:
    found: list[_Heading] = []
    last = [0] * (_MAX_LEVEL + 1)
    for m in _marker_matches(text):
        level = int(m.lastgroup[1]) if m.lastgroup else 0
        marker = m.group(m.lastgroup or 0)
        marker_start = m.start(m.lastgroup or 0)
        where = _boundary(text, marker_start)
        if where is None and found and _follows_title(text, found[-1], marker_start):
            where = "sentence"  # 一、标题 （一）…: the space that ended a title starts a paragraph
        number = _number(marker)
        if not level or where is None or number is None or number == 0:
            continue
        title_start = m.end()
        while title_start < len(text) and text[title_start] in _SPACES:
            title_start += 1
        if level == 3 and title_start < len(text) and text[title_start].isdigit():
            continue
        if not _accepts(level, number, where, last, found[-1].level if found else 0):
            continue
        title_end = _title_end(text, title_start)
        found.append(_Heading(level, number, marker, marker_start, title_start, title_end))
        last[level] = number
        for deeper in range(level + 1, _MAX_LEVEL + 1):
            last[deeper] = 0
    return found


def _follows_title(text: str, previous: _Heading, pos: int) -> bool:
    """Is ``pos`` right after the space that ended ``previous``'s title?"""
    gap = text[previous.title_end : pos]
    return previous.title_end > previous.title_start and bool(gap) and not gap.strip(_SPACES)


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def split_sections(body: str) -> tuple[Section, ...]:
    """Headings of ``body`` in document order, each with its level, marker as written, title, body
    text, offsets into ``body`` and the index of its enclosing section."""
    headings = _candidates(body)
    sections: list[Section] = []
    stack: list[int] = []  # indices of open sections, shallowest first
    for i, h in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else len(body)
        while stack and sections[stack[-1]].level >= h.level:
            stack.pop()
        stop = body[h.title_end : h.title_end + 1]
        body_start = min(h.title_end + (1 if stop and not _is_cjk(stop) else 0), end)
        sections.append(
            Section(
                level=h.level,
                marker=h.marker,
                title=body[h.title_start : h.title_end].strip().lstrip("、，,．.").strip(),
                text=body[body_start:end].strip(),
                start=h.start,
                end=end,
                parent=stack[-1] if stack else None,
            )
        )
        stack.append(i)
    return tuple(sections)
