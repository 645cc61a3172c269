"""Feed readers are told about a kill, in the form each format allows: an Atom tombstone
(RFC 6721), a JSON Feed item marked canceled, an RSS item under the story's guid. The
notice carries none of the killed copy, reaches the feeds readers had the story in, and
leaves them FEED_KILL_NOTICE_DAYS after the kill."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import feedparser
import jsonschema
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.published import WITHDRAWN_LEAD, WITHDRAWN_TITLE
from distribution.feeds import tasks
from distribution.feeds.rendering import refresh_scope
from distribution.feeds.selectors import resolve_scope
from tests.distribution.test_feeds import JSON_FEED_1_1
from tests.factories import DeskFactory

pytestmark = pytest.mark.usefixtures("cold_feeds")

ATOM = "{http://www.w3.org/2005/Atom}"
AT = "{http://purl.org/atompub/tombstones/1.0}"
KILLED = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
REASON = "The figures in it were wrong."
NOTICE = f"{WITHDRAWN_LEAD} {REASON}"
# Every word of the killed story's copy, byline, credit and topic: none may reach a notice.
COPY_WORDS = ("Quarantined", "Zephyrine", "Marbleton", "Obsidia", "Vantrell", "Gossamer")


def get(path: str) -> bytes:
    response = Client().get(path)
    assert response.status_code == 200, path
    return response.content


def tombstones(path: str) -> list[ElementTree.Element]:
    body = get(path)
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return list(ElementTree.fromstring(body).iter(f"{AT}deleted-entry"))


def notice_items(path: str) -> list[dict]:
    document = json.loads(get(path))
    jsonschema.validate(
        document, JSON_FEED_1_1, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [item for item in document["items"] if "_newsroom" in item]


def rss_notices(path: str) -> list:
    parsed = feedparser.parse(get(path))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return [entry for entry in parsed.entries if entry.title == WITHDRAWN_TITLE]


def render_all(*keys: str) -> None:
    for key in keys:
        kind, _, value = key.partition(":")
        refresh_scope(resolve_scope(kind, value))


@pytest.fixture
def killed(make_story, editor, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.NEWSROOM_ORGANISATION = "Lakeside Wire"
    with time_machine.travel(KILLED - timedelta(hours=3), tick=False):
        story = make_story(
            headline="Quarantined harbour reopens",
            summary="Zephyrine officials lift the order.",
            body="<p>Marbleton port reopened on Monday.</p><p>Obsidia ships wait.</p>",
            bylines=("Vantrell Okafor",),
            topics=("gossamer",),
            slug="harbour-reopens",
        )
        kept = make_story(headline="Budget passes", topics=("budget",))
    with time_machine.travel(KILLED, tick=False):
        workflow.kill(story, by=editor, reason=REASON)
        render_all("all", "desk:washington", "topic:gossamer", "lang:en")
    story.kept = kept
    # Readers come a minute later, while the renders are still in the shared cache.
    with time_machine.travel(KILLED + timedelta(minutes=1), tick=False):
        yield story


def test_atom_carries_an_rfc_6721_tombstone_instead_of_the_entry(killed):
    for path in ("/feeds/atom/", "/feeds/desk/washington/atom/", "/feeds/topic/gossamer/atom/"):
        [tombstone] = tombstones(path)
        assert tombstone.get("ref") == killed.guid
        assert tombstone.get("when") == "2026-03-02T15:30:00Z"
        assert tombstone.find(f"{AT}comment").text == NOTICE
        assert tombstone.find(f"{AT}by/{ATOM}name").text == "Lakeside Wire"
        link = tombstone.find(f"{ATOM}link")
        assert link.get("href") == "https://news.example.org/stories/harbour-reopens/"
        # The tombstone is where a reader looks (feed level); the entry is gone.
        parsed = feedparser.parse(get(path))
        assert parsed.feed["at_deleted-entry"]["ref"] == killed.guid
        kept = [] if "gossamer" in path else [killed.kept.guid]
        assert [entry.id for entry in parsed.entries] == kept


def test_json_feed_carries_an_item_with_the_kill_notice(killed):
    for path in ("/feeds/json/", "/feeds/lang/en/json/"):
        [item] = notice_items(path)
        assert item == {
            "id": killed.guid,
            "url": "https://news.example.org/stories/harbour-reopens/",
            "title": WITHDRAWN_TITLE,
            "content_html": f"<p>{NOTICE}</p>",
            "summary": NOTICE,
            "date_modified": "2026-03-02T15:30:00Z",
            "_newsroom": {"pubstatus": "canceled"},
        }


def test_rss_replaces_the_story_with_the_notice_under_its_guid(killed):
    [entry] = rss_notices("/feeds/rss/")
    assert entry.id == killed.guid
    assert entry.guidislink is False
    assert entry.summary == NOTICE
    assert entry.content[0].value == f"<p>{NOTICE}</p>"
    assert entry.link == "https://news.example.org/stories/harbour-reopens/"
    assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == KILLED
    assert "tags" not in entry and "authors" not in entry


def test_a_kill_notice_carries_nothing_of_the_killed_copy(killed):
    for scope in ("/feeds/", "/feeds/desk/washington/", "/feeds/topic/gossamer/"):
        for fmt in ("rss", "atom", "json"):
            body = get(f"{scope}{fmt}/").decode()
            assert killed.guid in body
            # The topic's own feed names the topic in its head, as it always does.
            words = [w for w in COPY_WORDS if w.lower() not in scope]
            for word in words:
                assert word.lower() not in body.lower(), (scope, fmt, word)


def test_the_notice_goes_only_to_feeds_readers_had_the_story_in(make_story, editor):
    nairobi = DeskFactory(name="Nairobi", slug="nairobi")
    # Sent under embargo to Washington, moved to Nairobi before the embargo lifted: only
    # Nairobi's readers ever had it.
    story = make_story(embargo_until=timezone.now() + timedelta(hours=1))
    story.desk = nairobi
    workflow.save_copy(story, by=editor, expected_lock_version=story.lock_version, fields=["desk"])
    workflow.correct(story, by=editor, note="Moved to the Nairobi desk.")
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        workflow.kill(story, by=editor, reason=REASON)
        render_all("all", "desk:washington", "desk:nairobi")
        assert [t.get("ref") for t in tombstones("/feeds/desk/nairobi/atom/")] == [story.guid]
        assert [t.get("ref") for t in tombstones("/feeds/atom/")] == [story.guid]
        assert tombstones("/feeds/desk/washington/atom/") == []
        assert notice_items("/feeds/desk/washington/json/") == []
        assert rss_notices("/feeds/desk/washington/rss/") == []


def test_a_story_killed_under_embargo_leaves_no_notice(make_story, editor):
    story = make_story(embargo_until=timezone.now() + timedelta(hours=1))
    workflow.kill(story, by=editor, reason=REASON)
    render_all("all", "desk:washington")
    for path in ("/feeds/", "/feeds/desk/washington/"):
        for fmt in ("rss", "atom", "json"):
            assert story.guid.encode() not in get(f"{path}{fmt}/"), (path, fmt)


def test_the_notice_leaves_the_feeds_when_its_days_are_up(make_story, editor, settings):
    settings.FEED_KILL_NOTICE_DAYS = 3
    story = make_story()
    workflow.kill(story, by=editor, reason=REASON)
    tasks.reconcile.apply()
    assert story.guid.encode() in get("/feeds/json/")

    with time_machine.travel(timezone.now() + timedelta(days=2, hours=23), tick=False):
        tasks.reconcile.apply()
        assert story.guid.encode() in get("/feeds/json/")
    # No change to any story: the reconciler's pass alone takes it out, in every format.
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1), tick=False):
        tasks.reconcile.apply()
        for path in ("/feeds/rss/", "/feeds/atom/", "/feeds/json/", "/feeds/desk/washington/atom/"):
            assert story.guid.encode() not in get(path), path
