"""The public record: what was sent, and the story's public state, for every channel.

An editor may change a published story's working copy long before moving it as a
correction or writethru; until then, public channels must keep showing what was sent.
This module is the one reader of that record:

- `public_stories`: the stories a reader may see (released, published copy);
- `as_published`: a story as its latest stored version carried it (copy, slug, dateline,
  byline and authors, credit line, topics, corrections, kill note);
- `public_url`, `sent_slug`, `find_public_story`: the address that went out, and every
  slug the story went out under, which keeps answering;
- `was_released`: whether readers ever saw it (a story killed under embargo never was);
- `sent_headline`, `kill_notice_text`, `withheld_notice_text`: the words of the notices.

Story pages and feeds read through `as_published`; the partner API and pushes serve the
stored ninjs of the same versions (`articles.ninjs` builds the notices' items).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from articles.models import Article, ArticleVersion, Desk

S = Article.Status

VERSION_FIELDS = (
    "article_id",
    "number",
    "event",
    "headline",
    "summary",
    "summary_generated",
    "body",
    "byline",
    "credit_line",
    "note",
    "ninjs",
    "slug",
    "feeds",
    "created_at",
)


def versions_prefetch() -> Prefetch:
    """Every stored version of each article, oldest first, as `published_versions`."""
    return Prefetch(
        "versions",
        queryset=ArticleVersion.objects.only(*VERSION_FIELDS).order_by("number"),
        to_attr="published_versions",
    )


def feed_scope_keys(article: Article) -> list[str]:
    """The feeds `article` is listed in while public, by scope key: "all", "desk:<slug>",
    each "topic:<slug>" and "lang:<tag>" (the keys `distribution.feeds` renders under).

    Stored with every version, so a later kill or withhold re-renders the feeds the story
    went out in, even after its desk, topics or language changed in the working copy.
    """
    topics = sorted(topic.slug for topic in article.topics.all())
    return [
        "all",
        f"desk:{article.desk.slug}",
        *(f"topic:{slug}" for slug in topics),
        f"lang:{article.language}",
    ]


def printed_dateline(place: str, day: date | None) -> str:
    """The dateline as the wire prints it before the first paragraph: "Nairobi, November 30"
    (the page sets it in capitals), the place alone without a date, "" without a place."""
    if not place:
        return ""
    return f"{place}, {format_date(day, 'F j')}" if day else place


def latest_published(
    *, desk: Desk | None = None, limit: int = 30, now: datetime | None = None
) -> list[Article]:
    """The newest stories a reader may see, newest release first, as last sent.

    Only published, released copy (`publicly_visible`): nothing embargoed, withheld, killed
    or never published. Each comes through `as_published`, with its desk; three queries
    whatever the number of stories (stories, their versions, nothing per story).
    """
    stories = public_stories(now=now)
    if desk is not None:
        stories = stories.filter(desk=desk)
    stories = (
        stories.select_related("desk")
        .prefetch_related(versions_prefetch())
        .order_by("-published_at", "-pk")
    )
    return [as_published(article) for article in stories[:limit]]


def as_published(article: Article) -> Article:
    """A copy of `article` whose copy fields are those of its latest stored version.

    Expects `versions_prefetch()` (falls back to one query). Sets `dateline` (as printed),
    `summary_generated` (the summary was made from the lede when it was sent),
    `published_byline`, `published_authors`, `published_topics` and `published_desk` (names),
    `published_credit_line`, `correction_versions`, `kill_reason` and `killed_at` on the
    copy (a killed story keeps none of its copy, only the note and the time); an
    article never published comes back unchanged.
    """
    versions = getattr(article, "published_versions", None)
    if versions is None:
        versions = list(article.versions.only(*VERSION_FIELDS).order_by("number"))
    if not versions:
        return article
    latest = versions[-1]
    shown = copy.copy(article)
    # The address that went out, not an unsent slug edit (versions before slugs were
    # recorded carry none).
    shown.slug = latest.slug or article.slug
    killed = latest.event == ArticleVersion.Event.KILL
    # A kill leaves only its notice, whatever an older stored kill carried.
    shown.headline = "" if killed else latest.headline
    shown.body = "" if killed else latest.body
    item = {} if killed else (latest.ninjs or {})
    described = {d.get("role"): d.get("value", "") for d in item.get("descriptions", [])}
    shown.summary = "" if killed else latest.summary
    shown.summary_generated = not killed and latest.summary_generated
    shown.dateline_place = item.get("located", "")
    shown.language = item.get("language", article.language)
    # Versions sent before the dateline was stored with them print the working copy's date.
    shown.dateline = described.get("dateline") or printed_dateline(
        shown.dateline_place, article.dateline_date
    )
    shown.published_byline = "" if killed else latest.byline
    shown.published_authors = [
        i["name"] for i in item.get("infosources", []) if i.get("role") == "byline"
    ]
    shown.published_topics = [
        s["name"] for s in item.get("subjects", []) if s.get("rel") == "topic"
    ]
    shown.published_desk = next(
        (s["name"] for s in item.get("subjects", []) if s.get("rel") == "desk"), ""
    )
    shown.kill_reason = latest.note if killed else ""
    shown.killed_at = latest.created_at if killed else None
    shown.published_credit_line = "" if killed else latest.credit_line
    shown.correction_versions = [
        v for v in versions if v.event == ArticleVersion.Event.CORRECT and v.note
    ]
    return shown


def public_stories(now: datetime | None = None) -> QuerySet[Article]:
    """Published, released copy: what a reader, a feed or an unentitled partner may see.

    Nothing embargoed (until `now`, default the present), withheld, killed or never sent.
    """
    return Article.objects.publicly_visible(now=now)


def _latest_version(article: Article) -> ArticleVersion | None:
    versions = getattr(article, "published_versions", None)
    if versions is not None:
        return versions[-1] if versions else None
    return article.versions.only(*VERSION_FIELDS).order_by("-number").first()


def sent_slug(article: Article) -> str:
    """The slug the story last went out under; the working slug if it never went out."""
    latest = _latest_version(article)
    return (latest.slug if latest else "") or article.slug


def sent_headline(article: Article) -> str:
    """The headline of the latest version that went out with copy (a kill carries none);
    "" if none did. Never an edit not yet sent."""
    versions = getattr(article, "published_versions", None)
    if versions is None:
        versions = list(article.versions.only("headline", "number").order_by("number"))
    return next((v.headline for v in reversed(versions) if v.headline), "")


def public_url(article: Article) -> str:
    """The story page's absolute address (SITE_URL) under the slug that went out."""
    return f"{settings.SITE_URL}{reverse('articles:story', kwargs={'slug': sent_slug(article)})}"


