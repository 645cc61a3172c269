"""Serving feeds from the cache: one small cache read per request, no database.

The view never touches the session, the user or the database for a cached feed: a 304
is answered from the validator alone, a 200 from this process's copy of the body (or,
when the feed moved, one read of the new body). Only a feed missing from the cache is
rendered here, once, under its lock.

When the shared cache does not answer, the feed is rendered from the database for each
request: slower, but a reader never gets a 500 for an outage of the cache.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from distribution.feeds import cache as feed_cache
from distribution.feeds.feeds import WireFeed
from distribution.feeds.rendering import render_on_miss, scope_key
from distribution.feeds.selectors import (
    FORMATS,
    UnknownFeed,
    feed_items,
    kill_notices,
    resolve_scope,
)


def _validation_headers(response: HttpResponse, etag: str, last_modified: int) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # A CDN or proxy may hold the feed briefly; readers revalidate with the ETag after.
    response["Cache-Control"] = f"public, max-age={settings.FEED_CACHE_SECONDS}"
    return response


@require_safe
def feed(request: HttpRequest, fmt: str, kind: str = "all", value: str = "") -> HttpResponse:
    """A feed in `fmt` (rss, atom, json) for everything, a desk, a topic or a language.

    404 for an unknown format, desk, topic or language; 304 when the reader's ETag or date
    is current.
    """
    if fmt not in FORMATS:
        raise Http404("No such feed format.")
    key = feed_cache.feed_key(scope_key(kind, value), fmt)
    stored = None
    validator = None
    try:
        validator = feed_cache.get_validator(key, reuse=True)
        if validator is not None:
            if validator.missing:
                raise Http404("No such feed.")
            not_modified = get_conditional_response(
                request, etag=validator.etag, last_modified=validator.last_modified, response=None
            )
            if not_modified is not None:
                return _validation_headers(not_modified, validator.etag, validator.last_modified)
            stored = feed_cache.get_feed(key, validator)
        if stored is None:
            stored = render_on_miss(kind, value, fmt)
    except UnknownFeed as exc:
        raise Http404("No such feed.") from exc
    except feed_cache.CacheUnavailable:
        validator = None
        stored = _render_from_database(kind, value, fmt)
    response = _validation_headers(
        HttpResponse(stored.body, content_type=stored.content_type),
        stored.etag,
        stored.last_modified,
    )
    if validator is not None and validator.etag == stored.etag:
        return response  # the conditions were checked against this very validator
    conditional = get_conditional_response(
        request, etag=stored.etag, last_modified=stored.last_modified, response=response
    )
    if conditional is response:
        return response
    return _validation_headers(conditional, stored.etag, stored.last_modified)


def _render_from_database(kind: str, value: str, fmt: str) -> feed_cache.StoredFeed:
    """The feed rendered for this request alone, stored nowhere: what a reader gets while
    the shared cache is down. Raises Http404 for an unknown desk, topic or language."""
    try:
        scope = resolve_scope(kind, value)
    except UnknownFeed as exc:
        raise Http404("No such feed.") from exc
    stamp = int(time.time())
    feed = WireFeed(
        scope,
        feed_items(scope),
        fmt=fmt,
        build_date=datetime.fromtimestamp(stamp, UTC),
        notices=kill_notices(scope),
    )
    body = feed.render()
    return feed_cache.StoredFeed(
        etag=feed_cache.body_etag(body),
        last_modified=stamp,
        content_type=feed.feed_type.content_type,
        body=body,
    )
