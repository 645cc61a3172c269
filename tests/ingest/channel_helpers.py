"""Shared pieces of the channel tests: copy, structured items and a local feed server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wire.formats import IncomingItem
from wire.model import Dateline

STORY = """Port strike ends after pay deal

By Ana Ruiz

VALPARAISO, Chile — Dock workers ended a nine-day strike on Friday after port operators \
agreed to a pay rise.

“We got what we came for,” said Tomás Vidal, president of the dockers' union.
"""

STORY_V2 = STORY.replace("a pay rise", "a pay rise of 8 percent")


def agency_item(version: int = 1, *, pub_status: str = "usable", extra: str = "") -> IncomingItem:
    """A structured agency story as a parser hands it over (guid, version, pubStatus)."""
    return IncomingItem(
        format="ninjs",
        guid="urn:agency:2026:strike",
        version=version,
        headline="Port strike ends after pay deal",
        summary="Dockers go back to work.",
        dateline=Dateline(place="VALPARAISO, Chile"),
        paragraphs=[
            "Dock workers ended a nine-day strike on Friday after port operators agreed "
            f"to a pay rise{extra}.",
            "The port reopens on Monday.",
        ],
        language="en",
        urgency=3,
        pub_status=pub_status,
    )


def rss(entries: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 document with ``(guid, title, html description)`` entries."""
    items = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title>"
        f"<link>https://agency.example/{guid}</link>"
        f"<description><![CDATA[{body}]]></description></item>"
        for guid, title, body in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Agency wire</title><link>https://agency.example/</link>"
        f"<description>wire</description>{items}</channel></rss>"
    ).encode()


class FeedServer:
    """A local HTTP server answering GET with ``body`` and ``status`` (both changeable)."""

    def __init__(self) -> None:
        self.body = b""
        self.status = 200
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server.requests += 1
                self.send_response(server.status)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


GUID = "urn:newsml:agency.example:20261201:strike"


def ninjs(version: int = 1, pubstatus: str = "usable") -> bytes:
    return json.dumps(
        {
            "uri": GUID,
            "version": str(version),
            "type": "text",
            "pubstatus": pubstatus,
            "language": "en",
            "headline": "Port strike ends after pay deal",
            "body_html": "<p>VALPARAISO, Chile — Dock workers ended a nine-day strike on "
            f"Friday{' after a pay rise' if version > 1 else ''}.</p>",
        }
    ).encode()


def newsml(version: int = 1, status: str = "usable") -> bytes:
    extra = " after a pay rise" if version > 1 else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{GUID}" version="{version}"
  standard="NewsML-G2" standardversion="2.29" conformance="power" xml:lang="en">
  <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"/>
  <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:AGENCY"/>
    <versionCreated>2026-12-01T10:00:00Z</versionCreated><pubStatus qcode="stat:{status}"/>
  </itemMeta>
  <contentMeta><headline>Port strike ends after pay deal</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/nitf+xml">
    <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content>
      <p>VALPARAISO, Chile — Dock workers ended a nine-day strike on Friday{extra}.</p>
    </body.content></body></nitf>
  </inlineXML></contentSet>
</newsItem>""".encode()
