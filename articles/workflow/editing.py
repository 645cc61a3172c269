"""Copy edits under optimistic locking: the working copy changes, nothing is sent."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry
from articles.workflow.rules import NotPermitted, StaleEdit, can_edit_copy


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
    AuditEntry.objects.record(
        article, by=by, action="edit", from_status=article.status, note=", ".join(changed)
    )
    return article
