"""Throttling, counted in the default cache (Redis in production): per partner, and per
client address for requests without a valid key.

A throttle whose cache does not answer lets the request through, with a log line: an
outage of the cache must not take the partner API down with it.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

# Errors of a cache that cannot be reached: Redis's own, and the socket's or file system's.
CACHE_ERRORS: tuple[type[BaseException], ...] = (redis.RedisError, OSError)


class FailOpenThrottle(SimpleRateThrottle):
    """A SimpleRateThrottle that allows the request when its cache is unreachable."""

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            logger.warning(
                "throttle %s: the cache does not answer (%s: %s); request allowed",
                self.scope,
                type(exc).__name__,
                exc,
            )
            return True


class PartnerRateThrottle(FailOpenThrottle):
    """REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"] requests per partner, all keys
    of one partner counted together; over it, 429 with Retry-After."""

    scope = "partner"

    def get_rate(self) -> str | None:
        # Read at request time, so a changed setting applies without a restart of the class.
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        partner = getattr(request, "user", None)
        if partner is None or not getattr(partner, "pk", None):
            return None
        return self.cache_format % {"scope": self.scope, "ident": partner.pk}


class UnauthenticatedRateThrottle(FailOpenThrottle):
    """REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["unauthenticated"] refused requests (no key,
    a made-up, revoked or expired one) per client address; over it, 429 with Retry-After,
    so guessing keys costs time. The address honours REST_FRAMEWORK["NUM_PROXIES"]."""

    scope = "unauthenticated"

    def get_rate(self) -> str | None:
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if getattr(request, "user", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
