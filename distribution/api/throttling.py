"""Throttling, counted in the default cache (Redis in production): per partner, and per
client address for requests without a valid key.

DRF's SimpleRateThrottle keeps a list of request times under one cache key and reads,
appends and writes it back: two requests at once both read the same list, so a burst of
concurrent requests got past the rate (666 of a 600/min limit). Here the same sliding
window is kept atomically: on Redis as a sorted set changed by one Lua script (trim, count,
add, expire in one step, so no two requests can take the same place); on the local-memory
cache, which lives in one process, under a lock. A cache shared between processes that is
not Redis (the database or file cache) is atomic only within each process.

A throttle whose cache does not answer lets the request through, with a log line: an
outage of the cache must not take the partner API down with it.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid

import orjson
import redis
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from distribution.api import hotcache
from distribution.api.authentication import (
    REVISION_KEY,
    KeyRevised,
    confirm_key,
    confirmed,
    forget_key,
    unconfirmed_revision,
)

# KEYS[1] the window's sorted set, KEYS[2] the key revision, KEYS[3...] values to read
# back; ARGV now (s), window (s), limit, a unique member, and the key revision the
# request's remembered key was verified under ("" when there is none to check).
# Returns {-1, "0", {}} without counting when that revision is not the current one;
# else {1, "0", values} when the request is let through, {0, "seconds until a place
# frees", values} if not. One round trip does what a request needs of Redis.
_SLIDING_WINDOW = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
if ARGV[5] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[5] then
  return {-1, '0', {}}
end
local values = {}
for i = 3, #KEYS do
  values[#values + 1] = redis.call('GET', KEYS[i])
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('EXPIRE', key, math.ceil(window) + 1)
  return {1, '0', values}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, tostring(tonumber(oldest[2]) + window - now), values}
"""

_local_lock = threading.Lock()
logger = logging.getLogger(__name__)

# Errors of a cache that cannot be reached: Redis's own, and the socket's or file system's.
CACHE_ERRORS: tuple[type[BaseException], ...] = (redis.RedisError, OSError)


class AtomicRateThrottle(SimpleRateThrottle):
    """At most `num_requests` in any `duration` seconds per cache key, under concurrency.

    `wait()` gives the seconds until the oldest counted request leaves the window, for
    Retry-After. Refused requests are not counted, so hammering does not extend a refusal.
    A throttle `for_partners` first checks that a key this process remembered still holds
    (see `distribution.api.authentication`).
    """

    for_partners = False

    def get_rate(self) -> str | None:
        # Read at request time, so a changed setting applies without a restart of the class.
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)

    def allow_request(self, request, view) -> bool:
        self._wait: float | None = None
        try:
            return self._allow(request, view)
        except CACHE_ERRORS as exc:
            logger.warning(
                "throttle %s: the cache does not answer (%s: %s); request allowed",
                self.scope,
                type(exc).__name__,
                exc,
            )
            return True

    def _allow(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        values = hotcache.store()
        if isinstance(values, hotcache.RedisValues):
            return self._allow_on_redis(values, key, request, view)
        if self.for_partners:
            # A key remembered by this process must hold before its request is counted.
            confirm_key(getattr(request, "_request", request))
        # DRF's read-append-write, made atomic for a cache that lives in this process.
        with _local_lock:
            return super().allow_request(request, view)

    def _allow_on_redis(self, values: hotcache.RedisValues, key: str, request, view) -> bool:
        """Count the request in its window, in one round trip that also checks the
        remembered key's revision (raising KeyRevised, nothing counted, when it moved) and
        reads back the values the view names (`view.prefetch_keys()`), kept on the request
        as `api_prefetched`."""
        django_request = getattr(request, "_request", request)
        expected, wanted = None, []
        if self.for_partners:
            expected = unconfirmed_revision(django_request)
            wanted = list(getattr(view, "prefetch_keys", list)())
        # Django's cache API has no scripts: the process's long-lived Redis client runs it.
        allowed, wait, raws = values.script(_SLIDING_WINDOW)(
            keys=[values.name(key), values.name(REVISION_KEY)]
            + [values.name(name) for name in wanted],
            args=[
                self.timer(),
                self.duration,
                self.num_requests,
                uuid.uuid4().hex,
                "" if expected is None else json.dumps(expected),
            ],
        )
        if allowed == -1:
            forget_key(django_request)
            raise KeyRevised
        if expected is not None:
            confirmed(django_request)
        django_request.api_prefetched = {
            name: None if raw is None else orjson.loads(raw)
            for name, raw in zip(wanted, raws, strict=False)
        }
        if allowed:
            return True
        self._wait = max(0.0, float(wait))
        return False

    def wait(self) -> float | None:
        if self._wait is not None:
            return self._wait
        return super().wait()


class PartnerRateThrottle(AtomicRateThrottle):
    """REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"] requests per partner, all keys
    of one partner counted together; over it, 429 with Retry-After."""

    scope = "partner"
    for_partners = True

    def get_cache_key(self, request, view) -> str | None:
        partner = getattr(request, "user", None)
        if partner is None or not getattr(partner, "pk", None):
            return None
        return self.cache_format % {"scope": self.scope, "ident": partner.pk}


class UnauthenticatedRateThrottle(AtomicRateThrottle):
    """REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["unauthenticated"] refused requests (no key,
    a made-up, revoked or expired one) per client address; over it, 429 with Retry-After,
    so guessing keys costs time. The address honours REST_FRAMEWORK["NUM_PROXIES"]."""

    scope = "unauthenticated"

    def get_cache_key(self, request, view) -> str | None:
        if getattr(request, "user", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
