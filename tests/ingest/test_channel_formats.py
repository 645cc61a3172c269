"""Channels with the agencies' structured formats, end to end from bytes: a signed ninjs
push, NewsML-G2 versions in a folder drop, and a NewsML-G2 cancel. Needs the ninjs and
NewsML-G2 parsers of wire.formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from articles import workflow
from articles.models import Alert, Article
from ingest import channels
from ingest.models import IngestChannel, IngestItem
from ingest.push import sign
from tests.factories import DeskFactory
from tests.ingest.channel_helpers import GUID, newsml, ninjs

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return DeskFactory()


def test_a_signed_ninjs_push_is_taken_with_its_guid(desk):
    push = IngestChannel.objects.create(name="P", slug="p", kind="push", desk=desk)
    body = ninjs()

    response = Client().post(
        "/ingest/push/p/",
        data=body,
        content_type="application/json",
        headers={"X-Newsroom-Signature": sign(push.secret, body)},
    )

    assert response.status_code == 202
    item = IngestItem.objects.get()
    assert (item.format, item.guid, item.version) == ("ninjs", GUID, 1)


def test_newsml_versions_update_the_same_draft_and_a_cancel_alerts(desk, editor):
    drop = IngestChannel.objects.create(
        name="D", slug="d", kind="folder", desk=desk, create_drafts=True
    )
    [first] = channels.receive(drop, newsml(1), name="a.xml")
    [second] = channels.receive(drop, newsml(2), name="b.xml")
    [replay] = channels.receive(drop, newsml(2), name="b.xml")

    assert (first.result, second.result, replay.result) == ("created", "updated", "unchanged")
    article = Article.objects.get()
    assert "after a pay rise" in article.body and first.format == "newsml-g2"

    workflow.publish(article, by=editor)
    channels.receive(drop, newsml(3, status="canceled"), name="c.xml")
    assert Alert.objects.get().kind == "agency-kill"
    assert Article.objects.get().status == "published"


OWN = Path(__file__).resolve().parents[1] / "wire" / "formats" / "samples"


@pytest.mark.parametrize("sample", ["stream-anpa1312.anpa", "stream-latin1.iptc"])
def test_each_story_of_a_stream_is_its_own_item_and_a_replay_changes_nothing(desk, sample):
    drop = IngestChannel.objects.create(name="D", slug="d", kind="folder", desk=desk)
    data = (OWN / sample).read_bytes()

    first = channels.receive(drop, data, name=sample)
    again = channels.receive(drop, data, name=sample)

    assert [r.result for r in first] == ["created", "created"]
    assert [r.result for r in again] == ["unchanged", "unchanged"]
    assert sorted(IngestItem.objects.values_list("guid", flat=True)) == [
        f"{sample}#1",
        f"{sample}#2",
    ]


def test_a_message_of_two_newsml_items_queues_both_under_their_own_guids(desk):
    drop = IngestChannel.objects.create(name="D", slug="d", kind="folder", desk=desk)

    rows = channels.receive(
        drop, (OWN / "message-two-items-newsml-g2.xml").read_bytes(), name="message.xml"
    )

    assert [(r.result, r.guid, r.version) for r in rows] == [
        ("created", "urn:newsml:example.org:20250314:ferry", 4),
        ("created", "urn:newsml:example.org:20250314:seabirds", 1),
    ]


def test_an_agency_withhold_in_ninjs_withholds_on_a_channel_that_follows_kills(desk, editor):
    drop = IngestChannel.objects.create(
        name="D",
        slug="d",
        kind="folder",
        desk=desk,
        create_drafts=True,
        follow_agency_kills=True,
    )
    withheld = (OWN / "withheld-ninjs-2.json").read_bytes()
    usable = withheld.replace(b'"withheld"', b'"usable"').replace(
        b'"version": "2"', b'"version": "1"'
    )
    [first] = channels.receive(drop, usable, name="council.json")
    assert first.result == "created" and first.version == 1
    workflow.publish(Article.objects.get(), by=editor, override_audit="checked")

    [row] = channels.receive(drop, withheld, name="council.json")

    assert row.result == "updated" and row.version == 2
    assert Article.objects.get().status == "withheld"
    assert Alert.objects.get().kind == "agency-withhold"
