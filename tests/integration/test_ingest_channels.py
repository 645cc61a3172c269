"""Agency channels with a real Celery worker and beat: beat's schedule polls a folder drop
and a feed served over HTTP from this process, the worker ingests what they hold, and a push
reaches a live server; every delivery is in the ingest log."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from articles.models import Article
from ingest.models import IngestChannel, IngestItem, IngestLogEntry
from ingest.push import sign
from tests.factories import DeskFactory
from tests.ingest.channel_helpers import STORY, STORY_V2, feed_server, rss
from tests.integration.celery_worker import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def drop_file(folder: Path, name: str, text: str) -> None:
    # As an agency's uploader does: write under a name the channel skips, then rename.
    partial = folder / f"{name}.part"
    partial.write_text(text)
    os.replace(partial, folder / name)


def logged(channel: IngestChannel, result: str) -> int:
    return IngestLogEntry.objects.filter(channel=channel, result=result).count()


def test_beat_polls_a_folder_drop_and_a_newer_copy_updates_the_same_draft(make_worker, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    channel = IngestChannel.objects.create(
        name="Agency drop",
        slug="agency-drop",
        kind="folder",
        desk=DeskFactory(),
        path=str(folder),
        poll_interval=1,
        create_drafts=True,
    )
    make_worker(beat=True)

    drop_file(folder, "strike.txt", STORY)
    wait_for(lambda: logged(channel, "created") == 1, timeout=60, message="not picked up")
    article = Article.objects.get()
    assert "nine-day strike" in article.body

    drop_file(folder, "strike.txt", STORY_V2)
    wait_for(lambda: logged(channel, "updated") == 1, timeout=60, message="v2 not picked up")

    assert Article.objects.count() == 1
    article.refresh_from_db()
    assert "a pay rise of 8 percent" in article.body
    item = IngestItem.objects.get()
    assert (item.article, item.version, item.versions.count()) == (article, 2, 2)
    assert len(os.listdir(folder / "processed")) == 2
    assert [f for f in os.listdir(folder) if f != "processed"] == []


def test_beat_polls_a_feed_served_over_http(make_worker):
    with feed_server() as server:
        server.body = rss(
            [
                ("urn:wire:1", "Port strike ends", "<p>VALPARAISO, Chile — Dockers went back.</p>"),
                ("urn:wire:2", "Rivers rise", "<p>DHAKA — Rivers rose.</p>"),
            ]
        )
        channel = IngestChannel.objects.create(
            name="Agency feed",
            slug="agency-feed",
            kind="feed",
            desk=DeskFactory(),
            url=server.url,
            poll_interval=1,
        )
        make_worker(beat=True)

        wait_for(lambda: logged(channel, "created") == 2, timeout=60, message="feed not read")
        wait_for(lambda: logged(channel, "unchanged") >= 2, timeout=60, message="not re-polled")

    assert set(IngestItem.objects.values_list("guid", flat=True)) == {"urn:wire:1", "urn:wire:2"}
    assert server.requests >= 2


def test_a_push_is_taken_when_signed_and_refused_with_401_when_not(live_server):
    channel = IngestChannel.objects.create(
        name="Agency push", slug="agency-push", kind="push", desk=DeskFactory()
    )
    url = f"{live_server.url}/ingest/push/{channel.slug}/"
    body = STORY.encode()

    refused = httpx.post(url, content=body, headers={"X-Newsroom-Signature": "sha256=00"})
    taken = httpx.post(
        url, content=body, headers={"X-Newsroom-Signature": sign(channel.secret, body)}
    )

    assert refused.status_code == 401
    assert taken.status_code == 202 and taken.json()["results"][0]["result"] == "created"
    [entry] = IngestLogEntry.objects.filter(channel=channel)
    assert entry.result == "created" and entry.item.headline == "Port strike ends after pay deal"
