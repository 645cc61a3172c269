"""Where rendered feeds live between a render and the requests that read them.

Measured on a 2-core machine, fetching a 50 KB body from Redis on every request costs
half the serving rate, while holding it in process memory costs almost nothing. So the
shared cache holds, per feed and format:

- a small *validator* (version, ETag, Last-Modified), read once per request, and
- the *body*, read by a worker process only when the validator's ETag moves,

and each worker process keeps its own copy of the bodies it served last, in a
least-recently-used store bounded by bytes (settings.FEED_MEMORY_BYTES; 0 keeps none). The
ETag is a hash of the body, and a process copy is served only when its ETag matches the
validator just read: after a publish, kill or withhold the validator moves, and the copy
is replaced before it is served again.

The shared cache holds each body gzip-compressed (RFC 9110 §8.4.1.3), compressed once by
the render. Feed readers ask for gzip (feedparser, every aggregator), so the process copy
they are served is that same compressed body, several times smaller than the text: a
worker holds several times more feeds within its bound, and sends fewer bytes. A reader
that does not accept gzip gets the text, decompressed once per process and kept as a copy
of its own.

When the shared cache does not answer (Redis down or unreachable), every function here
raises CacheUnavailable, and for CACHE_RETRY_SECONDS after that raises it at once without
asking again: a request then costs no socket timeout, and the view serves from the database.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from functools import cached_property, lru_cache
from typing import TypeVar

import redis
from cachetools import LRUCache
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils.http import http_date

# Every change re-renders at once; this only bounds how long a feed could stay stale if a
# change ever reached the feeds without an event (a desk renamed in the admin).
STORE_SECONDS = 60 * 60
# Longer than any render takes; a holder that died frees the lock after this.
LOCK_SECONDS = 30
# How long a worker process answers from the validator it read last, before asking the
# shared cache again. Asking on every request costs a network round trip that measured
# nearly halves the serving rate; a quarter second adds at most that to a story's way
# into the served feed.
VALIDATOR_REUSE_SECONDS = 0.25
# What one process copy costs besides its body's bytes object, in bytes: the entry's
# object, its ETag, content type, headers and key, and the store's bookkeeping (measured
# at about 950 bytes, tests/distribution/test_feed_memory.py), so a bound of N bytes holds
# at most N bytes of copies whatever their size.
COPY_OVERHEAD_BYTES = 1024
# How many validators one worker process remembers (a few hundred bytes each).
VALIDATOR_COPIES = 4096
# v2: bodies are stored gzip-compressed. A process of the release before reads v1 only, so
# during a rolling deploy or a rollback neither release reads a body it cannot serve.
_PREFIX = "feeds:v2"

logger = logging.getLogger(__name__)
T = TypeVar("T")


class CacheUnavailable(Exception):
    """The shared cache did not answer (or did not answer lately): serve from the database."""


# Errors of a cache that cannot be reached: Redis's own, and the socket's or the file
# system's (OSError) for the other backends.
CACHE_ERRORS: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
_cache_down_until = 0.0


def shared(operation: Callable[[], T]) -> T:
    """Run one operation on the shared cache, or raise CacheUnavailable. The one circuit for
    every part that uses the cache (feeds, partner API pages).

    After a failure, the cache is skipped for settings.CACHE_RETRY_SECONDS (monotonic), so
    a dead Redis costs one timeout per process per interval, not one per request.
    """
    global _cache_down_until
    if time.monotonic() < _cache_down_until:
        raise CacheUnavailable("the shared cache failed moments ago")
    try:
        return operation()
    except CACHE_ERRORS as exc:
        _cache_down_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
        logger.warning(
            "the shared cache does not answer (%s: %s); feeds and partner API pages are "
            "served from the database for the next %s s",
            type(exc).__name__,
            exc,
            settings.CACHE_RETRY_SECONDS,
        )
        raise CacheUnavailable(str(exc)) from exc


def cache_is_down() -> bool:
    """Whether a recent failure makes this process skip the shared cache for now."""
    return time.monotonic() < _cache_down_until


@dataclass(frozen=True)
class Validator:
    """What a conditional request is answered from, without the body."""

    etag: str
    last_modified: int  # Unix seconds, as HTTP dates carry them
    version: int = 0
    missing: bool = False  # a remembered 404: no such desk, topic or language


IDENTITY, GZIP = "identity", "gzip"
# zlib's level 6 (gzip's own default): nearly level 9's size at a third of its time; a
# render compresses each body once.
GZIP_LEVEL = 6


@lru_cache(maxsize=256)
def content_coding(accept_encoding: str) -> str:
    """The content coding to send for a request's Accept-Encoding header value (RFC 9110
    §12.5.3): GZIP when it accepts gzip (or x-gzip, or "*") with a weight above 0, else
    IDENTITY. "gzip;q=0" refuses it; a weight that is not a number counts as 0."""
    star = False
    for part in accept_encoding.split(","):
        name, _, params = part.partition(";")
        name = name.strip().lower()
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if name in ("gzip", "x-gzip"):
            return GZIP if weight > 0 else IDENTITY
        if name == "*":
            star = weight > 0
    return GZIP if star else IDENTITY


def coded_etag(etag: str, coding: str) -> str:
    """The ETag of a feed's body in `coding`: the text's own, or for gzip the same with
    "-gzip" inside the quotes. Each content coding is a representation of its own, with
    its own strong validator (RFC 9110 §8.8.3)."""
    return etag if coding == IDENTITY else f'{etag[:-1]}-{coding}"'


@dataclass(frozen=True)
class StoredFeed:
    """One rendered feed: its body (bytes, in content coding `coding`: IDENTITY or GZIP),
    the ETag of its text, when its content last changed (`last_modified`, Unix seconds)
    and its render `version`."""

    etag: str
    last_modified: int
    content_type: str
    body: bytes
    version: int = 0
    coding: str = IDENTITY

    @property
    def served_etag(self) -> str:
        """The ETag this body is served with (see `coded_etag`)."""
        return coded_etag(self.etag, self.coding)

    @cached_property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """The response headers that depend on this body alone (ETag, Last-Modified,
        Content-Length, Content-Encoding), built once per copy rather than on every
        request."""
        headers = (
            ("ETag", self.served_etag),
            ("Last-Modified", http_date(self.last_modified)),
            ("Content-Length", str(len(self.body))),
        )
        return headers if self.coding == IDENTITY else (*headers, ("Content-Encoding", GZIP))

    def coded(self, coding: str) -> StoredFeed:
        """This feed with its body in `coding`: itself when it is already, else its body
        compressed (gzip, no file name or time, so the same text gives the same bytes) or
        decompressed."""
        if coding == self.coding:
            return self
        if coding == GZIP:
            return replace(self, body=gzip.compress(self.body, GZIP_LEVEL, mtime=0), coding=GZIP)
        return replace(self, body=gzip.decompress(self.body), coding=IDENTITY)

    def stored(self) -> dict:
        """The fields as the shared cache holds them (`StoredFeed(**stored)` reads them)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def feed_key(scope_key: str, fmt: str) -> str:
    return f"{scope_key}:{fmt}"


