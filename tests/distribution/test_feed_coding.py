"""Feeds in the content coding the reader asks for (RFC 9110 §8.4, §12.5.3): gzip for a
reader that accepts it, the text for one that does not. The shared cache and a gzip
reader's process copy hold the compressed body; both codings carry the same feed, each
with its own ETag, and both follow every change."""

from __future__ import annotations

import gzip

import feedparser
import pytest
from django.core.cache import cache
from django.test import Client

from articles import workflow
from distribution.feeds import cache as feed_cache
from distribution.feeds.rendering import refresh_scope
from distribution.feeds.selectors import resolve_scope
from tests.factories import DeskFactory

pytestmark = pytest.mark.usefixtures("cold_feeds")

GZIP = {"Accept-Encoding": "gzip, deflate"}
PATHS = ("/feeds/rss/", "/feeds/desk/washington/atom/", "/feeds/lang/en/json/")


@pytest.mark.parametrize(
    ("accept_encoding", "coding"),
    [
        ("gzip, deflate", "gzip"),
        ("gzip", "gzip"),
        ("GZIP", "gzip"),
        ("br, gzip;q=0.5", "gzip"),
        ("x-gzip", "gzip"),
        ("*", "gzip"),
        ("deflate, *;q=0.1", "gzip"),
        ("", "identity"),
        ("identity", "identity"),
        ("br, deflate", "identity"),
        ("gzip;q=0", "identity"),
        ("gzip; q=0.000", "identity"),
        ("*;q=0", "identity"),
        ("gzip;q=0, *", "identity"),
        ("gzip;q=often", "identity"),
        ("gzipped", "identity"),
    ],
)
def test_the_coding_follows_accept_encoding(accept_encoding, coding):
    assert feed_cache.content_coding(accept_encoding) == coding


@pytest.mark.parametrize("path", PATHS)
def test_a_gzip_reader_gets_the_same_feed_compressed(make_story, path, django_assert_num_queries):
    make_story(headline="Read compressed", topics=("economy",))
    client = Client()
    plain = client.get(path)
    compressed = client.get(path, headers=GZIP)
    assert plain.status_code == compressed.status_code == 200
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert plain["Vary"] == compressed["Vary"] == "Accept-Encoding"
    assert compressed["Content-Length"] == str(len(compressed.content))
    assert len(compressed.content) < len(plain.content)
    assert gzip.decompress(compressed.content) == plain.content
    assert b"Read compressed" in plain.content
    # One feed, two representations: each has a validator of its own.
    assert compressed["ETag"] == plain["ETag"][:-1] + '-gzip"'
    assert compressed["Last-Modified"] == plain["Last-Modified"]
    with django_assert_num_queries(0):
        again = client.get(path, headers=GZIP)
        not_modified = client.get(path, headers={**GZIP, "If-None-Match": compressed["ETag"]})
        other_etag = client.get(path, headers={**GZIP, "If-None-Match": plain["ETag"]})
    assert again.content == compressed.content
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == compressed["ETag"]
    assert not_modified["Vary"] == "Accept-Encoding"
    assert other_etag.status_code == 200  # the text's ETag does not validate the gzip body
    assert client.get(path, headers={"If-None-Match": plain["ETag"]}).status_code == 304


def test_a_gzip_feed_parses_as_a_feed_reader_reads_it(make_story):
    make_story(headline="Parsed from gzip")
    response = Client().get("/feeds/atom/", headers=GZIP)
    parsed = feedparser.parse(gzip.decompress(response.content))
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "Parsed from gzip"


def test_the_shared_cache_holds_the_body_compressed(make_story):
    make_story(headline="Stored compressed")
    refresh_scope(resolve_scope("all"))
    stored = cache.get(f"{feed_cache._PREFIX}:body:all:rss")
    assert stored["coding"] == "gzip"
    text = gzip.decompress(stored["body"])
    assert b"Stored compressed" in text
    assert stored["etag"] == feed_cache.body_etag(text)  # the ETag is the text's


def test_a_kill_reaches_both_codings_in_the_same_process(
    make_story, editor, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_story(headline="Figures that were wrong")
    client = Client()
    assert b"Figures that were wrong" in client.get("/feeds/rss/").content
    compressed = client.get("/feeds/rss/", headers=GZIP)
    assert b"Figures that were wrong" in gzip.decompress(compressed.content)
    assert {"all:rss", "all:rss;gzip"} <= set(feed_cache.process_copies())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.kill(story, by=editor, reason="The figures were wrong.")
    compressed = client.get("/feeds/rss/", headers=GZIP)
    plain = client.get("/feeds/rss/")
    text = gzip.decompress(compressed.content)
    assert text == plain.content
    assert b"Figures that were wrong" not in text
    assert b"The figures were wrong." in text


def test_gzip_copies_count_their_compressed_bytes(make_story, settings):
    """The bound is on what the copies hold: a store too small for the feeds' text holds
    every one of them compressed."""
    paths = []
    for n in range(8):
        desk = DeskFactory(name=f"Desk {n}", slug=f"desk-{n}")
        make_story(story_desk=desk, headline=f"Story {n}", body="<p>Wire copy, repeated.</p>" * 60)
        paths.append(f"/feeds/desk/{desk.slug}/rss/")
    client = Client()
    sizes = {path: len(client.get(path).content) for path in paths}  # rendered and cached
    settings.FEED_MEMORY_BYTES = sum(sizes.values()) // 2
    feed_cache.forget_process_copies()
    copies = feed_cache.process_copies()
    for path in paths:
        assert client.get(path, headers=GZIP).status_code == 200
    assert len(copies) == len(paths)
    assert all(key.endswith(";gzip") for key in copies)
    for path in paths:
        client.get(path)  # the text of each as well: the store lets the oldest go
    assert len(copies) < 2 * len(paths)
