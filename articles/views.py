"""The public site: the front page, desk pages and story pages, all from what was sent.

Lists come from `articles.published.latest_published` (released copy only, as last sent);
a story page shows only published, released copy, and a kill shows its notice (410).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from articles.models import Article, Desk
from articles.published import as_published, latest_published
from articles.rendering import story_context, story_queryset

# Statuses a reader can ever reach; drafts and desk copy are not even looked at.
_PUBLIC_STATUSES = (Article.Status.PUBLISHED, Article.Status.KILLED)
# How many stories a list page shows: a day's file on a busy desk.
LATEST_STORIES = 30


def _desks() -> list[Desk]:
    return list(Desk.objects.only("name", "slug").order_by("name"))


def front_page(request: HttpRequest) -> HttpResponse:
    """The latest stories from every desk."""
    return render(
        request,
        "articles/front.html",
        {
            "stories": latest_published(limit=LATEST_STORIES),
            "desks": _desks(),
            "canonical_url": f"{settings.SITE_URL}{reverse('articles:front')}",
        },
    )


def desk_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One desk's latest stories; a desk that does not exist is a 404."""
    desks = _desks()
    desk = next((d for d in desks if d.slug == slug), None)
    if desk is None:
        raise Http404("No such desk.")
    return render(
        request,
        "articles/desk.html",
        {
            "stories": latest_published(desk=desk, limit=LATEST_STORIES),
            "desks": desks,
            "current_desk": desk,
            "canonical_url": f"{settings.SITE_URL}{reverse('articles:desk', args=[slug])}",
        },
    )


def story(request: HttpRequest, slug: str) -> HttpResponse:
    """The story with this slug as readers see it.

    A slug is unique per desk, so the newest released story wins. A killed story answers
    410 Gone with its kill notice and never its copy. Embargoed, withheld and unpublished
    copy is a 404, exactly like copy that does not exist, so the page confirms nothing.
    """
    candidates = story_queryset().filter(slug=slug, status__in=_PUBLIC_STATUSES)
    for article in candidates.order_by("-published_at"):
        if article.status == Article.Status.KILLED:
            return _render(request, article, status=410)
        if not article.is_embargoed:
            return _render(request, article)
    raise Http404("No such story.")


def _render(request: HttpRequest, article: Article, status: int = 200) -> HttpResponse:
    # Readers get the copy as it was last sent, never an edit not yet moved.
    # The canonical address (in the context) is the one feeds and partners were given,
    # whatever host the reader came in by.
    context = story_context(as_published(article))
    context["desks"] = _desks()
    response = render(request, "articles/story.html", context, status=status)
    response["Content-Language"] = article.language
    return response
