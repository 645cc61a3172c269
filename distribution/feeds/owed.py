"""Feed renders as owed work: recorded in the database, settled by a render, reconciled.

Every change to a story's public state commits an OutboxEvent in the same transaction as
the change. Each event makes a render owed to every feed the story is or ever was listed
in (`selectors.feed_keys_ever`): one FeedRender row per feed and event. Two paths record
and settle them:

- the render task queued after commit (`distribution.feeds.render_event_feeds`), at once;
- the reconciler (`distribution.feeds.reconcile`, on beat every couple of seconds), which
  reads the outbox past its high-water mark, records what no task recorded, and renders
  every feed still owed.

Time alone changes one thing a feed shows: a kill notice leaves its feeds
FEED_KILL_NOTICE_DAYS after the kill. The reconciler makes a render owed to the feeds of
every kill whose notice ran out since its last pass (`record_expired_kill_notices`).

So a lost task, a lost after-commit signal or a worker killed in the middle of a render
delays a feed by one reconciler period; it never leaves a feed stale.

Renders of one feed never interleave: a render holds the row locks of the feed's owed
rows while it reads and stores, so a second render of that feed waits and then renders
after it; a dead renderer's locks go with its database connection. A render settles only
the rows it saw owed when it began: a change recorded while it was reading stays owed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from articles.models import Article, OutboxEvent
from distribution.feeds import cache as feed_cache
from distribution.feeds.rendering import refresh_scope
from distribution.feeds.selectors import (
    FORMATS,
    FeedScope,
    UnknownFeed,
    feed_keys_ever,
    resolve_scope_key,
    sort_keys,
)
from distribution.models import FeedOutboxMark, FeedRender

logger = logging.getLogger(__name__)

MARK = "outbox"
# The kill time up to which expired kill notices have had their feeds re-rendered.
KILL_NOTICE_MARK = "kill-notices"
# How far before its mark the reconciler reads the outbox again. An event is stamped when
# its transaction writes it and seen when that transaction commits; one whose transaction
# committed after a later event had moved the mark is found while it is this young.
# (Older than that, its own render task has long recorded it.)
LOOKBACK = timedelta(minutes=10)
# Outbox events recorded per query, and queries per reconciler pass.
BATCH = 500
MAX_BATCHES = 20
# Settled rows are kept this long (for the admin and for tracing a feed's history).
RETAIN = timedelta(days=1)
# How long a render waits for the feed's cache lock, held by a render on a cache miss (or
# by a worker that died holding it, until the lock expires). After that it renders anyway
# and leaves its rows owed, so a later pass renders again once the lock is free.
CACHE_LOCK_WAIT_SECONDS = 1.0

Changed = list[tuple[FeedScope, str]]


def record_event(event_id: UUID | str) -> list[str]:
    """Record the renders one outbox event makes owed; returns their feed scope keys ([] for
    an event that no longer exists). Recording an event twice records nothing new."""
    event = OutboxEvent.objects.filter(pk=event_id).values("pk", "article_id").first()
    if event is None:
        return []
    keys = feed_keys_ever(event["article_id"])
    _record(keys, event_id=event["pk"])
    return keys


def record_renders(keys: list[str]) -> None:
    """Make a render of each feed in `keys` owed without a change behind it (an operator
    re-rendering a story's feeds)."""
    _record(keys, event_id=None)


def _record(keys: list[str], *, event_id: UUID | None) -> None:
    now = timezone.now()
    FeedRender.objects.bulk_create(
        [FeedRender(scope=key, event_id=event_id, owed_at=now) for key in keys],
        ignore_conflicts=True,  # (scope, event) is unique: a second recording is a no-op
    )


def record_outbox() -> int:
    """Record the renders of every outbox event no task recorded; returns how many events.

    Reads events created after the stored mark less LOOKBACK (before any mark: the last
    LOOKBACK) that have no FeedRender row yet, oldest first, and moves the mark forward to
    the newest event. Safe to run
    twice and concurrently: the rows are unique per feed and event, the mark only moves
    forward.
    """
    mark = FeedOutboxMark.objects.filter(name=MARK).values_list("through", flat=True).first()
    since = (mark or timezone.now()) - LOOKBACK
    unrecorded = (
        OutboxEvent.objects.filter(created_at__gt=since)
        .filter(~Exists(FeedRender.objects.filter(event=OuterRef("pk"))))
        .order_by("created_at", "pk")
    )
    recorded = 0
    newest: datetime | None = None
    for _ in range(MAX_BATCHES):
        events = list(unrecorded.values_list("pk", "created_at")[:BATCH])
        for event_id, created_at in events:
            record_event(event_id)
            newest = created_at if newest is None else max(newest, created_at)
        recorded += len(events)
        if len(events) < BATCH:
            break
    if recorded:
        logger.info("feeds: %d outbox event(s) had no render recorded; recorded now", recorded)
    _move_mark(newest or OutboxEvent.objects.aggregate(newest=Max("created_at"))["newest"])
    return recorded


def _move_mark(through: datetime | None, name: str = MARK) -> None:
    if through is None:
        return
    now = timezone.now()
    moved = FeedOutboxMark.objects.filter(name=name, through__lt=through).update(
        through=through, updated_at=now
    )
    if not moved:
        FeedOutboxMark.objects.get_or_create(
            name=name, defaults={"through": through, "updated_at": now}
        )


def record_expired_kill_notices(*, now: datetime | None = None) -> int:
    """Make a render owed to every feed of each story whose kill notice ran out
    (FEED_KILL_NOTICE_DAYS after its kill) since the last pass; returns how many stories.

    Without a mark (the first pass) it looks back one notice period. Safe to run twice and
    concurrently: recording a render twice renders an unchanged feed, which stays as it is.
    """
    now = now or timezone.now()
    window = timedelta(days=settings.FEED_KILL_NOTICE_DAYS)
    until = now - window
    mark = (
        FeedOutboxMark.objects.filter(name=KILL_NOTICE_MARK)
        .values_list("through", flat=True)
        .first()
    )
    since = mark if mark is not None else until - window
    expired = list(
        Article.objects.filter(
            status=Article.Status.KILLED,
            version_created_at__gt=since,
            version_created_at__lte=until,
        ).values_list("pk", flat=True)
    )
    for article_id in expired:
        record_renders(feed_keys_ever(article_id))
    _move_mark(until, KILL_NOTICE_MARK)
    return len(expired)


def owed_scopes() -> list[str]:
    """The feed scope keys with a render owed, in `sort_keys` order."""
    keys = set(FeedRender.objects.filter(rendered_at__isnull=True).values_list("scope", flat=True))
    return sort_keys(keys)


def render_owed(keys: list[str] | None = None) -> Changed:
    """Render each feed of `keys` (default: every feed) that has a render owed.

    Returns the (scope, format) pairs whose content changed: the feeds a WebSub hub must
    hear about.
    """
    changed: Changed = []
    for key in owed_scopes() if keys is None else keys:
        scope, formats = render_owed_scope(key)
        changed += [(scope, fmt) for fmt in formats]
    return changed


def render_owed_scope(key: str) -> tuple[FeedScope | None, list[str]]:
    """Render one feed if a render is owed to it, and settle what the render covered.

    Returns the scope and the formats whose content changed; (None, []) when nothing was
    owed. A desk or topic deleted since, or a language no desk or story uses any more, has
    no feed: its cached copies are replaced by a remembered 404, so a stale copy listing
    a killed story is never served again.
    """
    with transaction.atomic():
        # Waits for a render of this feed already running, then sees what it left owed.
        owed = list(
            FeedRender.objects.select_for_update()
            .filter(scope=key, rendered_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if not owed:
            return None, []
        try:
            scope = resolve_scope_key(key)
        except UnknownFeed:
            for fmt in FORMATS:
                feed_cache.remember_missing(feed_cache.feed_key(key, fmt))
            FeedRender.objects.filter(pk__in=owed).update(rendered_at=timezone.now())
            return None, []
        with feed_cache.render_lock(key, wait=CACHE_LOCK_WAIT_SECONDS) as alone:
            changed = refresh_scope(scope)
        if alone:
            FeedRender.objects.filter(pk__in=owed).update(rendered_at=timezone.now())
        else:
            logger.warning("feeds: rendered %s beside another render; left owed for the next", key)
    return scope, changed


def prune(*, now: datetime | None = None) -> int:
    """Delete settled rows older than RETAIN; returns how many."""
    cutoff = (now or timezone.now()) - RETAIN
    deleted, _ = FeedRender.objects.filter(rendered_at__isnull=False, owed_at__lt=cutoff).delete()
    return deleted


def reconcile() -> Changed:
    """One reconciler pass: record what the outbox owes and the feeds of kill notices that
    ran out, render every feed owed, prune.

    Returns the (scope, format) pairs whose content changed. Safe to run twice and
    concurrently (see `record_outbox` and `render_owed_scope`).
    """
    record_outbox()
    record_expired_kill_notices()
    changed = render_owed()
    prune()
    return changed
