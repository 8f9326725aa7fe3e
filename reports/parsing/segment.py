"""Chinese word segmentation: jieba plus the domain dictionary in seeds/jieba_dict.txt."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterable, Iterator
from functools import cache

import jieba

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
    with tokenizer().get_dict_file() as main:
        _read_tags(main, table)
    path = seeds_dir() / DICTIONARY_FILE
    if path.is_file():
        with path.open("rb") as domain:
            _read_tags(domain, table)
    return table


def _read_tags(lines: Iterable[bytes], table: dict[str, str]) -> None:
    for raw in lines:
        parts = raw.decode("utf-8").split()
        if len(parts) == 3:  # word, frequency, tag
            table[parts[0]] = sys.intern(parts[2])


@cache
def segmenter_version() -> str:
    """Changes whenever the domain dictionary changes, so a search index can be rebuilt.

    Read once per process, like the dictionary :func:`tokenizer` loads.
    """
    import hashlib

    path = seeds_dir() / DICTIONARY_FILE
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "none"
    return f"jieba-{jieba.__version__}-{digest}"


def segment(text: str) -> list[str]:
    """Words of ``text`` (precise mode, no HMM guesses), whitespace dropped."""
    return [w for w in tokenizer().lcut(text, HMM=False) if w.strip()]


def tokenize(text: str, *, mode: str = "default") -> Iterator[tuple[str, int, int]]:
    """``(word, start, end)`` with exact character offsets; ``mode="search"`` adds sub-words."""
    for word, start, end in tokenizer().tokenize(text, mode=mode, HMM=False):
        if word.strip():
            yield word, start, end
