"""Time-driven work without an editor: scheduled publishing and embargo lifting, on time
and not before, run by the beat tasks and safe to run twice. The clock is moved, not slept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from articles import tasks, workflow
from articles.models import Article, AuditEntry, OutboxEvent
from tests.factories import ArticleFactory

S = Article.Status
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_beat_runs_both_jobs():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"articles.publish_due", "articles.lift_due_embargoes"} <= scheduled
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_scheduled_story_publishes_on_time_and_not_before(clock, draft, editor, client):
    workflow.publish(draft, by=editor, at=START + timedelta(hours=1))
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert draft.scheduled_for == START + timedelta(hours=1)
    assert draft.scheduled_by == editor
    assert AuditEntry.objects.filter(article=draft, action="schedule").exists()
    assert not OutboxEvent.objects.filter(article=draft).exists()

    clock.move_to(START + timedelta(minutes=59, seconds=59))
    assert tasks.publish_due() == []
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert client.get(f"/stories/{draft.slug}/").status_code == 404

    clock.move_to(START + timedelta(hours=1))
    assert tasks.publish_due() == [draft.pk]
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    assert draft.published_at == START + timedelta(hours=1)
    assert draft.scheduled_for is None
    entry = AuditEntry.objects.get(article=draft, action="publish")
    assert entry.actor == editor  # recorded as the editor who scheduled it
    assert client.get(f"/stories/{draft.slug}/").status_code == 200

    # A second run (beat fires every few seconds) changes nothing.
    assert tasks.publish_due() == []
    assert draft.versions.count() == 1
    assert OutboxEvent.objects.filter(article=draft, event_type="article.published").count() == 1


def test_scheduled_publish_overrides_late_findings_as_the_scheduling_editor(clock, draft, editor):
    from sources.models import Attribution

    workflow.publish(draft, by=editor, at=START + timedelta(minutes=30))
    # After scheduling, an unattributed quote is added: the audit now blocks it. The
    # scheduler acts as the editor who scheduled it, who may override, and records it.
    Attribution.objects.create(article=draft, source=None, text="Done deal.", paragraph=0)
    clock.move_to(START + timedelta(minutes=30))
    assert tasks.publish_due() == [draft.pk]
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    assert "as scheduled" in AuditEntry.objects.get(article=draft, action="publish").note


def test_scheduled_publish_refused_is_recorded_not_retried(clock, desk, reporter, editor):
    article = ArticleFactory(desk=desk, created_by=reporter)
    workflow.publish(article, by=editor, at=START + timedelta(minutes=10))
    # The editor loses the role before the time comes: the job must not publish as them.
    editor.groups.clear()
    editor = type(editor).objects.get(pk=editor.pk)
    clock.move_to(START + timedelta(minutes=10))
    assert tasks.publish_due() == []
    article.refresh_from_db()
    assert article.status == S.DRAFT
    assert article.scheduled_for is None
    assert AuditEntry.objects.filter(article=article, action="schedule-failed").exists()
    assert tasks.publish_due() == []
    assert AuditEntry.objects.filter(article=article, action="schedule-failed").count() == 1


def test_embargo_lifted_on_time_and_not_before(clock, draft, editor, client):
    until = START + timedelta(hours=2)
    workflow.publish(draft, by=editor, embargo_until=until)
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    assert draft.is_embargoed
    assert draft.versions.get().ninjs["embargoed"] == "2026-03-02T11:00:00Z"
    assert draft not in Article.objects.publicly_visible()
    assert client.get(f"/stories/{draft.slug}/").status_code == 404

    clock.move_to(until - timedelta(seconds=1))
    assert tasks.lift_due_embargoes() == []
    assert not OutboxEvent.objects.filter(event_type="article.embargo_lifted").exists()
    assert client.get(f"/stories/{draft.slug}/").status_code == 404

    clock.move_to(until)
    assert tasks.lift_due_embargoes() == [draft.pk]
    draft.refresh_from_db()
    assert draft.embargo_lifted_at == until
    assert draft in Article.objects.publicly_visible()
    assert client.get(f"/stories/{draft.slug}/").status_code == 200
    lift = OutboxEvent.objects.get(article=draft, event_type="article.embargo_lifted")
    assert lift.version == 1
    assert AuditEntry.objects.get(article=draft, action="embargo-lift").actor is None

    clock.move_to(until + timedelta(minutes=1))
    assert tasks.lift_due_embargoes() == []
    assert OutboxEvent.objects.filter(event_type="article.embargo_lifted").count() == 1


def test_scheduled_and_embargoed_together(clock, draft, editor):
    workflow.publish(
        draft,
        by=editor,
        at=START + timedelta(hours=1),
        embargo_until=START + timedelta(hours=3),
    )
    clock.move_to(START + timedelta(hours=1))
    tasks.publish_due()
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED and draft.is_embargoed
    clock.move_to(START + timedelta(hours=3))
    assert tasks.lift_due_embargoes() == [draft.pk]


def test_embargo_in_the_past_publishes_at_once(clock, draft, editor):
    workflow.publish(draft, by=editor, embargo_until=START - timedelta(minutes=1))
    draft.refresh_from_db()
    assert draft.embargo_until is None
    assert draft in Article.objects.publicly_visible()
    assert tasks.lift_due_embargoes() == []
