"""Parts of pages that are the same for every visitor, cached under the read generation.

A part (the home page's counts, say) is computed once per *generation* of the data — the counter
that every write service bumps with ``api_reads_changed()`` when its transaction commits
(config/read_generation.py) — and then read from the shared cache by every process until the next
write. Nothing that depends on the visitor, their permissions or their query is stored here.

``PAGE_CACHE_SECONDS`` bounds how long an entry is kept (0: off, every part computed on each
request). It needs a cache that all processes share (Redis, ``REDIS_URL``): with a per-process
cache one process would not see another's bump. With Redis down the parts are computed, with a
warning logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from config.degraded import CACHE_ERRORS, cache_unavailable
from config.read_generation import generation_read

T = TypeVar("T")
ENTRY_PREFIX = "page-part:"


def generation_cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its value computed under the current generation by any process.

    A write that commits after the generation was read bumps it, so whatever is stored here
    under the old one is never served again; a view that starts after the bump recomputes.
    """
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return compute()
    key = ENTRY_PREFIX + name
    try:
        generation, stored = generation_read(key)
    except CACHE_ERRORS as exc:
        cache_unavailable("page cache", exc)
        return compute()
    entry = stored.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    try:
        cache.set(key, (generation, value), seconds)
    except CACHE_ERRORS as exc:
        cache_unavailable("page cache", exc)
    return value
