"""Distribution's answer to `articles.signals.story_reach`: a story's feeds and the partners
a kill notice would be pushed to (the same rule the push fan-out applies)."""

from __future__ import annotations

from django.dispatch import receiver

from articles.models import Article, OutboxEvent
from articles.signals import story_reach
from distribution.feeds.selectors import scopes_for_article
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
    feeds = [
        _FEED_NAMES[scope.kind].format(name=scope.name) for scope in scopes_for_article(article.pk)
    ]
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
