"""The public story page: only published, released copy; a kill shows its notice (410)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from articles.models import Article
from articles.rendering import render_story_html, story_queryset


def story(request: HttpRequest, slug: str) -> HttpResponse:
    candidates = (
        story_queryset()
        .filter(slug=slug)
        .exclude(status__in=[Article.Status.DRAFT, Article.Status.SUBMITTED, Article.Status.EDITED])
    )
    for article in candidates.order_by("-published_at"):
        if article.status == Article.Status.KILLED:
            return HttpResponse(render_story_html(article, request=request), status=410)
        if article.status == Article.Status.PUBLISHED and not article.is_embargoed:
            return HttpResponse(render_story_html(article, request=request))
    # Embargoed, withheld and unpublished copy look exactly like copy that does not exist.
    raise Http404("No such story.")
