"""What a story page tells search engines and link previews, and what a killed page hides."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from articles import workflow
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory, TopicFactory

pytestmark = pytest.mark.django_db


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[tuple[str, str]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "meta":
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.meta.setdefault(key, []).append(attributes.get("content", ""))
        if tag == "link":
            self.links.append((attributes.get("rel", ""), attributes.get("href", "")))
        self._in_title = tag == "title"

    def handle_endtag(self, tag) -> None:
        self._in_title = False

    def handle_data(self, data) -> None:
        if self._in_title:
            self.title += data


def head(html: str) -> _Head:
    parser = _Head()
    parser.feed(html)
    return parser


def json_ld(html: str) -> list[dict]:
    return [
        json.loads(raw)
        for raw in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


@pytest.fixture
def story(desk, reporter, editor, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.NEWSROOM_ORGANISATION = "Lakeside Wire"
    article = ArticleFactory(
        desk=desk,
        created_by=reporter,
        slug="budget-vote",
        headline="Parliament passes the budget",
        summary="The vote ends a month of talks.",
        dateline_place="Nairobi",
    )
    CreditFactory(article=article, contributor=ContributorFactory(name="Dewi Lestari"))
    article.topics.add(TopicFactory(slug="elections", name="Elections"))
    return workflow.publish(article, by=editor)


def test_open_graph_and_twitter_cards_describe_the_story(client, story):
    meta = head(client.get("/stories/budget-vote/", HTTP_HOST="localhost").content.decode()).meta

    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == ["Parliament passes the budget"]
    assert meta["og:description"] == ["The vote ends a month of talks."]
    assert meta["og:url"] == ["https://news.example.org/stories/budget-vote/"]
    assert meta["og:site_name"] == ["Lakeside Wire"]
    assert meta["og:image"] == ["https://news.example.org/static/articles/logo.png"]
    assert meta["article:section"] == ["Washington"]
    assert meta["article:tag"] == ["Elections"]
    assert meta["twitter:card"] == ["summary"]
    assert meta["twitter:title"] == ["Parliament passes the budget"]
    assert meta["twitter:description"] == ["The vote ends a month of talks."]


def test_news_article_addresses_come_from_site_url_not_the_request_host(client, story):
    html = client.get("/stories/budget-vote/", HTTP_HOST="localhost").content.decode()

    [data] = json_ld(html)
    url = "https://news.example.org/stories/budget-vote/"
    assert data["url"] == url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Lakeside Wire",
        "url": "https://news.example.org/",
        "logo": {
            "@type": "ImageObject",
            "url": "https://news.example.org/static/articles/logo.png",
        },
    }
    # Stories carry no pictures; a logo is not the story's image.
    assert "image" not in data
    assert "localhost" not in html


def test_metadata_is_what_was_sent_not_an_unsent_edit(client, story, editor):
    story.headline = "Unsent headline"
    story.summary = "Unsent summary."
    workflow.save_copy(
        story, by=editor, expected_lock_version=story.lock_version, fields=["headline", "summary"]
    )
    CreditFactory(article=story, contributor=ContributorFactory(name="Unsent Byline"), order=5)

    html = client.get("/stories/budget-vote/").content.decode()

    assert "Unsent" not in html
    [data] = json_ld(html)
    assert [a["name"] for a in data["author"]] == ["Dewi Lestari", "Washington"]


def test_the_logo_is_a_static_file(client, story):
    from django.contrib.staticfiles import finders

    path = finders.find("articles/logo.png")
    assert path is not None
    with open(path, "rb") as logo:
        assert logo.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_killed_page_is_not_indexed_followed_or_named(client, story, editor):
    workflow.kill(story, by=editor, reason="The vote count was wrong.")

    response = client.get("/stories/budget-vote/")

    assert response.status_code == 410
    html = response.content.decode()
    page = head(html)
    assert page.meta["robots"] == ["noindex, nofollow"]
    assert [rel for rel, _ in page.links] == ["stylesheet"]
    assert not any(key.startswith(("og:", "twitter:", "article:")) for key in page.meta)
    assert json_ld(html) == []
    assert "/feeds/" not in html
    assert "Parliament passes the budget" not in html
    assert "budget" not in page.title.lower()
    assert "This story has been withdrawn" in html
    assert "The vote count was wrong." in html


def test_a_preview_is_not_indexed_and_carries_no_metadata(admin_client, desk, reporter):
    article = ArticleFactory(desk=desk, created_by=reporter, headline="Not yet moved")

    html = admin_client.get(f"/admin/articles/article/{article.pk}/preview/").content.decode()

    page = head(html)
    assert page.meta["robots"] == ["noindex, nofollow"]
    assert "og:title" not in page.meta
    assert json_ld(html) == []


def test_feed_links_are_named_after_the_organisation(client, story):
    html = client.get("/stories/budget-vote/").content.decode()

    assert 'title="Lakeside Wire: every story (RSS)" href="/feeds/rss/"' in html
    assert 'title="Washington (Atom)" href="/feeds/desk/washington/atom/"' in html
