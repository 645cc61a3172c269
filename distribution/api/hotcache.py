"""The small shared values every partner API request reads: the key revision, the items'
generation, a page's validator, the throttle's window.

Django's Redis cache builds a new client object on every call, which costs more than the
network round trip itself (as the feeds found, see `distribution.feeds.cache`). On Redis
these values go through one long-lived client per process and cache configuration, as
JSON under the cache's KEY_PREFIX (so `cache.clear()` clears them too); elsewhere (the
embedded file cache) through Django's cache. Every call goes through the feeds' circuit,
`distribution.feeds.cache.shared`, and raises CacheUnavailable when the cache does not
answer.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache
from redis.commands.core import Script

from distribution.feeds.cache import shared

_PREFIX = "api:v1"
# Connections one process holds to Redis for these values at most.
POOL_CONNECTIONS = 64


class RedisValues:
    """The values in Redis, through `client` (thread-safe: it draws from its own pool)."""

    def __init__(self, url: str, prefix: str) -> None:
        # Shared by the process's threads: past POOL_CONNECTIONS at once, a thread waits
        # for a free connection (as long as a socket timeout) rather than fail.
        pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=POOL_CONNECTIONS,
            timeout=2,
            socket_connect_timeout=2,
            socket_timeout=2,
        )
        self.client = redis.Redis(connection_pool=pool)
        self.prefix = f"{prefix}:{_PREFIX}:" if prefix else f"{_PREFIX}:"
        self._scripts: dict[str, Script] = {}
        self._lock = threading.Lock()

    def name(self, key: str) -> str:
        """The Redis key of `key`."""
        return self.prefix + key

    def get_many(self, keys: list[str]) -> list[Any]:
        raws = self.client.mget([self.prefix + key for key in keys])
        return [None if raw is None else json.loads(raw) for raw in raws]

    def set(self, key: str, value: Any, timeout: int | None) -> None:
        self.client.set(self.prefix + key, json.dumps(value), ex=timeout)

    def add(self, key: str, value: Any, timeout: int | None) -> bool:
        return bool(self.client.set(self.prefix + key, json.dumps(value), ex=timeout, nx=True))

    def script(self, source: str) -> Script:
        """`source` as a script object, registered once (its SHA is computed once)."""
        with self._lock:
            found = self._scripts.get(source)
            if found is None:
                found = self._scripts[source] = self.client.register_script(source)
            return found


class CacheValues:
    """The values in Django's cache: the embedded file cache, or a test's."""

    def get_many(self, keys: list[str]) -> list[Any]:
        found = cache.get_many([f"{_PREFIX}:{key}" for key in keys])
        return [found.get(f"{_PREFIX}:{key}") for key in keys]

    def set(self, key: str, value: Any, timeout: int | None) -> None:
        cache.set(f"{_PREFIX}:{key}", value, timeout)

    def add(self, key: str, value: Any, timeout: int | None) -> bool:
        return cache.add(f"{_PREFIX}:{key}", value, timeout)


_stores: dict[tuple, RedisValues | CacheValues] = {}
_stores_lock = threading.Lock()


def store() -> RedisValues | CacheValues:
    """The store for the cache configured now (settings changed by a test get their own)."""
    config = settings.CACHES["default"]
    location = config.get("LOCATION")
    ident = (config["BACKEND"], str(location), config.get("KEY_PREFIX", ""))
    with _stores_lock:
        found = _stores.get(ident)
        if found is None:
            redis_backend = config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
            if redis_backend and isinstance(location, str):
                found = RedisValues(location, config.get("KEY_PREFIX", ""))
            else:
                found = CacheValues()
            _stores[ident] = found
        return found


def get_many(keys: list[str]) -> list[Any]:
    """The values of `keys` (None for a missing one), in one round trip. Raises
    CacheUnavailable."""
    return shared(lambda: store().get_many(keys))


def set_value(key: str, value: Any, timeout: int | None) -> None:
    """Store a JSON-able `value` for `timeout` seconds (None: no expiry). Raises
    CacheUnavailable."""
    shared(lambda: store().set(key, value, timeout))


def add_value(key: str, value: Any, timeout: int | None) -> bool:
    """Store `value` unless `key` holds one; whether it was stored. Raises
    CacheUnavailable."""
    return shared(lambda: store().add(key, value, timeout))
