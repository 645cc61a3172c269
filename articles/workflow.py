"""The wire workflow: every change of an article's state goes through a function here.

    draft → submitted → edited → published → corrected / updated (version + 1)
                     ↘ draft                → killed (kill notice replaces the copy)
                                            → withheld ⇄ released

Each transition checks the state and the user's permission, runs in one transaction,
writes an AuditEntry and (for what partners must hear about) an OutboxEvent, and stores an
immutable ArticleVersion on publish, correct, update and kill. The admin, the management
commands and the Celery tasks all call these functions; none holds rules of its own.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleVersion, AuditEntry, OutboxEvent
from articles.signals import outbox_committed
from sources.services import open_findings, override_findings, run_attribution_audit

logger = logging.getLogger(__name__)

S = Article.Status
SYSTEM_EDITOR_USERNAME = "system-editor"


class WorkflowError(Exception):
    """A refusal the caller shows to the user as it is."""


class TransitionNotAllowed(WorkflowError):
    pass


class NotPermitted(WorkflowError):
    pass


class OpenFindings(WorkflowError):
    def __init__(self, article: Article, findings: list) -> None:
        self.findings = findings
        listed = "; ".join(f.message.rstrip(".") for f in findings[:3])
        super().__init__(
            f"“{article.headline}” has {len(findings)} open attribution finding(s): {listed}. "
            "Resolve them, or publish with an override and a reason."
        )


class StaleEdit(WorkflowError):
    def __init__(self, article: Article) -> None:
        self.article = article
        who = article.modified_by.get_username() if article.modified_by else "someone"
        when = timezone.localtime(article.modified_at).strftime("%Y-%m-%d %H:%M:%S %Z")
        super().__init__(
            f"{who} changed this story at {when}, after you opened it. Your text is kept "
            "below; compare it with theirs and save again."
        )


def system_editor() -> AbstractBaseUser:
    """The account that scheduled jobs and operator commands act as, recorded as such.

    It holds the Editor role and must stay active (Django grants an inactive user no
    permission at all); it cannot log in because it has no usable password and no staff flag.
    """
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_EDITOR_USERNAME,
        defaults={"first_name": "System", "last_name": "Editor", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name="Editor"))
    elif not user.is_active:
        # Accounts made before this rule were inactive, so every job they ran was refused.
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


# Permissions ---------------------------------------------------------------------------


def _require(user: AbstractBaseUser, perm: str, action: str) -> None:
    if not user.has_perm(perm):
        raise NotPermitted(f"You may not {action}: it needs the “{perm.split('.')[1]}” permission.")


def can_edit_copy(user: AbstractBaseUser, article: Article) -> bool:
    """Editors edit any story; a reporter edits only their own drafts."""
    if user.has_perm("articles.publish_article"):
        return article.status != S.KILLED
    return (
        user.has_perm("articles.change_article")
        and article.status == S.DRAFT
        and (article.pk is None or article.created_by_id == user.pk)
    )


def allowed_transitions(user: AbstractBaseUser, article: Article) -> list[str]:
    """Names of the transitions `user` may make on `article` now (for the admin's buttons)."""
    names = []
    for name, (states, perm) in TRANSITIONS.items():
        if article.status in states and user.has_perm(perm):
            someone_elses = article.created_by_id not in (user.pk, None)
            if name == "submit" and someone_elses and not user.has_perm("articles.publish_article"):
                continue
            names.append(name)
    return names


def _check_state(article: Article, allowed: tuple[str, ...], action: str) -> None:
    if article.status not in allowed:
        states = ", ".join(allowed)
        raise TransitionNotAllowed(
            f"Cannot {action} “{article.headline}”: it is {article.get_status_display().lower()}"
            f", and only a story that is {states} can be."
        )


# Recording ------------------------------------------------------------------------------


def _lock(article: Article) -> Article:
    """Re-read the article under a row lock, so two transitions cannot interleave."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    for field in locked._meta.concrete_fields:
        setattr(article, field.attname, getattr(locked, field.attname))
    return article


def _stamp(article: Article, by: AbstractBaseUser, now: datetime, fields: list[str]) -> None:
    article.modified_by = by
    article.modified_at = now
    article.lock_version += 1
    article.save(update_fields=[*fields, "modified_by", "modified_at", "lock_version"])


def _store_version(
    article: Article, *, event: str, by: AbstractBaseUser, now: datetime, note: str = ""
) -> ArticleVersion:
    from articles.credits import byline, credit_line
    from articles.ninjs import article_to_ninjs
    from articles.published import feed_scope_keys
    from articles.rendering import render_story_html

    credits = list(article.credits.select_related("contributor"))
    ninjs = article_to_ninjs(article, version=article.version, note=note)
    return ArticleVersion.objects.create(
        article=article,
        number=article.version,
        event=event,
        headline=article.headline,
        body=article.body if event != ArticleVersion.Event.KILL else "",
        byline=byline(credits),
        credit_line=credit_line(credits),
        note=note,
        ninjs=ninjs,
        html=render_story_html(article),
        slug=article.slug,
        feeds=feed_scope_keys(article),
        created_by=by,
        created_at=now,
    )


def _emit(article: Article, event_type: str, payload: dict | None = None) -> OutboxEvent:
    from articles.ninjs import article_to_ninjs

    event = OutboxEvent.objects.create(
        article=article,
        event_type=event_type,
        version=article.version,
        payload=payload if payload is not None else article_to_ninjs(article),
    )
    transaction.on_commit(lambda: _after_commit(event.pk, article.pk))
    return event


def _after_commit(event_id, article_id: int) -> None:
    # Distribution connects to this (feeds re-render, partner pushes); the core never
    # imports it.
    outbox_committed.send(sender=OutboxEvent, event_id=event_id, article_id=article_id)


# Open attribution findings -------------------------------------------------------------


def _check_findings(article: Article, by: AbstractBaseUser, override: str | None) -> str:
    run_attribution_audit(article)
    findings = list(open_findings(article))
    if not findings:
        return ""
    if not override or not override.strip():
        raise OpenFindings(article, findings)
    _require(by, "articles.override_audit", "publish over open attribution findings")
    override_findings(findings, by=by, reason=override.strip())
    return f"Published over {len(findings)} open finding(s); override: {override.strip()}"


# Transitions ---------------------------------------------------------------------------


@transaction.atomic
def submit(article: Article, *, by: AbstractBaseUser) -> Article:
    """A reporter hands a draft to the desk."""
    _lock(article)
    _require(by, "articles.submit_article", "submit stories")
    if article.created_by_id not in (by.pk, None) and not by.has_perm("articles.publish_article"):
        raise NotPermitted("You may submit only your own drafts.")
    _check_state(article, (S.DRAFT,), "submit")
    article.status = S.SUBMITTED
    _stamp(article, by, timezone.now(), ["status"])
    AuditEntry.objects.record(article, by=by, action="submit", from_status=S.DRAFT)
    return article


@transaction.atomic
def return_to_reporter(article: Article, *, by: AbstractBaseUser, note: str = "") -> Article:
    _lock(article)
    _require(by, "articles.publish_article", "return stories to reporters")
    _check_state(article, (S.SUBMITTED, S.EDITED), "return to the reporter")
    previous = article.status
    article.status = S.DRAFT
    _stamp(article, by, timezone.now(), ["status"])
    AuditEntry.objects.record(article, by=by, action="return", from_status=previous, note=note)
    return article


@transaction.atomic
def approve(article: Article, *, by: AbstractBaseUser) -> Article:
    """The desk has edited the copy: it is ready to move."""
    _lock(article)
    _require(by, "articles.publish_article", "approve stories")
    _check_state(article, (S.SUBMITTED,), "approve")
    article.status = S.EDITED
    _stamp(article, by, timezone.now(), ["status"])
    AuditEntry.objects.record(article, by=by, action="approve", from_status=S.SUBMITTED)
    return article


@transaction.atomic
def publish(
    article: Article,
    *,
    by: AbstractBaseUser,
    embargo_until: datetime | None = None,
    at: datetime | None = None,
    override_audit: str | None = None,
) -> Article:
    """Publish now, at a scheduled time (`at`), or under embargo (`embargo_until`).

    Refuses a story in a state that cannot move, a user without the publish permission,
    and a story with open attribution findings unless `override_audit` gives a reason (which
    needs the override permission and is recorded).
    """
    _lock(article)
    _require(by, "articles.publish_article", "publish stories")
    _check_state(article, (S.DRAFT, S.SUBMITTED, S.EDITED), "publish")
    now = timezone.now()
    if not article.headline.strip():
        raise TransitionNotAllowed("Cannot publish a story without a headline.")
    if embargo_until is not None and embargo_until <= now:
        embargo_until = None
    override_note = _check_findings(article, by, override_audit)

    if at is not None and at > now:
        article.scheduled_for = at
        article.scheduled_by = by
        article.embargo_until = embargo_until
        _stamp(article, by, now, ["scheduled_for", "scheduled_by", "embargo_until"])
        note = f"Scheduled for {at.isoformat()}. {override_note}".strip()
        AuditEntry.objects.record(
            article, by=by, action="schedule", from_status=article.status, note=note
        )
        return article

    previous = article.status
    article.status = S.PUBLISHED
    article.embargo_until = embargo_until
    article.published_at = embargo_until or now
    article.version_created_at = now
    article.scheduled_for = None
    article.version = 1
    _stamp(
        article,
        by,
        now,
        [
            "status",
            "embargo_until",
            "published_at",
            "version_created_at",
            "scheduled_for",
            "version",
        ],
    )
    _store_version(article, event=ArticleVersion.Event.PUBLISH, by=by, now=now)
    note = f"Embargoed until {embargo_until.isoformat()}. " if embargo_until else ""
    AuditEntry.objects.record(
        article, by=by, action="publish", from_status=previous, note=note + override_note
    )
    _emit(article, OutboxEvent.Type.PUBLISH)
    return article


def _new_version(
    article: Article,
    *,
    by: AbstractBaseUser,
    event: str,
    outbox: str,
    action: str,
    note: str,
    from_status: str = S.PUBLISHED,
) -> Article:
    """Store the article's current state as its next version, recorded and announced."""
    now = timezone.now()
    article.version += 1
    article.version_created_at = now
    _stamp(article, by, now, ["version", "version_created_at", "status", "kill_notice"])
    _store_version(article, event=event, by=by, now=now, note=note)
    AuditEntry.objects.record(article, by=by, action=action, from_status=from_status, note=note)
    _emit(article, outbox)
    return article


@transaction.atomic
def correct(article: Article, *, by: AbstractBaseUser, note: str) -> Article:
    """Move the current copy as a correction, with the public correction note."""
    _lock(article)
    _require(by, "articles.publish_article", "correct stories")
    _check_state(article, (S.PUBLISHED,), "correct")
    if not note or not note.strip():
        raise TransitionNotAllowed("A correction needs a note saying what was corrected.")
    return _new_version(
        article,
        by=by,
        event=ArticleVersion.Event.CORRECT,
        outbox=OutboxEvent.Type.CORRECT,
        action="correct",
        note=note.strip(),
    )


@transaction.atomic
def update(article: Article, *, by: AbstractBaseUser, note: str = "") -> Article:
    """A writethru: the current copy moves as a new version of the same item."""
    _lock(article)
    _require(by, "articles.publish_article", "update stories")
    _check_state(article, (S.PUBLISHED,), "update")
    return _new_version(
        article,
        by=by,
        event=ArticleVersion.Event.UPDATE,
        outbox=OutboxEvent.Type.UPDATE,
        action="update",
        note=note.strip(),
    )


@transaction.atomic
def kill(article: Article, *, by: AbstractBaseUser, reason: str) -> Article:
    """Withdraw the story everywhere: a kill notice replaces the copy in every channel."""
    _lock(article)
    _require(by, "articles.kill_article", "kill stories")
    _check_state(article, (S.PUBLISHED, S.WITHHELD), "kill")
    if not reason or not reason.strip():
        raise TransitionNotAllowed("A kill needs a reason; it is sent to every partner.")
    previous = article.status
    article.status = S.KILLED
    article.kill_notice = (
        f"“{article.headline}” ({article.slug}) has been withdrawn. {reason.strip()} "
        "Do not use it; remove it from all platforms."
    )
    return _new_version(
        article,
        by=by,
        event=ArticleVersion.Event.KILL,
        outbox=OutboxEvent.Type.KILL,
        action="kill",
        note=reason.strip(),
        from_status=previous,
    )


@transaction.atomic
def withhold(article: Article, *, by: AbstractBaseUser, reason: str) -> Article:
    """Take a story out of every channel for now (legal review, a fact in doubt)."""
    _lock(article)
    _require(by, "articles.kill_article", "withhold stories")
    _check_state(article, (S.PUBLISHED,), "withhold")
    if not reason or not reason.strip():
        raise TransitionNotAllowed("Withholding needs a reason.")
    article.status = S.WITHHELD
    article.withhold_reason = reason.strip()
    _stamp(article, by, timezone.now(), ["status", "withhold_reason"])
    AuditEntry.objects.record(
        article, by=by, action="withhold", from_status=S.PUBLISHED, note=reason.strip()
    )
    _emit(article, OutboxEvent.Type.WITHHOLD)
    return article


@transaction.atomic
def release(article: Article, *, by: AbstractBaseUser) -> Article:
    _lock(article)
    _require(by, "articles.kill_article", "release withheld stories")
    _check_state(article, (S.WITHHELD,), "release")
    article.status = S.PUBLISHED
    article.withhold_reason = ""
    _stamp(article, by, timezone.now(), ["status", "withhold_reason"])
    AuditEntry.objects.record(article, by=by, action="release", from_status=S.WITHHELD)
    _emit(article, OutboxEvent.Type.RELEASE)
    return article


TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((S.DRAFT,), "articles.submit_article"),
    "return_to_reporter": ((S.SUBMITTED, S.EDITED), "articles.publish_article"),
    "approve": ((S.SUBMITTED,), "articles.publish_article"),
    "publish": ((S.DRAFT, S.SUBMITTED, S.EDITED), "articles.publish_article"),
    "correct": ((S.PUBLISHED,), "articles.publish_article"),
    "update": ((S.PUBLISHED,), "articles.publish_article"),
    "withhold": ((S.PUBLISHED,), "articles.kill_article"),
    "release": ((S.WITHHELD,), "articles.kill_article"),
    "kill": ((S.PUBLISHED, S.WITHHELD), "articles.kill_article"),
}


