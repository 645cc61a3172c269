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

# The request headers that can make a cached feed's answer other than its body.
_CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _validation_headers(response: HttpResponse, etag: str, last_modified: int) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # A CDN or proxy may hold the feed briefly; readers revalidate with the ETag after.
    response["Cache-Control"] = f"public, max-age={settings.FEED_CACHE_SECONDS}"
    # The body's coding follows Accept-Encoding: a shared cache must hold one per coding.
    response["Vary"] = "Accept-Encoding"
    return response


def _body_response(stored: feed_cache.StoredFeed) -> HttpResponse:
    """The 200 for `stored`, with its validation headers and Content-Length (what
    CommonMiddleware would add) written from the feed's once-built header values."""
    response = HttpResponse(stored.body, content_type=stored.content_type)
    for name, value in stored.headers:
        response.headers[name] = value
    response.headers["Cache-Control"] = f"public, max-age={settings.FEED_CACHE_SECONDS}"
    response.headers["Vary"] = "Accept-Encoding"
    return response


def _coding(request: HttpRequest) -> str:
    return feed_cache.content_coding(request.META.get("HTTP_ACCEPT_ENCODING", ""))


def _answer(
    request: HttpRequest, stored: feed_cache.StoredFeed, validator: feed_cache.Validator | None
) -> HttpResponse:
    """The body, or the 304 (or 412) the reader's conditions call for. The conditions are
    checked against `stored` unless they were already checked against `validator`, the
    very version `stored` is."""
    response = _body_response(stored)
    if validator is not None and validator.etag == stored.etag:
        return response
    if not any(name in request.META for name in _CONDITIONS):
        return response
    conditional = get_conditional_response(
        request, etag=stored.served_etag, last_modified=stored.last_modified, response=response
    )
    if conditional is response:
        return response
    return _validation_headers(conditional, stored.served_etag, stored.last_modified)


def cached_response(request: HttpRequest, key: str) -> HttpResponse | None:
    """The answer to a GET or HEAD for the feed `key` (see `feed_cache.feed_key`) from the
    caches alone, without the database: a 304 (or 412) when the reader's conditions call
    for it, else the body, gzip-compressed when the reader accepts it. None when the feed
    is not in the shared cache and must be rendered.

    Raises Http404 for a feed remembered as missing, and feed_cache.CacheUnavailable when
    the shared cache does not answer.
    """
    validator = feed_cache.get_validator(key, reuse=True)
    if validator is None:
        return None
    if validator.missing:
        raise Http404("No such feed.")
    coding = _coding(request)
    if any(name in request.META for name in _CONDITIONS):
        etag = feed_cache.coded_etag(validator.etag, coding)
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=validator.last_modified, response=None
        )
        if not_modified is not None:
            return _validation_headers(not_modified, etag, validator.last_modified)
    stored = feed_cache.get_feed(key, validator, coding)
    if stored is None:
        return None
    return _answer(request, stored, validator)


@require_safe
def feed(request: HttpRequest, fmt: str, kind: str = "all", value: str = "") -> HttpResponse:
    """A feed in `fmt` (rss, atom, json) for everything, a desk, a topic or a language.

    404 for an unknown format, desk, topic or language; 304 when the reader's ETag or date
    is current.
    """
    if fmt not in FORMATS:
        raise Http404("No such feed format.")
    key = feed_cache.feed_key(scope_key(kind, value), fmt)
    try:
        response = cached_response(request, key)
        if response is not None:
            return response
        stored = render_on_miss(kind, value, fmt, _coding(request))
    except UnknownFeed as exc:
        raise Http404("No such feed.") from exc
    except feed_cache.CacheUnavailable:
        stored = _render_from_database(kind, value, fmt)
    return _answer(request, stored, None)


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
