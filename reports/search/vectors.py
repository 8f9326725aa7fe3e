"""What goes into a section's two search vectors. Pure Python (jieba only): no Django here.

``search_vector`` (the word vector): jieba words of the title and body, plus the dictionary
words inside longer words (法律援助中心 also gives 法律援助, 法律, 援助). A word's position is its
*character offset* + 1, not its word number, so a query phrase ``A <len(A)> B`` matches exactly
where the text reads "AB", whatever way jieba cut the surrounding text. Title words weigh A,
body words D.

``bigram_vector`` (the recall vector, no positions): every character, every pair of adjacent
characters, every word prefixed with ``==`` (so that words and bigrams never collide), and
markers of a word's weight in the section (``impact_lexemes``). A term of one or two characters
is present exactly when its lexeme is; a longer one is present only if all its bigrams are,
which the search then confirms on the text itself.

Only ASCII letters are case-folded (length-preserving, so offsets stay exact).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from reports.parsing.segment import cut, tokenize, tokenizer

WORD_PREFIX = "=="
TITLE_MARK = "=T="  # the word is in the title
BODY_MARKS = (2, 4, 8)  # "=4=" + word: the word occurs at least 4 times in the body
BODY_GAP = 2  # title and body never form one phrase
MAX_POSITION = 16000  # positions past this are not kept (PostgreSQL caps them at 16383) ...
SENTINEL_POSITION = 16383  # ... except one sentinel, so the word is still found
MAX_POSITIONS = 255  # PostgreSQL keeps at most 256 positions of one lexeme
MAX_LEXEME = 100  # longer runs (URLs, long numbers) are left to the bigram vector
MAX_SUBWORD = 8
MAX_VECTOR_BYTES = 1_000_000  # PostgreSQL refuses a tsvector whose lexemes reach 1 MiB in all

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
    freq = tokenizer().FREQ
    n = len(word)
    if n < 3 or n > 3 * MAX_SUBWORD or not _HAN.search(word):
        return ()
    return tuple(
        (word[i:j], i, j)
        for i in range(n)
        for j in range(i + 2, min(n, i + MAX_SUBWORD) + 1)
        if j - i < n and freq.get(word[i:j])
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
    """The word vector's literal: each word's title positions (weight A), then its body's; words
    in PostgreSQL's order, as in ``_vector_literal``."""
    parts = {}
    for word, entries in title.items():
        more = body.get(word)
        kept = _positions(entries + more if more else entries, len(entries))
        parts[word] = f"{_quote(word)}:{kept}"
    for word, entries in body.items():
        if word not in parts:
            parts[word] = f"{_quote(word)}:{_positions(entries, 0)}"
    return " ".join([parts[word] for word in sorted(parts)])


def _positions(entries: list[int], in_title: int) -> str:
    """``1A,5A,40,41``: the first ``in_title`` positions weigh A; positions past MAX_POSITION
    give one sentinel if the word has no earlier one; at most MAX_POSITIONS are kept."""
    if entries[-1] <= MAX_POSITION and len(entries) <= MAX_POSITIONS:
        if not in_title:
            return ",".join(map(str, entries))
        if in_title == len(entries):
            return "A,".join(map(str, entries)) + "A"
    kept: list[str] = []
    for i, position in enumerate(entries):
        weight = "A" if i < in_title else ""
        if position > MAX_POSITION:
            if not kept:
                kept.append(f"{SENTINEL_POSITION}{weight}")
        elif len(kept) < MAX_POSITIONS:
            kept.append(f"{position}{weight}")
    return ",".join(kept)


def character_grams(text: str) -> set[str]:
    """Every non-space character and every pair of adjacent non-space characters of the
    (normalised) text."""
    grams: set[str] = set()
    for chunk in text.split():
        grams.update(chunk)
        grams.update(map(str.__add__, chunk, chunk[1:]))
    return grams


