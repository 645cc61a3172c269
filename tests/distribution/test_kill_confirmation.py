"""A kill from the admin asks first, showing where the story went: its feeds and the
partners the kill notice will be pushed to."""

from __future__ import annotations

import pytest

from articles.models import Article
from distribution.api.partners import create_partner
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
    assert "It will be taken out of 4 feeds, and 2 partners will be notified by push." in html
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
    assert message.endswith("It was taken out of 4 feeds; 2 partners notified by push.")
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
