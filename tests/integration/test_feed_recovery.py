"""A feed render lost with its worker is done by the next: a real worker and beat on Redis,
PostgreSQL, and a SIGKILL right after a kill.

The after-commit render task dies with the worker, unacknowledged; Redis would hand it out
again only after its visibility timeout (an hour). The reconciler of the next worker's
beat finds the kill in the outbox and renders every feed the story went out in.
"""

from __future__ import annotations

import time

import feedparser
import pytest
from django.test import Client

from articles import workflow
from articles.published import WITHDRAWN_TITLE
from distribution.feeds.cache import forget_process_copies
from tests.factories import ArticleFactory, DeskFactory, TopicFactory, UserFactory
from tests.integration.celery_worker import wait_for

pytestmark = [
    pytest.mark.integration,
    # serialized_rollback: the roles made by data migrations return after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FEEDS = ("/feeds/rss/", "/feeds/desk/washington/rss/", "/feeds/topic/economy/rss/")
# The promise: a killed story is gone from every feed within this many seconds of a
# worker being there to do it.
RECOVERY_SECONDS = 10.0
ATTEMPTS = 3
# The worker's log line for the render task queued after commit.
RENDER_TASK = "distribution.feeds.render_"


def feeds_listing(guid: str) -> list[str]:
    """The feeds (of FEEDS) that list `guid` as a story (not as its kill notice, an item
    under the same guid), as the cache serves them now."""
    listing = []
    for path in FEEDS:
        response = Client().get(path)
        assert response.status_code == 200, path
        entries = feedparser.parse(response.content).entries
        if guid in [entry.id for entry in entries if entry.title != WITHDRAWN_TITLE]:
            listing.append(path)
    return listing


def renders_received(worker) -> int:
    return sum(
        1
        for line in worker.log().splitlines()
        if RENDER_TASK in line and line.rstrip().endswith(" received")
    )


def kill_right_after_a_kill(worker, story, editor) -> tuple[float, float]:
    """Kill `story`, then SIGKILL `worker` as soon as it has taken the render task.

    Returns (monotonic time the kill began, ms from then to the SIGKILL).
    """
    taken = renders_received(worker)
    killed_at = time.monotonic()
    workflow.kill(story, by=editor, reason="Legal problem.")
    deadline = killed_at + 5
    while renders_received(worker) == taken and time.monotonic() < deadline:
        time.sleep(0.002)
    sigkill_ms = (time.monotonic() - killed_at) * 1000
    worker.kill()  # SIGKILL to the worker and its beat: no chance to ack or clean up
    return killed_at, sigkill_ms


def test_a_worker_killed_right_after_a_kill_leaves_no_stale_feed(make_worker, record_property):
    forget_process_copies()
    desk = DeskFactory(name="Washington", slug="washington")
    editor = UserFactory(username="eddie", role="Editor")
    economy = TopicFactory(slug="economy", name="Economy")
    # The render may now and then finish in the moment before the SIGKILL lands; the
    # scenario is tried again with a new story until a render is lost.
    for attempt in range(1, ATTEMPTS + 1):
        first = make_worker(beat=True)
        article = ArticleFactory(desk=desk, headline=f"Killed under the worker ({attempt})")
        article.topics.add(economy)
        story = workflow.publish(article, by=editor)
        wait_for(
            lambda story=story: feeds_listing(story.guid) == list(FEEDS),
            timeout=30,
            message=f"the publish never reached the feeds:\n{first.log()[-3000:]}",
        )
        killed_at, sigkill_ms = kill_right_after_a_kill(first, story, editor)
        stale = feeds_listing(story.guid)
        if stale:
            break
    assert stale, f"the render finished before the SIGKILL in each of {ATTEMPTS} tries"

    started_at = time.monotonic()
    second = make_worker(beat=True)
    ready_after = time.monotonic() - started_at
    try:
        wait_for(
            lambda: not feeds_listing(story.guid),
            timeout=max(RECOVERY_SECONDS - (time.monotonic() - started_at), 0.1),
            interval=0.05,
        )
    except AssertionError:
        # The worker's log as it is at the failure, not as it was at its start.
        raise AssertionError(
            f"still listed {RECOVERY_SECONDS} s after the next worker started: "
            f"{feeds_listing(story.guid)}\n{second.log()[-5000:]}"
        ) from None
    done = time.monotonic()
    record_property("feed_recovery_seconds_from_kill", round(done - killed_at, 2))
    record_property("feed_recovery_seconds_from_worker_start", round(done - started_at, 2))
    print(
        f"\nfeed recovery: SIGKILL {sigkill_ms:.0f} ms after the kill (try {attempt}), "
        f"{len(stale)} of {len(FEEDS)} feeds still listing the story; next worker ready "
        f"{ready_after:.2f} s after its start; every feed dropped the story "
        f"{done - started_at:.2f} s after the next worker's start, "
        f"{done - killed_at:.2f} s after the kill"
    )