def was_released(article: Article, now: datetime | None = None) -> bool:
    """Whether readers ever had the story: published and past its embargo, or, for a
    killed story, released before the kill. A story killed under embargo never was."""
    if article.status == S.PUBLISHED:
        return not article.embargo_until or article.embargo_until <= (now or timezone.now())
    if article.status == S.KILLED:
        latest = _latest_version(article)
        return bool(article.published_at and latest and article.published_at <= latest.created_at)
    return False


@dataclass(frozen=True)
class PublicStory:
    """What a story address answers: `shown` (an `as_published` copy) and its `slug` as
    sent; `current` is False when the address asked for is an older slug (a redirect)."""

    article: Article
    shown: Article
    current: bool

    @property
    def gone(self) -> bool:
        return self.article.status == S.KILLED


def find_public_story(
    slug: str, *, queryset: QuerySet[Article] | None = None
) -> PublicStory | None:
    """The story a reader reaches at /stories/<slug>/, or None (a 404).

    Every slug a story went out under answers: the latest one with the page (or, for a kill,
    the notice), older ones as a redirect to it. A slug never sent answers nothing; so do
    embargoed, withheld and unsent copy, and a story killed before it was released. When
    two stories went out under the slug, the one that holds it now wins, then the newest.
    `queryset` gives the related data the page needs, with `versions_prefetch()` (default:
    the desk and the versions).
    """
    if queryset is None:
        queryset = Article.objects.select_related("desk").prefetch_related(versions_prefetch())
    went_out = ArticleVersion.objects.filter(slug=slug).values("article_id")
    candidates = queryset.filter(pk__in=went_out, status__in=(S.PUBLISHED, S.KILLED)).order_by(
        "-published_at", "-pk"
    )
    found = [(a, as_published(a)) for a in candidates if was_released(a)]
    for article, shown in found:
        if shown.slug == slug:
            return PublicStory(article, shown, current=True)
    for article, shown in found:
        return PublicStory(article, shown, current=False)
    return None


def kill_notice_text(reason: str, *, slug: str) -> str:
    """The notice partners get for a kill: the slug that went out and the reason, never the
    headline or any of the copy."""
    return f"{slug} is withdrawn. {reason.strip()} Do not use it; remove it from all platforms."


# The words the killed story page and the feeds' kill notices open with.
WITHDRAWN_TITLE = "This story has been withdrawn"
WITHDRAWN_LEAD = "The newsroom has withdrawn this story and asks everyone who used it to remove it."


def public_kill_notice(reason: str) -> str:
    """The kill notice readers get (the story page, the feeds): the lead sentence and the
    kill reason, never the headline, the slug or any of the copy."""
    return f"{WITHDRAWN_LEAD} {reason.strip()}".strip()


def withheld_notice_text(article: Article) -> str:
    """The notice partners get while a story is withheld, naming it by what they were sent
    (its sent headline and slug), never by an unsent edit."""
    return (
        f"WITHHELD: “{sent_headline(article)}” ({sent_slug(article)}) is withheld for now. "
        "Do not use it until it is released."
    )
