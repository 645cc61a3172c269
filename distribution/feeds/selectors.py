"""What a feed carries: its scope (everything, a desk, a topic, a language) and its items.

Every feed format and every render path reads items through `feed_items`, so they all
apply the same visibility rule (`Article.objects.publicly_visible()`: released, published
copy only) and the same prefetching: a render makes the same few queries whether the feed
holds one item or fifty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleVersion, Credit, Desk, Topic
from articles.published import (
    as_published,
    feed_scope_keys,
    public_kill_notice,
    public_url,
    versions_prefetch,
)
from distribution.selectors import sent_to

FORMATS = ("rss", "atom", "json")
KINDS = ("all", "desk", "topic", "lang")
# BCP 47 in the shapes a desk uses ("en", "zh-Hans", "pt-BR"); anything else is no feed.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$")


class UnknownFeed(LookupError):
    """The URL names a desk, topic or language the newsroom has no feed for (a 404)."""


@dataclass(frozen=True)
class FeedScope:
    """One feed's selection of stories, independent of its format.

    `kind` is "all", "desk", "topic" or "lang"; `value` the desk or topic slug or the
    language tag ("" for everything); `name` and `language` describe it in the feed head.
    """

    kind: str
    value: str = ""
    name: str = field(default="", compare=False)
    language: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """A short, cache-safe name: "all", "desk:washington", "lang:zh-Hans"."""
        return self.kind if self.kind == "all" else f"{self.kind}:{self.value}"

    def path(self, fmt: str) -> str:
        if self.kind == "all":
            return reverse("feeds:all", kwargs={"fmt": fmt})
        return reverse(f"feeds:{self.kind}", kwargs={"value": self.value, "fmt": fmt})

    def url(self, fmt: str) -> str:
        """The feed's absolute URL: its self link and its WebSub topic."""
        return f"{settings.SITE_URL}{self.path(fmt)}"


def resolve_scope(kind: str, value: str = "") -> FeedScope:
    """The scope a feed URL names, with its display name.

    Refuses (UnknownFeed) a desk or topic that does not exist, and a language tag that is
    malformed or that no desk and no story uses.
    """
    if kind == "all":
        return FeedScope("all", "", name="All stories", language=settings.LANGUAGE_CODE)
    if kind == "desk":
        desk = Desk.objects.filter(slug=value).only("name", "language").first()
        if desk is None:
            raise UnknownFeed(f"No desk {value!r}.")
        return FeedScope("desk", value, name=desk.name, language=desk.language)
    if kind == "topic":
        topic = Topic.objects.filter(slug=value).only("name").first()
        if topic is None:
            raise UnknownFeed(f"No topic {value!r}.")
        return FeedScope("topic", value, name=topic.name, language="")
    if kind == "lang":
        if not _LANGUAGE_TAG.match(value):
            raise UnknownFeed(f"{value!r} is not a language tag.")
        # Exact tags only: one feed per language, the one the render task refreshes.
        if not (Desk.objects.filter(language=value).exists() or _went_out_in(value)):
            raise UnknownFeed(f"No desk or story in {value!r}.")
        return FeedScope("lang", value, name=value, language=value)
    raise UnknownFeed(f"No feed kind {kind!r}.")


def _went_out_in(language: str, *, now: datetime | None = None) -> bool:
    """Whether a version listed in the `language` feed ever reached the public: sent
    without embargo, or its embargo lifted (or past, for copy still published). Copy that
    was only ever seen embargoed, or never sent, makes no feed; one that was public keeps
    its URL answering after a kill or withhold, as an empty feed if need be."""
    now = now or timezone.now()
    key = f"lang:{language}"
    released = (
        Q(article__embargo_until__isnull=True)
        | Q(article__embargo_lifted_at__isnull=False)
        | Q(article__status=Article.Status.PUBLISHED, article__embargo_until__lte=now)
    )
    # A text match narrows the rows on every database (SQLite has no JSON containment);
    # the exact key is then checked on the few that match.
    candidates = ArticleVersion.objects.filter(released, feeds__icontains=f'"{key}"')
    rows = candidates.order_by().values_list("feeds", flat=True).iterator()
    return any(key in feeds for feeds in rows)


def resolve_scope_key(key: str) -> FeedScope:
    """The scope a cache name stands for ("all", "desk:washington", "lang:zh-Hans"), with its
    display name. Raises UnknownFeed as `resolve_scope` does: a desk or topic deleted since,
    or a language no desk or story uses any more."""
    kind, _, value = key.partition(":")
    return resolve_scope(kind, value)


