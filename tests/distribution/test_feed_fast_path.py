"""A cached feed for a reader without a session is answered before the session, user and
CSRF middleware (CachedFeedMiddleware), with the very headers and body the whole stack
gives; anything else still goes through the whole stack."""

from __future__ import annotations

import pytest
from django.test import Client

from distribution.feeds import cache as feed_cache

pytestmark = pytest.mark.usefixtures("cold_feeds")

FAST_PATH = "distribution.feeds.middleware.CachedFeedMiddleware"
PATHS = ("/feeds/rss/", "/feeds/desk/washington/atom/", "/feeds/lang/en/json/")


@pytest.fixture
def story(make_story):
    return make_story(headline="Served to anonymous readers", topics=("economy",))


def whole_stack(settings) -> None:
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != FAST_PATH]


def answer(path: str, **headers) -> tuple[int, dict[str, str], bytes, object]:
    response = Client().get(path, headers=headers)
    return response.status_code, dict(response.headers), response.content, response.wsgi_request


@pytest.mark.parametrize("path", PATHS)
def test_the_fast_path_answers_as_the_whole_stack_does(story, settings, path):
    answer(path)  # rendered and cached
    fast = answer(path)
    etag = fast[1]["ETag"]
    fast_304 = answer(path, if_none_match=etag)
    whole_stack(settings)
    slow = answer(path)
    slow_304 = answer(path, if_none_match=etag)

    # Only the fast path left the session and the user unread (never even attached).
    assert not hasattr(fast[3], "session") and not hasattr(fast[3], "user")
    assert hasattr(slow[3], "session") and hasattr(slow[3], "user")
    assert fast[:3] == slow[:3]
    assert fast_304[:3] == slow_304[:3]
    assert fast_304[0] == 304
    headers = fast[1]
    assert headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Content-Length"] == str(len(fast[2]))
    assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")


def test_a_request_with_a_session_cookie_goes_through_the_whole_stack(story):
    Client().get("/feeds/rss/")
    client = Client()
    client.cookies["sessionid"] = "not-a-session"
    response = client.get("/feeds/rss/")
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "session")
    assert b"Served to anonymous readers" in response.content


def test_an_unknown_host_is_still_refused(story):
    Client().get("/feeds/rss/")
    assert Client().get("/feeds/rss/", headers={"host": "feeds.example.net"}).status_code == 400


def test_unsafe_methods_misses_and_unknown_feeds_go_through_the_whole_stack(story):
    client = Client()
    # A miss: rendered by the view under its lock, then served by the fast path.
    first = client.get("/feeds/topic/economy/rss/")
    assert first.status_code == 200 and hasattr(first.wsgi_request, "session")
    again = client.get("/feeds/topic/economy/rss/")
    assert again.content == first.content and not hasattr(again.wsgi_request, "session")
    assert client.post("/feeds/rss/").status_code == 405
    for path in ("/feeds/desk/nowhere/rss/", "/feeds/rss", "/feeds/xml/"):
        # A remembered 404 answers the same the second time.
        assert client.get(path).status_code in (301, 404), path
        assert client.get(path).status_code in (301, 404), path
    assert feed_cache.get_validator("desk:nowhere:rss").missing


def test_a_feed_with_a_query_string_is_the_same_feed(story):
    plain = Client().get("/feeds/rss/")
    tagged = Client().get("/feeds/rss/?utm_source=reader")
    assert tagged.status_code == 200 and tagged.content == plain.content
