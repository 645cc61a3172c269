"""Receiving agency copy on a channel: the queue item, its versions, drafts made at once or
when taken, updates that follow a draft but never published copy, agency kills, replays."""

from __future__ import annotations

import pytest

from articles import workflow
from articles.models import Alert, Article
from ingest import channels
from ingest.models import IngestChannel, IngestItem, IngestLogEntry
from tests.factories import DeskFactory
from tests.ingest.channel_helpers import STORY, STORY_V2, agency_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def santiago():
    return DeskFactory(slug="santiago", name="Santiago", language="es")


@pytest.fixture
def channel(santiago):
    return IngestChannel.objects.create(
        name="Agency folder", slug="agency-folder", kind="folder", desk=santiago
    )


@pytest.fixture
def drafting(santiago):
    return IngestChannel.objects.create(
        name="Agency drafts",
        slug="agency-drafts",
        kind="folder",
        desk=santiago,
        create_drafts=True,
        language="en",
        priority=Article.Priority.URGENT,
    )


def test_a_new_story_is_queued_and_logged_without_a_draft(channel):
    [row] = channels.receive(channel, STORY.encode(), name="strike.txt")

    assert row.result == "created" and row.format == "text" and row.error == ""
    item = IngestItem.objects.get()
    assert (item.channel, item.guid, item.version) == (channel, "strike.txt", 1)
    assert item.headline == "Port strike ends after pay deal"
    assert item.pub_status == "usable" and item.article is None
    assert item.versions.count() == 1
    assert row.item == item
    assert not Article.objects.exists()


def test_a_channel_that_creates_drafts_makes_one_at_once_with_its_defaults(drafting):
    [row] = channels.receive(drafting, STORY.encode(), name="strike.txt")

    article = Article.objects.get()
    assert row.article == article and IngestItem.objects.get().article == article
    assert article.status == "draft" and article.desk.slug == "santiago"
    assert article.headline == "Port strike ends after pay deal"
    assert article.dateline_place == "Valparaiso, Chile"
    assert "nine-day strike" in article.body
    assert (article.language, article.priority) == ("en", Article.Priority.URGENT)
    # made through the import path: its quote and credit came with it
    assert article.attributions.count() == 1
    assert article.credits.get().contributor.name == "Ana Ruiz"


def test_taking_an_item_makes_its_draft_once_and_then_opens_it(channel, editor):
    channels.receive(channel, STORY.encode(), name="strike.txt")
    item = IngestItem.objects.get()

    first = channels.take(item, by=editor)
    again = channels.take(item, by=editor)

    assert first == again and Article.objects.count() == 1
    assert first.created_by == editor and first.desk == channel.desk


def test_taking_needs_the_right_to_create_stories(channel, standards):
    channels.receive(channel, STORY.encode(), name="strike.txt")

    with pytest.raises(workflow.NotPermitted):
        channels.take(IngestItem.objects.get(), by=standards)
    assert not Article.objects.exists()


def test_replaying_the_same_file_changes_nothing(drafting):
    channels.receive(drafting, STORY.encode(), name="strike.txt")
    article = Article.objects.get()

    [row] = channels.receive(drafting, STORY.encode(), name="strike.txt")

    assert row.result == "unchanged" and row.article == article
    item = IngestItem.objects.get()
    assert item.version == 1 and item.versions.count() == 1
    assert Article.objects.get().lock_version == article.lock_version
    assert list(IngestLogEntry.objects.values_list("result", flat=True)) == [
        "unchanged",
        "created",
    ]


def test_a_changed_copy_of_the_same_file_updates_its_draft_and_keeps_history(drafting):
    channels.receive(drafting, STORY.encode(), name="strike.txt")
    article = Article.objects.get()

    [row] = channels.receive(drafting, STORY_V2.encode(), name="strike.txt")

    assert row.result == "updated" and row.version == 2 and row.article == article
    assert Article.objects.count() == 1
    article.refresh_from_db()
    assert "a pay rise of 8 percent" in article.body
    assert list(IngestItem.objects.get().versions.values_list("version", flat=True)) == [2, 1]


def test_a_newer_agency_version_of_a_published_story_never_changes_its_copy(drafting, editor):
    channels.receive_items(drafting, [agency_item(1)], name="push")
    article = workflow.publish(Article.objects.get(), by=editor)
    sent_body = article.body

    [row] = channels.receive_items(drafting, [agency_item(2, extra=" of 8 percent")], name="push")

    assert row.result == "updated" and row.version == 2
    article.refresh_from_db()
    assert article.body == sent_body and article.status == "published"
    finding = article.findings.get(code="agency-update")
    assert "version 2" in finding.message
    assert IngestItem.objects.get().update_pending


