"""Feed renders are owed work: every feed a story went out in hears of its kill, and a render
whose task was lost is done by the reconciler from the outbox."""

from __future__ import annotations

import json
import threading
from xml.etree import ElementTree

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from articles import workflow
from articles.models import Topic
from articles.published import WITHDRAWN_TITLE
from distribution.feeds import owed, tasks
from distribution.feeds.cache import forget_process_copies
from distribution.feeds.selectors import feed_keys_ever
from distribution.models import FeedRender
from tests.factories import DeskFactory, TopicFactory

pytestmark = pytest.mark.usefixtures("cold_feeds")

FORMATS = ("rss", "atom", "json")
TOMBSTONES = "http://purl.org/atompub/tombstones/1.0"


def listed_guids(response) -> list[str]:
    """The stories a feed lists, without kill notices (an RSS or JSON Feed item under a
    killed story's id; Atom's are tombstones, not entries)."""
    if response["Content-Type"].startswith("application/feed+json"):
        items = json.loads(response.content)["items"]
        return [item["id"] for item in items if "_newsroom" not in item]
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return [entry.id for entry in parsed.entries if entry.title != WITHDRAWN_TITLE]


def notice_guids(response) -> list[str]:
    """The ids of the kill notices a feed carries, as a reader finds them: JSON Feed items
    marked canceled, RSS items titled as withdrawn, Atom tombstones (RFC 6721)."""
    if response["Content-Type"].startswith("application/feed+json"):
        items = json.loads(response.content)["items"]
        return [item["id"] for item in items if item.get("_newsroom") == {"pubstatus": "canceled"}]
    if response["Content-Type"].startswith("application/atom+xml"):
        root = ElementTree.fromstring(response.content)
        return [e.get("ref") for e in root.iter(f"{{{TOMBSTONES}}}deleted-entry")]
    parsed = feedparser.parse(response.content)
    return [entry.id for entry in parsed.entries if entry.title == WITHDRAWN_TITLE]


def feed_paths(*prefixes: str) -> list[str]:
    return [f"{prefix}{fmt}/" for prefix in prefixes for fmt in FORMATS]


