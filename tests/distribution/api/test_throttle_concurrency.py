"""The partner throttle holds under a burst: many requests at once, counted in the real
cache (Redis when REDIS_CACHE_URL is set), let through at most the rate."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.db import connections

from distribution.api.throttling import PartnerRateThrottle

RATE = 60
BURST = 200


class Partner:
    def __init__(self, pk: int) -> None:
        self.pk = pk


class Request:
    def __init__(self, pk: int) -> None:
        self.user = Partner(pk)


def burst(throttle_class, *, pk: int, size: int) -> list[bool]:
    """`size` throttle checks for one partner, all released at the same instant."""
    start = threading.Barrier(size)

    def one(_: int) -> bool:
        throttle = throttle_class()
        start.wait()
        try:
            return throttle.allow_request(Request(pk), None)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=size) as pool:
        return list(pool.map(one, range(size)))


@pytest.fixture
def rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"partner": f"{RATE}/min"},
    }


def test_a_concurrent_burst_gets_at_most_the_rate_through(rate):
    backend = type(caches["default"]).__name__
    if os.environ.get("REDIS_CACHE_URL") or os.environ.get("REDIS_URL"):
        assert backend == "RedisCache"
    allowed = burst(PartnerRateThrottle, pk=7, size=BURST)
    assert 0 < sum(allowed) <= RATE
    # Nothing counted twice, nothing lost: with the burst over, the rest of the window is
    # exactly what is left, whoever asks and however.
    rest = [PartnerRateThrottle().allow_request(Request(7), None) for _ in range(RATE)]
    assert sum(allowed) + sum(rest) == RATE


def test_sequential_requests_get_exactly_the_rate_and_a_retry_after(rate):
    throttle = PartnerRateThrottle()
    results = [throttle.allow_request(Request(9), None) for _ in range(RATE + 5)]
    assert results == [True] * RATE + [False] * 5
    assert 0 < throttle.wait() <= 60
    # Refused requests do not count: another partner, and the same one later, are unharmed.
    assert PartnerRateThrottle().allow_request(Request(10), None)