def feed_items(scope: FeedScope, *, now: datetime | None = None) -> list[Article]:
    """The newest FEED_MAX_ITEMS publicly visible stories of `scope`, newest release first.

    A story belongs to a desk, topic or language feed by the feeds its latest sent version
    recorded (`ArticleVersion.feeds`), never by its working copy: an unsent desk or topic
    change moves nothing. Prefetches what every format needs (desk, credits with
    contributors, topics and the versions as `published_versions`) in a fixed number of
    queries. Nothing about sources is loaded: feeds never name one.
    """
    queryset = Article.objects.publicly_visible(now=now)
    if scope.kind != "all":
        queryset = queryset.filter(sent_to([scope.key]))
    queryset = (
        queryset.select_related("desk")
        .prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("contributor")),
            "topics",
            versions_prefetch(),
        )
        .order_by("-published_at", "-pk")
    )
    # The copy as last sent (with its correction versions), never an unsent edit.
    shown = (as_published(article) for article in queryset[: settings.FEED_MAX_ITEMS])
    return [article for article in shown if _listed_in(article, scope.key)]


def _listed_in(article: Article, key: str) -> bool:
    # `sent_to` matches case-insensitively; the exact key is checked here.
    if key == "all":
        return True
    versions = getattr(article, "published_versions", None) or []
    return bool(versions) and key in (versions[-1].feeds or ())


@dataclass(frozen=True)
class KillNotice:
    """A killed story as a feed tells its readers: the story's id (`guid`), its page
    (`link`, which answers 410 with the same notice), when it was killed (`killed_at`,
    aware) and the notice (`text`: the lead sentence and the kill reason). Nothing of the
    copy: no headline, summary, body, byline or topics."""

    guid: str
    link: str
    killed_at: datetime
    text: str


def kill_notice_feeds(
    versions: list[ArticleVersion],
    *,
    released_at: datetime | None,
    until: datetime | None = None,
) -> set[str]:
    """The feeds readers had a story in, by scope key: those each sent copy version
    (`versions`, oldest first) recorded, when it was still the story's latest version once
    the story was released (`released_at`, the publish or embargo time). A version replaced
    before its embargo lifted never reached a reader. The last copy version stopped at the
    kill that follows it in `versions`, or else at `until` (default now: a kill's preview).
    """
    if released_at is None:
        return set()
    copies = [v for v in versions if v.event != ArticleVersion.Event.KILL]
    until = until or timezone.now()
    keys: set[str] = set()
    for index, version in enumerate(copies):
        ended = versions[index + 1].created_at if index + 1 < len(versions) else until
        if ended >= released_at:
            keys.update(version.feeds or ())
    return keys


def kill_notices(scope: FeedScope, *, now: datetime | None = None) -> list[KillNotice]:
    """The kill notices `scope` carries: stories killed in the last FEED_KILL_NOTICE_DAYS
    that readers of this feed had (`kill_notice_feeds`), newest kill first, at most
    FEED_MAX_ITEMS. A story killed before its embargo lifted reached no reader and has none.
    Read from the stored versions only (the kill's time, reason and the slug that went out).
    """
    now = now or timezone.now()
    since = now - timedelta(days=settings.FEED_KILL_NOTICE_DAYS)
    killed = Article.objects.filter(
        status=Article.Status.KILLED,
        version_created_at__gt=since,
        version_created_at__lte=now,
        published_at__lte=F("version_created_at"),
    )
    if scope.kind != "all":
        # The kill version records every feed any version went to: a superset, narrowed below.
        killed = killed.filter(sent_to([scope.key]))
    killed = killed.prefetch_related(versions_prefetch()).order_by("-version_created_at", "-pk")
    notices = []
    for article in killed[: settings.FEED_MAX_ITEMS]:
        versions = article.published_versions
        if not versions or versions[-1].event != ArticleVersion.Event.KILL:
            continue
        if scope.key not in kill_notice_feeds(versions, released_at=article.published_at):
            continue
        kill = versions[-1]
        notices.append(
            KillNotice(
                guid=article.guid,
                link=public_url(article),
                killed_at=kill.created_at,
                text=public_kill_notice(kill.note),
            )
        )
    return notices


def feed_keys_ever(article_id: int) -> list[str]:
    """Every feed the article is or ever was listed in, by scope key: the feeds each of its
    sent versions recorded, and those its working copy would put it in now.

    A change to the story's public state (a kill, a withhold, a new version) must reach
    each of them: a feed it went out in keeps listing it until re-rendered, even after its
    desk, topics or language changed in the working copy. Ordered by `sort_keys`.
    """
    keys: set[str] = set()
    for feeds in ArticleVersion.objects.filter(article_id=article_id).values_list(
        "feeds", flat=True
    ):
        keys.update(feeds or ())
    article = (
        Article.objects.select_related("desk")
        .prefetch_related("topics")
        .only("language", "desk__slug")
        .filter(pk=article_id)
        .first()
    )
    if article is not None:
        keys.update(feed_scope_keys(article))
    keys.add("all")
    return sort_keys(keys)


def sort_keys(keys) -> list[str]:
    """Feed scope keys in the order feeds are rendered: everything (the feed most readers
    poll), then desks, topics and languages, each by name."""

    def order(key: str) -> tuple[int, str]:
        kind = key.partition(":")[0]
        return (KINDS.index(kind) if kind in KINDS else len(KINDS), key)

    return sorted(keys, key=order)
