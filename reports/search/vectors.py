"""What goes into a section's search vector, and what the database derives from it. Pure Python
(jieba-rs only): no Django here.

``search_vector`` (the word vector, stored): jieba words of the title and body, plus the
dictionary words inside longer words (法律援助中心 also gives 法律援助, 法律, 援助). A word's
position is its *character offset* + 1, not its word number, so a query phrase ``A <len(A)> B``
matches exactly where the text reads "AB", whatever way jieba cut the surrounding text. Title
positions weigh A; body positions weigh by how often the word occurs in the body: B at least
``BODY_MARKS[1]`` times, C at least ``BODY_MARKS[0]`` times, D otherwise.

The recall vector is not stored: it is the index expression ``section_recall(title, text,
search_vector)`` (migration 0010), computed by PostgreSQL from the text and the word vector.
Its lexemes: every character, every pair of adjacent characters (of the title, a newline and
the body's first ``RECALL_CHARS`` characters, ASCII letters folded), every word prefixed with
``==`` (so that words and pairs never collide), and markers of a word's weight in the section
(``=T=`` in the title, ``=4=`` and ``=2=`` at least that often in the body; see
``impact_lexemes``). A term of one or two characters is present exactly when its lexeme is; a
longer one is present only if all its pairs are, which the search then confirms on the text.

Only ASCII letters are case-folded (length-preserving, so offsets stay exact).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from reports.parsing.segment import cut, is_word, tokenize

WORD_PREFIX = "=="
TITLE_MARK = "=T="  # the word is in the title
BODY_MARKS = (2, 4)  # "=4=" + word: the word occurs at least 4 times in the body
BODY_WEIGHTS = ("C", "B")  # ... its body positions' weights, by BODY_MARKS; D below them
RECALL_CHARS = 60_000  # characters of a section's body whose characters and pairs are indexed
BODY_GAP = 2  # title and body never form one phrase
MAX_POSITION = 16000  # positions past this are not kept (PostgreSQL caps them at 16383) ...
SENTINEL_POSITION = 16383  # ... except one sentinel, so the word is still found
MAX_POSITIONS = 255  # PostgreSQL keeps at most 256 positions of one lexeme
MAX_LEXEME = 100  # longer runs (URLs, long numbers) are left to the recall vector's pairs
MAX_SUBWORD = 8
MAX_VECTOR_BYTES = 1_000_000  # PostgreSQL refuses a tsvector whose lexemes reach 1 MiB in all
# The word vector's lexemes, in UTF-8 bytes: the recall vector repeats them with their markers,
# next to up to RECALL_CHARS characters and pairs, and must stay under MAX_VECTOR_BYTES too.
WORDS_BUDGET = 40_000

logger = logging.getLogger(__name__)
_ASCII_UPPER = re.compile("[A-Z]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def normalise(text: str) -> str:
    """ASCII letters lower-cased; every other character unchanged (same length, same offsets)."""
    if _ASCII_UPPER.search(text) is None:  # most text: no copy at all
        return text
    return _ASCII_UPPER.sub(_lower, text)


def _lower(match: re.Match[str]) -> str:
    return match.group().lower()


def _is_word(token: str) -> bool:
    return any(c.isalnum() for c in token) and len(token) <= MAX_LEXEME


_NOT_A_WORD: tuple[tuple[str, int], ...] = ()
_WORDS: dict[str, tuple[tuple[str, int], ...] | None] = {}
_WORDS_LIMIT = 300_000


def _word_entry(word: str) -> tuple[tuple[str, int], ...] | None:
    """``None`` if ``word`` is not indexed, else ``((word, 0), *(inner word, offset))``.

    Memoised in a bounded table: a corpus's vocabulary repeats, and this runs for every token.
    """
    entry = _WORDS.get(word, _NOT_A_WORD)
    if entry is not _NOT_A_WORD:
        return entry
    if not _is_word(word):
        entry = None
    else:
        entry = ((word, 0), *((sub, i) for sub, i, _ in _inner_words(word)))
    if len(_WORDS) >= _WORDS_LIMIT:
        _WORDS.clear()
    _WORDS[word] = entry
    return entry


def _inner_words(word: str) -> tuple[tuple[str, int, int], ...]:
    """Dictionary words strictly inside ``word`` (at least two characters), with their offsets
    in it (memoised by ``_word_entry``, its one caller)."""
    n = len(word)
    if n < 3 or n > 3 * MAX_SUBWORD or not _HAN.search(word):
        return ()
    return tuple(
        (word[i:j], i, j)
        for i in range(n)
        for j in range(i + 2, min(n, i + MAX_SUBWORD) + 1)
        if j - i < n and is_word(word[i:j])
    )


def _word_positions(text: str, first: int) -> dict[str, list[int]]:
    """Each word of the (normalised) text, and each dictionary word inside it, with its positions:
    ``first`` + character offset, in order."""
    positions: dict[str, list[int]] = {}
    get = positions.get
    start = first
    for word in cut(text):
        entry = _word_entry(word)
        if entry is not None:
            for sub, offset in entry:
                entries = get(sub)
                if entries is None:
                    positions[sub] = [start + offset]
                else:
                    entries.append(start + offset)
        start += len(word)
    return positions


def query_words(term: str) -> list[tuple[str, int]]:
    """How the index cut a term: ``(word, offset in term)`` of jieba's precise cut, in order.

    Punctuation and spaces inside the term are kept in the offsets (they are part of the text).
    """
    return [(word, start) for word, start, _ in tokenize(normalise(term)) if _is_word(word)]


@lru_cache(maxsize=500_000)
def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _word_literal(title: dict[str, list[int]], body: dict[str, list[int]]) -> str:
    """The word vector's literal: each word's title positions (weight A), then its body's
    (weighted by their number, see ``_body_weight``); words in PostgreSQL's order, as in
    ``_vector_literal``."""
    parts = {}
    for word, entries in title.items():
        more = body.get(word)
        if more:
            kept = _positions(entries + more, len(entries), _body_weight(len(more)))
        else:
            kept = _positions(entries, len(entries), "")
        parts[word] = f"{_quote(word)}:{kept}"
    for word, entries in body.items():
        if word in parts:
            continue
        if len(entries) == 1 and entries[0] <= MAX_POSITION:  # most words: once, weight D
            parts[word] = f"{_quote(word)}:{entries[0]}"
        else:
            parts[word] = f"{_quote(word)}:{_positions(entries, 0, _body_weight(len(entries)))}"
    return " ".join([parts[word] for word in sorted(parts)])


def _body_weight(count: int) -> str:
    """The weight of a word's body positions: B, C or D (written as nothing) by its count."""
    if count >= BODY_MARKS[1]:
        return BODY_WEIGHTS[1]
    if count >= BODY_MARKS[0]:
        return BODY_WEIGHTS[0]
    return ""


