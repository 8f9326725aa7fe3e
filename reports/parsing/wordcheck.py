"""Is a span of text a word? A check on the jieba segmentation of the clause around it, so that a
lexicon word is taken only where the text uses it as a word (全局 in 全局实现 but not in 全局性)."""

from __future__ import annotations

import re
from functools import lru_cache

from reports.parsing.segment import cut

_CLAUSE_MARK = re.compile(r"[，。；：:,;！？!?\s、（）()《》“”\"]")
_REACH = 24  # characters of context cut on either side


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    left = start
    while left > 0 and start - left < _REACH and not _CLAUSE_MARK.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and right - end < _REACH and not _CLAUSE_MARK.match(text[right]):
        right += 1
    return left, right


def is_word(text: str, start: int, end: int) -> bool:
    """Do ``text[start:end]`` begin and end on word boundaries of the jieba segmentation of its
    clause?"""
    left, right = _clause(text, start, end)
    bounds = _word_ends(text[left:right])
    return start - left in bounds and end - left in bounds


def word_before(text: str, start: int) -> str:
    """The word of the clause's segmentation that ends at ``start`` ("" at a clause start or
    when no word ends there)."""
    left, right = _clause(text, start, start)
    bounds = _word_ends(text[left:right])
    if start - left not in bounds:
        return ""
    before = max((b for b in bounds if b < start - left), default=None)
    return text[left + before : start] if before is not None else ""


@lru_cache(maxsize=2048)
def _word_ends(clause: str) -> frozenset[int]:
    """Offsets in ``clause`` where a word of its segmentation starts or ends."""
    ends = {0}
    pos = 0
    for word in cut(clause):
        pos += len(word)
        ends.add(pos)
    return frozenset(ends)


def starts_word(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` start on a word boundary and end on one (the clause is cut from
    ``start`` on, so what precedes cannot glue to it)?"""
    right = end
    while right < len(text) and right - end < _REACH and not _CLAUSE_MARK.match(text[right]):
        right += 1
    pos = start
    for word in cut(text[start:right]):
        pos += len(word)
        if pos >= end:
            return pos == end
    return False
