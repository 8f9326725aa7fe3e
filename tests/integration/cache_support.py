"""A shared Redis cache for the tests of the caches, as deployed, holding only this run's keys."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from django.test import override_settings

from tests.integration.api_support import CORPUS_DIR

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
# the two whole reports the cache tests ingest
SAMPLES = [CORPUS_DIR / "003_4a080416cfef067e.txt", CORPUS_DIR / "000_21c7d6ccdca8baa6.txt"]


def _delete_keys(prefix: str) -> None:
    """This run's cache keys only: ``cache.clear()`` would empty the whole Redis database, and
    with it the Celery queues of worker tests running at the same time on the same Redis."""
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@contextmanager
def redis_cache(name: str, **settings: object) -> Iterator[None]:
    """The default cache on Redis (the deployed backend) under a key prefix of this process,
    emptied before and after, with ``settings`` overridden too (which cache is on, for how long)."""
    prefix = f"{name}-{os.getpid()}"
    caches = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches, **settings):
        _delete_keys(prefix)
        try:
            yield
        finally:
            _delete_keys(prefix)
