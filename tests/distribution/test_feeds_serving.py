"""Serving feeds: from the cache without the database, conditional GETs, one render per miss,
re-rendering after commit, and the story page's feed links and NewsArticle metadata."""

from __future__ import annotations

import json
import re
import threading

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from articles import workflow
from distribution.feeds import cache as feed_cache
from distribution.feeds import rendering
from distribution.feeds.rendering import refresh_scope
from distribution.feeds.selectors import resolve_scope
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("cold_feeds")


def test_a_cached_feed_is_served_without_a_query(make_story, django_assert_num_queries):
    make_story(headline="Cached story")
    client = Client()
    first = client.get("/feeds/rss/")  # renders on the miss and stores
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get("/feeds/rss/")
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=30"
    assert again["Content-Type"] == "application/rss+xml; charset=utf-8"
    # Anonymous readers leave no trace: no session, no cookie, no Vary on one.
    assert not again.cookies
    assert "Cookie" not in again.get("Vary", "")


def test_a_feed_rendered_by_another_process_is_served_without_a_query(
    make_story, django_assert_num_queries
):
    make_story(headline="Rendered by the worker")
    refresh_scope(resolve_scope("all"))
    feed_cache.forget_process_copies()  # this "process" has only the shared cache
    with django_assert_num_queries(0):
        response = Client().get("/feeds/atom/")
    assert response.status_code == 200
    assert feedparser.parse(response.content).entries[0].title == "Rendered by the worker"


