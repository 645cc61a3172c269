"""What readers are given: an article as its latest published version carried it.

An editor may change a published story's working copy long before moving it as a
correction or writethru; until then, public channels must keep showing what was sent.
Every public read (the story page, the feeds) goes through `as_published`, so an unsent
edit never leaks. The partner API serves the stored ninjs of the same version.
"""

from __future__ import annotations

import copy
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils.dateformat import format as format_date

from articles.models import Article, ArticleVersion, Desk

VERSION_FIELDS = (
    "article_id",
    "number",
    "event",
    "headline",
    "body",
    "byline",
    "credit_line",
    "note",
    "ninjs",
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
    stories = Article.objects.publicly_visible(now=now)
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
    `published_byline`, `published_authors` and `published_topics` (names),
    `published_credit_line`, `correction_versions` and `kill_reason` on the copy; an
    article never published comes back unchanged.
    """
    versions = getattr(article, "published_versions", None)
    if versions is None:
        versions = list(article.versions.only(*VERSION_FIELDS).order_by("number"))
    if not versions:
        return article
    latest = versions[-1]
    shown = copy.copy(article)
    shown.headline = latest.headline
    shown.body = latest.body if latest.event != ArticleVersion.Event.KILL else ""
    item = latest.ninjs or {}
    described = {d.get("role"): d.get("value", "") for d in item.get("descriptions", [])}
    shown.summary = described.get("summary", "")
    shown.summary_generated = described.get("summary-origin") == "lede"
    shown.dateline_place = item.get("located", "")
    # Versions sent before the dateline was stored with them print the working copy's date.
    shown.dateline = described.get("dateline") or printed_dateline(
        shown.dateline_place, article.dateline_date
    )
    shown.published_byline = latest.byline
    shown.published_authors = [
        i["name"] for i in item.get("infosources", []) if i.get("role") == "byline"
    ]
    shown.published_topics = [
        s["name"] for s in item.get("subjects", []) if s.get("rel") == "topic"
    ]
    shown.kill_reason = latest.note if latest.event == ArticleVersion.Event.KILL else ""
    shown.published_credit_line = latest.credit_line
    shown.correction_versions = [
        v for v in versions if v.event == ArticleVersion.Event.CORRECT and v.note
    ]
    return shown