# Copy edits under optimistic locking -----------------------------------------------------


@transaction.atomic
def save_copy(
    article: Article, *, by: AbstractBaseUser, expected_lock_version: int, fields: list[str]
) -> Article:
    """Save an editor's changes to `fields`, unless someone saved since the form was opened.

    `fields` names only what changed; with none, nothing is written or recorded.

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


# Time-driven work ----------------------------------------------------------------------


def publish_due(now: datetime | None = None) -> list[int]:
    """Publish every story whose scheduled time has come. Safe to run twice."""
    now = now or timezone.now()
    published = []
    due = Article.objects.filter(
        scheduled_for__lte=now, status__in=[S.DRAFT, S.SUBMITTED, S.EDITED]
    ).values_list("pk", flat=True)
    for pk in due:
        article = Article.objects.get(pk=pk)
        by = article.scheduled_by or system_editor()
        try:
            publish(
                article,
                by=by,
                embargo_until=article.embargo_until,
                override_audit="as scheduled" if by.has_perm("articles.override_audit") else None,
            )
            published.append(pk)
        except WorkflowError as exc:
            logger.warning("scheduled publish of %s refused: %s", article.slug, exc)
            with transaction.atomic():
                Article.objects.filter(pk=pk).update(scheduled_for=None)
                AuditEntry.objects.record(
                    article,
                    by=by,
                    action="schedule-failed",
                    from_status=article.status,
                    note=str(exc),
                )
    return published


def lift_due_embargoes(now: datetime | None = None) -> list[int]:
    """Release every published story whose embargo has passed. Safe to run twice."""
    now = now or timezone.now()
    lifted = []
    due = Article.objects.filter(
        status=S.PUBLISHED, embargo_until__lte=now, embargo_lifted_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=pk)
            if article.embargo_lifted_at is not None:
                continue
            article.embargo_lifted_at = now
            article.save(update_fields=["embargo_lifted_at"])
            AuditEntry.objects.record(
                article, by=None, action="embargo-lift", from_status=article.status
            )
            _emit(article, OutboxEvent.Type.EMBARGO_LIFT)
        lifted.append(pk)
    return lifted
