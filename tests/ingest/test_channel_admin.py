"""The channels page, the ingest log and the ingest queue in the admin, as editors and
reporters use them: status, run now, pause and resume, filters, taking an item onto the
desk, both diffs of an agency update, and the one-step kill on the agency's word."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from articles import workflow
from articles.models import Article
from ingest import channels
from ingest.models import IngestChannel, IngestItem, IngestLogEntry
from ingest.pollers import run_channel
from newsroom.celery import app as celery_app
from tests.factories import DeskFactory
from tests.ingest.channel_helpers import STORY, agency_item

pytestmark = pytest.mark.django_db

CHANNELS = reverse("admin:ingest_ingestchannel_changelist")
LOG = reverse("admin:ingest_ingestlogentry_changelist")
QUEUE = reverse("admin:ingest_ingestitem_changelist")


@pytest.fixture(autouse=True)
def tasks_in_process(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def folder(tmp_path):
    return IngestChannel.objects.create(
        name="Agency drop", slug="drop", kind="folder", desk=DeskFactory(), path=str(tmp_path)
    )


def item_url(item: IngestItem) -> str:
    return reverse("admin:ingest_ingestitem_change", args=[item.pk])


def test_the_channels_page_shows_each_channels_state(client, editor, folder):
    broken = IngestChannel.objects.create(
        name="Broken feed", slug="broken", kind="feed", desk=folder.desk, url="http://127.0.0.1:9/"
    )
    channels.receive(folder, STORY.encode(), name="strike.txt")
    run_channel(broken)
    client.force_login(editor)

    page = client.get(CHANNELS).content.decode()

    assert "Agency drop" in page and "Broken feed" in page
    assert "Failing (1 in a row): ConnectError" in page
    assert '<td class="field-items_today">1</td>' in page


def test_run_now_pause_and_resume_act_on_the_chosen_channels(client, editor, folder):
    with open(os.path.join(folder.path, "strike.txt"), "w") as f:
        f.write(STORY)
    client.force_login(editor)

    response = client.post(
        CHANNELS, {"action": "run_now", "_selected_action": [folder.pk]}, follow=True
    )
    assert "Agency drop: 1 created" in response.content.decode()
    assert IngestItem.objects.count() == 1

    client.post(CHANNELS, {"action": "pause", "_selected_action": [folder.pk]})
    folder.refresh_from_db()
    assert not folder.active
    client.post(CHANNELS, {"action": "resume", "_selected_action": [folder.pk]})
    folder.refresh_from_db()
    assert folder.active and folder.next_attempt_at is None


def test_a_new_push_channel_shows_its_secret_once(client, editor):
    desk = DeskFactory()
    client.force_login(editor)

    response = client.post(
        reverse("admin:ingest_ingestchannel_add"),
        {
            "name": "Agency push",
            "slug": "agency-push",
            "kind": "push",
            "desk": desk.pk,
            "priority": 5,
            "active": "on",
            "poll_interval": 60,
        },
        follow=True,
    )

    channel = IngestChannel.objects.get()
    page = response.content.decode()
    assert f"shown only this once): {channel.secret}" in page
    again = client.get(reverse("admin:ingest_ingestchannel_change", args=[channel.pk]))
    assert channel.secret not in again.content.decode()
    assert "/ingest/push/agency-push/" in again.content.decode()
    assert channel.secret not in client.get(CHANNELS).content.decode()


def test_the_log_filters_by_channel_result_format_and_date(client, editor, folder):
    other = IngestChannel.objects.create(name="Other", slug="other", kind="push", desk=folder.desk)
    channels.receive(folder, STORY.encode(), name="strike.txt")
    channels.receive(other, b"", name="empty.txt")
    channels.receive_items(other, [agency_item(1)], name="agency.json")
    client.force_login(editor)

    everything = client.get(LOG).content.decode()
    failed = client.get(LOG, {"result": "failed"}).content.decode()
    by_channel = client.get(LOG, {"channel__id__exact": folder.pk}).content.decode()
    ninjs = client.get(LOG, {"format": "ninjs"}).content.decode()
    today = client.get(LOG, {"received": "today"}).content.decode()

    assert "strike.txt" in everything and "empty.txt" in everything
    assert "empty.txt" in failed and "strike.txt" not in failed
    assert "strike.txt" in by_channel and "empty.txt" not in by_channel
    assert "agency.json" in ninjs and "strike.txt" not in ninjs
    assert "strike.txt" in today


def test_an_editor_takes_an_item_onto_the_desk_and_then_opens_its_draft(client, editor, folder):
    channels.receive(folder, STORY.encode(), name="strike.txt")
    item = IngestItem.objects.get()
    client.force_login(editor)

    assert "Not taken" in client.get(QUEUE).content.decode()
    response = client.post(item_url(item), {"action": "take"})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(item_url(item), {"action": "take"})["Location"] == response["Location"]
    assert Article.objects.count() == 1


def test_standards_may_not_take_agency_copy(client, standards, folder):
    channels.receive(folder, STORY.encode(), name="strike.txt")
    client.force_login(standards)

    assert client.get(QUEUE).status_code == 403
    assert client.post(item_url(IngestItem.objects.get()), {"action": "take"}).status_code == 403
    assert not Article.objects.exists()


def test_a_reporter_sees_the_queue_but_not_the_channels(client, reporter, folder):
    channels.receive(folder, STORY.encode(), name="strike.txt")
    client.force_login(reporter)

    assert client.get(QUEUE).status_code == 200
    assert client.get(CHANNELS).status_code == 403
    assert client.get(LOG).status_code == 403


def test_an_agency_update_of_a_published_story_shows_both_diffs(client, editor, folder):
    channels.receive_items(folder, [agency_item(1)], name="push")
    item = IngestItem.objects.get()
    article = channels.take(item, by=editor)
    article.body = article.body.replace("Monday", "Tuesday")
    workflow.save_copy(
        article, by=editor, expected_lock_version=article.lock_version, fields=["body"]
    )
    workflow.publish(article, by=editor)
    channels.receive_items(folder, [agency_item(2, extra=" of 8 percent")], name="push")
    client.force_login(editor)

    page = client.get(item_url(item)).content.decode()

    assert 'id="agency-update"' in page
    assert 'id="agency-diff"' in page and 'id="ours-diff"' in page
    agency = page[page.find('id="agency-diff"') : page.find('id="ours-diff"')]
    ours = page[page.find('id="ours-diff"') : page.find('id="versions-heading"')]
    assert "<ins>rise of 8 percent.</ins>" in agency and "Tuesday" not in agency
    # ours says Tuesday, the agency still Monday
    assert "<del>Tuesday.</del>" in ours and "<ins>rise of 8 percent.</ins>" in ours
    story = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "agency-update" in story.content.decode()


def test_the_editor_kills_our_story_in_one_step_after_an_agency_kill(client, editor, folder):
    channels.receive_items(folder, [agency_item(1)], name="push")
    item = IngestItem.objects.get()
    workflow.publish(channels.take(item, by=editor), by=editor)
    channels.receive_items(folder, [agency_item(2, pub_status="canceled")], name="push")
    client.force_login(editor)

    page = client.get(item_url(item)).content.decode()
    assert "Kill our story" in page
    response = client.post(item_url(item), {"action": "agency-status"}, follow=True)

    assert "Our story was killed, as the agency&#x27;s was." in response.content.decode()
    assert Article.objects.get().status == "killed"
    assert IngestLogEntry.objects.filter(result="updated").count() == 1
