"""Django's Redis cache with one redis-py client per process and connection pool.

Django's client builds a new ``redis.Redis`` object for every cache call; redis-py 8 fills ~170 response
callbacks in each, which costs more than the round trip on a cached page. The connection pools are already
shared; the client objects around them can be too (redis-py clients are thread-safe).
``SANXIANG_CACHE_URL=redis://…`` selects this backend (config/settings.py).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

__all__ = ["RedisCache"]


class _Client(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        base: Any = self  # Django's private helpers, not in its type stubs
        index = base._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            base._get_connection_pool(write)
            client = self._clients[index] = base._client(connection_pool=base._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client
