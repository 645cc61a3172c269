"""A kill from the admin asks first, showing where the story went: its feeds and the
partners the kill notice will be pushed to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from articles import workflow
from articles.models import Article, Desk
from distribution.api.partners import create_partner
from distribution.models import Delivery
from tests.articles.test_admin_support import client_for, messages_of, transition_url
from tests.factories import DeskFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make_story):
    DeskFactory(name="Oslo", slug="oslo")
    story = make_story(headline="Parliament passes the budget", topics=("elections",))
    # Two partners get pushes for this desk; one has no webhook, one is not entitled.
    create_partner("Lakeside Daily", webhook_url="https://lakeside.example/hook")
    create_partner("Capital Post", desks=["washington"], webhook_url="https://post.example/h")
    create_partner("Pull Only", desks=["washington"])
    create_partner("Oslo Times", desks=["oslo"], webhook_url="https://oslo.example/hook")
    return story


def test_a_kill_asks_first_and_shows_where_the_story_went(story, editor):
    client = client_for(editor)

    response = client.post(transition_url(story, "kill"), {"reason": "The vote count was wrong."})

    assert response.status_code == 200
    html = response.content.decode()
    assert "A kill cannot be undone." in html
    assert (
        "It will be taken out of 4 feeds, which will carry the kill notice for 7 days, "
        "and 2 partners will be notified by push."
    ) in html
    for feed in ("Every story", "Desk: Washington", "Topic: Elections", "Language: en"):
        assert f"<li>{feed}</li>" in html
    assert '<input type="hidden" name="reason" value="The vote count was wrong.">' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert not story.versions.filter(event="kill").exists()


def test_a_confirmed_kill_moves_and_says_where_it_went(story, editor):
    client = client_for(editor)

    response = client.post(
        transition_url(story, "kill"),
        {"reason": "The vote count was wrong.", "confirmed": "yes"},
        follow=True,
    )

    story.refresh_from_db()
    assert story.status == Article.Status.KILLED
    [message] = messages_of(response)
    assert message.endswith(
        "It was taken out of 4 feeds, which carry the kill notice for 7 days; "
        "2 partners notified by push."
    )
    assert story.outbox_events.filter(event_type="article.killed").count() == 1


def test_a_kill_without_a_reason_is_refused_without_asking(story, editor):
    client = client_for(editor)

    response = client.post(transition_url(story, "kill"), {"reason": "  "}, follow=True)

    assert any("A kill needs a reason" in m for m in messages_of(response))
    assert "A kill cannot be undone." not in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_the_confirmation_names_the_feeds_the_story_went_out_in(story, editor):
    # Moved in the working copy only: the story is still listed where it was sent.
    story.topics.set([TopicFactory(slug="budget", name="Budget")])
    client = client_for(editor)

    html = client.post(transition_url(story, "kill"), {"reason": "Wrong."}).content.decode()

    assert "<li>Topic: Elections</li>" in html
    assert "Topic: Budget" not in html


def test_the_partner_count_is_the_number_the_kill_is_pushed_to(story, editor, eager_tasks):
    # Sent to Washington, then moved to Oslo by a correction: Oslo Times has the copy now,
    # Capital Post had it before, and the kill notice goes to both (and to Lakeside Daily).
    story.desk = Desk.objects.get(slug="oslo")
    workflow.save_copy(story, by=editor, expected_lock_version=story.lock_version, fields=["desk"])
    workflow.correct(story, by=editor, note="Moved to the Oslo desk.")
    client = client_for(editor)

    html = client.post(transition_url(story, "kill"), {"reason": "Wrong."}).content.decode()

    assert "and 3 partners will be notified by push." in html
    for feed in ("Desk: Washington", "Desk: Oslo"):
        assert f"<li>{feed}</li>" in html
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(transition_url(story, "kill"), {"reason": "Wrong.", "confirmed": "yes"})
    kill = story.outbox_events.get(event_type="article.killed")
    pushed = {d.partner.name for d in Delivery.objects.filter(event=kill)}
    assert pushed == {"Lakeside Daily", "Capital Post", "Oslo Times"}


def test_a_story_still_under_embargo_is_in_no_feed_yet(make_story, editor):
    create_partner("Early Bird", embargoed=True, webhook_url="https://early.example/hook")
    create_partner("Late Riser", webhook_url="https://late.example/hook")
    story = make_story(embargo_until=timezone.now() + timedelta(hours=2))
    client = client_for(editor)

    html = client.post(transition_url(story, "kill"), {"reason": "Wrong."}).content.decode()

    assert "No feed has listed it yet, and 1 partner will be notified by push." in html
    assert 'class="kill-feeds"' not in html
