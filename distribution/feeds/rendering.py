"""Rendering feeds into the cache: after every published change, and once on a cache miss.

A scope (everything, a desk, a topic, a language) is rendered all three formats from one
read of its items. Renders owed after a change go through `owed` (recorded in the
database, so none is lost); a burst of cache misses renders a feed once, under its lock.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from django.utils import timezone

from distribution.feeds import cache as feed_cache
from distribution.feeds.cache import IDENTITY, StoredFeed
from distribution.feeds.feeds import WireFeed
from distribution.feeds.selectors import (
    FORMATS,
    FeedScope,
    KillNotice,
    UnknownFeed,
    feed_items,
    kill_notices,
    resolve_scope,
)

logger = logging.getLogger(__name__)

# How long a request that missed the cache waits for another process's render of the same
# feed before rendering it itself.
MISS_WAIT_SECONDS = 10.0


def scope_key(kind: str, value: str = "") -> str:
    """The scope's cache name, computed from the URL alone (no database)."""
    return FeedScope(kind, value).key


def _render(
    scope: FeedScope, items: list, notices: list[KillNotice], fmt: str, stamp: int
) -> tuple[bytes, str]:
    built = datetime.fromtimestamp(stamp, tz=UTC)
    feed = WireFeed(scope, items, fmt=fmt, build_date=built, notices=notices)
    return feed.render(), feed.feed_type.content_type


def refresh_scope(scope: FeedScope) -> list[str]:
    """Render the scope's three formats and store those whose content changed.

    A feed whose stories did not change keeps its ETag and Last-Modified, so readers'
    conditional requests still get 304. Returns the formats that changed. The caller holds
    the scope's render lock (`owed.render_owed_scope`, `render_on_miss`).
    """
    items, notices = feed_items(scope), kill_notices(scope)
    now = int(timezone.now().timestamp())
    changed = []
    for fmt in FORMATS:
        key = feed_cache.feed_key(scope.key, fmt)
        previous = feed_cache.get_validator(key)
        if previous is not None and not previous.missing:
            # Rendered with the previous date, an unchanged feed is byte for byte the same.
            body, content_type = _render(scope, items, notices, fmt, previous.last_modified)
            if feed_cache.body_etag(body) == previous.etag:
                continue
        body, content_type = _render(scope, items, notices, fmt, now)
        version = previous.version + 1 if previous is not None else 1
        stored = StoredFeed(
            etag=feed_cache.body_etag(body),
            last_modified=now,
            content_type=content_type,
            body=body,
            version=version,
        )
        feed_cache.store_feed(key, stored)
        changed.append(fmt)
    return changed


def render_on_miss(kind: str, value: str, fmt: str, coding: str = IDENTITY) -> StoredFeed:
    """The feed for a request that found nothing cached, its body in `coding` (IDENTITY
    or GZIP): rendered and stored once, however many requests miss at the same moment; the
    others wait for that render.

    Raises UnknownFeed for a desk, topic or language without a feed (and remembers that
    for a short while).
    """
    key = feed_cache.feed_key(scope_key(kind, value), fmt)
    with feed_cache.render_lock(scope_key(kind, value)) as acquired:
        if acquired:
            # Another process may have stored it between our miss and our lock.
            return _cached(key, coding) or _render_and_store(kind, value, fmt, coding)
    deadline = time.monotonic() + MISS_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        validator = feed_cache.get_validator(key)
        if validator is not None and validator.missing:
            raise UnknownFeed(f"No feed {key}.")
        stored = _cached(key, coding)
        if stored is not None:
            return stored
    logger.warning("feeds: gave up waiting for another render of %s; rendering it here", key)
    return _render_and_store(kind, value, fmt, coding)


def _cached(key: str, coding: str) -> StoredFeed | None:
    validator = feed_cache.get_validator(key)
    if validator is None:
        return None
    if validator.missing:
        raise UnknownFeed(f"No feed {key}.")
    return feed_cache.get_feed(key, validator, coding)


def _render_and_store(kind: str, value: str, fmt: str, coding: str) -> StoredFeed:
    key = feed_cache.feed_key(scope_key(kind, value), fmt)
    try:
        scope = resolve_scope(kind, value)
    except UnknownFeed:
        feed_cache.remember_missing(key)
        raise
    refresh_scope(scope)
    stored = _cached(key, coding)
    if stored is None:  # the cache refused the write (full, or down): serve the render
        notices = kill_notices(scope)
        body, content_type = _render(scope, feed_items(scope), notices, fmt, int(time.time()))
        stored = StoredFeed(feed_cache.body_etag(body), int(time.time()), content_type, body)
    return stored