def body_etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def copy_size(feed: StoredFeed) -> int:
    """The bytes one process copy of `feed` counts for against FEED_MEMORY_BYTES: its body
    as Python holds it (`sys.getsizeof`, the bytes object's header included) and
    COPY_OVERHEAD_BYTES for the rest of the entry."""
    return sys.getsizeof(feed.body) + COPY_OVERHEAD_BYTES


def _new_process_copies() -> LRUCache | None:
    limit = settings.FEED_MEMORY_BYTES
    return LRUCache(maxsize=limit, getsizeof=copy_size) if limit > 0 else None


_process_copies: LRUCache | None = None
_process_copies_ready = False
_process_lock = threading.Lock()


def process_copies() -> LRUCache | None:
    """This process's feed bodies by `copy_key` (a `cachetools.LRUCache` whose
    `currsize` is in bytes, see `copy_size`), or None when FEED_MEMORY_BYTES is 0."""
    global _process_copies, _process_copies_ready
    if not _process_copies_ready:
        with _process_lock:
            if not _process_copies_ready:
                _process_copies = _new_process_copies()
                _process_copies_ready = True
    return _process_copies


def _keep_in_process(key: str, feed: StoredFeed) -> None:
    copies = process_copies()
    if copies is None or copy_size(feed) > copies.maxsize:
        return  # disabled, or one body larger than the whole bound: served from the cache
    with _process_lock:
        copies[key] = feed


def _process_copy(key: str) -> StoredFeed | None:
    copies = process_copies()
    if copies is None:
        return None
    with _process_lock:
        return copies.get(key)  # a hit makes it the most recently used


class _RedisValidators:
    """Validators read and written through one long-lived Redis client per process.

    Django's Redis cache builds a new client object on every call, which measured costs
    more than the network round trip itself; on the hot path that is the difference
    between the feed and a bare view. Keys carry the cache's KEY_PREFIX, so they live and
    are cleared with the rest of the cache.
    """

    def __init__(self, url: str, prefix: str) -> None:
        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self.prefix = f"{prefix}:{_PREFIX}:validator:" if prefix else f"{_PREFIX}:validator:"

    def get(self, key: str) -> dict | None:
        raw = self.client.get(self.prefix + key)
        return json.loads(raw) if raw else None

    def set(self, key: str, value: dict, timeout: int) -> None:
        self.client.set(self.prefix + key, json.dumps(value), ex=timeout)


class _CacheValidators:
    """Validators in Django's cache: the local-memory cache of embedded mode."""

    def get(self, key: str) -> dict | None:
        return cache.get(f"{_PREFIX}:validator:{key}")

    def set(self, key: str, value: dict, timeout: int) -> None:
        cache.set(f"{_PREFIX}:validator:{key}", value, timeout)


_validator_store: _RedisValidators | _CacheValidators | None = None


