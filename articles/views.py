"""The public site: the front page, desk pages and story pages, all from what was sent.

Lists come from `articles.published.latest_published` (released copy only, as last sent);
a story page shows only published, released copy, and a kill shows its notice (410).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from articles.models import Desk
from articles.published import PublicStory, find_public_story, latest_published
from articles.rendering import story_context, story_queryset

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
    """The story at this address as readers see it (`articles.published.find_public_story`).

    The slug it last went out under serves the page as sent; an older slug that went out
    redirects (301) there. A killed story answers 410 Gone with its kill notice only (no
    headline, no copy). Embargoed, withheld and unpublished copy, a story killed before its
    embargo lifted, and a slug that never went out are a 404, exactly like copy that does
    not exist, so the page confirms nothing.
    """
    found = find_public_story(slug, queryset=story_queryset())
    if found is None:
        raise Http404("No such story.")
    if not found.current:
        return HttpResponsePermanentRedirect(found.shown.get_absolute_url())
    return _render(request, found)


def _render(request: HttpRequest, found: PublicStory) -> HttpResponse:
    # Readers get the copy as it was last sent, never an edit not yet moved.
    # The canonical address (in the context) is the one feeds and partners were given,
    # whatever host the reader came in by.
    context = story_context(found.shown)
    context["desks"] = _desks()
    status = 410 if found.gone else 200
    response = render(request, "articles/story.html", context, status=status)
    response["Content-Language"] = found.shown.language
    return response
