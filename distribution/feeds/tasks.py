"""Celery tasks for feeds: thin wrappers over `rendering` and `websub`, given ids and URLs."""

from __future__ import annotations

import logging

import requests
from celery import shared_task
from celery.exceptions import Retry

from distribution.feeds import websub
from distribution.feeds.rendering import refresh_article_feeds

logger = logging.getLogger(__name__)


@shared_task(name="distribution.feeds.render_article_feeds")
def render_article_feeds(article_id: int) -> list[str]:
    """Re-render the feeds a change to the article alters, and tell the hub of each feed
    whose content changed. Returns the changed feeds' URLs."""
    changed = [scope.url(fmt) for scope, fmt in refresh_article_feeds(article_id)]
    if websub.hub_url():
        for topic_url in changed:
            try:
                notify_hub.delay(topic_url)
            except (Retry, requests.RequestException) as exc:
                # Only in-process (embedded) mode gets here: with no broker to retry on,
                # one unreachable hub must not stop the other pings or fail the render.
                logger.warning("websub: hub not notified of %s: %s", topic_url, exc)
    return changed


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