def section_vectors(title: str, text: str) -> tuple[str, str]:
    """``(search_vector, bigram_vector)`` of a section, as tsvector literals.

    A section too long for PostgreSQL's tsvector (its distinct lexemes must add up to less than
    1 MiB) is indexed in part: see ``_within_limit``.
    """
    title, text = normalise(title), normalise(text)
    title_words = _word_positions(title, 1)
    body_words = _word_positions(text, len(title) + BODY_GAP + 1)
    words = _word_literal(title_words, body_words)
    lexemes = character_grams(title)
    lexemes.update(character_grams(text))
    lexemes.update([WORD_PREFIX + w for w in title_words])
    lexemes.update([WORD_PREFIX + w for w in body_words])
    lexemes.update(impact_lexemes(title_words, body_words))
    grams = _vector_literal(lexemes)
    # A literal's length bounds its lexemes' characters, and a character takes at most 4 bytes.
    if 4 * max(len(words), len(grams)) >= MAX_VECTOR_BYTES:
        return _long_section_vectors(title, text, title_words, body_words)
    return words, grams


def _long_section_vectors(
    title: str, text: str, title_words: dict[str, list[int]], body_words: dict[str, list[int]]
) -> tuple[str, str]:
    """Vectors of a section long enough to reach the tsvector limit: the recall vector keeps
    characters, then pairs, then words, then impact markers, as far as the limit allows, and the
    word vector the words the recall vector kept. The search confirms every hit on the text, so
    such a section may be missed by a term whose lexemes were dropped, but is never a false hit.
    """
    grams = character_grams(title)
    grams.update(character_grams(text))
    groups = [
        sorted(g for g in grams if len(g) == 1),
        sorted(g for g in grams if len(g) > 1),
        [WORD_PREFIX + w for w in {**title_words, **body_words}],
        sorted(impact_lexemes(title_words, body_words)),
    ]
    lexemes = _within_limit(groups)
    total = sum(map(len, groups))
    if len(lexemes) < total:
        logger.warning("Long section: %d of its %d recall lexemes indexed", len(lexemes), total)
    title_words = {w: p for w, p in title_words.items() if WORD_PREFIX + w in lexemes}
    body_words = {w: p for w, p in body_words.items() if WORD_PREFIX + w in lexemes}
    return _word_literal(title_words, body_words), _vector_literal(lexemes)


def _within_limit(groups: list[list[str]]) -> set[str]:
    """Lexemes of ``groups``, in order, while their UTF-8 sizes add up to less than
    ``MAX_VECTOR_BYTES``."""
    budget = MAX_VECTOR_BYTES
    kept: set[str] = set()
    for group in groups:
        for lexeme in group:
            size = len(lexeme.encode())
            if size <= budget:
                kept.add(lexeme)
                budget -= size
    return kept


def _vector_literal(lexemes: set[str]) -> str:
    """Lexemes as a tsvector literal; quoted one by one only if one holds a quote or backslash.

    In PostgreSQL's order (code points are UTF-8 byte order), which spares it sorting hundreds
    of lexemes per section.
    """
    ordered = sorted(lexemes)
    probe = "".join(ordered)
    if "'" in probe or "\\" in probe:
        return " ".join(_quote(lex) for lex in ordered)
    return "'" + "' '".join(ordered) + "'" if ordered else ""


def impact_lexemes(title_words: dict[str, list[int]], body_words: dict[str, list[int]]) -> set[str]:
    """Precomputed weights: markers of a word in the title and of its frequency in the body.

    They let the search take the best-ranked candidates straight from the GIN index, tier by
    tier, instead of scoring every section that contains a frequent word.
    """
    out = {TITLE_MARK + w for w in title_words}
    for word, entries in body_words.items():
        count = len(entries)
        if count >= BODY_MARKS[0]:
            out.update(f"={b}={word}" for b in BODY_MARKS if count >= b)
    return out


def quote_lexeme(lexeme: str) -> str:
    """A lexeme quoted for a tsquery or tsvector literal."""
    return _quote(lexeme)
