"""Unsent changes: a published story whose working copy differs from what went out says so,
on its page (with the ways out) and in the list (with a filter)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import workflow
from articles.models import Article, AuditEntry
from articles.published import find_public_story
from articles.unsent import unsent_changes
from tests.articles.test_admin_support import (
    change_url,
    client_for,
    form_data,
    messages_of,
    transition_url,
)
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory, TopicFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
SENT_BODY = "<p>First paragraph.</p><h2>A subhead</h2><p>Second paragraph.</p>"


def edit_in_admin(client, article: Article, **changes) -> None:
    data = form_data(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context and response.context["errors"]


def discard_url(article: Article) -> str:
    return reverse("admin:articles_article_discard", args=[article.pk])


def test_an_edited_published_story_shows_the_banner_with_its_ways_out(published, editor):
    client = client_for(editor)
    edit_in_admin(client, published, headline="Talks resume", body="<p>New lede.</p>")

    page = client.get(change_url(published)).content.decode()

    assert "Changed since version 1: headline, body — not sent" in page
    banner = page[page.index('id="unsent-banner"') : page.index("</section>")]
    assert "Move as correction…" in banner
    assert "Move as writethru…" in banner
    assert "Discard changes…" in banner
    # The banner is the first thing on the page, above the desk panel.
    assert page.index('id="unsent-banner"') < page.index('class="desk-panel"')
    published.refresh_from_db()
    assert published.unsent_fields == "headline, body"


def test_a_story_with_nothing_unsent_has_no_banner(published, editor):
    client = client_for(editor)
    edit_in_admin(client, published)  # saved as it is

    assert 'id="unsent-banner"' not in client.get(change_url(published)).content.decode()
    assert unsent_changes(published) is None


def test_a_summary_made_from_the_lede_is_not_an_unsent_change(draft, editor):
    draft.summary = ""
    draft.save()
    story = workflow.publish(draft, by=editor)

    assert unsent_changes(story) is None
    story.summary = "Now an editor's summary."
    workflow.save_copy(
        story, by=editor, expected_lock_version=story.lock_version, fields=["summary"]
    )
    assert unsent_changes(story).parts == ["summary"]


def test_topics_credits_and_dateline_count_as_unsent(published, editor):
    client = client_for(editor)
    topic = TopicFactory(name="Drought", slug="drought")
    edit_in_admin(client, published, topics=[str(topic.pk)], dateline_date="2026-11-30")
    CreditFactory(article=published, contributor=ContributorFactory(name="Dewi Lestari"))
    edit_in_admin(client, published)  # the admin counts credits after saving them

    published.refresh_from_db()
    assert published.unsent_fields == "dateline, topics, credits"


def test_moving_a_correction_from_the_banner_sends_the_changes(published, editor):
    client = client_for(editor)
    edit_in_admin(client, published, headline="Talks resume in Geneva")

    response = client.post(
        transition_url(published, "correct"), {"note": "Corrects the city.", "go": "correct"}
    )

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.version == 2
    assert published.unsent_fields == ""
    assert find_public_story(published.slug).shown.headline == "Talks resume in Geneva"
    assert 'id="unsent-banner"' not in client.get(change_url(published)).content.decode()


def test_discard_restores_the_sent_copy_and_is_audited(published, editor):
    sent_headline = published.headline
    client = client_for(editor)
    edit_in_admin(
        client,
        published,
        headline="Not ready yet",
        body="<p>Half-written.</p>",
        dateline_place="Geneva",
        dateline_date="2026-11-30",
    )
    lock_before = Article.objects.get(pk=published.pk).lock_version

    response = client.post(discard_url(published))

    assert response.status_code == 302
    assert "Unsent changes discarded: headline, dateline, body" in messages_of(response)[-1]
    published.refresh_from_db()
    assert published.headline == sent_headline
    assert published.body == SENT_BODY
    assert (published.dateline_place, published.dateline_date) == ("Washington", None)
    assert published.unsent_fields == ""
    assert published.lock_version == lock_before + 1
    assert published.version == 1  # nothing was sent
    entry = AuditEntry.objects.filter(article=published, action="discard").get()
    assert entry.actor_name == "eddie"
    assert entry.note == "Restored headline, dateline, body as sent in version 1."


def test_discard_brings_back_a_sent_dateline_date(draft, editor):
    draft.dateline_place = "Nairobi"
    draft.dateline_date = datetime.date(2026, 11, 30)
    draft.save()
    story = workflow.publish(draft, by=editor)
    story.dateline_date = datetime.date(2026, 12, 1)
    workflow.save_copy(
        story, by=editor, expected_lock_version=story.lock_version, fields=["dateline_date"]
    )

    assert workflow.discard_unsent_changes(story, by=editor) == ["dateline"]
    story.refresh_from_db()
    assert story.dateline_date == datetime.date(2026, 11, 30)


def test_discard_with_nothing_unsent_is_refused(published, editor):
    with pytest.raises(workflow.TransitionNotAllowed, match="no unsent changes"):
        workflow.discard_unsent_changes(published, by=editor)
    assert not AuditEntry.objects.filter(action="discard").exists()


def test_a_reporter_may_not_discard(published, editor, reporter):
    published.headline = "Edited by the desk"
    workflow.save_copy(
        published, by=editor, expected_lock_version=published.lock_version, fields=["headline"]
    )
    with pytest.raises(workflow.NotPermitted):
        workflow.discard_unsent_changes(published, by=reporter)
    assert Article.objects.get(pk=published.pk).headline == "Edited by the desk"


def test_the_list_shows_and_filters_stories_with_unsent_changes(desk, reporter, editor):
    changed, untouched = (
        workflow.publish(ArticleFactory(desk=desk, created_by=reporter), by=editor)
        for _ in range(2)
    )
    draft = ArticleFactory(desk=desk, created_by=reporter)
    client = client_for(editor)
    edit_in_admin(client, changed, headline="A sharper headline")

    page = client.get(CHANGELIST).content.decode()
    assert page.count('class="unsent-parts"') == 1
    assert "Not sent: headline" in page

    only_unsent = client.get(f"{CHANGELIST}?unsent=yes").content.decode()
    assert "A sharper headline" in only_unsent
    assert untouched.headline not in only_unsent
    assert draft.headline not in only_unsent
    nothing_unsent = client.get(f"{CHANGELIST}?unsent=no").content.decode()
    assert "A sharper headline" not in nothing_unsent
    assert untouched.headline in nothing_unsent


def test_the_list_reads_no_version_per_story(desk, reporter, editor, django_assert_num_queries):
    client = client_for(editor)

    def edited_stories(count: int) -> None:
        for _ in range(count):
            story = workflow.publish(ArticleFactory(desk=desk, created_by=reporter), by=editor)
            story.body = "<p>An unsent edit.</p>"
            workflow.save_copy(
                story, by=editor, expected_lock_version=story.lock_version, fields=["body"]
            )

    edited_stories(2)
    client.get(CHANGELIST)  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        client.get(f"{CHANGELIST}?unsent=yes")
    edited_stories(10)
    with django_assert_num_queries(len(few)):
        page = client.get(f"{CHANGELIST}?unsent=yes").content.decode()
    assert page.count('class="unsent-parts"') == 12
