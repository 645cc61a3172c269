"""WebSub: feeds name the hub, and the hub (a local HTTP server here) hears of each change."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import feedparser
import pytest
import requests
from django.test import Client
from werkzeug import Response

from articles import workflow
from distribution.feeds import tasks

pytestmark = pytest.mark.usefixtures("cold_feeds")


@pytest.fixture
def hub(httpserver, settings):
    settings.WEBSUB_HUB_URL = httpserver.url_for("/hub")
    settings.SITE_URL = "https://news.example.org"
    return httpserver


@pytest.fixture
def retries_in_process():
    """Let `apply()` run a task's retries in-process: Celery re-applies a retry without the
    caller's `throw`, so propagation must be off for the chain to reach its last attempt."""
    from newsroom.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


def pings(httpserver) -> list[str]:
    """The hub.url of every publish notification the hub received, in order."""
    urls = []
    for request, _ in httpserver.log:
        form = parse_qs(request.get_data(as_text=True))
        assert form["hub.mode"] == ["publish"]
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        urls += form["hub.url"]
    return urls


def test_every_feed_names_the_hub_and_itself(hub, make_story):
    make_story()
    hub_url = hub.url_for("/hub")
    for fmt in ("rss", "atom"):
        parsed = feedparser.parse(Client().get(f"/feeds/{fmt}/").content)
        links = {(link.rel, link.href) for link in parsed.feed.links}
        assert ("hub", hub_url) in links
        assert ("self", f"https://news.example.org/feeds/{fmt}/") in links
    document = json.loads(Client().get("/feeds/json/").content)
    assert document["hubs"] == [{"type": "WebSub", "url": hub_url}]


def test_no_hub_configured_means_no_hub_link_and_no_ping(settings, make_story):
    settings.WEBSUB_HUB_URL = ""
    make_story()
    assert b'rel="hub"' not in Client().get("/feeds/rss/").content
    assert "hubs" not in json.loads(Client().get("/feeds/json/").content)
    assert tasks.notify_hub.apply(args=["https://news.example.org/feeds/rss/"]).get() is False


def test_the_hub_is_pinged_for_each_changed_feed_only(hub, make_story, editor, eager_tasks):
    hub.expect_request("/hub", method="POST").respond_with_data("", status=204)
    story = make_story(topics=("economy",))
    assert tasks.render_article_feeds.apply(args=[story.pk]).get()
    formats = ("rss", "atom", "json")
    scopes = ("feeds", "feeds/desk/washington", "feeds/topic/economy", "feeds/lang/en")
    expected = [f"https://news.example.org/{scope}/{fmt}/" for scope in scopes for fmt in formats]
    assert pings(hub) == expected

    # Nothing changed: no feed moves, the hub hears nothing.
    hub.clear_log()
    assert tasks.render_article_feeds.apply(args=[story.pk]).get() == []
    assert pings(hub) == []

    # A correction changes every one of the story's feeds again.
    workflow.correct(story, by=editor, note="Corrected a figure.")
    tasks.render_article_feeds.apply(args=[story.pk]).get()
    assert pings(hub) == expected


def test_a_failing_hub_is_retried_until_it_accepts(hub, retries_in_process):
    topic = "https://news.example.org/feeds/atom/"
    hub.expect_ordered_request("/hub", method="POST").respond_with_data("busy", status=503)
    hub.expect_ordered_request("/hub", method="POST").respond_with_response(Response(status=500))
    hub.expect_ordered_request("/hub", method="POST").respond_with_data("", status=202)
    result = tasks.notify_hub.apply(args=[topic])
    assert result.successful()
    assert result.get() is True
    assert pings(hub) == [topic, topic, topic]
    hub.check_assertions()


def test_a_hub_that_never_accepts_gives_up_after_bounded_retries(hub, retries_in_process):
    hub.expect_request("/hub", method="POST").respond_with_data("down", status=503)
    result = tasks.notify_hub.apply(args=["https://news.example.org/feeds/rss/"])
    assert result.failed()
    assert len(hub.log) == tasks.notify_hub.max_retries + 1


def test_an_unreachable_hub_is_retried_then_given_up(settings, retries_in_process):
    # Nothing listens on port 9 (discard) of the loopback: the connection is refused.
    settings.WEBSUB_HUB_URL = "http://127.0.0.1:9/hub"
    result = tasks.notify_hub.apply(args=["https://news.example.org/feeds/rss/"])
    assert result.failed()
    assert isinstance(result.result, requests.ConnectionError)
