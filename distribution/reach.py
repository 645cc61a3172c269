"""Distribution's answer to `articles.signals.story_reach`: a story's feeds and the partners
a kill notice would be pushed to (the same rule the push fan-out applies)."""

from __future__ import annotations

from contextlib import suppress

from django.dispatch import receiver

from articles.models import Article, ArticleVersion, OutboxEvent
from articles.signals import story_reach
from distribution.feeds.selectors import FeedScope, UnknownFeed, resolve_scope_key, sort_keys
from distribution.models import WebhookEndpoint
from distribution.selectors import is_entitled

_FEED_NAMES = {
    "all": "Every story",
    "desk": "Desk: {name}",
    "topic": "Topic: {name}",
    "lang": "Language: {name}",
}


@receiver(story_reach)
def feeds_and_partners(sender, *, article: Article, **kwargs) -> dict:
    """The feeds listing the story now (those its current version went out in, not the
    working copy's) by display name, and how many partners a kill notice would reach."""
    feeds = [_FEED_NAMES[scope.kind].format(name=scope.name) for scope in _listed_in(article)]
    endpoints = WebhookEndpoint.objects.filter(active=True, partner__active=True).select_related(
        "partner"
    )
    partners = {
        endpoint.partner_id: endpoint.partner
        for endpoint in endpoints
        if endpoint.wants(OutboxEvent.Type.KILL)
    }
    notified = sum(1 for partner in partners.values() if is_entitled(partner, article.pk))
    return {"feeds": feeds, "partners": notified}


def _listed_in(article: Article) -> list[FeedScope]:
    sent = (
        ArticleVersion.objects.filter(article=article, number=article.version)
        .values_list("feeds", flat=True)
        .first()
    )
    scopes = []
    for key in sort_keys(sent or ()):
        # A desk or topic deleted since has no feed left to take the story out of.
        with suppress(UnknownFeed):
            scopes.append(resolve_scope_key(key))
    return scopes
