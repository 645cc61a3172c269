"""Agency channels with a real Celery worker and beat: beat's schedule polls a folder drop
(NewsML-G2 versions of one story) and a feed served over HTTP from this process, the worker
ingests what they hold, and a signed ninjs push reaches a live server; every delivery is in
the ingest log."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from articles.models import Article
from ingest.models import IngestChannel, IngestItem, IngestLogEntry
from ingest.push import sign
from tests.factories import DeskFactory
from tests.ingest.channel_helpers import GUID, feed_server, newsml, ninjs, rss
from tests.integration.celery_worker import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def drop_file(folder: Path, name: str, data: bytes) -> None:
    # As an agency's uploader does: write under a name the channel skips, then rename.
    partial = folder / f"{name}.part"
    partial.write_bytes(data)
    os.replace(partial, folder / name)


def logged(channel: IngestChannel, result: str) -> int:
    return IngestLogEntry.objects.filter(channel=channel, result=result).count()


def test_beat_polls_a_folder_drop_and_a_newer_newsml_version_updates_the_same_draft(
    make_worker, tmp_path
):
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

    drop_file(folder, "strike-1.xml", newsml(1))
    wait_for(lambda: logged(channel, "created") == 1, timeout=60, message="not picked up")
    article = Article.objects.get()
    assert "nine-day strike on Friday." in article.body

    drop_file(folder, "strike-2.xml", newsml(2))
    wait_for(lambda: logged(channel, "updated") == 1, timeout=60, message="v2 not picked up")

    assert Article.objects.count() == 1
    article.refresh_from_db()
    assert "after a pay rise" in article.body
    item = IngestItem.objects.get()
    assert (item.guid, item.format) == (GUID, "newsml-g2")
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


def test_a_signed_ninjs_push_is_taken_and_an_unsigned_one_refused_with_401(live_server):
    channel = IngestChannel.objects.create(
        name="Agency push", slug="agency-push", kind="push", desk=DeskFactory()
    )
    url = f"{live_server.url}/ingest/push/{channel.slug}/"
    body = ninjs()
    json_type = {"Content-Type": "application/json"}

    refused = httpx.post(
        url, content=body, headers={**json_type, "X-Newsroom-Signature": "sha256=00"}
    )
    unsigned = httpx.post(url, content=body, headers=json_type)
    taken = httpx.post(
        url, content=body, headers={**json_type, "X-Newsroom-Signature": sign(channel.secret, body)}
    )

    assert (refused.status_code, unsigned.status_code) == (401, 401)
    assert taken.status_code == 202 and taken.json()["results"][0]["result"] == "created"
    [entry] = IngestLogEntry.objects.filter(channel=channel)
    assert (entry.result, entry.format, entry.guid) == ("created", "ninjs", GUID)
    assert entry.item.headline == "Port strike ends after pay deal"
