"""Helpers for the wire-import tests: parse a story from text, find quotes and sources."""

from __future__ import annotations

import pytest

from articles.ingest import parse_wire_text


@pytest.fixture
def parse():
    """Parse wire text into the contract's dict."""

    def _parse(text: str) -> dict:
        return parse_wire_text(text, file="story.txt")

    return _parse


def _speaker_of(story: dict, start: str) -> str | None:
    for quote in story["quotes"]:
        if quote["text"].startswith(start):
            return quote["speaker"]
    raise AssertionError(f"no quote starting {start!r} in {[q['text'] for q in story['quotes']]}")


def _source_named(story: dict, name: str) -> dict:
    for source in story["sources"]:
        if source["name"] == name:
            return source
    raise AssertionError(f"no source {name!r} in {[s['name'] for s in story['sources']]}")


@pytest.fixture
def speaker_of():
    """speaker_of(story, start): the speaker of the quote starting with ``start``."""
    return _speaker_of


@pytest.fixture
def source_named():
    """source_named(story, name): the source dict with that name."""
    return _source_named
