"""Optimistic locking of copy edits: a save from a form opened on an older lock_version is
refused, naming who changed the story and when; with two real connections at once, exactly
one save wins and nothing is lost."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection, connections

from articles import workflow
from articles.models import Article, AuditEntry
from tests.factories import ArticleFactory, UserFactory


def edit(article: Article, user, opened_at: int, **changes) -> Article:
    for field, value in changes.items():
        setattr(article, field, value)
    return workflow.save_copy(
        article, by=user, expected_lock_version=opened_at, fields=list(changes)
    )


def test_save_bumps_lock_version_and_records_the_edit(draft, editor):
    opened_at = draft.lock_version
    edit(draft, editor, opened_at, headline="Talks resume in Geneva")
    draft.refresh_from_db()
    assert draft.headline == "Talks resume in Geneva"
    assert draft.lock_version == opened_at + 1
    assert draft.modified_by == editor
    assert AuditEntry.objects.get(article=draft, action="edit").note == "headline"


def test_stale_save_is_refused_naming_who_and_when(draft, editor, db):
    desk_chief = UserFactory(username="priya", role="Editor")
    opened_at = draft.lock_version
    mine = Article.objects.get(pk=draft.pk)
    with time_machine.travel(datetime(2026, 3, 2, 14, 5, 9, tzinfo=UTC), tick=False):
        edit(draft, desk_chief, opened_at, headline="Priya's headline")

    with pytest.raises(workflow.StaleEdit) as refused:
        edit(mine, editor, opened_at, headline="Eddie's headline")
    message = str(refused.value)
    assert "priya" in message
    assert "2026-03-02 14:05:09" in message
    # Nothing is lost: theirs is stored, mine is still in hand for the form.
    assert Article.objects.get(pk=draft.pk).headline == "Priya's headline"
    assert mine.headline == "Eddie's headline"
    assert refused.value.article.modified_by.username == "priya"

    # Saving again from the current lock_version goes through.
    current = Article.objects.get(pk=draft.pk).lock_version
    edit(mine, editor, current, headline="Eddie's headline")
    assert Article.objects.get(pk=draft.pk).headline == "Eddie's headline"


def test_transitions_move_the_lock_so_an_open_form_goes_stale(draft, editor):
    opened_at = draft.lock_version
    form_copy = Article.objects.get(pk=draft.pk)
    workflow.publish(draft, by=editor)
    with pytest.raises(workflow.StaleEdit):
        edit(form_copy, editor, opened_at, body="<p>Old form.</p>")


def test_reporter_may_not_edit_published_copy(published, reporter):
    with pytest.raises(workflow.NotPermitted):
        edit(published, reporter, published.lock_version, headline="Sneaky change")
    assert Article.objects.get(pk=published.pk).headline != "Sneaky change"


def test_reporter_may_not_edit_someone_elses_draft(draft, other_reporter):
    with pytest.raises(workflow.NotPermitted):
        edit(draft, other_reporter, draft.lock_version, headline="Not mine")


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serializes every writer, so two saves cannot overlap",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_connections_saving_at_once_exactly_one_wins():
    editors = [UserFactory(username=f"desk{i}", role="Editor") for i in range(2)]
    article = ArticleFactory()
    opened_at = article.lock_version
    barrier = threading.Barrier(2, timeout=20)
    outcomes: dict[str, str] = {}

    def save(user) -> None:
        try:
            mine = Article.objects.get(pk=article.pk)
            mine.headline = f"Headline by {user.username}"
            barrier.wait()
            workflow.save_copy(mine, by=user, expected_lock_version=opened_at, fields=["headline"])
            outcomes[user.username] = "saved"
        except workflow.StaleEdit as exc:
            outcomes[user.username] = f"stale: {exc}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(user,)) for user in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["saved", "stale"]
    (winner,) = [name for name, outcome in outcomes.items() if outcome == "saved"]
    (loser,) = [name for name, outcome in outcomes.items() if outcome != "saved"]
    assert winner in outcomes[loser]  # the refusal names who got there first
    stored = Article.objects.get(pk=article.pk)
    assert stored.headline == f"Headline by {winner}"
    assert stored.lock_version == opened_at + 1
    assert AuditEntry.objects.filter(article=stored, action="edit").count() == 1
