"""The search query language, parsed and compiled to tsqueries. Pure Python (jieba only).

    行政复议 法律援助          both terms (AND is the default)
    行政复议 OR 行政诉讼       either term (OR binds tighter than AND: ``a OR b c`` = (a|b) & c)
    行政复议 -行政诉讼         exclusion
    "行政复议 案件"            a phrase: its parts adjacent in the text (行政复议案件)

A term matches a section whose title or body contains it as a substring (ASCII letters
case-folded): a term is never split into words found far apart. Three tsqueries come out:

- ``rank``: on the word vector, the words of each term chained by their character offsets
  (``行政 <2> 应诉``); a match is certain and is ranked in the first tier ("word match").
- ``certain``: on the recall vector, rows that surely match (a one-word term's ``==word`` lexeme, a
  one- or two-character term's own lexeme).
- ``possible``: on the recall vector, a superset of the matches (all the term's pairs).
  Rows that are possible but not certain are confirmed on the text (``strpos``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from reports.errors import DomainError
from reports.search.vectors import (
    TITLE_MARK,
    WORD_PREFIX,
    normalise,
    query_words,
    quote_lexeme,
)

MAX_TERM_LENGTH = 64
MAX_TERMS = 16
OR_WORDS = frozenset({"OR", "|", "或"})
# Impact tiers of the first tier, best first: (in the title, at least n times in the body).
TIERS = ((True, 4), (True, 2), (True, None), (False, 4), (False, 2))
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|“([^”]*)”?|(\S+))')
_SPACE = re.compile(r"[\s\u3000]+")


class SearchQueryError(DomainError):
    code = "invalid_query"


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # normalised: what must occur in the section
    phrase: bool = False  # written in quotes
    # The index's words covering the text exactly, with their offsets; empty if they do not.
    words: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, text: str, *, phrase: bool = False) -> Term:
        words = query_words(text)
        at = 0
        for word, start in words:
            if start != at:
                break
            at = start + len(word)
        covered = at == len(text) and all(start < len(text) for _, start in words)
        return cls(text=text, phrase=phrase, words=tuple(words) if covered else ())

    @property
    def grams(self) -> frozenset[str]:
        """Lexemes of the recall vector that every section containing the term has."""
        t = self.text
        pairs = {
            t[i : i + 2] for i in range(len(t) - 1) if not (t[i].isspace() or t[i + 1].isspace())
        }
        covered = {c for p in pairs for c in p}
        singles = {c for c in t if not c.isspace() and c not in covered}
        if len(t) <= 2 and not any(c.isspace() for c in t):
            return frozenset({t})
        return frozenset(pairs | singles)

    @property
    def exact_by_grams(self) -> bool:
        """One or two characters: the recall vector alone decides."""
        return len(self.text) <= 2 and not any(c.isspace() for c in self.text)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    groups: tuple[tuple[Term, ...], ...]  # AND of ORs
    excluded: tuple[Term, ...] = ()

    @property
    def terms(self) -> tuple[Term, ...]:
        """The positive terms (for highlighting)."""
        return tuple(t for group in self.groups for t in group)

    def rank_tsquery(self) -> str | bool:
        """Word-vector query of the first tier; False if some group has no word match (True if
        there is nothing to rank by)."""
        return _and([_or([_word_query(t) for t in group]) for group in self.groups])

    @property
    def has_phrases(self) -> bool:
        """Some term is several words: the word vector's positions must confirm it."""
        return any(len(t.words) > 1 for t in self.terms)

    @property
    def excluded_on_text(self) -> tuple[Term, ...]:
        """Exclusions that only the text decides (longer than two characters)."""
        return tuple(t for t in self.excluded if not t.exact_by_grams)

    def tier_tsqueries(self) -> list[str]:
        """Recall-vector queries of the first tier's impact tiers, best first, disjoint.

        A section is in the tier of the best marker any query word has in it (see
        ``vectors.impact_lexemes``); the last tier holds the rest. Exclusions that the recall
        vector decides are applied; longer ones are left to the text.

        The markers are nested (≥4 occurrences imply ≥2; every title tier implies the plain
        title one), so a tier excludes only the tier before it and, below the title tiers, the
        title: each tier reads a few posting lists of the index, not those of every tier above.
        """
        groups = [_or([_word_lexemes(t) for t in group]) for group in self.groups]
        base = _and(groups + [_not(_certain(t)) for t in self.excluded])
        if isinstance(base, bool):
            return []
        levels = [_or([_marked(t, title, body) for t in self.terms]) for title, body in TIERS]
        in_title = levels[TIERS.index((True, None))]
        out = []
        for i, (title, _) in enumerate(TIERS):
            above = levels[i - 1] if i and TIERS[i - 1][0] == title else False
            tier = _and([base, levels[i], _not(above), True if title else _not(in_title)])
            if isinstance(tier, str):
                out.append(tier)
        rest = _and([base, _not(in_title), _not(levels[-1])])
        if isinstance(rest, str):
            out.append(rest)
        return out

    def certain_tsquery(self) -> str | bool:
        parts = [_or([_certain(t) for t in group]) for group in self.groups]
        parts += [_not(_possible(t)) for t in self.excluded]
        return _and(parts)

    def possible_tsquery(self) -> str | bool:
        parts = [_or([_possible(t) for t in group]) for group in self.groups]
        parts += [_not(_certain(t)) for t in self.excluded]
        return _and(parts)

    def uncertain_tsquery(self) -> str | bool:
        """Rows to confirm on the text: possible and not certain."""
        possible, certain = self.possible_tsquery(), self.certain_tsquery()
        if possible == certain:
            return False
        return _and([possible, _not(certain)])