def test_conditional_requests_get_304_without_a_query(make_story, django_assert_num_queries):
    make_story()
    client = Client()
    first = client.get("/feeds/json/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    with django_assert_num_queries(0):
        by_etag = client.get("/feeds/json/", HTTP_IF_NONE_MATCH=etag)
        by_date = client.get("/feeds/json/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == etag
    assert by_etag["Cache-Control"] == "public, max-age=30"
    stale = client.get("/feeds/json/", HTTP_IF_NONE_MATCH='"an-older-render"')
    assert stale.status_code == 200
    older = http_date(int(feed_cache.get_validator("all:json").last_modified) - 60)
    assert client.get("/feeds/json/", HTTP_IF_MODIFIED_SINCE=older).status_code == 200


def test_a_change_moves_the_etag_and_an_unchanged_render_keeps_it(make_story, editor):
    story = make_story()
    client = Client()
    before = client.get("/feeds/rss/")
    assert refresh_scope(resolve_scope("all")) == []  # nothing changed: nothing stored
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    workflow.correct(story, by=editor, note="A name was misspelled.")
    assert refresh_scope(resolve_scope("all")) == ["rss", "atom", "json"]
    after = client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert b"A name was misspelled." in after.content


def _render_queries(scope) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert refresh_scope(scope) == ["rss", "atom", "json"]
    return len(captured)


@pytest.mark.parametrize("kind,value", [("all", ""), ("desk", "washington"), ("topic", "economy")])
def test_a_render_makes_the_same_few_queries_for_two_stories_or_twelve(
    make_story, kind, value, django_assert_max_num_queries
):
    editor = UserFactory(username="killer", role="Editor")
    for n in range(2):
        make_story(headline=f"Early {n}", bylines=("A One", "B Two"), topics=("economy",))
    workflow.kill(make_story(topics=("economy",)), by=editor, reason="Wrong.")
    scope = resolve_scope(kind, value)
    # Stories: the items, credits, topics, versions; kill notices: the kills, their versions.
    with django_assert_max_num_queries(6):
        refresh_scope(scope)
    few = _render_queries(scope)
    for n in range(10):
        story = make_story(
            headline=f"Late {n}", bylines=(f"C{n}", f"D{n}"), contributors=(f"E{n}",)
        )
        story.topics.add(*resolve_topics("economy", "markets"))
        workflow.kill(make_story(topics=("economy",)), by=editor, reason=f"Wrong {n}.")
    many = _render_queries(scope)
    assert few == many <= 6


def resolve_topics(*slugs):
    from tests.factories import TopicFactory

    return [TopicFactory(slug=slug, name=slug.title()) for slug in slugs]


def test_unknown_desks_topics_languages_and_formats_are_404(desk, django_assert_num_queries):
    client = Client()
    for path in (
        "/feeds/desk/nowhere/rss/",
        "/feeds/topic/nothing/atom/",
        "/feeds/lang/xx/json/",
        "/feeds/lang/not_a-tag!/rss/",
        "/feeds/desk/washington/xml/",
        "/feeds/csv/",
    ):
        assert client.get(path).status_code == 404, path
    # A known desk without stories is an empty feed, not a 404.
    empty = feedparser.parse(client.get("/feeds/desk/washington/atom/").content)
    assert empty.bozo == 0 and empty.entries == []
    # The unknown desk is remembered briefly: asking again does not reach the database.
    with django_assert_num_queries(0):
        assert client.get("/feeds/desk/nowhere/rss/").status_code == 404


def test_only_safe_methods_are_served(make_story):
    make_story()
    client = Client()
    assert client.head("/feeds/rss/").status_code == 200
    assert client.post("/feeds/rss/").status_code == 405


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_misses_render_once(make_story, monkeypatch):
    make_story(headline="Everyone wants this")
    cache.clear()  # the publish rendered it after commit; start from a cold cache
    feed_cache.forget_process_copies()
    renders = []
    real_feed_items = rendering.feed_items

    def counting_feed_items(scope, **kwargs):
        renders.append(scope.key)
        return real_feed_items(scope, **kwargs)

    monkeypatch.setattr(rendering, "feed_items", counting_feed_items)
    start = threading.Barrier(8)
    results: list[tuple[int, str]] = []

    def reader():
        try:
            start.wait()
            response = Client().get("/feeds/rss/")
            results.append((response.status_code, response["ETag"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 8
    assert {status for status, _ in results} == {200}
    assert len({etag for _, etag in results}) == 1
    assert renders == ["all"]


def test_a_publish_renders_the_affected_feeds_after_commit(
    make_story, editor, eager_tasks, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(headline="Fresh off the desk", topics=("economy",))
    for key in ("all", "desk:washington", "topic:economy", "lang:en"):
        for fmt in ("rss", "atom", "json"):
            assert feed_cache.get_validator(f"{key}:{fmt}") is not None, (key, fmt)
    assert feed_cache.get_validator("lang:fr:rss") is None
    with django_assert_num_queries(0):
        served = Client().get("/feeds/topic/economy/rss/")
    assert feedparser.parse(served.content).entries[0].id == story.guid

    with django_capture_on_commit_callbacks(execute=True):
        workflow.kill(story, by=editor, reason="Legal problem.")
    with django_assert_num_queries(0):
        for path in ("/feeds/rss/", "/feeds/desk/washington/atom/", "/feeds/lang/en/json/"):
            response = Client().get(path)
            assert b"Fresh off the desk" not in response.content, path
            assert b"asks everyone who used it to remove it. Legal problem." in response.content


def test_a_rolled_back_change_renders_nothing(desk, editor, eager_tasks):
    from django.db import transaction

    from tests.factories import ArticleFactory

    article = ArticleFactory(desk=desk)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.publish(article, by=editor)
        raise RuntimeError("the request failed after publishing")
    assert feed_cache.get_validator("all:rss") is None


def test_the_story_page_links_its_feeds_and_describes_itself(make_story, editor, settings):
    from articles.models import Topic

    story = make_story(
        summary="Summary & more", bylines=("Dewi Lestari", "Marcus Holt"), topics=("elections",)
    )
    # A topic name that would close the script element if it were not escaped (names of
    # desks and topics are not cleaned like copy is).
    hostile = 'Quote "marks" </script><script>alert(1)</script>'
    Topic.objects.filter(slug="elections").update(name=hostile)
    workflow.correct(story, by=editor, note="Corrected the vote count.")
    html = Client().get(f"/stories/{story.slug}/").content.decode()
    for href in ("/feeds/rss/", "/feeds/atom/", "/feeds/json/", "/feeds/desk/washington/rss/"):
        assert f'href="{href}"' in html
    assert 'type="application/feed+json"' in html
    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["identifier"] == story.guid
    assert data["url"] == f"{settings.SITE_URL}/stories/{story.slug}/"
    assert [a["name"] for a in data["author"]] == ["Dewi Lestari", "Marcus Holt", "Washington"]
    assert data["datePublished"] < data["dateModified"]
    assert data["keywords"] == [hostile, "Washington"]
    assert data["correction"][0]["text"] == "Corrected the vote count."
    assert html.count("<script") == 1  # the topic name did not open a script of its own
