"""Folder drops and feeds run by themselves: files read once and moved aside, oversized
ones refused, feed entries read from a local HTTP server, broken channels backing off
without holding up the others; the schedule's task and the `ingest_run` command."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Alert
from ingest import pollers
from ingest.models import IngestChannel, IngestItem, IngestLogEntry
from ingest.tasks import poll_channels
from newsroom.celery import app as celery_app
from tests.factories import ContributorFactory, DeskFactory, UserFactory
from tests.ingest.channel_helpers import STORY, STORY_V2, feed_server, rss

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_in_process(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def desk():
    return DeskFactory(slug="santiago", name="Santiago")


@pytest.fixture
def drop(tmp_path, desk):
    folder = tmp_path / "drop"
    folder.mkdir()
    return IngestChannel.objects.create(
        name="Drop", slug="drop", kind="folder", desk=desk, path=str(folder), create_drafts=True
    )


def test_a_folder_drop_reads_each_file_once_and_moves_it_aside(drop):
    folder = drop.path
    with open(os.path.join(folder, "strike.txt"), "w") as f:
        f.write(STORY)
    with open(os.path.join(folder, "half.txt.part"), "w") as f:
        f.write("still being written")

    rows = pollers.run_channel(drop)
    again = pollers.run_channel(drop)

    assert [r.result for r in rows] == ["created"] and again == []
    assert sorted(os.listdir(folder)) == ["half.txt.part", "processed"]
    [moved] = os.listdir(os.path.join(folder, "processed"))
    assert moved.endswith("-strike.txt")
    drop.refresh_from_db()
    assert drop.last_run_at is not None and drop.consecutive_failures == 0


def test_a_newer_copy_dropped_later_updates_the_same_draft(drop):
    path = os.path.join(drop.path, "strike.txt")
    with open(path, "w") as f:
        f.write(STORY)
    pollers.run_channel(drop)
    with open(path, "w") as f:
        f.write(STORY_V2)

    [row] = pollers.run_channel(drop)

    assert row.result == "updated"
    item = IngestItem.objects.get()
    assert item.version == 2 and "8 percent" in item.article.body


def test_an_oversized_file_is_refused_unread_and_moved_to_failed(drop, settings):
    settings.WIRE_FILE_MAX_BYTES = 50
    with open(os.path.join(drop.path, "huge.txt"), "w") as f:
        f.write(STORY)

    [row] = pollers.run_channel(drop)

    assert row.result == "failed" and "the limit is 50 bytes" in row.error
    assert os.listdir(os.path.join(drop.path, "failed"))[0].endswith("-huge.txt")
    assert not IngestItem.objects.exists()


def test_a_missing_folder_fails_the_channel_which_backs_off_with_a_cap(drop, settings):
    settings.INGEST_BACKOFF_MAX_SECONDS = 300
    settings.INGEST_ALERT_AFTER_FAILURES = 3
    drop.path = "/nonexistent/drop"
    drop.poll_interval = 60
    drop.save()

    waits = []
    for _ in range(5):
        before = timezone.now()
        [row] = pollers.run_channel(drop)
        waits.append(round((drop.next_attempt_at - before).total_seconds() / 60))

    assert row.result == "failed" and "does not exist" in row.error
    assert waits == [1, 2, 4, 5, 5]  # minutes: doubling, capped at 300 s
    assert drop.consecutive_failures == 5 and "does not exist" in drop.last_error
    [alert] = Alert.objects.all()  # once, at the third failure
    assert alert.kind == "channel-failing" and alert.desk == drop.desk
    assert "3 runs in a row failed" in alert.message and "does not exist" in alert.message


def test_a_failing_channel_alert_is_mailed_and_closes_when_the_channel_recovers(
    drop, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.INGEST_ALERT_AFTER_FAILURES = 1
    ed = UserFactory(username="ed", role="Editor", email="ed@newsroom.example")
    ContributorFactory(name="Ed", user=ed, desk=drop.desk)  # the desk's editor
    path, drop.path = drop.path, "/nonexistent/drop"
    drop.save()
    with django_capture_on_commit_callbacks(execute=True):
        pollers.run_channel(drop)
    assert Alert.objects.get(resolved_at=None).kind == "channel-failing"
    assert mailoutbox[0].to == ["ed@newsroom.example"]
    assert "Drop" in mailoutbox[0].subject

    drop.path = path
    drop.save()
    pollers.run_channel(drop)

    assert not Alert.objects.filter(resolved_at=None).exists()


def test_a_feed_channel_reads_each_entry_from_a_local_server(desk):
    with feed_server() as server:
        server.body = rss(
            [
                ("urn:wire:1", "Port strike ends", "<p>VALPARAISO, Chile — Dockers went back.</p>"),
                ("urn:wire:2", "Rivers rise", "<p>DHAKA — Rivers rose.</p><p>More rain.</p>"),
            ]
        )
        feed = IngestChannel.objects.create(
            name="Feed", slug="feed", kind="feed", desk=desk, url=server.url
        )

        first = pollers.run_channel(feed)
        second = pollers.run_channel(feed)

    assert [r.result for r in first] == ["created", "created"]
    assert [r.result for r in second] == ["unchanged", "unchanged"]
    item = IngestItem.objects.get(guid="urn:wire:2")
    assert item.headline == "Rivers rise"
    assert item.story["paragraphs"][-1] == "More rain."
    assert first[0].name == "https://agency.example/urn:wire:1"


@pytest.mark.parametrize(
    ("status", "body", "limit", "error"),
    [
        (500, b"oops", None, "HTTP 500"),
        (200, b"x" * 2000, 1000, "over 1,000 bytes"),
        (200, b"this is not a feed at all", None, "could not be read"),
    ],
)
def test_a_broken_feed_fails_its_channel_with_the_reason(
    desk, settings, status, body, limit, error
):
    if limit:
        settings.INGEST_FEED_MAX_BYTES = limit
    with feed_server() as server:
        server.status, server.body = status, body
        feed = IngestChannel.objects.create(
            name="Feed", slug="feed", kind="feed", desk=desk, url=server.url
        )
        [row] = pollers.run_channel(feed)

    assert row.result == "failed" and error in row.error
    feed.refresh_from_db()
    assert feed.consecutive_failures == 1 and error in feed.last_error


def test_an_unreachable_feed_times_out_and_fails(desk, settings):
    settings.INGEST_FETCH_TIMEOUT_SECONDS = 1
    # A port nobody listens on: refused at once.
    feed = IngestChannel.objects.create(
        name="Feed", slug="feed", kind="feed", desk=desk, url="http://127.0.0.1:9/feed"
    )

    [row] = pollers.run_channel(feed)

    assert row.result == "failed" and "ConnectError" in row.error


def test_the_schedule_runs_due_channels_only_and_a_broken_one_holds_up_no_other(drop, desk):
    with open(os.path.join(drop.path, "strike.txt"), "w") as f:
        f.write(STORY)
    broken = IngestChannel.objects.create(
        name="Broken", slug="broken", kind="folder", desk=desk, path="/nonexistent"
    )
    paused = IngestChannel.objects.create(
        name="Paused", slug="paused", kind="folder", desk=desk, path=drop.path, active=False
    )
    IngestChannel.objects.create(name="Push", slug="push", kind="push", desk=desk)

    assert poll_channels() == 2  # the push and paused channels are not polled
    assert poll_channels() == 0  # neither is due again yet

    assert IngestLogEntry.objects.filter(channel=drop, result="created").count() == 1
    broken.refresh_from_db()
    assert broken.consecutive_failures == 1 and broken.next_attempt_at > timezone.now()
    assert not IngestLogEntry.objects.filter(channel=paused).exists()

    IngestChannel.objects.filter(pk=drop.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert poll_channels() == 1


def test_a_channel_claimed_by_another_scheduler_is_not_run_twice(drop):
    stale = IngestChannel.objects.get(pk=drop.pk)
    assert pollers.claim(drop)
    assert not pollers.claim(stale)


def test_ingest_run_runs_one_channel_or_every_active_one(drop, desk):
    with open(os.path.join(drop.path, "strike.txt"), "w") as f:
        f.write(STORY)
    out = io.StringIO()

    call_command("ingest_run", "drop", stdout=out)

    assert "drop: created strike.txt" in out.getvalue()
    assert "drop: 1 created" in out.getvalue()
    out = io.StringIO()
    call_command("ingest_run", stdout=out)
    assert "drop: nothing new" in out.getvalue()
    with pytest.raises(CommandError, match="no channel 'nope'"):
        call_command("ingest_run", "nope")
