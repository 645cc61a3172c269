"""The sanitiser is never given work that costs seconds: a body past ARTICLE_BODY_MAX_BYTES or
nested past BODY_MAX_DEPTH is refused before parsing, and the story form says why."""

from __future__ import annotations

import time

import pytest

from articles.models import Article
from articles.sanitize import (
    BODY_MAX_DEPTH,
    BodyTooDeep,
    BodyTooLong,
    clean_body_html,
    nesting_depth,
)
from tests.articles.test_admin_support import change_url, client_for, form_data


def nested(tag: str, depth: int) -> str:
    return f"<{tag}>" * depth + "words" + f"</{tag}>" * depth


def test_a_hundred_thousand_nested_tags_are_refused_within_a_second():
    body = nested("blockquote", 100_000)
    started = time.monotonic()
    with pytest.raises(BodyTooLong):
        clean_body_html(body)
    assert time.monotonic() - started <= 1.0


def test_deep_nesting_is_refused_within_a_second_even_under_a_raised_length_cap(settings):
    settings.ARTICLE_BODY_MAX_BYTES = 10_000_000
    body = nested("blockquote", 100_000)
    started = time.monotonic()
    with pytest.raises(BodyTooDeep, match=f"more than {BODY_MAX_DEPTH} deep"):
        clean_body_html(body)
    assert time.monotonic() - started <= 1.0


def test_a_short_deep_body_is_refused():
    body = nested("em", BODY_MAX_DEPTH + 1)
    assert len(body) < 1_000
    with pytest.raises(BodyTooDeep):
        clean_body_html(body)


def test_a_body_at_the_depth_limit_is_cleaned():
    assert clean_body_html(nested("em", BODY_MAX_DEPTH)).count("<em>") == BODY_MAX_DEPTH


def test_a_long_story_within_the_cap_is_cleaned_quickly(settings):
    paragraph = "<p>The harbour closed on Monday, <em>the port said</em>.</p>\n"
    body = paragraph * (settings.ARTICLE_BODY_MAX_BYTES // len(paragraph))
    started = time.monotonic()
    cleaned = clean_body_html(body)
    assert time.monotonic() - started <= 1.0
    assert cleaned.count("<p>") == body.count("<p>")


@pytest.mark.parametrize(
    ("html", "depth"),
    [
        ("<p>one</p><p>two</p>", 1),
        ("<p>one<p>two<p>three", 1),  # implied end tags
        ("<ul><li>a<li>b<li><ul><li>c</ul></ul>", 4),
        ("<blockquote><p>a<br>b<br/>c</p></blockquote>", 2),
        ("<em><strong>x</em></strong>", 2),  # misnested: closed by the outer end tag
        ("no markup at all", 0),
    ],
)
def test_nesting_depth(html, depth):
    assert nesting_depth(html) == depth


@pytest.mark.django_db
def test_the_story_form_refuses_a_deep_body_with_a_message(editor, draft):
    client = client_for(editor)
    data = form_data(client.get(change_url(draft)))
    data["body"] = nested("blockquote", 5_000)

    response = client.post(change_url(draft), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert any("nest more than" in error for error in errors)
    assert Article.objects.get(pk=draft.pk).body == draft.body


@pytest.mark.django_db
def test_the_story_form_refuses_an_overlong_body(editor, draft, settings):
    settings.ARTICLE_BODY_MAX_BYTES = 1_000
    client = client_for(editor)
    data = form_data(client.get(change_url(draft)))
    data["body"] = "<p>" + "word " * 300 + "</p>"

    response = client.post(change_url(draft), data)

    assert response.status_code == 200
    assert "the limit is 1,000" in str(response.context["adminform"].form.errors["body"])
