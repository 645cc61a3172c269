"""Distribution's answer to `articles.signals.story_reach`: where a kill notice would go.

The feeds are those the feeds' own rule (`feeds.selectors.kill_notice_feeds`) would give
the notice to; the partners are counted by the push fan-out's rule for the version a kill
stores (`workflow.versions.feeds_sent`: every feed any version went out in).
"""

from __future__ import annotations

from contextlib import suppress

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article, ArticleVersion, OutboxEvent
from articles.signals import story_reach
from articles.workflow.versions import feeds_sent
from distribution.feeds.selectors import (
    FeedScope,
    UnknownFeed,
    kill_notice_feeds,
    resolve_scope_key,
    sort_keys,
)
from distribution.models import WebhookEndpoint
from distribution.selectors import entitled_to_feeds

_FEED_NAMES = {
    "all": "Every story",
    "desk": "Desk: {name}",
    "topic": "Topic: {name}",
    "lang": "Language: {name}",
}


@receiver(story_reach)
def feeds_and_partners(sender, *, article: Article, **kwargs) -> dict:
    """The feeds that would carry the story's kill notice (those readers had it in), by
    display name; how many partners the notice would be pushed to; and for how many days
    the feeds keep the notice."""
    now = timezone.now()
    feeds = [_FEED_NAMES[scope.kind].format(name=scope.name) for scope in _notice_feeds(article)]
    endpoints = WebhookEndpoint.objects.filter(active=True, partner__active=True).select_related(
        "partner"
    )
    partners = {
        endpoint.partner_id: endpoint.partner
        for endpoint in endpoints
        if endpoint.wants(OutboxEvent.Type.KILL)
    }
    sent = feeds_sent(article)
    notified = sum(
        1 for partner in partners.values() if entitled_to_feeds(partner, article, sent, now=now)
    )
    return {"feeds": feeds, "partners": notified, "feed_days": settings.FEED_KILL_NOTICE_DAYS}


def _notice_feeds(article: Article) -> list[FeedScope]:
    versions = list(ArticleVersion.objects.filter(article=article).order_by("number"))
    keys = kill_notice_feeds(versions, released_at=article.published_at)
    scopes = []
    for key in sort_keys(keys):
        # A desk or topic deleted since has no feed left to carry the notice.
        with suppress(UnknownFeed):
            scopes.append(resolve_scope_key(key))
    return scopes
