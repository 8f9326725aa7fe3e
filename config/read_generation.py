"""The generation of the API's data: a counter in the cache that every write bumps.

Write services call ``api_reads_changed()``; the read cache (config/read_cache.py) stores each
response under the generation current when it was computed and serves it only while that
generation is still current. This module knows nothing of HTTP, so the services can call it.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

from config.degraded import CACHE_ERRORS, cache_unavailable

GENERATION_KEY = "api-read:generation"


def api_reads_changed() -> None:
    """Invalidate every cached API read once the current transaction commits (at once outside
    one). Called by each write service whose rows an API read shows."""
    transaction.on_commit(_generation_bump, robust=True)


_bump_missed = False  # a bump failed (cache down): retried before this process's next read


def _generation_bump() -> None:
    global _bump_missed
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # never set, or evicted: start from a value no entry can hold
            generation_start()
    except CACHE_ERRORS as exc:
        _bump_missed = True
        cache_unavailable("read cache invalidation", exc)
    else:
        _bump_missed = False


def generation_catch_up() -> None:
    """Make up for a bump this process missed while the cache was down (raises while it still
    is), so that no entry computed before that write is served once the cache is back."""
    if _bump_missed:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            generation_start()
        _set_caught_up()


def _set_caught_up() -> None:
    global _bump_missed
    _bump_missed = False


def generation_read(*keys: str) -> tuple[int, dict]:
    """The current generation and the cached values of ``keys``, in one round trip to the cache
    (raises what the cache raises when it is down). An entry stored with a generation is fresh
    only while that generation is the one returned here."""
    generation_catch_up()
    stored = cache.get_many([GENERATION_KEY, *keys])
    return stored.get(GENERATION_KEY) or generation_start(), stored


def generation_start() -> int:
    """The current generation, set to a value no entry can hold if there is none."""
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY)
