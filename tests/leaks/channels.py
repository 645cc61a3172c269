"""Reading every public channel as its users do: a reader's browser, a feed reader, a
partner's API client. Each reader returns what was served; judging it is `checks`' job.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

import feedparser
from django.test import Client
from rest_framework.test import APIClient

# A redirect from a slug that went out to the story's current address is a fine answer;
# more hops than this would be a loop.
MAX_REDIRECTS = 3


@dataclass(frozen=True)
class Reading:
    """What one URL answered: the final status (after redirects), the body, and the chain."""

    url: str
    status: int
    text: str
    redirects: tuple[str, ...] = ()

    def has(self, marker: str) -> bool:
        return marker in self.text.lower()

    def json(self) -> dict:
        return json.loads(self.text)


def _get(client: Client, url: str, headers: dict | None = None, **params) -> Reading:
    response = client.get(url, params or None, headers=headers)
    chain: list[str] = []
    while response.status_code in (301, 302, 303, 307, 308) and len(chain) < MAX_REDIRECTS:
        chain.append(response["Location"])
        response = client.get(response["Location"], headers=headers)
    body = b"".join(response) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return Reading(url, response.status_code, body.decode(), tuple(chain))


# Story pages -----------------------------------------------------------------------------


def story_page(client: Client, slug: str) -> Reading:
    return _get(client, f"/stories/{slug}/")


# Feeds -----------------------------------------------------------------------------------


def feed_url(scope: str, fmt: str) -> str:
    """The URL of a feed scope key ("all", "desk:washington", "topic:drought", "lang:en")."""
    if scope == "all":
        return f"/feeds/{fmt}/"
    kind, value = scope.split(":", 1)
    return f"/feeds/{kind}/{value}/{fmt}/"


def feed(client: Client, scope: str, fmt: str) -> tuple[Reading, Reading]:
    """The feed as a feed reader gets it, gzip-compressed (as feedparser and aggregators
    ask for it), and as a client that asks for no compression gets it. Each is a copy of
    its own in a web process, so each must follow a kill or withhold."""
    url = feed_url(scope, fmt)
    return _get(client, url, headers={"Accept-Encoding": "gzip, deflate"}), _get(client, url)


def feed_entries(reading: Reading) -> feedparser.FeedParserDict:
    """The feed as a feed reader parses it (JSON Feed is read as JSON: feedparser has no
    JSON Feed support)."""
    return feedparser.parse(reading.text)


# Partner API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerAccess:
    """A partner as the test holds it: a name, its key, and whether it may read embargoed copy."""

    name: str
    key: str
    embargo_entitled: bool
    push_path: str

    def client(self) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {self.key}")
        return client


def item_list(client: APIClient) -> Reading:
    return _get(client, "/api/v1/items/", page_size=100)


def item_detail(client: APIClient, guid: str) -> Reading:
    return _get(client, f"/api/v1/items/{guid}/")


def item_versions(client: APIClient, guid: str) -> list[Reading]:
    """The version list, then each version it names."""
    listing = _get(client, f"/api/v1/items/{guid}/versions/")
    readings = [listing]
    if listing.status == 200:
        for entry in listing.json().get("results", []):
            readings.append(_get(client, f"/api/v1/items/{guid}/versions/{entry['version']}/"))
    return readings


def search(client: APIClient, word: str) -> Reading:
    return _get(client, "/api/v1/items/", q=word, page_size=100)
