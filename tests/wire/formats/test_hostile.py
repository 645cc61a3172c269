"""Hostile input is refused with a clear FormatError before it costs memory or reaches
the network or the disk: entity bombs, external entities (file and http), DTDs, a 100 MB
file, very deep nesting, in XML and JSON alike."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from wire.formats import FormatError, parse_items

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE newsItem [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<newsItem guid="x"><contentMeta><headline>&lol9;</headline></contentMeta></newsItem>"""


@pytest.fixture
def http_server():
    """A local HTTP server that counts the requests it gets (the 'partner' a hostile
    document would make the parser call)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            body = b'<!ENTITY secret "from the network">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _refused(data: bytes, reason: str) -> FormatError:
    with pytest.raises(FormatError) as caught:
        parse_items(data)
    assert reason in caught.value.reason
    return caught.value


def test_billion_laughs_is_refused():
    started = time.perf_counter()
    _refused(BILLION_LAUGHS, "DTD declarations")
    assert time.perf_counter() - started < 1


def test_external_file_entity_is_refused_and_the_file_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>"
    ).encode()
    error = _refused(data, "DTD declarations")
    assert "TOP SECRET" not in str(error)


def test_external_http_entity_is_refused_and_never_fetched(http_server):
    url, hits = http_server
    data = (
        f'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY xxe SYSTEM "{url}/entity">]>'
        "<nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>"
    ).encode()
    _refused(data, "DTD declarations")
    assert hits == []


def test_an_external_dtd_is_never_loaded(http_server, tmp_path):
    # A DOCTYPE that only names a DTD is allowed (NITF files often carry one), but the DTD
    # is not fetched: an entity it would declare stays undefined and the file is refused.
    url, hits = http_server
    data = (
        f'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "{url}/nitf.dtd">'
        "<nitf><body><body.content><p>&secret;</p></body.content></body></nitf>"
    ).encode()
    _refused(data, "not well-formed XML")
    assert hits == []
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "from the disk">', encoding="utf-8")
    _refused(data.replace(f"{url}/nitf.dtd".encode(), f"file://{dtd}".encode()), "well-formed")


def test_a_parameter_entity_dtd_is_refused(http_server):
    url, hits = http_server
    data = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % ext SYSTEM "{url}/x.dtd"> %ext;]><newsItem/>'
    ).encode()
    _refused(data, "DTD declarations")
    assert hits == []


@pytest.mark.parametrize("kind", ["xml", "json", "iptc7901"])
def test_a_100_mb_file_is_refused_at_once(kind):
    size = 100 * 1024 * 1024
    head = {"xml": b"<nitf>", "json": b'{"uri": "', "iptc7901": b"\x01bdt0001 3 pl 1\n\x02"}[kind]
    data = head + b"a" * (size - len(head))
    started = time.perf_counter()
    _refused(data, "limit")
    assert time.perf_counter() - started < 2


def test_very_deep_xml_nesting_is_refused():
    data = b"<newsItem>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</newsItem>"
    _refused(data, "nests elements over")


def test_very_deep_json_nesting_is_refused():
    data = b'{"uri": "x", "headline": "h", "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    _refused(data, "not readable JSON")


def test_deep_html_in_a_ninjs_body_is_read_without_recursion_trouble():
    html = "<div>" * 5000 + "<p>Deep copy.</p>" + "</div>" * 5000
    data = ('{"uri": "x", "headline": "h", "body_html": "' + html + '"}').encode()
    (item,) = parse_items(data)
    assert item.headline == "h"
