"""Unsent changes: what a published story's working copy holds that was never sent.

Editors may change a published story at any time; nothing of it goes out until a
correction or writethru sends a new version (`articles.published`). This module compares
the working copy with the latest sent version, part by part, so the desk sees what is
waiting:

- `unsent_changes(article)`: the parts that differ, and the version they differ from;
- `refresh_unsent(article)`: store those parts on the story (`Article.unsent_fields`), which
  the article list shows and filters on without reading any version. Every write to a
  published story's copy calls it (`workflow.save_copy`, the admin after credits and
  topics, `workflow.discard_unsent_changes`); a transition that sends clears it.

Only attribute access is used on the models, so a migration can run it on its historical
models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from articles.credits import byline, credit_line
from articles.models import Article, ArticleVersion
from articles.published import printed_dateline

# The parts of a story that go out, as the banner and the list name them, in page order.
PARTS = (
    "headline",
    "slug",
    "summary",
    "dateline",
    "body",
    "desk",
    "language",
    "priority",
    "topics",
    "credits",
    "translation",
)


@dataclass(frozen=True)
class UnsentChanges:
    """`parts` (names from PARTS) of a published story differ from sent version `version`."""

    version: int
    parts: list[str]

    @property
    def listed(self) -> str:
        return ", ".join(self.parts)


def _described(item: dict) -> dict[str, str]:
    return {d.get("role"): d.get("value", "") for d in item.get("descriptions", [])}


def _literals(item: dict, rel: str) -> list[str]:
    prefix = f"{rel}:"
    return [
        s.get("literal", "").removeprefix(prefix)
        for s in item.get("subjects", [])
        if s.get("rel") == rel
    ]


def sent_copy(article: Any, version: Any) -> dict[str, Any]:
    """The parts of `article` as `version` sent them (see PARTS).

    The summary is "" when the one sent was made from the lede (the editor left it empty);
    versions stored before slugs or datelines were kept with them count as the working
    copy's slug and date.
    """
    item = version.ninjs or {}
    described = _described(item)
    desk = _literals(item, "desk")
    translation = [a["value"] for a in item.get("altids", []) if a.get("role") == "translation-of"]
    return {
        "headline": version.headline,
        "slug": version.slug or article.slug,
        "summary": ""
        if described.get("summary-origin") == "lede"
        else described.get("summary", ""),
        "dateline": described.get("dateline")
        or printed_dateline(item.get("located", ""), article.dateline_date),
        "body": version.body,
        "desk": desk[0] if desk else article.desk.slug,
        "language": item.get("language", article.language),
        "priority": int(item.get("urgency", article.priority)),
        "topics": sorted(_literals(item, "topic")),
        "credits": (version.byline, version.credit_line),
        "translation": translation[0] if translation else "",
    }


def working_copy(article: Any) -> dict[str, Any]:
    """The parts of `article`'s working copy, in the form `sent_copy` gives them."""
    credits = list(article.credits.select_related("contributor").order_by("order", "pk"))
    translation = article.translation_of.guid if article.translation_of_id else ""
    return {
        "headline": article.headline,
        "slug": article.slug,
        "summary": article.summary,
        "dateline": printed_dateline(article.dateline_place, article.dateline_date),
        "body": article.body,
        "desk": article.desk.slug,
        "language": article.language,
        "priority": int(article.priority),
        "topics": sorted(t.slug for t in article.topics.all()),
        "credits": (byline(credits), credit_line(credits)),
        "translation": translation,
    }


def latest_version(article: Any) -> Any | None:
    """The latest stored version of `article`, or None if nothing was sent."""
    return article.versions.order_by("-number").first()


def unsent_changes(article: Article) -> UnsentChanges | None:
    """The parts of a published story's working copy that differ from its latest sent
    version; None when the story is not published (nothing to send it as) or nothing
    differs. A few queries: the version, the credits, the topics."""
    if article.status != Article.Status.PUBLISHED:
        return None
    version = latest_version(article)
    if version is None or version.event == ArticleVersion.Event.KILL:
        return None
    sent, working = sent_copy(article, version), working_copy(article)
    parts = [part for part in PARTS if sent[part] != working[part]]
    return UnsentChanges(version.number, parts) if parts else None


def refresh_unsent(article: Article) -> list[str]:
    """Store on `article` (and its row) the parts not yet sent; returns them."""
    changes = unsent_changes(article)
    parts = changes.parts if changes else []
    listed = ", ".join(parts)
    if article.unsent_fields != listed:
        article.unsent_fields = listed
        Article.objects.filter(pk=article.pk).update(unsent_fields=listed)
    return parts
