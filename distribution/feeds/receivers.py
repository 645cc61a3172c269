"""Feed re-rendering in answer to published changes (connected in DistributionConfig.ready).

Every outbox event (publish, correction, writethru, kill, withhold, release, embargo
lift) can change what a feed shows, so each one re-renders every feed its story is or
ever was in. The signal is sent after the transaction commits, so the task reads the
committed story. The task is the fast path only: the reconciler renders from the outbox
whatever a lost signal or task left owed.
"""

from __future__ import annotations

import logging

from django.dispatch import receiver

from articles.signals import outbox_committed

logger = logging.getLogger(__name__)


@receiver(outbox_committed, dispatch_uid="distribution.feeds.render_on_outbox")
def render_feeds_on_change(sender, *, event_id, article_id: int, **kwargs) -> None:
    from distribution.feeds.tasks import render_event_feeds

    try:
        render_event_feeds.delay(str(event_id))
    except Exception:
        # The change and its outbox event are committed whatever happens here; the
        # reconciler renders the feeds. The editor's action must not fail for it.
        logger.exception("feeds: could not enqueue the re-render for article %s", article_id)
