"""With the cache unreachable, feeds and the partner API answer from the database (never a
500), throttles let requests through with a log line, and /healthz says the cache is down."""

from __future__ import annotations

import pytest
from django.test import override_settings

from distribution.api.partners import create_partner
from distribution.feeds import cache as feed_cache

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once
DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CLOSED_PORT,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(monkeypatch, cold_feeds):
    """The cache refuses every connection, from this moment on."""
    with override_settings(CACHES=DEAD_CACHE):
        # The feeds' validator client is made once per process, from the settings of then.
        monkeypatch.setattr(feed_cache, "_validator_store", None)
        yield


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/feeds/rss/", "application/rss+xml"),
        ("/feeds/desk/washington/atom/", "application/atom+xml"),
        ("/feeds/lang/en/json/", "application/feed+json"),
    ],
)
def test_feeds_are_rendered_from_the_database(client, make_story, cache_down, path, content_type):
    story = make_story(headline="Senate passes the farm bill", slug="farm-bill")
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert f"/stories/{story.slug}/" in response.content.decode()


def test_a_kill_during_the_outage_is_out_of_the_next_render(client, make_story, editor, cache_down):
    from articles import workflow

    story = make_story(headline="Unconfirmed figures", slug="unconfirmed")
    assert "/stories/unconfirmed/" in client.get("/feeds/rss/").content.decode()
    workflow.kill(story, by=editor, reason="Could not be confirmed.")
    feed = client.get("/feeds/rss/").content.decode()
    # The story is gone; its kill notice stands in its place.
    assert "Unconfirmed figures" not in feed
    assert "<title>This story has been withdrawn</title>" in feed
    assert "remove it. Could not be confirmed.</description>" in feed


def test_an_unknown_feed_is_still_a_404(client, desk, cache_down):
    assert client.get("/feeds/desk/no-such-desk/rss/").status_code == 404


def test_the_cache_is_skipped_for_a_while_after_it_failed(client, make_story, cache_down, caplog):
    make_story(headline="Once is enough")
    for _ in range(3):
        assert client.get("/feeds/rss/").status_code == 200
    warnings = [r for r in caplog.records if "shared cache does not answer" in r.getMessage()]
    # Once for the process (feeds and partner API pages share one circuit), not once per
    # request.
    assert len(warnings) == 1
    assert feed_cache.cache_is_down()


def test_the_partner_api_answers_and_the_throttle_fails_open(
    client, make_story, cache_down, caplog
):
    story = make_story(headline="For partners")
    _, key = create_partner("Lagos Daily")
    response = client.get("/api/v1/items/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert response.status_code == 200
    assert [item["uri"] for item in response.json()["results"]] == [story.guid]
    assert any("request allowed" in r.getMessage() for r in caplog.records)


def test_a_refused_key_is_still_refused(client, cache_down):
    assert client.get("/api/v1/items/", HTTP_AUTHORIZATION="Api-Key made.up").status_code == 401


def test_healthz_reports_the_cache_down(client, cache_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("error")