def _positions(entries: list[int], in_title: int, body: str) -> str:
    """``1A,5A,40C,41C``: the first ``in_title`` positions weigh A, the others ``body``;
    positions past MAX_POSITION give one sentinel if the word has no earlier one; at most
    MAX_POSITIONS are kept."""
    if entries[-1] <= MAX_POSITION and len(entries) <= MAX_POSITIONS:
        if not in_title:
            return f"{body},".join(map(str, entries)) + body
        if in_title == len(entries):
            return "A,".join(map(str, entries)) + "A"
    kept: list[str] = []
    for i, position in enumerate(entries):
        weight = "A" if i < in_title else body
        if position > MAX_POSITION:
            if not kept:
                kept.append(f"{SENTINEL_POSITION}{weight}")
        elif len(kept) < MAX_POSITIONS:
            kept.append(f"{position}{weight}")
    return ",".join(kept)


def character_grams(text: str) -> set[str]:
    """Every non-space character and every pair of adjacent non-space characters of the
    (normalised) text: what the recall vector holds of it (``section_recall`` adds pairs with
    whitespace too, which no query asks for)."""
    grams: set[str] = set()
    for chunk in text.split():
        grams.update(chunk)
        grams.update(map(str.__add__, chunk, chunk[1:]))
    return grams


def section_vector(title: str, text: str) -> str:
    """The word vector of a section, as a tsvector literal.

    A section with more distinct words than ``WORDS_BUDGET`` holds keeps its title's words and
    then its body's in order of first occurrence, as far as the budget allows (the search
    confirms every hit on the text, so such a section may rank lower, but is never a false hit).
    """
    title, text = normalise(title), normalise(text)
    title_words = _word_positions(title, 1)
    body_words = _word_positions(text, len(title) + BODY_GAP + 1)
    words = _word_literal(title_words, body_words)
    if 4 * len(words) >= WORDS_BUDGET:  # a literal's length bounds its lexemes' characters
        size = sum(len(w.encode()) for w in title_words.keys() | body_words.keys())
        if size >= WORDS_BUDGET:
            return _long_section_vector(title_words, body_words, size)
    return words


def _long_section_vector(
    title_words: dict[str, list[int]], body_words: dict[str, list[int]], size: int
) -> str:
    budget = WORDS_BUDGET
    kept: set[str] = set()
    order = sorted(title_words, key=lambda w: title_words[w][0])
    order += sorted(body_words.keys() - title_words.keys(), key=lambda w: body_words[w][0])
    for word in order:
        cost = len(word.encode())
        if cost <= budget:
            kept.add(word)
            budget -= cost
    logger.warning("Long section: %d of its %d bytes of words indexed", WORDS_BUDGET - budget, size)
    return _word_literal(
        {w: p for w, p in title_words.items() if w in kept},
        {w: p for w, p in body_words.items() if w in kept},
    )


def recall_lexemes(title: str, text: str) -> set[str]:
    """The recall vector's lexemes without whitespace, as ``section_recall`` derives them in the
    database from the text and ``section_vector`` (its definition in Python, for the tests)."""
    title, text = normalise(title), normalise(text)
    title_words = _word_positions(title, 1)
    body_words = _word_positions(text, len(title) + BODY_GAP + 1)
    lexemes = character_grams(title) | character_grams(text[:RECALL_CHARS])
    lexemes.update(WORD_PREFIX + w for w in title_words.keys() | body_words.keys())
    return lexemes | impact_lexemes(title_words, body_words)


def impact_lexemes(title_words: dict[str, list[int]], body_words: dict[str, list[int]]) -> set[str]:
    """The markers ``section_recall`` derives from the word vector's weights: of a word in the
    title, and of its frequency in the body (kept here as their definition, for the tests).

    They let the search take the best-ranked candidates straight from the GIN index, tier by
    tier, instead of scoring every section that contains a frequent word.
    """
    out = {TITLE_MARK + w for w in title_words}
    for word, entries in body_words.items():
        out.update(f"={b}={word}" for b in BODY_MARKS if len(entries) >= b)
    return out


def quote_lexeme(lexeme: str) -> str:
    """A lexeme quoted for a tsquery or tsvector literal."""
    return _quote(lexeme)
