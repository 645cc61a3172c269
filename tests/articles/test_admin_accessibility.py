"""What the desk's pages give assistive technology, read from the HTML the server sends:
names for the credit rows' inputs, descriptions that exist, refusals announced with the focus
on them, one history per story, and the English words of a story page in another language
marked as English. (axe-core checks the rendered pages in tests/e2e/test_accessibility_browser.)"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles import workflow
from tests.articles.test_admin_support import change_url, client_for, transition_url
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory, DeskFactory

pytestmark = pytest.mark.django_db


class _Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def by_id(html: str) -> dict[str, dict[str, str]]:
    return {attrs["id"]: attrs for _, attrs in elements(html) if attrs.get("id")}


def test_credit_rows_name_their_inputs_and_describe_them_with_text_that_exists(draft, reporter):
    CreditFactory(article=draft, contributor=ContributorFactory(name="Dewi Lestari"), order=0)
    html = client_for(reporter).get(change_url(draft)).content.decode()
    found = by_id(html)

    assert found["id_credits-0-role"]["aria-label"] == "Role, credit 1"
    assert found["id_credits-0-desk_label"]["aria-label"] == "Desk label, credit 1"
    assert found["id_credits-0-place"]["title"] == '"from Marsabit"'
    assert found["id_credits-0-order"]["aria-label"] == "Order, credit 1"
    assert found["id_credits-0-DELETE"]["aria-label"] == "Delete, credit 1"
    # The row "Add another credit" copies.
    assert found["id_credits-__prefix__-role"]["aria-label"] == "Role, new credit"
    # Every aria-describedby on the page names elements that are there.
    missing = [
        (attrs.get("id"), ref)
        for _, attrs in elements(html)
        for ref in attrs.get("aria-describedby", "").split()
        if ref not in found
    ]
    assert missing == []
    # Fields outside the table keep their help text, described as before.
    assert found["id_slug"]["aria-describedby"] == "id_slug_helptext"


def test_a_refused_transition_is_an_alert_that_takes_the_focus(published, editor):
    client = client_for(editor)
    response = client.post(transition_url(published, "correct"), {"note": ""}, follow=True)
    html = response.content.decode()

    alerts = [attrs for _, attrs in elements(html) if attrs.get("role") == "alert"]
    assert len(alerts) == 1
    assert "autofocus" in alerts[0] and alerts[0]["tabindex"] == "-1"
    assert '<div role="alert" tabindex="-1" autofocus>A correction needs a note' in html

    response = client.post(transition_url(published, "correct"), {"note": "Fixes a name."})
    html = client.get(change_url(published)).content.decode()
    assert '<div role="status">The correction to' in html
    assert 'role="alert"' not in html


def test_history_is_the_story_versions_and_audit_trail(published, editor):
    client = client_for(editor)
    history = reverse("admin:articles_article_history", args=[published.pk])
    versions = reverse("admin:articles_article_versions", args=[published.pk])

    response = client.get(history)

    assert response.status_code == 302 and response["Location"] == versions
    page = client.get(change_url(published)).content.decode()
    assert 'class="historylink"' not in page
    assert f'href="{versions}">Versions and audit trail</a>' in page


def test_english_words_on_a_chinese_story_page_are_marked_english(client, reporter, editor):
    desk = DeskFactory(name="VOA Mandarin", slug="voa-mandarin", language="zh-Hans")
    article = ArticleFactory(
        desk=desk,
        created_by=reporter,
        slug="taipei-typhoon",
        language="zh-Hans",
        headline="台风逼近台湾",
        dateline_place="台北",
        body="<p>中央气象署周三表示。</p>",
    )
    CreditFactory(
        article=article, contributor=ContributorFactory(name="王思远", desk=desk), order=0
    )
    CreditFactory(
        article=article,
        contributor=ContributorFactory(name="Chung-Hsi Tu", desk=desk),
        role="contributor",
        order=1,
    )
    workflow.publish(article, by=editor)
    workflow.correct(article, by=editor, note="Corrects the district.")

    html = client.get("/stories/taipei-typhoon/").content.decode()
    langs = {
        name: attrs.get("lang")
        for _, attrs in elements(html)
        for name in attrs.get("class", "").split()
    }

    assert '<html lang="zh-Hans" dir="ltr">' in html
    for part in ("byline", "meta", "dateline", "credit-line", "corrections", "story-feeds"):
        assert langs[part] == "en", part
    assert '<h1 id="headline">台风逼近台湾</h1>' in html
    # On the front page too, the time and byline of a Chinese story are English words.
    front = client.get("/").content.decode()
    assert '<p class="byline" lang="en">By 王思远</p>' in front


def test_an_english_story_page_needs_no_lang_on_its_parts(client, published):
    html = client.get(published.get_absolute_url()).content.decode()
    assert ' lang="en"' not in html.split("<body>", 1)[1]
