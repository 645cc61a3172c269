"""Celery tasks for feeds: thin wrappers over `owed`, `rendering` and `websub`, given ids
and URLs."""

from __future__ import annotations

import logging

import requests
from celery import shared_task
from celery.exceptions import Retry

from distribution.feeds import owed, websub
from distribution.feeds.selectors import feed_keys_ever

logger = logging.getLogger(__name__)


def _announce(changed: owed.Changed) -> list[str]:
    """Tell the hub of each feed whose content changed; returns the changed feeds' URLs."""
    urls = [scope.url(fmt) for scope, fmt in changed]
    if websub.hub_url():
        for topic_url in urls:
            try:
                notify_hub.delay(topic_url)
            except (Retry, requests.RequestException) as exc:
                # Only in-process (embedded) mode gets here: with no broker to retry on,
                # one unreachable hub must not stop the other pings or fail the render.
                logger.warning("websub: hub not notified of %s: %s", topic_url, exc)
    return urls


@shared_task(name="distribution.feeds.render_event_feeds")
def render_event_feeds(event_id: str) -> list[str]:
    """After a committed outbox event: record the renders it makes owed (every feed the
    story is or ever was in) and render them. Returns the changed feeds' URLs.

    If this task is lost, the reconciler finds the event in the outbox and does the same.
    """
    return _announce(owed.render_owed(owed.record_event(event_id)))


@shared_task(name="distribution.feeds.render_article_feeds")
def render_article_feeds(article_id: int) -> list[str]:
    """Re-render every feed the article is or ever was in, without a change behind it.
    Returns the changed feeds' URLs."""
    keys = feed_keys_ever(article_id)
    owed.record_renders(keys)
    return _announce(owed.render_owed(keys))


@shared_task(name="distribution.feeds.reconcile")
def reconcile() -> list[str]:
    """Beat, every couple of seconds: render every feed whose last render is older than the
    last change to its content (`owed.reconcile`). Returns the changed feeds' URLs."""
    return _announce(owed.reconcile())


@shared_task(
    name="distribution.feeds.notify_hub",
    autoretry_for=(requests.RequestException,),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def notify_hub(topic_url: str) -> bool:
    """Ping the WebSub hub for one feed; a refusal or network failure is retried with
    exponential backoff (2 s, 4 s, … capped at 10 minutes, 8 tries)."""
    return websub.notify_hub(topic_url)
