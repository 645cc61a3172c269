"""Time-driven work: scheduled publishing and embargo lifts, run by the scheduler."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry, OutboxEvent
from articles.workflow.rules import WorkflowError, system_editor
from articles.workflow.transitions import publish
from articles.workflow.versions import emit

logger = logging.getLogger("articles.workflow")

S = Article.Status


def publish_due(now: datetime | None = None) -> list[int]:
    """Publish every story whose scheduled time has come; returns their ids. Safe to run
    twice. A refused publish is logged, recorded ("schedule-failed") and unscheduled."""
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
    """Release every published story whose embargo has passed; returns their ids. Safe to
    run twice."""
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
            emit(article, OutboxEvent.Type.EMBARGO_LIFT)
        lifted.append(pk)
    return lifted
