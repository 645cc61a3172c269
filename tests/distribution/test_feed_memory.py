"""Each web process's feed bodies: a store bounded by bytes (FEED_MEMORY_BYTES), least
recently used first out, never serving a body its feed's validator has moved past."""

from __future__ import annotations

import gc
import sys
import tracemalloc

import pytest
from django.test import Client, RequestFactory

from articles import workflow
from distribution.feeds import cache as feed_cache
from distribution.feeds import views
from distribution.feeds.rendering import scope_key
from tests.factories import DeskFactory

pytestmark = pytest.mark.usefixtures("cold_feeds")


@pytest.fixture
def memory(settings):
    """Set this process's bound to `n` bytes and start its store empty: `memory(n)`."""

    def bound(limit: int):
        settings.FEED_MEMORY_BYTES = limit
        feed_cache.forget_process_copies()
        return feed_cache.process_copies()

    return bound


def held(copies) -> int:
    """The bytes the store holds, counted entry by entry (not from its own running sum)."""
    return sum(feed_cache.copy_size(feed) for feed in copies.values())


def feed_key_of(path: str) -> str:
    """The cache key of a desk feed's path, "/feeds/desk/<slug>/<format>/"."""
    _, _, kind, value, fmt, _ = path.split("/")
    return feed_cache.feed_key(scope_key(kind, value), fmt)


def desk_feeds(make_story, count: int) -> list[str]:
    """`count` desks with one story each; their feed paths, three formats each."""
    paths = []
    for n in range(count):
        desk = DeskFactory(name=f"Desk {n:02d}", slug=f"desk-{n:02d}")
        make_story(story_desk=desk, headline=f"Story of desk {n:02d}", body="<p>Copy.</p>" * 40)
        paths += [f"/feeds/desk/{desk.slug}/{fmt}/" for fmt in ("rss", "atom", "json")]
    return paths


def test_the_store_never_holds_more_than_its_bound(make_story, memory):
    paths = desk_feeds(make_story, 12)
    limit = 24_000
    copies = memory(limit)
    client = Client()
    for path in paths * 2:
        response = client.get(path)
        assert response.status_code == 200, path
        assert held(copies) == copies.currsize <= limit, path
    # It holds what fits, and let the rest go: 36 feeds of 2 KB or more each.
    assert 0 < len(copies) < len(paths)
    assert held(copies) > limit - max(feed_cache.copy_size(f) for f in copies.values())


def test_the_store_counts_what_its_copies_cost(make_story, memory, monkeypatch):
    copies = memory(10 * 1024 * 1024)
    paths = desk_feeds(make_story, 12)
    client = Client()
    for path in paths:
        client.get(path)  # rendered into the shared cache; its validator remembered here
    served = [(RequestFactory().get(path), feed_key_of(path)) for path in paths]
    copies.clear()
    # Each feed is answered from its remembered validator, so what stays allocated after
    # the answers is the copies the store kept, and nothing else.
    monkeypatch.setattr(feed_cache, "VALIDATOR_REUSE_SECONDS", 3600)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for request, key in served:
            assert views.cached_response(request, key).status_code == 200, key
        gc.collect()
        cost = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(copies) == len(served) == 36
    bodies = sum(sys.getsizeof(feed.body) for feed in copies.values())
    assert held(copies) == copies.currsize == bodies + 36 * feed_cache.COPY_OVERHEAD_BYTES
    # The bound is on what the copies really take: never less than their cost, and not
    # much more (the bodies are 2 to 3 KB here, so the fixed part weighs heavily).
    assert bodies < cost <= copies.currsize
    assert cost > 0.9 * copies.currsize


def test_the_least_recently_served_feed_goes_first(make_story, memory):
    first, second, third = (f"/feeds/desk/desk-0{n}/json/" for n in range(3))
    desk_feeds(make_story, 3)
    client = Client()
    sizes = {}
    for path in (first, second, third):
        client.get(path)  # rendered into the shared cache and kept here
        key = feed_cache.feed_key(f"desk:{path.split('/')[3]}", "json")
        sizes[path] = feed_cache.copy_size(feed_cache.process_copies()[key])
    # Room for the first feed and either other one, never for all three.
    copies = memory(sizes[first] + max(sizes[second], sizes[third]))
    client.get(first)
    client.get(second)
    client.get(first)  # served again: now the second is the least recently served
    client.get(third)
    assert set(copies) == {"desk:desk-00:json", "desk:desk-02:json"}


def test_a_kill_leaves_the_next_response_in_the_same_process(
    make_story, editor, eager_tasks, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(headline="Figures that were wrong", topics=("economy",))
    client = Client()
    paths = ("/feeds/rss/", "/feeds/topic/economy/atom/", "/feeds/lang/en/json/")
    for path in paths:
        assert b"Figures that were wrong" in client.get(path).content
    keys = set(feed_cache.process_copies())
    assert {"all:rss", "topic:economy:atom", "lang:en:json"} <= keys

    with django_capture_on_commit_callbacks(execute=True):
        workflow.kill(story, by=editor, reason="The figures were wrong.")
    with django_assert_num_queries(0):
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200
            assert b"Figures that were wrong" not in response.content, path
            assert b"The figures were wrong." in response.content, path
    # The process copies were replaced, not served: each now holds the kill's render.
    for key in ("all:rss", "topic:economy:atom", "lang:en:json"):
        copy = feed_cache.process_copies()[key]
        assert b"Figures that were wrong" not in copy.body
        assert copy.etag == feed_cache.get_validator(key).etag


def test_a_process_still_holding_the_killed_copy_serves_the_kill(
    make_story, editor, eager_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(headline="Figures that were wrong")
    client = Client()
    assert b"Figures that were wrong" in client.get("/feeds/json/").content
    killed_copy = feed_cache.process_copies()["all:json"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.kill(story, by=editor, reason="The figures were wrong.")
    # Another web process: it did not render the kill, still holds the old body, and its
    # validator is older than VALIDATOR_REUSE_SECONDS, so it reads the shared one.
    feed_cache.process_copies()["all:json"] = killed_copy
    monkeypatch.setattr(feed_cache, "VALIDATOR_REUSE_SECONDS", 0)
    response = client.get("/feeds/json/")
    assert b"Figures that were wrong" not in response.content
    assert b"The figures were wrong." in response.content
    assert response["ETag"] != killed_copy.etag


def test_a_withhold_leaves_the_next_response_in_the_same_process(
    make_story, editor, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(headline="Under legal review")
    client = Client()
    assert b"Under legal review" in client.get("/feeds/desk/washington/rss/").content
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withhold(story, by=editor, reason="Legal review.")
    assert story.guid.encode() not in client.get("/feeds/desk/washington/rss/").content


def test_a_bound_of_zero_keeps_no_body_and_still_serves_from_the_shared_cache(
    make_story, memory, django_assert_num_queries
):
    make_story(headline="Served from the shared cache")
    assert memory(0) is None
    client = Client()
    first = client.get("/feeds/atom/")  # rendered on the miss
    with django_assert_num_queries(0):
        again = client.get("/feeds/atom/")
    assert again.status_code == 200
    assert again.content == first.content
    assert b"Served from the shared cache" in again.content
    assert feed_cache.process_copies() is None


def test_a_body_larger_than_the_whole_bound_is_served_and_not_kept(make_story, memory):
    make_story(headline="Too large to keep", body="<p>Long copy.</p>" * 200)
    copies = memory(1_000)
    response = Client().get("/feeds/rss/")
    assert response.status_code == 200
    assert b"Too large to keep" in response.content
    assert len(copies) == 0
