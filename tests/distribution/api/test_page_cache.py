"""Item pages are the stored ninjs sent as it is, cached per entitlement set against the
items' generation: unchanged pages answer 304, and nothing cached for one set of
entitlements, or from before a kill, withhold or correction, is ever served."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleVersion
from distribution.selectors import present
from tests.factories import DeskFactory

pytestmark = pytest.mark.django_db


def results(response) -> dict:
    assert response.status_code == 200, response.content
    return {item["uri"]: item for item in response.json()["results"]}


def as_built_from_dicts(article: Article) -> dict:
    """The item as the API built it from parsed dicts: the current version's stored ninjs
    shown under the article's state."""
    article.refresh_from_db()
    sent = ArticleVersion.objects.get(article=article, number=article.version).ninjs
    return present(sent, article)


@pytest.fixture
def everyone(make_partner, client_for):
    _, key = make_partner("Everyone", embargoed=True)
    return client_for(key)


def test_pages_carry_the_stored_items_with_the_same_values(
    washington, publish, editor, everyone, ninjs_validator
):
    plain = publish(washington, headline="Plain “quoted” story — ünïcode")
    corrected = publish(washington, headline="Corrected")
    workflow.correct(corrected, by=editor, note="Fixes a name.")
    killed = publish(washington, headline="Killed")
    workflow.kill(killed, by=editor, reason="Legal.")
    withheld = publish(washington, headline="Withheld")
    workflow.withhold(withheld, by=editor, reason="Checking.")
    # Withheld before the withheld item was stored: built at request time, same answer.
    old_withheld = publish(washington, headline="Withheld long ago")
    workflow.withhold(old_withheld, by=editor, reason="Checking.")
    Article.objects.filter(pk=old_withheld.pk).update(withheld_ninjs=None)

    response = everyone.get("/api/v1/items/")
    assert response["Content-Type"] == "application/json"
    items = results(response)
    for article in (plain, corrected, killed, withheld, old_withheld):
        assert items[article.guid] == as_built_from_dicts(article), article.headline
        ninjs_validator.validate(items[article.guid])
        detail = everyone.get(f"/api/v1/items/{article.guid}/")
        assert detail.json() == items[article.guid]
    assert items[withheld.guid]["pubstatus"] == "withheld"
    assert "by" not in items[withheld.guid]
    assert items[killed.guid]["pubstatus"] == "canceled"
    assert "headlines" not in items[killed.guid]


def test_withholding_stores_the_item_partners_get_and_release_clears_it(
    washington, publish, editor
):
    story = publish(washington, headline="Held")
    workflow.withhold(story, by=editor, reason="Checking.")
    story.refresh_from_db()
    assert story.withheld_ninjs == as_built_from_dicts(story)
    assert story.withheld_ninjs["pubstatus"] == "withheld"
    workflow.release(story, by=editor)
    story.refresh_from_db()
    assert story.withheld_ninjs is None
    workflow.withhold(story, by=editor, reason="Again.")
    workflow.kill(story, by=editor, reason="Legal.")
    story.refresh_from_db()
    assert story.withheld_ninjs is None


