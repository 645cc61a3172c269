"""Feeds as a reader's client sees them: feedparser (RSS, Atom) and the JSON Feed 1.1 schema.

feedparser 6.0 reads RSS and Atom but has no JSON Feed parser, so the JSON feed is checked
against a JSON Schema written from the JSON Feed 1.1 specification instead.
"""

from __future__ import annotations

import email.utils
import json
import re
from datetime import UTC, datetime, timedelta

import feedparser
import jsonschema
import pytest
import time_machine
from django.test import Client

from articles import workflow
from distribution.feeds.rendering import refresh_scope
from distribution.feeds.selectors import resolve_scope

pytestmark = pytest.mark.usefixtures("cold_feeds")

JSON_FEED_1_1 = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "description": {"type": "string"},
        "language": {"type": "string"},
        "hubs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "url"],
                "properties": {"type": {"type": "string"}, "url": {"type": "string"}},
            },
        },
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "summary": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "authors": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"name": {"type": "string"}}},
                    },
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                },
            },
        },
    },
}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RFC822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
FEED_PATHS = [
    "/feeds/{fmt}/",
    "/feeds/desk/washington/{fmt}/",
    "/feeds/topic/elections/{fmt}/",
    "/feeds/lang/en/{fmt}/",
]


def fetch(path: str) -> bytes:
    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content


