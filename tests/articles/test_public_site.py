"""The public site around the story pages: the front page, desk pages and the 404 page.

Every list shows only what a reader may see (published, released copy) as it was sent.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from articles import workflow
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory, DeskFactory

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """What a strict Content-Security-Policy cares about, and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_styles: list[str] = []
        self.scripts: list[str] = []
        self.event_handlers: list[str] = []
        self.links: list[str] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "style" or "style" in attributes:
            self.inline_styles.append(tag)
        if tag == "script":
            self.scripts.append(attributes.get("type") or "text/javascript")
        self.event_handlers += [name for name in attributes if name.startswith("on")]
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes["href"])


def page(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    return parser


def publish_story(editor, reporter, desk, **fields):
    article = ArticleFactory(desk=desk, created_by=reporter, **fields)
    return workflow.publish(article, by=editor)


@pytest.fixture
def oslo():
    return DeskFactory(name="Oslo", slug="oslo")


def test_front_page_lists_the_latest_stories_newest_first(client, desk, oslo, reporter, editor):
    with_credits = ArticleFactory(
        desk=desk,
        created_by=reporter,
        slug="budget-vote",
        headline="Parliament passes the budget",
        summary="The vote ends a month of talks.",
        dateline_place="Washington",
        dateline_date=date(2026, 11, 30),
    )
    CreditFactory(article=with_credits, contributor=ContributorFactory(name="Dewi Lestari"))
    workflow.publish(with_credits, by=editor)
    publish_story(editor, reporter, oslo, slug="harbour", headline="Storm closes the harbour")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Storm closes the harbour") < html.index("Parliament passes the budget")
    assert '<a href="/stories/budget-vote/">Parliament passes the budget</a>' in html
    assert "The vote ends a month of talks." in html
    assert "By Dewi Lestari" in html
    assert '<span class="dateline-tag">Washington</span>' in html
    assert '<a href="/desks/oslo/">Oslo</a>' in html


def test_lists_show_only_what_a_reader_may_see(client, desk, reporter, editor):
    publish_story(editor, reporter, desk, headline="Released and readable")
    ArticleFactory(desk=desk, created_by=reporter, headline="Still a draft")
    submitted = ArticleFactory(desk=desk, created_by=reporter, headline="Waiting at the desk")
    workflow.submit(submitted, by=reporter)
    embargoed = ArticleFactory(desk=desk, created_by=reporter, headline="Under embargo")
    workflow.publish(embargoed, by=editor, embargo_until=timezone.now() + timedelta(hours=2))
    withheld = publish_story(editor, reporter, desk, headline="Held for legal review")
    workflow.withhold(withheld, by=editor, reason="Legal review.")
    killed = publish_story(editor, reporter, desk, headline="Killed on a wrong fact")
    workflow.kill(killed, by=editor, reason="Wrong fact.")

    for path in ("/", "/desks/washington/"):
        html = client.get(path).content.decode()
        assert "Released and readable" in html, path
        for hidden in (
            "Still a draft",
            "Waiting at the desk",
            "Under embargo",
            "Held for legal review",
            "Killed on a wrong fact",
        ):
            assert hidden not in html, (path, hidden)


def test_lists_show_the_copy_as_sent_not_an_unsent_edit(client, desk, reporter, editor):
    story = publish_story(editor, reporter, desk, headline="Sent headline", summary="Sent.")
    story.headline = "Unsent headline"
    story.summary = "Unsent summary."
    workflow.save_copy(
        story, by=editor, expected_lock_version=story.lock_version, fields=["headline", "summary"]
    )

    for path in ("/", "/desks/washington/"):
        html = client.get(path).content.decode()
        assert "Sent headline" in html and "Sent." in html
        assert "Unsent" not in html


@pytest.mark.parametrize("count", [1, 12])
def test_front_page_queries_do_not_grow_with_the_stories(
    client, desk, oslo, reporter, editor, count, django_assert_num_queries
):
    for n in range(count):
        story = publish_story(editor, reporter, desk if n % 2 else oslo, slug=f"story-{n}")
        workflow.correct(story, by=editor, note="A name was misspelled.")

    # Desks for the navigation, the stories, their versions.
    with django_assert_num_queries(3):
        response = client.get("/")

    assert response.content.decode().count('<li lang="en">') == count


@pytest.mark.parametrize("count", [1, 12])
def test_desk_page_queries_do_not_grow_with_the_stories(
    client, desk, reporter, editor, count, django_assert_num_queries
):
    for n in range(count):
        publish_story(editor, reporter, desk, slug=f"story-{n}")

    with django_assert_num_queries(3):
        response = client.get("/desks/washington/")

    assert response.content.decode().count('<li lang="en">') == count


def test_desk_page_shows_only_its_desk_and_links_its_feeds(client, desk, oslo, reporter, editor):
    publish_story(editor, reporter, desk, headline="A Washington story")
    publish_story(editor, reporter, oslo, headline="An Oslo story")

    html = client.get("/desks/oslo/").content.decode()

    assert "An Oslo story" in html
    assert "A Washington story" not in html
    assert "<h1>Oslo</h1>" in html
    assert '<a href="/desks/oslo/" aria-current="page">Oslo</a>' in html
    for fmt in ("rss", "atom", "json"):
        assert f'href="/feeds/desk/oslo/{fmt}/"' in html


def test_a_desk_without_stories_says_so(client, oslo):
    response = client.get("/desks/oslo/")

    assert response.status_code == 200
    assert "No stories have been published here yet." in response.content.decode()


def test_unknown_desk_is_not_found(client, desk):
    assert client.get("/desks/atlantis/").status_code == 404


def test_not_found_page_is_in_the_sites_own_style(client, settings):
    settings.NEWSROOM_ORGANISATION = "Lakeside Wire"
    response = client.get("/stories/no-such-story/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert '<a class="site-name" href="/">Lakeside Wire</a>' in html
    assert page(html).stylesheets == ["/static/articles/site.css"]
    assert '<meta name="robots" content="noindex">' in html


def test_story_page_links_its_desk_and_feeds(client, desk, reporter, editor):
    story = publish_story(editor, reporter, desk, slug="budget-vote")

    html = client.get("/stories/budget-vote/").content.decode()

    links = page(html).links
    assert "/desks/washington/" in links
    assert "/" in links
    for fmt in ("rss", "atom", "json"):
        assert f"/feeds/desk/washington/{fmt}/" in links
        assert f"/feeds/{fmt}/" in links
    assert story.headline in html


def test_story_page_keeps_byline_credit_line_correction_and_dateline(
    client, desk, reporter, editor
):
    story = ArticleFactory(
        desk=desk,
        created_by=reporter,
        slug="budget-vote",
        dateline_place="Nairobi",
        dateline_date=date(2026, 11, 30),
    )
    CreditFactory(article=story, contributor=ContributorFactory(name="Dewi Lestari"), order=0)
    CreditFactory(
        article=story,
        contributor=ContributorFactory(name="Chung-Hsi Tu"),
        role="contributor",
        desk_label="VOA Mandarin",
        order=1,
    )
    workflow.publish(story, by=editor)
    workflow.correct(story, by=editor, note="An earlier version misspelled Nairobi.")

    html = client.get("/stories/budget-vote/").content.decode()

    assert '<p class="byline">By Dewi Lestari</p>' in html
    assert "VOA Mandarin&#x27;s Chung-Hsi Tu contributed to this report." in html
    assert "An earlier version misspelled Nairobi." in html
    assert '<p class="dateline">Nairobi, November 30 —</p>' in html


def test_story_in_another_language_marks_the_english_chrome(client, reporter, editor):
    desk = DeskFactory(name="VOA Mandarin", slug="mandarin", language="zh-Hans")
    publish_story(editor, reporter, desk, slug="zh-story", language="zh-Hans", headline="港口关闭")

    html = client.get("/stories/zh-story/").content.decode()

    assert '<html lang="zh-Hans" dir="ltr">' in html
    assert '<header class="site-header" lang="en" dir="ltr">' in html
    assert '<a class="skip-link" href="#main" lang="en">Skip to the story</a>' in html


@pytest.mark.parametrize("path", ["/", "/desks/washington/", "/stories/budget-vote/", "/nothing/"])
def test_public_pages_have_no_inline_style_or_script(client, desk, reporter, editor, path):
    publish_story(editor, reporter, desk, slug="budget-vote")

    parsed = page(client.get(path).content.decode())

    assert parsed.inline_styles == []
    assert parsed.event_handlers == []
    # Structured data is not executed, so a script-src policy does not apply to it.
    assert set(parsed.scripts) <= {"application/ld+json"}
    assert parsed.stylesheets == ["/static/articles/site.css"]


def test_the_stylesheet_is_a_static_file_fit_for_a_phone():
    path = finders.find("articles/site.css")

    assert path is not None
    css = Path(path).read_text(encoding="utf-8")
    assert re.search(r"max-width:\s*42rem", css)
    assert "overflow-wrap: break-word" in css


def test_every_public_page_fits_a_phone_screen(client, desk, reporter, editor):
    publish_story(editor, reporter, desk, slug="budget-vote")

    for path in ("/", "/desks/washington/", "/stories/budget-vote/"):
        html = client.get(path).content.decode()
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