def test_an_older_version_arriving_late_is_kept_out(drafting):
    channels.receive_items(drafting, [agency_item(3)], name="push")

    [row] = channels.receive_items(drafting, [agency_item(2, extra="!")], name="push")

    assert row.result == "unchanged" and "older than version 3" in row.error
    assert IngestItem.objects.get().version == 3


def test_an_agency_kill_alerts_the_desk_and_the_editor_kills_in_one_step(drafting, editor):
    channels.receive_items(drafting, [agency_item(1)], name="push")
    article = workflow.publish(Article.objects.get(), by=editor)

    channels.receive_items(drafting, [agency_item(2, pub_status="canceled")], name="push")

    article.refresh_from_db()
    assert article.status == "published"  # the channel does not follow agency kills
    assert article.findings.filter(code="agency-canceled", status="open").exists()
    item = IngestItem.objects.get()
    assert item.pub_status == "canceled"
    [alert] = Alert.objects.all()
    assert (alert.kind, alert.article, alert.desk) == ("agency-kill", article, drafting.desk)
    assert alert.url == f"/admin/ingest/ingestitem/{item.pk}/change/"
    assert "is unchanged: kill or withhold it" in alert.message

    assert channels.apply_agency_status(item, by=editor) == "killed"
    article.refresh_from_db()
    assert article.status == "killed" and "The agency canceled" in article.kill_notice


def test_a_reporter_cannot_kill_on_the_agencys_word(drafting, editor, reporter):
    channels.receive_items(drafting, [agency_item(1)], name="push")
    workflow.publish(Article.objects.get(), by=editor)
    channels.receive_items(drafting, [agency_item(2, pub_status="canceled")], name="push")

    with pytest.raises(workflow.NotPermitted):
        channels.apply_agency_status(IngestItem.objects.get(), by=reporter)
    assert Article.objects.get().status == "published"


@pytest.mark.parametrize(("status", "ours"), [("canceled", "killed"), ("withheld", "withheld")])
def test_a_channel_that_follows_agency_kills_acts_by_itself(drafting, editor, status, ours):
    drafting.follow_agency_kills = True
    drafting.save()
    channels.receive_items(drafting, [agency_item(1)], name="push")
    workflow.publish(Article.objects.get(), by=editor)

    channels.receive_items(drafting, [agency_item(2, pub_status=status)], name="push")

    article = Article.objects.get()
    assert article.status == ours
    assert article.findings.filter(code=f"agency-{status}").exists()
    alert = Alert.objects.get(article=article)
    assert f"Our story was {ours} automatically" in alert.message


def test_an_agency_kill_of_a_draft_blocks_its_publication(drafting, editor):
    channels.receive_items(drafting, [agency_item(1)], name="push")

    channels.receive_items(drafting, [agency_item(2, pub_status="canceled")], name="push")

    article = Article.objects.get()
    assert article.status == "draft"
    with pytest.raises(workflow.OpenFindings):
        workflow.publish(article, by=editor)


def test_a_canceled_item_never_becomes_a_draft_by_itself(drafting):
    channels.receive_items(drafting, [agency_item(1, pub_status="canceled")], name="push")

    assert IngestItem.objects.get().article is None and not Article.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary"),
        (b"", "empty"),
    ],
)
def test_copy_that_cannot_be_read_is_logged_failed(channel, data, error):
    [row] = channels.receive(channel, data, name="bad.bin")

    assert row.result == "failed" and error in row.error
    assert not IngestItem.objects.exists()


def test_an_oversized_delivery_is_refused_unread(channel, settings):
    settings.WIRE_FILE_MAX_BYTES = 100

    [row] = channels.receive(channel, STORY.encode(), name="big.txt")

    assert row.result == "failed" and "the limit is 100 bytes" in row.error


def test_one_story_that_cannot_be_stored_does_not_stop_the_others(channel):
    bad = agency_item(1)
    bad.guid = "urn:agency:" + "x" * 400  # longer than the queue takes
    good = agency_item(1)

    rows = channels.receive_items(channel, [bad, good], name="package")

    assert [row.result for row in rows] == ["failed", "created"]
    assert IngestItem.objects.get().guid == good.guid
