"""The three feed formats as `django.utils.feedgenerator` classes: no hand-written XML.

Django's RSS 2.0 and Atom 1.0 writers are extended only where the wire needs more than
they give: the full body (`content:encoded`, Atom `content`), one author element per
byline, the WebSub hub link, the item language, and a feed date that moves only when the
feed's content does. JSON Feed 1.1 is a small writer over the same item dictionaries, so
all three formats are filled by the same `Feed` class.

An item marked `killed` is a kill notice, written in the form each format allows:

- Atom: a tombstone (RFC 6721), `<at:deleted-entry ref="<id>" when="<kill time>">` with
  `at:by` (the organisation), `at:comment` (the notice) and a link to the story's page,
  instead of an entry;
- JSON Feed: an item under the story's id whose title, summary and content are the notice,
  dated at the kill, with the extension `"_newsroom": {"pubstatus": "canceled"}` (ninjs'
  word for a kill, as partners get it);
- RSS 2.0, which has no way to delete an item: an item under the story's guid whose title,
  description and content are the notice, so a reader that updates an entry by its guid
  replaces the story with the notice, and any other reader shows the notice beside it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.conf import settings
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date

from articles.ninjs import iso_utc

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
# RFC 6721, The Atom "deleted-entry" Element.
TOMBSTONES_NS = "http://purl.org/atompub/tombstones/1.0"


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
    """Atom 1.0 with the body as content, one author per byline and the hub link, and a
    tombstone (RFC 6721) for each kill notice; its dates are UTC with a "Z" (RFC 3339),
    like every time the API and pushes serve."""

    def latest_post_date(self) -> datetime:
        return _naive_utc(super().latest_post_date())

    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:at": TOMBSTONES_NS}

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub_url"]})
        # Feed-level elements, before the entries, as RFC 6721 places them.
        for item in self.items:
            if item.get("killed"):
                self._write_tombstone(handler, item)

    @staticmethod
    def _write_tombstone(handler, item: dict) -> None:
        when = rfc3339_date(_naive_utc(item["updateddate"]))
        handler.startElement("at:deleted-entry", {"ref": item["unique_id"], "when": when})
        handler.startElement("at:by", {})
        handler.addQuickElement("name", settings.NEWSROOM_ORGANISATION)
        handler.endElement("at:by")
        handler.addQuickElement("at:comment", item["description"], {"type": "text"})
        handler.addQuickElement("link", "", {"rel": "alternate", "href": item["link"]})
        handler.endElement("at:deleted-entry")

    def write_items(self, handler) -> None:
        # A killed story is a tombstone (written with the root elements), never an entry.
        live = [item for item in self.items if not item.get("killed")]
        self.items, everything = live, self.items
        try:
            super().write_items(handler)
        finally:
            self.items = everything

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
        if item.get("killed"):
            # JSON Feed extensions are keys that start with an underscore.
            entry["summary"] = item["description"]
            entry["date_modified"] = iso_utc(item["updateddate"])
            entry["_newsroom"] = {"pubstatus": "canceled"}
            return entry
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
