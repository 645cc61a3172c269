"""Throttling, counted in the default cache (Redis in production): per partner, and per
client address for requests without a valid key."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PartnerRateThrottle(SimpleRateThrottle):
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


class UnauthenticatedRateThrottle(SimpleRateThrottle):
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