# Boolean tsquery text with True/False constants folded away (None is False).


def _and(parts: Sequence[str | bool | None]) -> str | bool:
    out: list[str] = []
    for p in parts:
        if p is False or p is None:
            return False
        if p is not True:
            out.append(p)
    if not out:
        return True
    return out[0] if len(out) == 1 else " & ".join(f"( {p} )" for p in out)


def _or(parts: Sequence[str | bool | None]) -> str | bool:
    out: list[str] = []
    for p in parts:
        if p is True:
            return True
        if p is not False and p is not None:
            out.append(p)
    if not out:
        return False
    return out[0] if len(out) == 1 else " | ".join(f"( {p} )" for p in out)


def _not(part: str | bool) -> str | bool:
    if isinstance(part, bool):
        return not part
    return f"!( {part} )"


def _word_query(term: Term) -> str | None:
    words = term.words
    if not words:
        return None
    out = quote_lexeme(words[0][0])
    for (_, prev), (word, start) in pairwise(words):
        out += f" <{start - prev}> {quote_lexeme(word)}"
    return out


def _word_lexemes(term: Term) -> str | bool:
    """Recall-vector lexemes of a term's words; for several words, also the term's bigrams."""
    if not term.words:
        return False
    words: list[str | bool] = [quote_lexeme(WORD_PREFIX + w) for w, _ in term.words]
    return _and(words if len(words) == 1 else [*words, _possible(term)])


def _marked(term: Term, title: bool, body: int | None) -> str | bool:
    parts: list[str | bool | None] = []
    for word, _ in term.words:
        if title:
            parts.append(quote_lexeme(TITLE_MARK + word))
        if body:
            parts.append(quote_lexeme(f"={body}={word}"))
    return _and(parts) if parts else False


def _certain(term: Term) -> str | bool:
    if term.exact_by_grams:
        return quote_lexeme(term.text)
    words = term.words
    if len(words) == 1:
        return quote_lexeme(WORD_PREFIX + words[0][0])
    return False


def _possible(term: Term) -> str | bool:
    return _and([quote_lexeme(g) for g in sorted(term.grams)])


# Parsing.


def _join_phrase(text: str) -> str:
    """Words of a quoted phrase, adjacent: spaces kept only between two Latin words."""
    parts = _SPACE.split(text.strip())
    out = parts[0] if parts else ""
    for part in parts[1:]:
        if out and part and out[-1].isascii() and out[-1].isalnum() and part[0].isascii():
            out += " "
        out += part
    return out


def _term(raw: str, *, phrase: bool) -> Term | None:
    text = normalise(_join_phrase(raw) if phrase else raw.strip())
    if not text:
        return None
    if len(text) > MAX_TERM_LENGTH:
        raise SearchQueryError(
            f"A search term is limited to {MAX_TERM_LENGTH} characters.", term=text[:80]
        )
    return Term.of(text, phrase=phrase)


def parse_query(text: str) -> SearchQuery:
    """Parse the query language; raises ``SearchQueryError`` (``invalid_query``)."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for m in _TOKEN.finditer(text.replace("\u3000", " ")):
        negated, quoted, cn_quoted, bare = m.groups()
        if bare is not None and not negated and bare in OR_WORDS:
            join_next = bool(groups)
            continue
        phrase = bare is None
        term = _term(bare if bare is not None else (quoted or cn_quoted or ""), phrase=phrase)
        if term is None:
            continue
        if negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        raise SearchQueryError("The query has no search term (exclusions alone match too much).")
    if sum(map(len, groups)) + len(excluded) > MAX_TERMS:
        raise SearchQueryError(f"A query is limited to {MAX_TERMS} terms.")
    return SearchQuery(groups=tuple(tuple(g) for g in groups), excluded=tuple(excluded))
