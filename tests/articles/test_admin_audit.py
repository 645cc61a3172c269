"""The audit trail and Django's history record only what a save changed."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry

from articles.models import AuditEntry
from tests.articles.test_admin_support import change_url, client_for, form_data, form_errors
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory

pytestmark = pytest.mark.django_db


def as_a_browser_posts(data: dict) -> dict:
    """Browsers send a textarea's line breaks as CRLF, whatever the page held."""
    return {
        key: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for key, value in data.items()
    }


@pytest.fixture
def story(desk, editor):
    article = ArticleFactory(
        desk=desk,
        created_by=editor,
        headline="Storm closes the harbour",
        summary="Forty ships wait.",
        body="<p>The harbour closed on Monday.</p>\n<h2>Ships wait</h2>\n<p>Forty ships wait.</p>",
    )
    CreditFactory(article=article, contributor=ContributorFactory(name="Dewi Lestari", desk=desk))
    return article


def save(client, story, change=None):
    data = form_data(client.get(change_url(story)))
    data.update(change or {})
    response = client.post(change_url(story), as_a_browser_posts(data))
    assert response.status_code == 302, form_errors(response)


def test_a_save_without_a_change_records_nothing(story, editor):
    client = client_for(editor)
    before = AuditEntry.objects.filter(article=story).count()

    save(client, story)

    assert AuditEntry.objects.filter(article=story).count() == before
    entry = LogEntry.objects.get(object_id=str(story.pk))
    assert entry.get_change_message() == "No fields changed."
    story.refresh_from_db()
    assert story.body.startswith("<p>The harbour closed on Monday.</p>")


def test_changing_only_the_summary_records_only_the_summary(story, editor):
    client = client_for(editor)

    save(client, story, {"summary": "Forty-one ships wait."})

    edit = AuditEntry.objects.filter(article=story, action="edit").get()
    assert edit.note == "summary"
    entry = LogEntry.objects.get(object_id=str(story.pk))
    assert entry.get_change_message() == "Changed Summary."
    story.refresh_from_db()
    assert story.summary == "Forty-one ships wait."


def test_a_real_body_change_is_recorded_as_one(story, editor):
    client = client_for(editor)
    body = "<p>The harbour closed on Tuesday.</p>\n<h2>Ships wait</h2>\n<p>Forty ships wait.</p>"

    save(client, story, {"body": body})

    edit = AuditEntry.objects.filter(article=story, action="edit").get()
    assert edit.note == "body"
    story.refresh_from_db()
    assert "Tuesday" in story.body


def test_markup_the_sanitizer_drops_is_no_change(story, editor):
    client = client_for(editor)
    story.refresh_from_db()

    # A stray attribute nh3 removes leaves the stored body as it was.
    save(client, story, {"body": story.body.replace("<h2>", '<h2 class="x">')})

    assert not AuditEntry.objects.filter(article=story, action="edit").exists()


def test_a_changed_credit_is_recorded_by_name(story, editor):
    client = client_for(editor)

    save(client, story, {"credits-0-role": "contributor"})

    edit = AuditEntry.objects.filter(article=story, action="edit").get()
    assert edit.note == "credits"
    assert story.credits.get().role == "contributor"
