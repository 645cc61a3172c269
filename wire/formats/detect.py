"""Which parser reads a file: judged by its first bytes, never by its name.

XML by its root element (``nitf``; ``newsItem``, ``packageItem`` or ``newsMessage`` for
NewsML-G2; ``NewsML`` for NewsML 1.2), JSON (an object or array) as ninjs, a stream with
SOH framing as ANPA 1312 when its first header line holds the US separator, else as IPTC
7901; anything else is plain text. XML or HTML of another kind is refused rather than read
as text, so markup never becomes paragraphs.
"""

from __future__ import annotations

import re

from wire.formats import (
    FormatError,
    IncomingItem,
    Parser,
    anpa1312,
    iptc7901,
    newsml12,
    newsml_g2,
    ninjs,
    nitf,
    text,
)

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_SKIP = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.DOTALL)
_ROOTS = {
    b"nitf": "nitf",
    b"newsItem": "newsml-g2",
    b"packageItem": "newsml-g2",
    b"newsMessage": "newsml-g2",
    b"NewsML": "newsml-1.2",
}
_HEAD = 65536
# Closing tags: markup, even when its first bytes are damaged, is never read as copy.
_CLOSING = re.compile(rb"</[A-Za-z][\w.:-]*>")


def _unknown_xml(data: bytes) -> list[IncomingItem]:
    match = _ROOT.search(_SKIP.sub(b"", data[:_HEAD]))
    root = match[2].decode("ascii", "replace") if match else "?"
    raise FormatError(
        f"XML or HTML with root <{root}> is not a supported wire format "
        "(NewsML-G2, NITF, NewsML 1.2)",
        format="xml",
    )


_PARSERS: dict[str, Parser] = {
    "text": text.parse,
    "newsml-g2": newsml_g2.parse,
    "newsml-1.2": newsml12.parse,
    "nitf": nitf.parse,
    "ninjs": ninjs.parse,
    "iptc7901": iptc7901.parse,
    "anpa1312": anpa1312.parse,
    "xml": _unknown_xml,
}


def detect_format(data: bytes) -> str:
    """The format name for ``data`` (see :func:`wire.formats.detect_format`); ``xml`` for
    markup of a kind no parser reads (its parser raises :class:`FormatError`)."""
    head = data[:_HEAD].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"{", b"[")):
        return "ninjs"
    start = head.lstrip(b"\x16").find(b"\x01")
    if 0 <= start < 16:
        first_line = head.lstrip(b"\x16")[start:].split(b"\n", 1)[0]
        return "anpa1312" if b"\x1f" in first_line else "iptc7901"
    if head.startswith(b"<") or len(_CLOSING.findall(head)) >= 3:
        match = _ROOT.search(_SKIP.sub(b"", head))
        return _ROOTS.get(match[2], "xml") if match else "xml"
    return "text"


def parser_for(kind: str) -> Parser:
    """The parser for a format name; raises :class:`FormatError` for one not supported."""
    try:
        return _PARSERS[kind]
    except KeyError:
        raise FormatError(f"the {kind} format is not supported", format=kind) from None