@pytest.fixture
def sent_on_topic_a(make_story, eager_tasks, django_capture_on_commit_callbacks):
    """A story sent on the Washington desk, in English, on topic "topic-a", its feeds
    rendered by the render task after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_story(headline="Sent on topic A", topics=("topic-a",))


def change_topic(story, editor) -> str:
    story.topics.set([TopicFactory(slug="topic-b", name="Topic B")])
    return "/feeds/topic/topic-a/"


def change_desk(story, editor) -> str:
    story.desk = DeskFactory(slug="nairobi", name="Nairobi")
    workflow.save_copy(story, by=editor, expected_lock_version=story.lock_version, fields=["desk"])
    return "/feeds/desk/washington/"


def change_language(story, editor) -> str:
    story.language = "fr"
    workflow.save_copy(
        story, by=editor, expected_lock_version=story.lock_version, fields=["language"]
    )
    return "/feeds/lang/en/"


@pytest.mark.parametrize("change", [change_topic, change_desk, change_language])
def test_a_kill_leaves_the_feeds_the_story_went_out_in_after_an_unsent_move(
    change, sent_on_topic_a, editor, django_capture_on_commit_callbacks
):
    story = sent_on_topic_a
    old_feed = change(story, editor)  # in the working copy only: nothing moves
    client = Client()
    etags = {}
    for path in feed_paths(old_feed):
        response = client.get(path)
        assert response.status_code == 200
        assert story.guid in listed_guids(response), path
        etags[path] = response["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        workflow.kill(story, by=editor, reason="Legal problem.")

    for path, etag in etags.items():
        # A poller holding the old ETag gets the new feed, not a 304 for the old one.
        response = client.get(path, headers={"if-none-match": etag})
        assert response.status_code == 200, path
        assert response["ETag"] != etag
        assert story.guid not in listed_guids(response), path
        # Its readers are told, in the feed they read it in.
        assert notice_guids(response) == [story.guid], path
    for path in feed_paths("/feeds/", "/feeds/topic/topic-b/", "/feeds/desk/nairobi/"):
        response = client.get(path)
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert story.guid not in listed_guids(response), path
            if "topic-b" in path or "nairobi" in path:  # feeds it never went out in
                assert story.guid not in notice_guids(response), path


def fresh_render(client: Client, path: str):
    """The feed rendered now from the database, not a copy kept from before."""
    cache.clear()
    forget_process_copies()
    return client.get(path)


@pytest.mark.parametrize(
    ("change", "new_feed"),
    [
        (change_topic, "/feeds/topic/topic-b/"),
        (change_desk, "/feeds/desk/nairobi/"),
        (change_language, "/feeds/lang/fr/"),
    ],
)
def test_an_unsent_move_moves_nothing_until_the_story_is_sent_again(
    change, new_feed, sent_on_topic_a, editor, django_capture_on_commit_callbacks
):
    story = sent_on_topic_a
    old_feed = change(story, editor)
    client = Client()
    for path in feed_paths(old_feed):
        response = fresh_render(client, path)
        assert story.guid in listed_guids(response), path
    for path in feed_paths(new_feed):
        response = fresh_render(client, path)
        # A language no story went out in has no feed at all yet.
        assert response.status_code in (200, 404), path
        if response.status_code == 200:
            assert story.guid not in listed_guids(response), path
    categories = feedparser.parse(fresh_render(client, "/feeds/rss/").content).entries[0]
    assert "Nairobi" not in {tag.term for tag in categories.get("tags", [])}
    assert "Topic B" not in {tag.term for tag in categories.get("tags", [])}

    with django_capture_on_commit_callbacks(execute=True):
        workflow.update(story, by=editor, note="Moved.")

    for path in feed_paths(new_feed):
        assert story.guid in listed_guids(fresh_render(client, path)), path
    for path in feed_paths(old_feed):
        assert story.guid not in listed_guids(fresh_render(client, path)), path


def test_a_story_is_owed_to_every_feed_it_was_ever_in(sent_on_topic_a, editor):
    story = sent_on_topic_a
    change_topic(story, editor)
    change_desk(story, editor)
    assert feed_keys_ever(story.pk) == [
        "all",
        "desk:nairobi",
        "desk:washington",
        "topic:topic-a",
        "topic:topic-b",
        "lang:en",
    ]


def test_a_lost_render_is_healed_by_one_reconciler_pass(sent_on_topic_a, editor):
    story = sent_on_topic_a
    paths = feed_paths(
        "/feeds/", "/feeds/desk/washington/", "/feeds/topic/topic-a/", "/feeds/lang/en/"
    )
    client = Client()
    # Outside django_capture_on_commit_callbacks the after-commit signal never fires: the
    # render task is lost, as when a worker dies holding it.
    workflow.kill(story, by=editor, reason="Legal problem.")
    for path in paths:
        assert story.guid in listed_guids(client.get(path)), f"{path} was rendered anyway"

    changed = tasks.reconcile.apply().get()

    for path in paths:
        assert story.guid not in listed_guids(client.get(path)), path
    assert len(changed) == len(paths)
    assert not FeedRender.objects.filter(rendered_at__isnull=True).exists()
    # Nothing is owed any more: a second pass renders nothing and records nothing new.
    rows = FeedRender.objects.count()
    assert tasks.reconcile.apply().get() == []
    assert FeedRender.objects.count() == rows


def test_a_render_task_records_what_it_settles(sent_on_topic_a):
    story = sent_on_topic_a
    event = story.outbox_events.get()
    assert sorted(FeedRender.objects.filter(event=event).values_list("scope", flat=True)) == [
        "all",
        "desk:washington",
        "lang:en",
        "topic:topic-a",
    ]
    assert not FeedRender.objects.filter(rendered_at__isnull=True).exists()
    # The reconciler finds the event recorded and has nothing to do.
    assert owed.record_outbox() == 0
    assert owed.render_owed() == []


def test_a_deleted_topics_feed_becomes_a_404_not_a_stale_copy(
    sent_on_topic_a, editor, django_capture_on_commit_callbacks
):
    story = sent_on_topic_a
    client = Client()
    assert story.guid in listed_guids(client.get("/feeds/topic/topic-a/rss/"))
    Topic.objects.filter(slug="topic-a").delete()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.kill(story, by=editor, reason="Legal problem.")
    for path in feed_paths("/feeds/topic/topic-a/"):
        assert client.get(path).status_code == 404, path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reconcilers_running_at_once_render_each_feed_owed(make_story, editor, eager_tasks):
    if connection.vendor != "postgresql":
        # The test runner's in-memory SQLite (shared cache) fails a second writer at once
        # instead of waiting for it, as the file database of embedded mode does.
        pytest.skip("concurrent writers need PostgreSQL in the test runner")
    # Published with the after-commit render (transactional test: on_commit fires).
    story = make_story(headline="Raced over", topics=("topic-a",))
    from articles.signals import outbox_committed
    from distribution.feeds.receivers import render_feeds_on_change

    outbox_committed.disconnect(dispatch_uid="distribution.feeds.render_on_outbox")
    try:
        workflow.kill(story, by=editor, reason="Legal problem.")  # its render is lost
    finally:
        outbox_committed.connect(
            render_feeds_on_change, dispatch_uid="distribution.feeds.render_on_outbox"
        )
    assert story.guid in listed_guids(Client().get("/feeds/rss/"))
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def reconciler():
        try:
            start.wait()
            owed.reconcile()
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=reconciler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    event = story.outbox_events.get(event_type="article.killed")
    assert FeedRender.objects.filter(event=event).count() == 4  # recorded once per feed
    assert not FeedRender.objects.filter(rendered_at__isnull=True).exists()
    for path in feed_paths("/feeds/", "/feeds/desk/washington/", "/feeds/topic/topic-a/"):
        assert story.guid not in listed_guids(Client().get(path)), path
