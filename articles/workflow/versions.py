"""Recording a move: the row lock, the stamp, the stored version and the outbox event.

Every version stored here is what went out, and every outbox event carries the stored
version's ninjs (never a fresh read of the working copy), so what partners hear about is
exactly what the record holds.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from articles.credits import byline, credit_line
from articles.models import Article, ArticleVersion, OutboxEvent
from articles.ninjs import article_to_ninjs, withheld_notice, without_copy
from articles.published import feed_scope_keys, sent_slug
from articles.rendering import render_story_html
from articles.signals import outbox_committed


def lock(article: Article) -> Article:
    """Re-read the article under a row lock, so two transitions cannot interleave."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    for field in locked._meta.concrete_fields:
        setattr(article, field.attname, getattr(locked, field.attname))
    return article


def stamp(article: Article, by: AbstractBaseUser, now: datetime, fields: list[str]) -> None:
    """Save `fields` with who and when, and move the optimistic lock on."""
    article.modified_by = by
    article.modified_at = now
    article.lock_version += 1
    article.save(update_fields=[*fields, "modified_by", "modified_at", "lock_version"])


def store_version(
    article: Article, *, event: str, by: AbstractBaseUser, now: datetime, note: str = ""
) -> ArticleVersion:
    """Store what goes out now as version `article.version`.

    The summary stored is the one sent: the editor's, or one made from the lede when the
    editor left it empty (`summary_generated`). A kill stores only its notice: no
    headline, summary, body, byline, credit line or page; the slug the story last went
    out under and every feed it was sent to (where partners and readers hold it), not an
    unsent edit's.
    """
    killed = event == ArticleVersion.Event.KILL
    ninjs = article_to_ninjs(article, version=article.version, note=note)
    if killed:
        copy = {"headline": "", "summary": "", "body": "", "byline": "", "credit_line": ""}
        copy["summary_generated"] = False
        slug = sent_slug(article)
        feeds = feeds_sent(article)
        html = ""
    else:
        credits = list(article.credits.select_related("contributor"))
        described = {d["role"]: d["value"] for d in ninjs.get("descriptions", [])}
        copy = {
            "headline": article.headline,
            "summary": described.get("summary", ""),
            # An empty summary is made from the lede as the version is sent (articles.ninjs).
            "summary_generated": described.get("summary-origin") == "lede",
            "body": article.body,
            "byline": byline(credits),
            "credit_line": credit_line(credits),
        }
        slug = article.slug
        feeds = feed_scope_keys(article)
        html = render_story_html(article)
    return ArticleVersion.objects.create(
        article=article,
        number=article.version,
        event=event,
        **copy,
        note=note,
        ninjs=ninjs,
        html=html,
        slug=slug,
        feeds=feeds,
        created_by=by,
        created_at=now,
    )


def store_withheld_presentation(article: Article) -> dict:
    """Store (and return) the item partners get while `article` is withheld: its current
    stored version without the copy, with the withheld notice, so the partner API serves
    it as stored. Called when the story is withheld; `release` clears it."""
    sent = (
        ArticleVersion.objects.filter(article=article, number=article.version)
        .values_list("ninjs", flat=True)
        .first()
    ) or article_to_ninjs(article)
    article.withheld_ninjs = without_copy(
        sent, pubstatus="withheld", ednote=withheld_notice(article)
    )
    article.save(update_fields=["withheld_ninjs"])
    return article.withheld_ninjs


def feeds_sent(article: Article) -> list[str]:
    """Every feed any sent version of `article` was listed in, by scope key, in the order
    they were first sent to: where a kill notice must go, so every feed and partner that
    had the copy hears of it. The working copy's feeds if nothing was sent."""
    sent = ArticleVersion.objects.filter(article=article).order_by("number")
    keys = [key for feeds in sent.values_list("feeds", flat=True) for key in feeds or ()]
    return list(dict.fromkeys(keys)) or feed_scope_keys(article)


def emit(article: Article, event_type: str) -> OutboxEvent:
    """Write the outbox event for the story's current version; announced after commit."""
    sent = (
        ArticleVersion.objects.filter(article=article, number=article.version)
        .values_list("ninjs", flat=True)
        .first()
    )
    event = OutboxEvent.objects.create(
        article=article, event_type=event_type, version=article.version, payload=sent or {}
    )
    transaction.on_commit(lambda: _after_commit(event.pk, article.pk))
    return event


def _after_commit(event_id, article_id: int) -> None:
    # Distribution connects to this (feeds re-render, partner pushes); the core never
    # imports it.
    outbox_committed.send(sender=OutboxEvent, event_id=event_id, article_id=article_id)