def parse_xml(path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(fetch(path))
    assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    return parsed


def parse_json(path: str) -> dict:
    document = json.loads(fetch(path))
    jsonschema.validate(
        document, JSON_FEED_1_1, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return document


@pytest.fixture
def story(make_story, settings):
    settings.SITE_URL = "https://news.example.org"
    return make_story(
        headline="Parliament passes the budget",
        summary="The vote ends a month of talks.",
        body="<p>The budget passed 61 to 39.</p><h2>What comes next</h2><p>Signing.</p>",
        bylines=("Dewi Lestari", "Marcus Holt"),
        contributors=("Chung-Hsi Tu",),
        topics=("elections",),
    )


@pytest.mark.parametrize("template", FEED_PATHS)
def test_every_xml_feed_parses_and_carries_the_story(story, template):
    for fmt in ("rss", "atom"):
        parsed = parse_xml(template.format(fmt=fmt))
        assert len(parsed.entries) == 1
        entry = parsed.entries[0]
        assert entry.id == story.guid
        assert entry.title == "Parliament passes the budget"
        assert entry.link == f"https://news.example.org/stories/{story.slug}/"
        assert [a["name"] for a in entry.authors] == ["Dewi Lestari", "Marcus Holt"]
        assert entry.summary == "The vote ends a month of talks."
        content = entry.content[0].value
        assert "<p><strong>WASHINGTON</strong> — The budget passed 61 to 39.</p>" in content
        assert "Washington's Chung-Hsi Tu contributed to this report." in content
        assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == story.published_at.replace(
            microsecond=0
        )
        assert {t.term for t in entry.tags} == {"Washington", "Elections"}
        home = "/desks/washington/" if "/desk/" in template else "/"
        assert parsed.feed.links[0].href == "https://news.example.org" + home
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links == ["https://news.example.org" + template.format(fmt=fmt)]


def test_rss_guid_is_not_a_permalink(story):
    body = fetch("/feeds/rss/").decode()
    assert f'<guid isPermaLink="false">{story.guid}</guid>' in body
    assert "<content:encoded>" in body


@pytest.mark.parametrize("template", FEED_PATHS)
def test_json_feed_follows_the_schema_and_carries_the_story(story, template):
    document = parse_json(template.format(fmt="json"))
    assert document["feed_url"] == "https://news.example.org" + template.format(fmt="json")
    (item,) = document["items"]
    assert item["id"] == story.guid
    assert item["url"] == f"https://news.example.org/stories/{story.slug}/"
    assert item["title"] == "Parliament passes the budget"
    assert [a["name"] for a in item["authors"]] == ["Dewi Lestari", "Marcus Holt"]
    assert (
        "<p><strong>WASHINGTON</strong> — The budget passed 61 to 39.</p>" in item["content_html"]
    )
    assert item["language"] == "en"
    assert datetime.fromisoformat(item["date_published"]) == story.published_at


def test_feeds_are_newest_first_and_capped(make_story, settings):
    settings.FEED_MAX_ITEMS = 3
    stories = []
    start = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    for minute in range(5):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            stories.append(make_story(headline=f"Story {minute}"))
    parsed = parse_xml("/feeds/atom/")
    assert [e.id for e in parsed.entries] == [s.guid for s in reversed(stories[-3:])]


def test_a_correction_keeps_the_guid_and_moves_updated(make_story, editor):
    with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        story = make_story(headline="Ferry sinks off Bali")
    first = parse_xml("/feeds/atom/").entries[0]
    with time_machine.travel(datetime(2025, 3, 1, 11, 30, tzinfo=UTC), tick=False):
        workflow.correct(story, by=editor, note="The ferry sank off Lombok, not Bali.")
        refresh_scope(resolve_scope("all"))
    for fmt in ("atom", "rss"):
        entry = parse_xml(f"/feeds/{fmt}/").entries[0]
        assert entry.id == first.id == story.guid
        assert "The ferry sank off Lombok, not Bali." in entry.content[0].value
    atom = parse_xml("/feeds/atom/").entries[0]
    assert atom.published == first.published == "2025-03-01T09:00:00Z"
    assert first.updated == "2025-03-01T09:00:00Z"
    assert atom.updated == "2025-03-01T11:30:00Z"
    (item,) = parse_json("/feeds/json/")["items"]
    assert item["date_modified"] == "2025-03-01T11:30:00Z"


def test_killed_and_withheld_stories_leave_every_feed(make_story, editor):
    killed = make_story(headline="Wrong figures", topics=("elections",))
    withheld = make_story(headline="Legal review", topics=("elections",))
    kept = make_story(headline="Stays", topics=("elections",))
    assert len(parse_xml("/feeds/rss/").entries) == 3
    workflow.kill(killed, by=editor, reason="The figures were wrong.")
    workflow.withhold(withheld, by=editor, reason="Legal review.")
    for scope in (resolve_scope("all"), resolve_scope("desk", "washington")):
        refresh_scope(scope)
    refresh_scope(resolve_scope("topic", "elections"))
    refresh_scope(resolve_scope("lang", "en"))
    for template in FEED_PATHS:
        # The killed story stays only as its kill notice (see the kill notice tests below);
        # the withheld one is simply out.
        assert [e.id for e in parse_xml(template.format(fmt="atom")).entries] == [kept.guid]
        rss = parse_xml(template.format(fmt="rss")).entries
        assert [(e.id, e.title) for e in rss] == [
            (killed.guid, "This story has been withdrawn"),
            (kept.guid, "Stays"),
        ]
        items = parse_json(template.format(fmt="json"))["items"]
        assert [(i["id"], i["title"]) for i in items] == [
            (killed.guid, "This story has been withdrawn"),
            (kept.guid, "Stays"),
        ]
        for fmt in ("rss", "atom", "json"):
            body = fetch(template.format(fmt=fmt))
            assert b"Wrong figures" not in body
            assert withheld.guid.encode() not in body


def test_dates_are_rfc822_in_rss_and_rfc3339_elsewhere_never_future(make_story):
    with time_machine.travel(datetime(2025, 1, 5, 8, 15, 30, tzinfo=UTC), tick=False):
        make_story()
        rss = fetch("/feeds/rss/").decode()
        atom = fetch("/feeds/atom/").decode()
        document = parse_json("/feeds/json/")
        now = datetime.now(tz=UTC)
    rss_dates = re.findall(r"<(pubDate|lastBuildDate)>([^<]+)</", rss)
    assert {name for name, _ in rss_dates} == {"pubDate", "lastBuildDate"}
    for _, value in rss_dates:
        assert RFC822.match(value), value
        assert email.utils.parsedate_to_datetime(value) <= now
    atom_dates = re.findall(r"<(published|updated)>([^<]+)</", atom)
    assert len(atom_dates) == 3  # the feed's updated, the entry's published and updated
    for _, value in atom_dates:
        assert RFC3339.match(value), value
        # UTC, written as ninjs and pushes write it.
        assert value.endswith("Z"), value
        assert datetime.fromisoformat(value) <= now
    item = document["items"][0]
    for value in (item["date_published"], item["date_modified"]):
        assert RFC3339.match(value) and datetime.fromisoformat(value) <= now
        assert value.endswith("Z"), value


def test_awkward_copy_still_yields_well_formed_feeds(make_story, editor):
    from articles.models import Article, Contributor

    story = make_story(
        headline="Markets ]]> rally 📈 as שלום returns",
        summary="Summary with ]]> and <tags> & ampersands 🚀",
        body="<p>CDATA end ]]> inside.</p><p dir='rtl'>مرحبا بالعالم</p><p>Emoji 👩🏽‍💻.</p>",
        bylines=("Zoë Ångström",),
    )
    # Copy that reached the database around the model's cleaning (an old import, a bulk
    # load): characters XML 1.0 forbids must still not break a feed.
    Article.objects.filter(pk=story.pk).update(
        headline="Bell\x07 and form\x0cfeed ]]>", body="<p>Start\x02 byte\x1b and \ufffe.</p>"
    )
    Contributor.objects.filter(name="Zoë Ångström").update(name="Zoë\x01 Ångström")
    workflow.correct(story, by=editor, note="Fixed the \x0b vertical tab ]]> note.")
    refresh_scope(resolve_scope("all"))
    for fmt in ("rss", "atom"):
        entry = parse_xml(f"/feeds/{fmt}/").entries[0]
        assert entry.title == "Bell and formfeed ]]>"
        assert entry.authors[0]["name"] == "Zoë Ångström"
        assert "Start byte and ." in entry.content[0].value
        assert "Fixed the  vertical tab ]]&gt; note." in entry.content[0].value
    item = parse_json("/feeds/json/")["items"][0]
    assert item["title"] == "Bell and formfeed ]]>"


def test_awkward_copy_through_the_model_keeps_emoji_and_rtl(make_story):
    make_story(
        headline="Markets ]]> rally 📈 as שלום returns",
        body="<p>CDATA end ]]> inside.</p><p>مرحبا بالعالم 👩🏽‍💻</p>",
    )
    for fmt in ("rss", "atom"):
        entry = parse_xml(f"/feeds/{fmt}/").entries[0]
        assert entry.title == "Markets ]]> rally 📈 as שלום returns"
        assert "مرحبا بالعالم 👩🏽‍💻" in entry.content[0].value
        assert "CDATA end ]]&gt; inside." in entry.content[0].value
    assert parse_json("/feeds/json/")["items"][0]["title"].endswith("שלום returns")


def test_embargoed_story_appears_only_after_the_lift_without_an_editor(
    make_story, eager_tasks, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2025, 6, 1, 12, 0, tzinfo=UTC), tick=False):
        open_story = make_story(headline="Already out", topics=("elections",))
        embargo = datetime(2025, 6, 1, 14, 0, tzinfo=UTC)
        with django_capture_on_commit_callbacks(execute=True):
            embargoed = make_story(
                headline="Jobs report", topics=("elections",), embargo_until=embargo
            )
        for template in FEED_PATHS:
            ids = [e.id for e in parse_xml(template.format(fmt="rss")).entries]
            assert ids == [open_story.guid]
    with time_machine.travel(datetime(2025, 6, 1, 13, 59, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert workflow.lift_due_embargoes() == []
        assert [e.id for e in parse_xml("/feeds/atom/").entries] == [open_story.guid]
    with time_machine.travel(datetime(2025, 6, 1, 14, 0, 5, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert workflow.lift_due_embargoes() == [embargoed.pk]
        for template in FEED_PATHS:
            entries = parse_xml(template.format(fmt="atom")).entries
            assert [e.id for e in entries] == [embargoed.guid, open_story.guid]
            # Its date is its release, not the moment the desk moved it under embargo.
            assert entries[0].published == "2025-06-01T14:00:00Z"
            assert entries[0].updated == "2025-06-01T14:00:00Z"


def test_nothing_about_sources_reaches_a_feed(make_story, editor, desk):
    from tests.factories import ArticleFactory, AttributionFactory, SourceFactory

    article = ArticleFactory(desk=desk, headline="Talks stall", body="<p>Talks stalled.</p>")
    secret = SourceFactory(
        name="a senior diplomat",
        kind="unnamed",
        title="",
        affiliation="",
        confidential=True,
    )
    AttributionFactory(article=article, source=secret, text="Talks stalled.", paragraph=0)
    workflow.publish(article, by=editor, override_audit="Approved anonymity, standards desk.")
    for fmt in ("rss", "atom", "json"):
        body = fetch(f"/feeds/{fmt}/")
        assert b"Talks stall" in body
        assert b"diplomat" not in body


def test_feed_rights_name_the_organisation_not_the_desk(make_story, settings):
    settings.NEWSROOM_ORGANISATION = "Lakeside Wire"
    make_story(headline="Parliament passes the budget")

    for template in ("/feeds/{fmt}/", "/feeds/desk/washington/{fmt}/"):
        for fmt in ("rss", "atom"):
            parsed = parse_xml(template.format(fmt=fmt))
            assert parsed.feed.rights == "Copyright © Lakeside Wire. All rights reserved."
    assert "<copyright>" in fetch("/feeds/rss/").decode()
    assert "<rights>" in fetch("/feeds/atom/").decode()


LEDE = "Kenyan lawmakers approved a drought fund on Thursday after a month of talks."


@pytest.fixture
def unsummarised(make_story):
    """A hand-written story whose editor left the summary empty."""
    return make_story(
        headline="Kenya approves a drought fund",
        summary="",
        dateline_place="Nairobi",
        dateline_date=datetime(2026, 11, 30).date(),
        body=f"<p>{LEDE}</p><h2>Who pays</h2><p>The counties share the cost.</p>",
    )


def test_feeds_carry_the_dateline_at_the_start_of_the_content(unsummarised):
    lead = f"<p><strong>NAIROBI, NOVEMBER 30</strong> — {LEDE}</p>"
    for fmt in ("rss", "atom"):
        [entry] = parse_xml(f"/feeds/{fmt}/").entries
        assert entry.content[0].value.startswith(lead), fmt
    [item] = parse_json("/feeds/json/")["items"]
    assert item["content_html"].startswith(lead)


def test_a_correction_note_follows_the_dateline_led_copy(unsummarised, editor):
    workflow.correct(unsummarised, by=editor, note="An earlier version misstated the fund.")

    [entry] = parse_xml("/feeds/atom/").entries
    content = entry.content[0].value
    assert content.startswith("<p><strong>NAIROBI, NOVEMBER 30</strong> — ")
    assert content.index(LEDE) < content.index("An earlier version misstated the fund.")


def test_an_empty_summary_is_filled_from_the_lede_when_sent(unsummarised):
    for fmt in ("rss", "atom"):
        [entry] = parse_xml(f"/feeds/{fmt}/").entries
        assert entry.summary == LEDE, fmt
    assert "<description>Kenyan lawmakers approved" in fetch("/feeds/rss/").decode()
    [item] = parse_json("/feeds/json/")["items"]
    assert item["summary"] == LEDE

    # Sent, stored and marked as made from the lede; the working copy stays as written.
    sent = unsummarised.versions.get().ninjs["descriptions"]
    assert {"role": "summary", "value": LEDE} in sent
    assert {"role": "summary-origin", "value": "lede"} in sent
    unsummarised.refresh_from_db()
    assert unsummarised.summary == ""


def test_the_generated_summary_moves_only_with_a_new_version(unsummarised, editor):
    unsummarised.body = "<p>UNSENT lede about the fund.</p>"
    workflow.save_copy(
        unsummarised,
        by=editor,
        expected_lock_version=unsummarised.lock_version,
        fields=["body"],
    )
    refresh_scope(resolve_scope("all"))
    [entry] = parse_xml("/feeds/rss/").entries
    assert entry.summary == LEDE

    workflow.update(unsummarised, by=editor, note="New lede.")
    refresh_scope(resolve_scope("all"))
    [entry] = parse_xml("/feeds/rss/").entries
    assert entry.summary == "UNSENT lede about the fund."


def test_an_editors_summary_is_sent_as_written_and_not_marked(story):
    [entry] = parse_xml("/feeds/atom/").entries
    assert entry.summary == "The vote ends a month of talks."
    roles = [d["role"] for d in story.versions.get().ninjs["descriptions"]]
    assert "summary-origin" not in roles


def test_the_dateline_is_the_one_sent(unsummarised, editor):
    unsummarised.dateline_date = datetime(2026, 12, 1).date()
    workflow.save_copy(
        unsummarised,
        by=editor,
        expected_lock_version=unsummarised.lock_version,
        fields=["dateline_date"],
    )
    refresh_scope(resolve_scope("all"))

    [entry] = parse_xml("/feeds/rss/").entries
    assert entry.content[0].value.startswith("<p><strong>NAIROBI, NOVEMBER 30</strong> — ")
    page = Client().get(f"/stories/{unsummarised.slug}/").content.decode()
    assert '<p class="dateline">Nairobi, November 30 —</p>' in page
