"""What a partner may see: the one place that decides it, for the API and for push alike.

Entitlements are applied inside the queryset (never by filtering results afterwards), so an
item outside a partner's entitlement simply does not exist for it: the API answers 404,
search finds nothing, and push fans nothing out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import orjson
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from articles.models import Article, ArticleVersion
from articles.ninjs import article_to_ninjs, kill_notice_item, withheld_notice, without_copy
from distribution.models import Delivery, DeliveryAttempt, Partner

# Drafts and copy still on the desk are never anyone's business outside the newsroom.
PARTNER_STATUSES = (Article.Status.PUBLISHED, Article.Status.WITHHELD, Article.Status.KILLED)
SEARCH_CONFIG = "simple"
# What a kill notice never carries: any of it in a stored kill means it is an older item.
KILLED_CARRIES_NOT = {"headlines", "bodies", "by", "descriptions", "infosources", "people"}


@dataclass(frozen=True)
class Entitlements:
    """What decides which items a partner sees, read once per request: whether the
    partner is active, whether it takes embargoed copy, and per limited entitlement
    (desks, languages, topics) the patterns of which a version's feeds must hold one.

    Two partners with equal entitlements are given exactly the same items (the query is
    built from these alone), so `key` may name a cached page they share.
    """

    active: bool
    embargoed: bool
    patterns: tuple[tuple[str, ...], ...]

    @cached_property
    def key(self) -> str:
        """A short stable name for this entitlement set (hex): equal sets, equal keys.
        Computed once per object: a remembered key's entitlements name every page it asks
        for."""
        groups = sorted(tuple(sorted(group)) for group in self.patterns)
        text = json.dumps([self.active, self.embargoed, groups], separators=(",", ":"))
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def entitlements_of(
    partner: Partner,
    *,
    desk_slugs: list[str] | None = None,
    topic_slugs: list[str] | None = None,
) -> Entitlements:
    """`partner`'s entitlements; costs the two small queries of its desk and topic slugs
    (none for a partner entitled to every desk and topic, or when they are given)."""
    patterns = _entitlement_patterns(partner, desk_slugs=desk_slugs, topic_slugs=topic_slugs)
    return Entitlements(
        active=partner.active,
        embargoed=partner.embargoed,
        patterns=tuple(tuple(group) for group in patterns),
    )


def items_for_partner(
    partner: Partner,
    *,
    now: datetime | None = None,
    entitlements: Entitlements | None = None,
) -> QuerySet[Article]:
    """Every item `partner` may see, newest first, each annotated with its current ninjs
    as stored, as JSON text (`current_ninjs_json`), and the stored withheld presentation
    (`withheld_ninjs_json`).

    Refuses (returns nothing for) an inactive partner. Embargoed copy is included only for
    partners entitled to it. Desk, language and topic entitlements apply to where the
    item's current version went out, not to its working copy. Killed and withheld items
    stay in, so partners hear to take them down; `item_json` strips their copy.
    Costs at most two small queries (the partner's desk and topic slugs, none when
    `entitlements` is given) and then one for the page, whatever its size.
    """
    now = now or timezone.now()
    entitlements = entitlements or entitlements_of(partner)
    items = Article.objects.filter(status__in=PARTNER_STATUSES, version__gte=1)
    if not entitlements.active:
        return items.none()
    # Unique per (article, number): no ordering needed (the model's default joins Article).
    current = ArticleVersion.objects.filter(
        article_id=OuterRef("pk"), number=OuterRef("version")
    ).order_by()
    # Desk, language and topics as the current version went out (its recorded feeds), never
    # the working copy's: an unsent move must not hand a story to another desk's partners.
    wanted = Q()
    for patterns in entitlements.patterns:
        wanted &= _holding_any(patterns)
    if wanted:
        items = items.filter(Exists(current.filter(wanted)))
    if not entitlements.embargoed:
        items = items.filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
    # As text: the stored JSON is sent as it is, never parsed and serialised again.
    return items.annotate(
        current_ninjs_json=Cast(Subquery(current.values("ninjs")[:1]), TextField()),
        withheld_ninjs_json=Cast("withheld_ninjs", TextField()),
    ).order_by("-version_created_at", "-id")


def next_embargo_end(now: datetime | None = None) -> QuerySet[Article]:
    """One row, one column: the earliest embargo of a story partners may be given still to end after
    `now` (none when none is pending), for a subquery. Until then, what a partner without
    embargoed copy may see changes only through an event."""
    now = now or timezone.now()
    return (
        Article.objects.filter(status__in=PARTNER_STATUSES, embargo_until__gt=now)
        .order_by("embargo_until")
        .values("embargo_until")[:1]
    )


def _entitlement_patterns(
    partner: Partner,
    *,
    desk_slugs: list[str] | None = None,
    topic_slugs: list[str] | None = None,
) -> list[list[str]]:
    """What a version's recorded feeds must hold for `partner`: per entitlement the partner
    is limited in (desks, languages, topics), patterns of which the feeds' JSON text must
    contain at least one (see `_sent_to_any`). "en" covers "en-GB"; "zh-Hans" does not
    cover "zh-Hant"."""
    groups = []
    if not partner.all_desks:
        if desk_slugs is None:
            desk_slugs = list(partner.desks.values_list("slug", flat=True))
        groups.append([f'"desk:{slug}"' for slug in desk_slugs])
    if not partner.all_languages:
        languages = [f"lang:{code}" for code in partner.language_codes]
        groups.append([f'"{key}"' for key in languages] + [f'"{key}-' for key in languages])
    if not partner.all_topics:
        if topic_slugs is None:
            topic_slugs = list(partner.topics.values_list("slug", flat=True))
        groups.append([f'"topic:{slug}"' for slug in topic_slugs])
    return groups


def _holding_any(patterns: list[str]) -> Q:
    matches = Q(pk__in=[])
    for pattern in patterns:
        matches |= Q(feeds__icontains=pattern)
    return matches


def entitled_to_feeds(
    partner: Partner, article: Article, feeds: list[str], *, now: datetime | None = None
) -> bool:
    """Whether `partner` may see `article` once a version listed in `feeds` (scope keys) is
    its current one: `items_for_partner`'s rule, for a version not stored yet (what a kill
    is about to send). The feeds are matched as their JSON text, as the database matches
    the stored ones."""
    now = now or timezone.now()
    if not partner.active or article.status not in PARTNER_STATUSES:
        return False
    if not partner.embargoed and article.embargo_until and article.embargo_until > now:
        return False
    text = json.dumps(list(feeds)).lower()
    return all(
        any(pattern.lower() in text for pattern in patterns)
        for patterns in _entitlement_patterns(partner)
    )


def sent_to(keys, *, subtags_of=()) -> Exists:
    """True for an article whose current version went out in a feed of `keys` ("desk:<slug>",
    "topic:<slug>", "lang:<tag>"), or of a subtag of `subtags_of` ("lang:en" for "en-GB").
    For filters on where an item was sent, never on its working copy."""
    current = ArticleVersion.objects.filter(
        article_id=OuterRef("pk"), number=OuterRef("version")
    ).order_by()
    return Exists(current.filter(_sent_to_any(keys) | _sent_to_any(subtags_of, prefix=True)))


def _sent_to_any(keys, *, prefix: bool = False) -> Q:
    """Versions whose recorded feeds hold any of `keys` ("desk:<slug>", "lang:<tag>"), or
    with `prefix` any key they begin a subtag of ("lang:en" matches "lang:en-GB").

    The JSON list is matched as text, the one form PostgreSQL and SQLite share: a key is
    quoted there, and slugs and language tags hold no quotes. Case is ignored, as language
    tags are matched (RFC 5646).
    """
    matches = Q(pk__in=[])
    for key in keys:
        matches |= Q(feeds__icontains=f'"{key}-' if prefix else f'"{key}"')
    return matches


def item_for_partner(article: Article) -> dict:
    """The ninjs item as a partner may see it now: the version that was sent, with the copy
    removed when the story is withheld or killed."""
    return orjson.loads(item_json(article))


def item_json(article: Article) -> bytes:
    """`item_for_partner`'s item as JSON bytes (UTF-8), for an article read through
    `items_for_partner`: the stored text itself for a published story (the current
    version) and for a withheld one (the presentation stored when it was withheld). Only
    an item without a stored form (a kill stored with copy, a story withheld before the
    presentation was stored) is built here, with `present`."""
    text = getattr(article, "current_ninjs_json", None)
    if article.status == Article.Status.PUBLISHED and text:
        return text.encode()
    withheld = getattr(article, "withheld_ninjs_json", None)
    if article.status == Article.Status.WITHHELD and withheld:
        return withheld.encode()
    item = orjson.loads(text) if text else article_to_ninjs(article)
    return orjson.dumps(present(item, article))


def present(item: dict, article: Article) -> dict:
    """`item` (a stored version) shown under the article's current state.

    Withheld: the item without its copy, the notice naming the sent headline. Killed: the
    kill notice alone, whichever version was asked for (a stored kill item is served as
    it is; anything else, including a kill stored with copy, is replaced by the notice).
    """
    if article.status == Article.Status.WITHHELD:
        return without_copy(item, pubstatus="withheld", ednote=withheld_notice(article))
    if article.status == Article.Status.KILLED:
        if item.get("pubstatus") == "canceled" and not set(item) & KILLED_CARRIES_NOT:
            return item
        return kill_notice_item(article)
    return item


def versions_for_partner(article: Article) -> QuerySet[ArticleVersion]:
    """The stored versions of an item already selected through `items_for_partner`."""
    return (
        ArticleVersion.objects.filter(article=article)
        .only("number", "event", "created_at", "ninjs", "article_id")
        .order_by("number")
    )


def search(items: QuerySet[Article], text: str) -> QuerySet[Article]:
    """Full-text search within what the partner may see, over what was sent: the headline,
    summary and body of each story's current stored version, never the working copy.

    Killed and withheld stories are never found (their copy is not anyone's to search).
    PostgreSQL: websearch syntax against the GIN-indexed document of the version (migration
    articles 0006); elsewhere a case-insensitive substring match over the same text.
    """
    sent = ArticleVersion.objects.filter(number=F("article__version"))
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # Must match the indexed expression in articles 0006 exactly, or the index is unused.
        document = SearchVector("headline", "summary", "body", config=SEARCH_CONFIG)
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        sent = sent.annotate(search_document=document).filter(search_document=query)
    else:
        sent = sent.filter(
            Q(headline__icontains=text) | Q(summary__icontains=text) | Q(body__icontains=text)
        )
    return items.filter(status=Article.Status.PUBLISHED, pk__in=sent.values("article_id"))


def deliveries_for_partner(partner: Partner) -> QuerySet[Delivery]:
    """A partner's own delivery log, newest first, with each attempt."""
    return (
        Delivery.objects.filter(partner=partner)
        .select_related("endpoint")
        .prefetch_related(
            Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("number"))
        )
        .defer("payload")
        .order_by("-created_at", "-id")
    )


