"""Readers see what was sent: an edit to published copy stays in the newsroom until it moves."""

from __future__ import annotations

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles import workflow
from articles.sanitize import clean_plain_text
from distribution.feeds.selectors import feed_items, resolve_scope


@pytest.fixture
def edited_after_publish(published, editor):
    published.headline = "Unsent headline under legal review"
    published.body = "<p>UNSENT PARAGRAPH naming a protected witness.</p>"
    workflow.save_copy(
        published,
        by=editor,
        expected_lock_version=published.lock_version,
        fields=["headline", "body"],
    )
    return published


def test_the_story_page_keeps_the_sent_copy(client, edited_after_publish):
    page = client.get(f"/stories/{edited_after_publish.slug}/").content.decode()

    assert "UNSENT PARAGRAPH" not in page
    assert "Unsent headline" not in page
    assert "Second paragraph." in page


def test_feeds_keep_the_sent_copy(client, edited_after_publish):
    [item] = [a for a in feed_items(resolve_scope("all")) if a.pk == edited_after_publish.pk]
    assert "UNSENT" not in item.body and "Unsent" not in item.headline

    parsed = feedparser.parse(client.get("/feeds/rss/").content)
    assert parsed.bozo == 0
    assert "UNSENT" not in parsed.entries[0].content[0].value
    assert parsed.entries[0].title != "Unsent headline under legal review"


def test_a_writethru_moves_the_edit_everywhere(client, edited_after_publish, editor):
    workflow.update(edited_after_publish, by=editor, note="Adds detail")

    page = client.get(f"/stories/{edited_after_publish.slug}/").content.decode()
    assert "UNSENT PARAGRAPH" in page and "Unsent headline under legal review" in page
    [item] = [a for a in feed_items(resolve_scope("all")) if a.pk == edited_after_publish.pk]
    assert item.headline == "Unsent headline under legal review"


def test_a_correction_note_shows_once_the_correction_moves(client, published, editor):
    workflow.correct(published, by=editor, note="An earlier version misspelled the minister.")

    page = client.get(f"/stories/{published.slug}/").content.decode()
    assert "An earlier version misspelled the minister." in page


@given(st.text(alphabet=st.sampled_from(list("ab <>/&;ltgscript\"'")), max_size=60))
def test_plain_text_cleaning_is_idempotent(text):
    once = clean_plain_text(text)
    assert clean_plain_text(once) == once


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        ("<p>One short lede.</p><p>Second.</p>", "One short lede."),
        ("<h2>Subhead first</h2><p>The lede &amp; <em>more</em>.</p>", "The lede & more."),
        ("<blockquote>No paragraph at all</blockquote>", "No paragraph at all"),
        ("<ul><li>Fund approved.</li><li>Counties pay.</li></ul>", "Fund approved. Counties pay."),
        ("", ""),
        (f"<p>{'word ' * 100}</p>", ("word " * 59).strip() + "…"),
    ],
    ids=["short", "after-a-subhead", "no-paragraph", "list-only", "empty", "long-cut-at-a-word"],
)
def test_summary_from_the_lede(body, summary):
    from articles.ninjs import summary_from_lede

    made = summary_from_lede(body)
    assert made == summary
    assert len(made) <= 300
