"""The transitions: each checks its rule, runs in one transaction, writes an AuditEntry and
(for what partners must hear about) an OutboxEvent, and stores an immutable ArticleVersion
on publish, correct, update and kill.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleVersion, AuditEntry, OutboxEvent
from articles.published import kill_notice_text, sent_slug
from articles.workflow.rules import OpenFindings, TransitionNotAllowed, check, require
from articles.workflow.versions import (
    emit,
    lock,
    stamp,
    store_version,
    store_withheld_presentation,
)
from sources.services import open_findings, override_findings, run_attribution_audit

S = Article.Status


def _check_findings(article: Article, by: AbstractBaseUser, override: str | None) -> str:
    run_attribution_audit(article)
    findings = list(open_findings(article))
    if not findings:
        return ""
    if not override or not override.strip():
        raise OpenFindings(article, findings)
    require(by, "articles.override_audit", "publish over open attribution findings")
    override_findings(findings, by=by, reason=override.strip())
    return f"Published over {len(findings)} open finding(s); override: {override.strip()}"


def _move(article: Article, by: AbstractBaseUser, name: str, to: str, **fields) -> str:
    """Check rule `name`, set the status `to` and `fields`, stamp and record; returns the
    status the story came from."""
    check(name, article, by)
    previous = article.status
    article.status = to
    for field, value in fields.items():
        setattr(article, field, value)
    stamp(article, by, timezone.now(), ["status", *fields])
    return previous


@transaction.atomic
def submit(article: Article, *, by: AbstractBaseUser) -> Article:
    """A reporter hands a draft to the desk."""
    lock(article)
    _move(article, by, "submit", S.SUBMITTED)
    AuditEntry.objects.record(article, by=by, action="submit", from_status=S.DRAFT)
    return article


@transaction.atomic
def return_to_reporter(article: Article, *, by: AbstractBaseUser, note: str = "") -> Article:
    """The desk sends submitted or edited copy back to the reporter as a draft."""
    lock(article)
    previous = _move(article, by, "return_to_reporter", S.DRAFT)
    AuditEntry.objects.record(article, by=by, action="return", from_status=previous, note=note)
    return article


@transaction.atomic
def approve(article: Article, *, by: AbstractBaseUser) -> Article:
    """The desk has edited the copy: it is ready to move."""
    lock(article)
    _move(article, by, "approve", S.EDITED)
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
    lock(article)
    check("publish", article, by)
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
        stamp(article, by, now, ["scheduled_for", "scheduled_by", "embargo_until"])
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
    article.unsent_fields = ""  # the working copy is what goes out
    stamp(
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
            "unsent_fields",
        ],
    )
    store_version(article, event=ArticleVersion.Event.PUBLISH, by=by, now=now)
    note = f"Embargoed until {embargo_until.isoformat()}. " if embargo_until else ""
    AuditEntry.objects.record(
        article, by=by, action="publish", from_status=previous, note=note + override_note
    )
    emit(article, OutboxEvent.Type.PUBLISH)
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
    article.unsent_fields = ""  # the working copy is what goes out
    stamp(
        article,
        by,
        now,
        [
            "version",
            "version_created_at",
            "status",
            "kill_notice",
            "unsent_fields",
            "withheld_ninjs",
        ],
    )
    store_version(article, event=event, by=by, now=now, note=note)
    AuditEntry.objects.record(article, by=by, action=action, from_status=from_status, note=note)
    emit(article, outbox)
    return article


@transaction.atomic
def correct(article: Article, *, by: AbstractBaseUser, note: str) -> Article:
    """Move the current copy as a correction, with the public correction note."""
    lock(article)
    check("correct", article, by)
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
    lock(article)
    check("update", article, by)
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
    """Withdraw the story everywhere: a kill notice replaces the copy in every channel.

    The notice carries no headline: only the reason and the slug the story went out under
    (see `articles.published.kill_notice_text`).
    """
    lock(article)
    check("kill", article, by)
    if not reason or not reason.strip():
        raise TransitionNotAllowed("A kill needs a reason; it is sent to every partner.")
    previous = article.status
    article.status = S.KILLED
    article.kill_notice = kill_notice_text(reason.strip(), slug=sent_slug(article))
    article.withheld_ninjs = None  # a killed story is its kill notice, withheld or not
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
    lock(article)
    check("withhold", article, by)
    if not reason or not reason.strip():
        raise TransitionNotAllowed("Withholding needs a reason.")
    _move(article, by, "withhold", S.WITHHELD, withhold_reason=reason.strip())
    store_withheld_presentation(article)
    AuditEntry.objects.record(
        article, by=by, action="withhold", from_status=S.PUBLISHED, note=reason.strip()
    )
    emit(article, OutboxEvent.Type.WITHHOLD)
    return article


@transaction.atomic
def release(article: Article, *, by: AbstractBaseUser) -> Article:
    """Put a withheld story back in every channel, as it was last sent."""
    lock(article)
    _move(article, by, "release", S.PUBLISHED, withhold_reason="", withheld_ninjs=None)
    AuditEntry.objects.record(article, by=by, action="release", from_status=S.WITHHELD)
    emit(article, OutboxEvent.Type.RELEASE)
    return article
