"""Copy edits under optimistic locking: the working copy changes, nothing is sent.

`save_copy` saves an editor's changes; `discard_unsent_changes` puts a published story's
working copy back as its latest version sent it. Both keep `Article.unsent_fields` true
(`articles.unsent`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry, Desk, Topic
from articles.unsent import latest_version, refresh_unsent, sent_copy, unsent_changes
from articles.workflow.rules import (
    NotPermitted,
    StaleEdit,
    TransitionNotAllowed,
    can_edit_copy,
)
from articles.workflow.versions import lock, stamp

# Model fields the copy form may write through `save_copy`; state, versions and stamps move
# only through the workflow's transitions.
COPY_FIELDS = (
    "headline",
    "slug",
    "summary",
    "dateline_place",
    "dateline_date",
    "body",
    "desk",
    "language",
    "priority",
    "topics",
    "regions",
    "translation_of",
)


@transaction.atomic
def save_copy(
    article: Article, *, by: AbstractBaseUser, expected_lock_version: int, fields: list[str]
) -> Article:
    """Save an editor's changes to `fields`, unless someone saved since the form was opened.

    `fields` names only what changed; with none, nothing is written or recorded. Refuses
    (NotPermitted) a user who may not edit the story in its state, and (StaleEdit) a save
    from an older `expected_lock_version`.

    The check and the bump are one conditional UPDATE, so of two concurrent saves from the
    same lock_version exactly one wins; the other gets StaleEdit and nothing of either is lost.
    """
    if article.pk is None:
        article.created_by = article.created_by or by
        article.modified_by = by
        article.save()
        AuditEntry.objects.record(article, by=by, action="create")
        return article
    if not can_edit_copy(by, Article.objects.get(pk=article.pk)):
        raise NotPermitted("You may not edit this story in its current state.")
    changed = sorted(set(fields) - {"lock_version", "modified_by", "modified_at"})
    if not changed:
        # Nothing to store, so nothing to record and no newer copy for others to meet.
        return article
    now = timezone.now()
    won = Article.objects.filter(pk=article.pk, lock_version=expected_lock_version).update(
        lock_version=expected_lock_version + 1, modified_by=by, modified_at=now
    )
    if not won:
        raise StaleEdit(Article.objects.select_related("modified_by").get(pk=article.pk))
    article.lock_version = expected_lock_version + 1
    article.modified_by = by
    article.modified_at = now
    article.save(update_fields=changed)
    refresh_unsent(article)
    AuditEntry.objects.record(
        article, by=by, action="edit", from_status=article.status, note=", ".join(changed)
    )
    return article


def _sent_date(dateline: str, place: str, sent_at: datetime) -> date | None:
    """The date in a printed dateline ("Nairobi, November 30"), in the year it was sent
    (the year before when that would fall after sending); None when it carries none."""
    day = dateline.removeprefix(f"{place}, ") if place else ""
    if not day or day == dateline:
        return None
    try:
        parsed = datetime.strptime(f"{day} {sent_at.year}", "%B %d %Y").replace(tzinfo=UTC).date()
    except ValueError:
        return None
    if parsed > sent_at.date() + timedelta(days=1):
        parsed = parsed.replace(year=parsed.year - 1)
    return parsed


@transaction.atomic
def discard_unsent_changes(article: Article, *, by: AbstractBaseUser) -> list[str]:
    """Put a published story's working copy back as its latest sent version carried it.

    Restores headline, slug, summary, dateline, body, desk, language, priority, topics and
    the translation link; returns the parts restored (names from `articles.unsent.PARTS`).
    Credits are not restored: a version keeps the byline and credit line as printed, not
    who was credited, so changed credits stay listed as unsent. Moves the optimistic lock
    (an open form goes stale) and records a "discard" audit entry naming the parts.

    Refuses (NotPermitted) a user who may not edit the story, and (TransitionNotAllowed)
    a story that is not published or has nothing to discard.
    """
    lock(article)
    if not can_edit_copy(by, article):
        raise NotPermitted("You may not edit this story in its current state.")
    changes = unsent_changes(article)
    restorable = [p for p in (changes.parts if changes else []) if p != "credits"]
    if not restorable:
        raise TransitionNotAllowed(
            f"“{article.headline}” has no unsent changes that can be discarded."
        )
    version = latest_version(article)
    sent = sent_copy(article, version)
    item = version.ninjs or {}
    fields: list[str] = []
    simple = {"headline": "headline", "slug": "slug", "summary": "summary", "body": "body"}
    simple |= {"language": "language", "priority": "priority"}
    for part, field in simple.items():
        if part in restorable:
            setattr(article, field, sent[part])
            fields.append(field)
    if "dateline" in restorable:
        article.dateline_place = item.get("located", "")
        article.dateline_date = _sent_date(
            sent["dateline"], article.dateline_place, timezone.localtime(version.created_at)
        )
        fields += ["dateline_place", "dateline_date"]
    if "desk" in restorable:
        article.desk = Desk.objects.get(slug=sent["desk"])
        fields.append("desk")
    if "translation" in restorable:
        article.translation_of = Article.objects.filter(guid=sent["translation"]).first()
        fields.append("translation_of")
    if "topics" in restorable:
        article.topics.set(Topic.objects.filter(slug__in=sent["topics"]))
    stamp(article, by, timezone.now(), fields)
    refresh_unsent(article)
    AuditEntry.objects.record(
        article,
        by=by,
        action="discard",
        from_status=article.status,
        note=f"Restored {', '.join(restorable)} as sent in version {version.number}.",
    )
    return restorable
