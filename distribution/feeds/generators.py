"""The three feed formats as `django.utils.feedgenerator` classes: no hand-written XML.

Django's RSS 2.0 and Atom 1.0 writers are extended only where the wire needs more than
they give: the full body (`content:encoded`, Atom `content`), one author element per
byline, the WebSub hub link, the item language, and a feed date that moves only when the
feed's content does. JSON Feed 1.1 is a small writer over the same item dictionaries, so
all three formats are filled by the same `Feed` class.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from articles.ninjs import iso_utc

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


class _BuildDateMixin:
    """The feed's own date (RSS lastBuildDate, Atom updated) is when its content last
    changed, passed in as `build_date`; Django's default (the newest item date, or now for
    an empty feed) would go backwards on a kill and change on every empty render."""

    def latest_post_date(self) -> datetime:
        return self.feed.get("build_date") or super().latest_post_date()


class WireRssFeed(_BuildDateMixin, Rss201rev2Feed):
    """RSS 2.0 with content:encoded, dc:creator per byline and atom:link rel=hub."""

    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS}

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub_url"]})

    def add_item_elements(self, handler, item: dict) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


def _naive_utc(moment: datetime | None) -> datetime | None:
    # Django's rfc3339_date writes "Z" only for a naive time, and the offset ("+00:00")
    # otherwise; every time Newsroom serves is UTC with a "Z", as in ninjs.
    if moment is None or moment.utcoffset() is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


class WireAtomFeed(_BuildDateMixin, Atom1Feed):
    """Atom 1.0 with the body as content, one author per byline and the hub link; its
    dates are UTC with a "Z" (RFC 3339), like every time the API and pushes serve."""

    def latest_post_date(self) -> datetime:
        return _naive_utc(super().latest_post_date())

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub_url"]})

    def item_attributes(self, item: dict) -> dict:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes

    def add_item_elements(self, handler, item: dict) -> None:
        dates = {key: _naive_utc(item.get(key)) for key in ("pubdate", "updateddate")}
        super().add_item_elements(handler, {**item, **dates})
        for name in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) from the same feed and item data."""

    content_type = "application/feed+json; charset=utf-8"
    version = "https://jsonfeed.org/version/1.1"

    def document(self) -> dict:
        feed = self.feed
        document: dict = {
            "version": self.version,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
        }
        if feed.get("description"):
            document["description"] = feed["description"]
        if feed.get("language"):
            document["language"] = feed["language"]
        if feed.get("hub_url"):
            document["hubs"] = [{"type": "WebSub", "url": feed["hub_url"]}]
        document["items"] = [self._item(item) for item in self.items]
        return document

    @staticmethod
    def _item(item: dict) -> dict:
        entry: dict = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item.get("content_html") or "",
        }
        if item.get("description"):
            entry["summary"] = item["description"]
        if item.get("pubdate"):
            entry["date_published"] = iso_utc(item["pubdate"])
        if item.get("updateddate"):
            entry["date_modified"] = iso_utc(item["updateddate"])
        if item.get("authors"):
            entry["authors"] = [{"name": name} for name in item["authors"]]
        if item.get("categories"):
            entry["tags"] = list(item["categories"])
        if item.get("language"):
            entry["language"] = item["language"]
        return entry

    def write(self, outfile, encoding) -> None:
        outfile.write(json.dumps(self.document(), ensure_ascii=False, separators=(",", ":")))


GENERATORS: dict[str, type[SyndicationFeed]] = {
    "rss": WireRssFeed,
    "atom": WireAtomFeed,
    "json": JsonFeed,
}