def _validators() -> _RedisValidators | _CacheValidators:
    global _validator_store
    if _validator_store is None:
        config = settings.CACHES["default"]
        if isinstance(caches["default"], RedisCache) and isinstance(config["LOCATION"], str):
            _validator_store = _RedisValidators(config["LOCATION"], config.get("KEY_PREFIX", ""))
        else:
            _validator_store = _CacheValidators()
    return _validator_store


_recent_validators: dict[str, tuple[float, Validator]] = {}


def get_validator(key: str, *, reuse: bool = False) -> Validator | None:
    """The feed's validator from the shared cache.

    With `reuse`, a validator this process read less than VALIDATOR_REUSE_SECONDS ago is
    answered from memory: a request then touches neither the database nor the cache. A
    render elsewhere reaches this process at most that much later, a small fraction of
    the max-age a CDN may already hold the feed for.
    """
    now = time.monotonic()
    if reuse:
        recent = _recent_validators.get(key)
        if recent is not None and now - recent[0] < VALIDATOR_REUSE_SECONDS:
            return recent[1]
    value = shared(lambda: _validators().get(key))
    if not value:
        _recent_validators.pop(key, None)
        return None
    validator = Validator(**value)
    _remember_validator(key, validator)
    return validator


def _remember_validator(key: str, validator: Validator) -> None:
    # Bounded: unknown feed URLs (remembered 404s) must not grow a worker without limit.
    if len(_recent_validators) >= VALIDATOR_COPIES:
        _recent_validators.clear()
    _recent_validators[key] = (time.monotonic(), validator)


def copy_key(key: str, coding: str) -> str:
    """The process store's key for feed `key` in `coding`: the feed key itself for the
    text, "<key>;gzip" for the compressed body."""
    return key if coding == IDENTITY else f"{key};{coding}"


def get_feed(key: str, validator: Validator, coding: str = IDENTITY) -> StoredFeed | None:
    """The body in `coding` (IDENTITY or GZIP) that goes with `validator`: this
    process's copy when its ETag matches, else the shared cache's (kept here for the next
    request). None when it is gone."""
    kept = copy_key(key, coding)
    copy = _process_copy(kept)
    if copy is not None and copy.etag == validator.etag:
        return copy
    value = shared(lambda: cache.get(f"{_PREFIX}:body:{key}"))
    if not value:
        return None
    # The body may be a render newer (or older) than the validator read a moment ago: it
    # is served with its own ETag and date, so the answer is always self-consistent.
    feed = StoredFeed(**value).coded(coding)
    _keep_in_process(kept, feed)
    return feed


def store_feed(key: str, feed: StoredFeed) -> None:
    """Store body (compressed, see the module docstring), then validator: a reader who
    sees the new validator finds its body. The rendering process keeps no copy: most
    renders are a Celery worker's, which serves none, and a web process that rendered on
    a miss keeps the coding its reader asked for, as it keeps every body it serves."""
    stored = feed.coded(GZIP).stored()
    shared(lambda: cache.set(f"{_PREFIX}:body:{key}", stored, STORE_SECONDS))
    validator = Validator(etag=feed.etag, last_modified=feed.last_modified, version=feed.version)
    shared(lambda: _validators().set(key, validator.__dict__, STORE_SECONDS))
    _remember_validator(key, validator)


def remember_missing(key: str) -> None:
    """Answer the next requests for an unknown feed with 404 without asking the database;
    briefly, so a desk created meanwhile gets its feed (its first story renders it too)."""
    missing = Validator(etag="", last_modified=0, missing=True)
    shared(lambda: _validators().set(key, missing.__dict__, settings.FEED_CACHE_SECONDS))
    _remember_validator(key, missing)


@contextmanager
def render_lock(scope_key: str, *, wait: float = 0.0) -> Iterator[bool]:
    """Hold the render lock of one feed scope, if it can be had within `wait` seconds.

    Yields whether it was acquired. `cache.add` is atomic in Redis and in the embedded
    file cache (newsroom/filecache.py), so of concurrent callers exactly one gets it; the
    lock expires by itself if its holder dies, and is released only by its holder.
    """
    lock_key = f"{_PREFIX}:lock:{scope_key}"
    token = uuid.uuid4().hex
    deadline = time.monotonic() + wait
    acquired = shared(lambda: cache.add(lock_key, token, LOCK_SECONDS))
    while not acquired and time.monotonic() < deadline:
        time.sleep(0.02)
        acquired = shared(lambda: cache.add(lock_key, token, LOCK_SECONDS))
    try:
        yield acquired
    finally:
        if acquired and shared(lambda: cache.get(lock_key)) == token:
            shared(lambda: cache.delete(lock_key))


def forget_process_copies() -> None:
    """Drop this process's bodies and validators, and forget a cache failure (for tests
    that start cold). The next copy kept reads FEED_MEMORY_BYTES again."""
    global _cache_down_until, _process_copies, _process_copies_ready
    with _process_lock:
        _process_copies = None
        _process_copies_ready = False
    _recent_validators.clear()
    _cache_down_until = 0.0
