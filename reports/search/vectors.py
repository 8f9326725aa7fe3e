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

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from reports.parsing.segment import tokenizer

WORD_PREFIX = "=="
TITLE_MARK = "=T="  # the word is in the title
BODY_MARKS = (2, 4, 8)  # "=4=" + word: the word occurs at least 4 times in the body
BODY_GAP = 2  # title and body never form one phrase
MAX_POSITION = 16000  # positions past this are not kept (PostgreSQL caps them at 16383) ...
SENTINEL_POSITION = 16383  # ... except one sentinel, so the word is still found
MAX_POSITIONS = 255  # PostgreSQL keeps at most 256 positions of one lexeme
MAX_LEXEME = 100  # longer runs (URLs, long numbers) are left to the bigram vector
MAX_SUBWORD = 8

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_HAN = re.compile(r"[\u3400-\u9fff]")


def normalise(text: str) -> str:
    """ASCII letters lower-cased; every other character unchanged (same length, same offsets)."""
    return text.translate(_ASCII_LOWER)


def _is_word(token: str) -> bool:
    return any(c.isalnum() for c in token) and len(token) <= MAX_LEXEME


@lru_cache(maxsize=200_000)
def _inner_words(word: str) -> tuple[tuple[str, int, int], ...]:
    """Dictionary words strictly inside ``word`` (at least two characters), with their offsets
    in it. Memoised: a report's vocabulary repeats, and so does the corpus's."""
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


def _subwords(word: str, start: int) -> Iterator[tuple[str, int, int]]:
    """Dictionary words strictly inside ``word`` (at least two characters), with offsets."""
    for sub, i, j in _inner_words(word):
        yield sub, start + i, start + j


def word_tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """``(word, start, end)`` of the normalised text: jieba's precise cut plus inner words."""
    for word, start, end in tokenizer().tokenize(normalise(text), mode="default", HMM=False):
        if _is_word(word):
            yield word, start, end
            yield from _subwords(word, start)


def query_words(term: str) -> list[tuple[str, int]]:
    """How the index cut a term: ``(word, offset in term)`` of jieba's precise cut, in order.

    Punctuation and spaces inside the term are kept in the offsets (they are part of the text).
    """
    return [
        (word, start)
        for word, start, _ in tokenizer().tokenize(normalise(term), mode="default", HMM=False)
        if _is_word(word)
    ]


@lru_cache(maxsize=500_000)
def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _word_literal(
    title_words: list[tuple[str, int, int]], text_words: list[tuple[str, int, int]], shift: int
) -> str:
    positions: dict[str, list[str]] = {}

    def add(word: str, position: int, weight: str) -> None:
        entries = positions.setdefault(word, [])
        if position > MAX_POSITION:
            if not entries:
                entries.append(f"{SENTINEL_POSITION}{weight}")
        elif len(entries) < MAX_POSITIONS:
            entries.append(f"{position}{weight}")

    for word, start, _ in title_words:
        add(word, start + 1, "A")
    for word, start, _ in text_words:
        add(word, shift + start + 1, "")
    return " ".join(f"{_quote(w)}:{','.join(p)}" for w, p in positions.items())


def character_grams(text: str) -> set[str]:
    """Every non-space character and every pair of adjacent non-space characters."""
    norm = normalise(text)
    grams = {c for c in norm if not c.isspace()}
    grams.update(
        norm[i : i + 2]
        for i in range(len(norm) - 1)
        if not norm[i].isspace() and not norm[i + 1].isspace()
    )
    return grams


def term_grams(term: str) -> set[str]:
    """The lexemes a text must contain to contain ``term``: itself if short, else its bigrams."""
    norm = normalise(term)
    if len(norm) <= 2:
        return {norm}
    return {norm[i : i + 2] for i in range(len(norm) - 1)}


def section_vectors(title: str, text: str) -> tuple[str, str]:
    """``(search_vector, bigram_vector)`` of a section, as tsvector literals."""
    title_words = list(word_tokens(title))
    text_words = list(word_tokens(text))
    words = _word_literal(title_words, text_words, len(title) + BODY_GAP)
    lexemes = character_grams(title) | character_grams(text)
    lexemes.update(WORD_PREFIX + w for w, _, _ in title_words)
    lexemes.update(WORD_PREFIX + w for w, _, _ in text_words)
    lexemes.update(impact_lexemes(title_words, text_words))
    return words, " ".join(_quote(lex) for lex in lexemes)


def impact_lexemes(
    title_words: list[tuple[str, int, int]], text_words: list[tuple[str, int, int]]
) -> set[str]:
    """Precomputed weights: markers of a word in the title and of its frequency in the body.

    They let the search take the best-ranked candidates straight from the GIN index, tier by
    tier, instead of scoring every section that contains a frequent word.
    """
    out = {TITLE_MARK + w for w, _, _ in title_words}
    for word, count in Counter(w for w, _, _ in text_words).items():
        out.update(f"={b}={word}" for b in BODY_MARKS if count >= b)
    return out


def quote_lexeme(lexeme: str) -> str:
    """A lexeme quoted for a tsquery or tsvector literal."""
    return _quote(lexeme)
