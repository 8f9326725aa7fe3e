"""Chinese word segmentation: jieba's dictionary and rules (cut by jieba-rs) plus the domain
dictionary in seeds/jieba_dict.txt."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from functools import cache

import jieba
import rjieba

from reports.parsing.seeds import seeds_dir

DICTIONARY_FILE = "jieba_dict.txt"
_lock = threading.Lock()


@cache
def tokenizer() -> jieba.Tokenizer:
    """One jieba tokenizer per process, with the domain dictionary loaded."""
    with _lock:
        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        path = seeds_dir() / DICTIONARY_FILE
        if path.is_file():
            tok.load_userdict(str(path))
        return tok


@cache
def word_tags() -> dict[str, str]:
    """Part of speech of every dictionary word (jieba's table, then the domain dictionary's).

    This is the table ``jieba.posseg`` looks words up in when it cuts without HMM; reading it
    here spares importing ``jieba.posseg``, whose HMM tables cost about 50 MB per process.
    """
    table: dict[str, str] = {}
    with jieba.Tokenizer().get_dict_file() as main:  # the file only: nothing loaded
        for raw in main:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3:  # word, frequency, tag
                table[parts[0]] = sys.intern(parts[2])
    for word, _, tag in _domain_entries():
        if tag is not None:
            table[word] = sys.intern(tag)
    return table


@cache
def _domain_entries() -> tuple[tuple[str, int | None, str | None], ...]:
    """The domain dictionary's lines as jieba's ``load_userdict`` reads them: a word, then an
    optional frequency, then an optional part of speech. Read once per process, for both the
    part-of-speech table and the cutter."""
    path = seeds_dir() / DICTIONARY_FILE
    if not path.is_file():
        return ()
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        entries.append((parts[0], freq, parts[2] if len(parts) == 3 else None))
    return tuple(entries)


@cache
def segmenter_version() -> str:
    """Changes whenever the domain dictionary changes, so a search index can be rebuilt.

    Read once per process, like the dictionary :func:`tokenizer` loads.
    """
    import hashlib
    from importlib.metadata import version

    path = seeds_dir() / DICTIONARY_FILE
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "none"
    return f"rjieba-{version('rjieba')}-{digest}"


def cut(text: str) -> list[str]:
    """jieba's precise cut without HMM (``tokenizer().lcut(text, HMM=False)``), by jieba-rs.

    Every word of the index, of a query and of the parser comes through here. rjieba (the
    jieba-rs binding) cuts with the same dictionary, the same rules and the same tie-break as
    jieba, about ten times faster. The one difference: where two routes through the dictionary
    are exactly as probable (the same words in another order, as in 诉诉诉), floating-point
    rounding may pick the other one. ``tests/unit/parsing/test_segment.py`` holds it to jieba's
    output on real reports word for word, and on any text to the same words.
    """
    return _cutter().cut(text, False)


@cache
def _cutter() -> rjieba.Jieba:
    """One jieba-rs cutter per process: jieba's dictionary (as jieba-rs ships it) and the
    domain dictionary, added as jieba's ``load_userdict`` adds it."""
    with _lock:
        jb = rjieba.Jieba()
        for word, freq, tag in _domain_entries():
            jb.add_word(word, freq, tag)
        return jb


def is_word(text: str) -> bool:
    """Whether ``text`` is a word of the dictionary (jieba's or the domain one)."""
    return _cutter().has_word(text)


def segment(text: str) -> list[str]:
    """Words of ``text`` (precise mode, no HMM guesses), whitespace dropped."""
    return [w for w in cut(text) if w.strip()]


def tokenize(text: str, *, mode: str = "default") -> Iterator[tuple[str, int, int]]:
    """``(word, start, end)`` with exact character offsets; ``mode="search"`` adds sub-words."""
    if mode == "default":
        start = 0
        for word in cut(text):
            end = start + len(word)
            if word.strip():
                yield word, start, end
            start = end
        return
    for word, start, end in tokenizer().tokenize(text, mode=mode, HMM=False):
        if word.strip():
            yield word, start, end
