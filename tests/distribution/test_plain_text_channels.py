"""Plain text (headline, summary) is kept as typed, angle brackets and all, and every channel
escapes it where it renders it: no channel drops the words, none lets them act as markup."""

from __future__ import annotations

import json

import feedparser
import pytest
from django.test import Client

from articles.models import ArticleVersion

pytestmark = pytest.mark.usefixtures("cold_feeds")

HEADLINE = "Senator says <unnamed> aide lied"
SUMMARY = "The <redacted> memo & what it says"


@pytest.fixture
def story(make_story):
    return make_story(headline=HEADLINE, summary=SUMMARY)


def test_the_words_are_stored_and_sent_as_typed(story):
    story.refresh_from_db()
    assert story.headline == HEADLINE
    assert story.summary == SUMMARY
    sent = ArticleVersion.objects.get(article=story, number=1).ninjs
    assert sent["headlines"] == [{"role": "main", "value": HEADLINE}]
    assert {"role": "summary", "value": SUMMARY} in sent["descriptions"]


def test_the_story_page_shows_the_words_escaped(story):
    page = Client().get(f"/stories/{story.slug}/").content.decode()
    assert "Senator says &lt;unnamed&gt; aide lied" in page
    assert "The &lt;redacted&gt; memo &amp; what it says" in page
    assert "<unnamed>" not in page and "<redacted>" not in page


def test_atom_and_json_feeds_carry_the_words_as_text(story):
    client = Client()
    atom = feedparser.parse(client.get("/feeds/atom/").content)
    assert not atom.bozo
    assert [entry.title for entry in atom.entries] == [HEADLINE]
    assert b"<unnamed>" not in client.get("/feeds/atom/").content

    document = json.loads(client.get("/feeds/json/").content)
    assert [item["title"] for item in document["items"]] == [HEADLINE]


def test_the_rss_feed_escapes_the_words(story):
    body = Client().get("/feeds/rss/").content.decode()
    assert "<title>Senator says &lt;unnamed&gt; aide lied</title>" in body
    assert "<unnamed>" not in body
    assert not feedparser.parse(body).bozo
