"""The newsroom's feeds as one `django.contrib.syndication` Feed class, in three formats.

`WireFeed(scope, items, fmt=..., notices=...)` turns the stories a selector chose into RSS
2.0, Atom 1.0 or JSON Feed 1.1, with the kill notices of stories the feed's readers had.
It is rendered off the request path (by the render task, or once on a cache miss), so it
takes no request: links are absolute, built from settings.SITE_URL.

A kill notice is an item like a story, under the story's id, carrying the notice alone;
each format writes it as it can (see `generators`): an Atom tombstone (RFC 6721), a JSON
Feed item marked canceled, an RSS item that replaces the story in readers that update an
entry by its guid.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.dateformat import format as format_date

from articles.credits import credit_line
from articles.models import Article, Credit
from articles.published import WITHDRAWN_TITLE
from articles.sanitize import strip_forbidden_characters as clean
from distribution.feeds.generators import GENERATORS
from distribution.feeds.selectors import FeedScope, KillNotice
from distribution.feeds.websub import hub_url


class _SiteRequest:
    """What Feed.get_feed asks of a request, answered from SITE_URL: a render in a worker
    has no request, and its links must not depend on whoever happened to miss the cache."""

    def __init__(self, path: str) -> None:
        parts = urlsplit(settings.SITE_URL)
        self._host = parts.netloc
        self._secure = parts.scheme == "https"
        self.path = path

    def get_host(self) -> str:
        return self._host

    def is_secure(self) -> bool:
        return self._secure


def story_link(article: Article) -> str:
    return f"{settings.SITE_URL}{article.get_absolute_url()}"


def story_content_html(article: Article) -> str:
    """The body as a reader of the feed sees it: the dateline at the head of the first
    paragraph, as the wire prints it ("NAIROBI, NOVEMBER 30 — Kenyan lawmakers…"), the
    credit line, then any correction notes."""
    body = article.body
    dateline = getattr(article, "dateline", "")
    if dateline:
        lead = f"<strong>{escape(dateline.upper(), quote=False)}</strong> — "
        body = f"<p>{lead}{body[3:]}" if body.startswith("<p>") else f"<p>{lead}</p>\n{body}"
    parts = [body]
    line = getattr(article, "published_credit_line", None)
    if line is None:
        line = credit_line(article.credits.all())
    if line:
        parts.append(f"<p><em>{escape(line, quote=False)}</em></p>")
    parts += [
        f"<p><strong>Correction</strong> ({format_date(version.created_at, 'F j, Y')}): "
        f"{escape(version.note, quote=False)}</p>"
        for version in getattr(article, "correction_versions", ())
        if version.note
    ]
    return clean("\n".join(parts))


class WireFeed(Feed):
    """One scope's stories in one format. Expects `items` from `selectors.feed_items`."""

    def __init__(
        self,
        scope: FeedScope,
        items: list[Article],
        *,
        fmt: str,
        build_date: datetime | None = None,
        notices: list[KillNotice] = (),
    ) -> None:
        self.scope = scope
        self.stories = items
        self.notices = list(notices)
        self.fmt = fmt
        self.feed_type = GENERATORS[fmt]
        self.language = scope.language or None
        self.build_date = build_date

    def render(self) -> bytes:
        """The feed document, UTF-8 encoded."""
        generator = self.get_feed(self.scope, _SiteRequest(self.scope.path(self.fmt)))
        return generator.writeString("utf-8").encode("utf-8")

    # Feed level ------------------------------------------------------------------------

    def title(self, scope: FeedScope) -> str:
        return clean(f"Newsroom: {scope.name}" if scope.kind != "all" else "Newsroom wire")

    def description(self, scope: FeedScope) -> str:
        described = {
            "all": "Every story the newsroom has released",
            "desk": f"Stories from the {scope.name} desk",
            "topic": f"Stories on {scope.name}",
            "lang": f"Stories in {scope.name}",
        }[scope.kind]
        return clean(f"{described}, newest first.")

    def link(self, scope: FeedScope) -> str:
        # A desk's feed leads to the desk's page; every other feed to the front page.
        if scope.kind == "desk":
            return f"{settings.SITE_URL}{reverse('articles:desk', args=[scope.value])}"
        return f"{settings.SITE_URL}{reverse('articles:front')}"

    def feed_url(self, scope: FeedScope) -> str:
        return scope.url(self.fmt)

    def feed_copyright(self, scope: FeedScope) -> str:
        # RSS <copyright> and Atom <rights>: the organisation holds the rights, not a desk.
        return clean(f"Copyright © {settings.NEWSROOM_ORGANISATION}. All rights reserved.")

    def feed_guid(self, scope: FeedScope) -> str:
        # Atom's feed id: stable per feed, whatever host serves it.
        return f"urn:newsroom:feed:{scope.key}:{self.fmt}"

    def items(self, scope: FeedScope) -> list[Article | KillNotice]:
        # Newest first: a story by its release, a kill notice by the kill.
        entries = [*self.stories, *self.notices]
        return sorted(entries, key=_entry_date, reverse=True)

    def feed_extra_kwargs(self, scope: FeedScope) -> dict:
        return {"hub_url": hub_url(), "build_date": self.build_date}

    # Item level ------------------------------------------------------------------------

    def item_title(self, article: Article | KillNotice) -> str:
        if isinstance(article, KillNotice):
            return WITHDRAWN_TITLE
        return clean(article.headline)

    def item_description(self, article: Article | KillNotice) -> str:
        if isinstance(article, KillNotice):
            return clean(article.text)
        return clean(article.summary)

    def item_link(self, article: Article | KillNotice) -> str:
        if isinstance(article, KillNotice):
            return article.link
        return story_link(article)

    def item_guid(self, article: Article | KillNotice) -> str:
        return article.guid

    def item_guid_is_permalink(self, article: Article | KillNotice) -> bool:
        return False

    def item_pubdate(self, article: Article | KillNotice) -> datetime | None:
        if isinstance(article, KillNotice):
            return article.killed_at
        # For copy released from embargo this is the embargo time, never a future date.
        return article.published_at

    def item_updateddate(self, article: Article | KillNotice) -> datetime | None:
        if isinstance(article, KillNotice):
            return article.killed_at
        # An embargoed story's version predates its release: a reader must not see an
        # entry "updated" before it was published.
        dates = [d for d in (article.published_at, article.version_created_at) if d]
        return max(dates) if dates else None

    def item_categories(self, article: Article | KillNotice) -> list[str]:
        if isinstance(article, KillNotice):
            return []
        # Desk, topics and bylines as sent (see articles.published), never the working copy's.
        topics = getattr(article, "published_topics", None)
        if topics is None:
            topics = [t.name for t in article.topics.all()]
        desk = getattr(article, "published_desk", "") or article.desk.name
        return [clean(desk), *(clean(name) for name in topics)]

    def item_extra_kwargs(self, article: Article | KillNotice) -> dict:
        if isinstance(article, KillNotice):
            return {
                "killed": True,
                "content_html": clean(f"<p>{escape(article.text, quote=False)}</p>"),
            }
        authors = getattr(article, "published_authors", None)
        if authors is None:
            authors = [
                c.contributor.name for c in article.credits.all() if c.role == Credit.Role.BYLINE
            ]
        return {
            "authors": [clean(name) for name in authors],
            "content_html": story_content_html(article),
            "language": article.language,
        }


def _entry_date(entry: Article | KillNotice) -> datetime:
    if isinstance(entry, KillNotice):
        return entry.killed_at
    return entry.published_at or entry.version_created_at
