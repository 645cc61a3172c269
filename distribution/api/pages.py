"""Partner API item pages, cached against the items' validator as the feeds are.

A page of `/api/v1/items/` is decided by three things only: the partner's entitlements
(`distribution.selectors.Entitlements`, never the partner itself), the URL (host, cursor,
filters and page size) and the state of the published items. So a page is stored under
its entitlement key and URL, with the *generation* of the items it was built from:

- the generation is a token in the shared cache, replaced after every committed outbox
  event (publish, correction, writethru, kill, withhold, release, embargo lift) and every
  deleted article, before the editor's request returns;
- a stored page is served only while its generation is the current one, so the request
  after a kill is built from the database again;
- the generation is read before the page's query runs, so a page built from data older
  than a change is stored under the generation that change replaced, and never served;
- an embargo ending changes pages with no event at all: a page for a partner without
  embargoed copy is served only until the next embargo ends (read with the page, in the
  same query); a page without items is not stored.

The shared cache holds a small validator per page (generation, ETag, Last-Modified), read
with the generation in one round trip through `distribution.api.hotcache`, and the body
apart; each process keeps the bodies it served last, as the feeds do. The ETag
is a hash of the body. Entries expire after PAGE_SECONDS, which also bounds how long a
change could stay unseen if the cache was unreachable when its generation was replaced.
When the shared cache does not answer, pages are built from the database, uncached.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import cache

from distribution.api import hotcache
from distribution.feeds.cache import CacheUnavailable, body_etag
from distribution.feeds.cache import shared as _shared

# How long a stored page may be served; a hot page is rebuilt at most this often.
PAGE_SECONDS = 60
# Bodies one process keeps: a page is at most 100 items, some 3 KB each.
PROCESS_COPIES = 256
_PREFIX = "items"
GENERATION_KEY = f"{_PREFIX}:generation"
_BODY_PREFIX = "api:v1:items:body"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredPage:
    """A page as served: its body (JSON bytes) and validators."""

    etag: str
    last_modified: int  # Unix seconds, as HTTP dates carry them
    body: bytes


_copies: OrderedDict[str, StoredPage] = OrderedDict()
_copies_lock = threading.Lock()


def page_key(entitlements_key: str, url: str) -> str:
    """The cache name of the page at absolute `url` for one entitlement set."""
    digest = hashlib.blake2b(url.encode(), digest_size=16).hexdigest()
    return f"{entitlements_key}:{digest}"


def new_generation() -> None:
    """Replace the items' generation: every stored page stops being served. Called after
    a change to what partners may be given is committed. Never raises: the change is
    committed whatever happens here, and stored pages expire after PAGE_SECONDS."""
    try:
        hotcache.set_value(GENERATION_KEY, uuid.uuid4().hex, None)
    except CacheUnavailable:
        logger.warning("api pages: could not replace the generation; pages expire by age")


def current_generation() -> str:
    """The items' generation now (created when the cache has none). Raises
    CacheUnavailable."""
    generation = hotcache.get_many([GENERATION_KEY])[0]
    if generation is None:
        hotcache.add_value(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = hotcache.get_many([GENERATION_KEY])[0]
    return generation


def lookup_keys(key: str) -> list[str]:
    """The shared values `lookup` reads for the page `key`: the generation, the validator."""
    return [GENERATION_KEY, f"{_PREFIX}:validator:{key}"]


def lookup(key: str, prefetched: dict | None = None) -> tuple[str, dict | None]:
    """The current generation and the page's stored validator (`generation`, `etag`,
    `last_modified`, `until`; None when nothing is stored) in one cache round trip, or
    none when `prefetched` holds both (read this request, in the partner throttle's round
    trip). The page may be served only when the validator's generation is the current
    one. Raises CacheUnavailable."""
    names = lookup_keys(key)
    if prefetched is not None and all(name in prefetched for name in names):
        generation, validator = (prefetched[name] for name in names)
    else:
        generation, validator = hotcache.get_many(names)
    return generation or current_generation(), validator


def body(key: str, validator: dict) -> StoredPage | None:
    """The body that goes with `validator`: this process's copy when its ETag matches,
    else the shared cache's. None when it is gone. Raises CacheUnavailable."""
    with _copies_lock:
        copy = _copies.get(key)
    if copy is not None and copy.etag == validator["etag"]:
        return copy
    value = _shared(lambda: cache.get(f"{_BODY_PREFIX}:{key}"))
    if value is None or value["etag"] != validator["etag"]:
        return None
    page = StoredPage(**value)
    _keep(key, page)
    return page


def servable(validator: dict | None, generation: str) -> bool:
    """Whether the page of `validator` may be served now: built from the current
    generation, and before the next embargo it could not show ends (`until`)."""
    if validator is None or validator.get("generation") != generation:
        return False
    until = validator.get("until")
    return until is None or time.time() < until


def store(
    key: str,
    generation: str,
    content: bytes,
    previous: dict | None,
    *,
    until: float | None = None,
) -> StoredPage:
    """Store the page built from the items of `generation`, body first, then validator;
    served until `until` (Unix seconds; None: while the generation lasts): the time the
    next embargo it could not show ends, when the page changes without any event.

    Last-Modified is now, and always later than a different `previous` body's, so a
    client asking If-Modified-Since a page it was given never gets a 304 for a changed one.
    """
    etag = body_etag(content)
    last_modified = int(time.time())
    if previous is not None and previous["etag"] != etag:
        last_modified = max(last_modified, previous["last_modified"] + 1)
    elif previous is not None:
        last_modified = previous["last_modified"]
    page = StoredPage(etag=etag, last_modified=last_modified, body=content)
    _shared(lambda: cache.set(f"{_BODY_PREFIX}:{key}", page.__dict__, PAGE_SECONDS))
    validator = {
        "generation": generation,
        "etag": etag,
        "last_modified": last_modified,
        "until": until,
    }
    hotcache.set_value(f"{_PREFIX}:validator:{key}", validator, PAGE_SECONDS)
    _keep(key, page)
    return page


def _keep(key: str, page: StoredPage) -> None:
    with _copies_lock:
        _copies[key] = page
        _copies.move_to_end(key)
        while len(_copies) > PROCESS_COPIES:
            _copies.popitem(last=False)


def forget_process_copies() -> None:
    """Drop this process's bodies (for tests that start cold)."""
    with _copies_lock:
        _copies.clear()
