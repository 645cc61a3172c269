"""Partner push in answer to published changes (connected in DistributionConfig.ready)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from articles.signals import outbox_committed

logger = logging.getLogger(__name__)


@receiver(outbox_committed, dispatch_uid="distribution.push.fan_out")
def push_outbox_event(sender, *, event_id, article_id, **kwargs) -> None:
    """Queue the fan-out of a committed outbox event.

    Never lets a broker or delivery problem reach the editor who published: the event is in
    the outbox, and the dispatcher fans out any event left undispatched.
    """
    from distribution.push.tasks import fan_out_event

    try:
        fan_out_event.delay(str(event_id))
    except Exception:
        logger.exception("could not queue the fan-out of outbox event %s", event_id)
