"""Django's Redis cache backend, keeping one Redis client per connection pool.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` object for every cache call, and
building one (its table of response callbacks) costs about as much CPU as the call itself: some
0.3 ms, several times per API request (throttle histories, the read cache). The client object
holds no connection of its own (each command takes one from the pool) and is safe to share
between threads, so one per pool is kept.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClientCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        # Django's own attributes, which the type stubs leave out.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _SharedClientCacheClient
