"""Feeds kept current by a real Celery worker through Redis, as in production."""

from __future__ import annotations

import os
import time

import pytest
from django.test import Client

from articles import workflow
from distribution.feeds import cache as feed_cache

pytestmark = [
    pytest.mark.integration,
    # serialized_rollback: the roles made by data migrations return after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def feed_worker(transactional_db, tmp_path, cold_feeds):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs a Redis broker: set REDIS_URL (and DATABASE_URL for PostgreSQL)")
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process cannot see SQLite's test database")
    from newsroom.celery import app
    from tests.integration.celery_worker import CeleryWorker

    app.control.purge()
    worker = CeleryWorker(tmp_path).start()
    yield worker
    worker.stop()


def _wait_until(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


def test_publish_and_kill_reach_the_served_feed_through_the_worker(
    feed_worker, make_story, editor, django_assert_num_queries
):
    story = make_story(headline="Through the worker", topics=("economy",))
    # This process serves nothing before the worker's render lands: the feed in the cache
    # can only have come from the worker.
    _wait_until(lambda: feed_cache.get_validator("topic:economy:rss") is not None)
    with django_assert_num_queries(0):
        served = Client().get("/feeds/topic/economy/rss/")
    assert story.guid.encode() in served.content

    workflow.kill(story, by=editor, reason="Legal problem.")
    # The story leaves; its kill notice takes its place.
    for path in ("/feeds/rss/", "/feeds/topic/economy/atom/"):
        _wait_until(lambda path=path: b"Through the worker" not in Client().get(path).content)
    with django_assert_num_queries(0):
        atom = Client().get("/feeds/topic/economy/atom/").content
    assert f'<at:deleted-entry ref="{story.guid}"'.encode() in atom
