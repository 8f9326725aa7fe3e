"""Chinese word segmentation: jieba plus the domain dictionary in seeds/jieba_dict.txt."""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from functools import cache
from math import log

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


# jieba 0.42's own patterns for its precise mode: runs it segments, and what splits the rest.
_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
_SKIP = re.compile("(\r\n|\\s)")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def cut(text: str) -> list[str]:
    """jieba's precise cut without HMM, word for word: ``tokenizer().lcut(text, HMM=False)``.

    Every word of the index and of a query comes through here, so the cut is done with jieba's
    dictionary and jieba's rules but without its per-sentence dicts, generators and tuples: about
    twice as fast. ``tests/unit/parsing/test_segment.py`` holds it to jieba's own output.
    """
    tok = tokenizer()
    out: list[str] = []
    for block in _BLOCK.split(text):
        if not block:
            continue
        if _BLOCK.match(block):
            _cut_block(tok, block, out)
        else:
            for piece in _SKIP.split(block):
                if _SKIP.match(piece):
                    out.append(piece)
                else:
                    out.extend(piece)
    return out


def _cut_block(tok: jieba.Tokenizer, block: str, out: list[str]) -> None:
    """jieba's ``get_DAG``, ``calc`` and ``__cut_DAG_NO_HMM`` in one pass: the most probable
    route through the dictionary's words, ties going to the longer word, then runs of single
    ASCII letters and digits joined."""
    get = tok.FREQ.get
    logtotal = log(tok.total)
    n = len(block)
    scores = [0.0] * (n + 1)
    ends = [0] * n
    for k in range(n - 1, -1, -1):
        best = None
        end = i = k
        freq = get(block[k])
        while freq is not None:  # block[k:i + 1] is a word or a word's prefix
            if freq:
                score = log(freq) - logtotal + scores[i + 1]
                if best is None or score >= best:
                    best, end = score, i
            i += 1
            if i == n:
                break
            freq = get(block[k : i + 1])
        scores[k] = (0.0 - logtotal + scores[k + 1]) if best is None else best
        ends[k] = end
    x = 0
    run = ""
    while x < n:
        y = ends[x] + 1
        if y == x + 1 and block[x] in _ASCII_ALNUM:
            run += block[x]
        else:
            if run:
                out.append(run)
                run = ""
            out.append(block[x:y])
        x = y
    if run:
        out.append(run)


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