def test_an_unchanged_page_answers_304_and_costs_no_page_query(
    washington, publish, make_partner, client_for, django_assert_num_queries
):
    publish(washington, headline="One")
    publish(washington, headline="Two")
    _, key = make_partner("Desk only", desks=["washington"])
    client = client_for(key)
    first = client.get("/api/v1/items/")
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "private, no-cache"

    # Served from the cache, with the key, its partner and entitlements remembered from
    # the first request: no query at all.
    with django_assert_num_queries(0):
        again = client.get("/api/v1/items/")
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == etag

    assert client.get("/api/v1/items/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/items/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Another page (size, cursor, filters) is another entry.
    other = client.get("/api/v1/items/?page_size=1", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    assert len(other.json()["results"]) == 1


def test_a_cached_page_is_never_served_to_a_partner_with_other_entitlements(
    washington, publish, make_partner, client_for
):
    DeskFactory(slug="nairobi", name="Nairobi")
    story = publish(washington, headline="Only for Washington partners")
    _, key_a = make_partner("Washington partner", desks=["washington"])
    _, key_b = make_partner("Nairobi partner", desks=["nairobi"])
    _, key_c = make_partner("Another Washington partner", desks=["washington"])
    a, b, c = client_for(key_a), client_for(key_b), client_for(key_c)

    page_a = a.get("/api/v1/items/")
    assert set(results(page_a)) == {story.guid}
    # The same URL, the page for A cached: B gets its own answer, not A's, even when it
    # presents A's validator.
    page_b = b.get("/api/v1/items/", HTTP_IF_NONE_MATCH=page_a["ETag"])
    assert page_b.status_code == 200
    assert results(page_b) == {}
    assert page_b["ETag"] != page_a["ETag"]
    assert b.get(f"/api/v1/items/{story.guid}/").status_code == 404
    # The same entitlements are the same page.
    assert c.get("/api/v1/items/", HTTP_IF_NONE_MATCH=page_a["ETag"]).status_code == 304


def test_an_embargoed_partner_page_is_not_served_to_a_plain_one(
    washington, publish, make_partner, client_for
):
    story = publish(
        washington, headline="Under embargo", embargo_until=timezone.now() + timedelta(hours=1)
    )
    _, early_key = make_partner("Early", embargoed=True)
    _, plain_key = make_partner("Plain")
    assert set(results(client_for(early_key).get("/api/v1/items/"))) == {story.guid}
    assert results(client_for(plain_key).get("/api/v1/items/")) == {}


@pytest.mark.parametrize("change", ["kill", "withhold", "correct"])
def test_a_change_makes_the_next_conditional_get_a_200_with_it(
    change, washington, publish, editor, make_partner, client_for
):
    story = publish(washington, headline="Soon changed")
    _, key = make_partner("Watching", desks=["washington"])
    client = client_for(key)
    first = client.get("/api/v1/items/")
    etag = first["ETag"]
    assert client.get("/api/v1/items/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    if change == "kill":
        workflow.kill(story, by=editor, reason="Legal advice.")
    elif change == "withhold":
        workflow.withhold(story, by=editor, reason="Checking.")
    else:
        workflow.correct(story, by=editor, note="Fixes the date.")

    after = client.get("/api/v1/items/", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    item = results(after)[story.guid]
    assert item == as_built_from_dicts(story)
    if change == "kill":
        assert item["pubstatus"] == "canceled"
        assert item["ednote"].startswith("KILL:")
        assert "bodies" not in item and "headlines" not in item
    elif change == "withhold":
        assert item["pubstatus"] == "withheld"
    else:
        assert item["version"] == "2"
    # Later than the page it replaces, so If-Modified-Since cannot take it for unchanged.
    modified = client.get("/api/v1/items/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert modified.status_code == 200


def test_an_embargo_ending_shows_the_story_with_no_event(
    washington, publish, make_partner, client_for
):
    story = publish(
        washington,
        headline="Briefly embargoed",
        embargo_until=timezone.now() + timedelta(seconds=1),
    )
    other = publish(washington, headline="Already out")
    _, key = make_partner("Plain")
    client = client_for(key)
    assert set(results(client.get("/api/v1/items/"))) == {other.guid}
    time.sleep(1.2)
    assert set(results(client.get("/api/v1/items/"))) == {story.guid, other.guid}


def test_pages_are_built_from_the_database_while_the_cache_is_down(
    washington, publish, editor, make_partner, client_for, monkeypatch
):
    from django.core.cache import cache

    story = publish(washington, headline="Served anyway")
    _, key = make_partner("Patient")
    client = client_for(key)
    assert set(results(client.get("/api/v1/items/"))) == {story.guid}

    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set", down)
    workflow.kill(story, by=editor, reason="Legal.")
    item = results(client.get("/api/v1/items/"))[story.guid]
    assert item["pubstatus"] == "canceled"