def entitled_partner_ids(partners: Iterable[Partner], article_id: int) -> set[int]:
    """The ids of those of `partners` that may see the article now (the API's rule).

    Partners with equal entitlements share one answer, so this costs at most two queries
    for the desk and topic slugs of them all, then one per distinct entitlement set: a
    fan-out to hundreds of partners on a few kinds of contract costs a few queries.
    """
    partners = list(partners)
    desks = _slugs_by_partner(
        Partner.desks.through, "desk", [p for p in partners if not p.all_desks]
    )
    topics = _slugs_by_partner(
        Partner.topics.through, "topic", [p for p in partners if not p.all_topics]
    )
    by_set: dict[str, tuple[Entitlements, list[int]]] = {}
    for partner in partners:
        entitlements = entitlements_of(
            partner, desk_slugs=desks.get(partner.pk, []), topic_slugs=topics.get(partner.pk, [])
        )
        by_set.setdefault(entitlements.key, (entitlements, []))[1].append(partner.pk)
    entitled: set[int] = set()
    for entitlements, ids in by_set.values():
        if not entitlements.active:
            continue
        items = items_for_partner(partners[0], entitlements=entitlements)
        if items.filter(pk=article_id).exists():
            entitled.update(ids)
    return entitled


def _slugs_by_partner(through, field: str, partners: list[Partner]) -> dict[int, list[str]]:
    """{partner id: [slug, …]} over a partner many-to-many table; no query for no partners."""
    if not partners:
        return {}
    slugs: dict[int, list[str]] = {}
    rows = through.objects.filter(partner_id__in=[p.pk for p in partners]).values_list(
        "partner_id", f"{field}__slug"
    )
    for partner_id, slug in rows:
        slugs.setdefault(partner_id, []).append(slug)
    return slugs
