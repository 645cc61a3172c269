"""A language feed exists when a desk works in the language or a story in it went out to the
public. Embargoed copy not yet released, and copy never sent, make no feed: the 404 must not
confirm that such a story exists. A feed URL that once answered keeps answering."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles import workflow
from tests.factories import ArticleFactory

pytestmark = pytest.mark.usefixtures("cold_feeds", "eager_tasks")

FEED = "/feeds/lang/fr/atom/"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def entries(response) -> list[str]:
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    return [entry.title for entry in parsed.entries]


def test_a_language_only_an_embargoed_story_uses_has_no_feed(make_story, on_commit):
    with on_commit(execute=True):  # the feeds the publish re-renders, rendered
        make_story(
            headline="Sommet reporté",
            language="fr",
            embargo_until=timezone.now() + timedelta(days=1),
        )
    for fmt in ("rss", "atom", "json"):
        assert Client().get(f"/feeds/lang/fr/{fmt}/").status_code == 404


def test_an_unsent_draft_makes_no_feed(desk):
    ArticleFactory(desk=desk, language="fr", headline="Brouillon")
    assert Client().get(FEED).status_code == 404


def test_the_feed_appears_when_the_embargo_lifts(make_story, on_commit):
    lifts = timezone.now() + timedelta(hours=1)
    with on_commit(execute=True):
        make_story(headline="Sommet reporté", language="fr", embargo_until=lifts)
    assert Client().get(FEED).status_code == 404

    with time_machine.travel(lifts + timedelta(seconds=5), tick=False):
        with on_commit(execute=True):
            workflow.lift_due_embargoes()
        response = Client().get(FEED)
    assert response.status_code == 200
    assert entries(response) == ["Sommet reporté"]


def test_a_story_killed_under_embargo_never_makes_a_feed(make_story, editor, on_commit):
    lifts = timezone.now() + timedelta(hours=1)
    with on_commit(execute=True):
        story = make_story(headline="Sommet reporté", language="fr", embargo_until=lifts)
        workflow.kill(story, by=editor, reason="Legal.")

    with time_machine.travel(lifts + timedelta(hours=1), tick=False):
        with on_commit(execute=True):
            workflow.lift_due_embargoes()
        assert Client().get(FEED).status_code == 404


def test_a_feed_that_was_public_keeps_answering_after_a_kill(make_story, editor, on_commit):
    with on_commit(execute=True):
        story = make_story(headline="Sommet reporté", language="fr")
    assert entries(Client().get(FEED)) == ["Sommet reporté"]

    with on_commit(execute=True):
        workflow.kill(story, by=editor, reason="Legal.")

    response = Client().get(FEED)
    assert response.status_code == 200
    assert entries(response) == []


def test_a_desk_in_the_language_has_its_feed_before_any_story(db):
    from tests.factories import DeskFactory

    DeskFactory(name="Afrique", slug="afrique", language="fr")
    assert entries(Client().get(FEED)) == []
