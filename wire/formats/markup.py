"""Body markup (NITF ``body.content``, XHTML, the HTML of a ninjs body) to paragraphs and
subheads, in document order. Only text is kept: markup never becomes body text.

Blocks (``p``, ``blockquote``, ``li``, table rows) become paragraphs; ``h2``-``h6`` and
NITF ``hl2`` become subheads; ``h1``/``hl1`` give a headline; pictures, captions, notes,
heads and taglines are left out; a ``span.dateline`` (dpa) is lifted out as the dateline.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser

from wire.formats.safexml import local

_SPACE = re.compile(r"\s+")
BLOCKS = {"p", "blockquote", "bq", "li", "pre", "dd", "dt", "caption", "h1", "hl1"}
BLOCKS |= {"h2", "h3", "h4", "h5", "h6", "hl2"}
SUBHEADS = {"h2", "h3", "h4", "h5", "h6", "hl2"}
HEADLINES = {"h1", "hl1"}
SKIP = {"head", "title", "header", "figure", "figcaption", "media", "script", "style", "note"}
SKIP |= {"body.head", "body.end", "tagline", "img", "aside", "nav", "footer", "meta", "object"}
SKIP |= {"media-caption", "media-producer", "media-reference", "credit", "iframe", "audio"}
SKIP |= {"video", "svg", "math", "template", "noscript", "fn", "ed-msg", "hedline"}
CONTAINERS = {"div", "section", "article", "body", "html", "main", "block", "body.content"}
CONTAINERS |= {"ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "nitf-table", "tr", "nitf"}
VOID = {"br", "img", "meta", "hr", "input", "link", "source", "wbr", "col", "area", "embed"}
SKIP_CLASSES = {"byline", "notepad", "slugline", "dat", "photo-byline", "caption"}


@dataclass
class Body:
    """What a body holds: ``paragraphs``, ``subheads`` (index of the paragraph each stands
    before → text), the first ``headline`` (``h1``/``hl1``), the ``dateline`` span's text."""

    paragraphs: list[str] = field(default_factory=list)
    subheads: dict[int, str] = field(default_factory=dict)
    headline: str | None = None
    dateline: str | None = None


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _inline(element: ET.Element, body: Body) -> str:
    # Text of an inline run, leaving out skipped elements and lifting the dateline span.
    parts = [element.text or ""]
    for sub in element:
        name = local(sub.tag)
        if "dateline" in _classes(sub):
            body.dateline = body.dateline or _SPACE.sub(" ", "".join(sub.itertext()))
        elif name == "br":
            parts.append(" ")
        elif name and name not in SKIP and not _classes(sub) & SKIP_CLASSES:
            parts.append(_inline(sub, body))
        parts.append(sub.tail or "")
    return "".join(parts)


def _blockish(element: ET.Element) -> bool:
    name = local(element.tag)
    return (
        name in BLOCKS
        or name in CONTAINERS
        or name in SKIP
        or any(local(sub.tag) in BLOCKS or local(sub.tag) in CONTAINERS for sub in element)
    )


def _add(body: Body, value: str) -> None:
    value = _SPACE.sub(" ", value).strip()
    if value:
        body.paragraphs.append(value)


def _walk(element: ET.Element, body: Body) -> None:
    name = local(element.tag)
    if not name or name in SKIP or _classes(element) & SKIP_CLASSES:
        return
    if name in HEADLINES:
        body.headline = body.headline or _SPACE.sub(" ", _inline(element, body)).strip() or None
        return
    if name in SUBHEADS:
        value = _SPACE.sub(" ", _inline(element, body)).strip()
        if value:
            body.subheads.setdefault(len(body.paragraphs), value)
        return
    if name == "tr":
        cells = [_SPACE.sub(" ", _inline(c, body)).strip() for c in element]
        _add(body, " | ".join(c for c in cells if c))
        return
    if not any(_blockish(sub) for sub in element):
        _add(body, _inline(element, body))
        return
    run = [element.text or ""]
    for sub in element:
        if _blockish(sub):
            _add(body, "".join(run))
            _walk(sub, body)
            run = [sub.tail or ""]
        else:
            holder = ET.Element("span")
            holder.append(sub)
            run.append(_inline(holder, body))
    _add(body, "".join(run))


def read_body(element: ET.Element | None) -> Body:
    """The paragraphs, subheads, headline and dateline of a body element (see module)."""
    body = Body()
    if element is not None:
        _walk(element, body)
    body.subheads = {k: v for k, v in body.subheads.items() if k < len(body.paragraphs)}
    return body


class _TreeBuilder(HTMLParser):
    # Lenient HTML to an ElementTree: unclosed elements are closed by their parent's end
    # tag, void elements never hold children, entities are decoded by HTMLParser.

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("div")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.stack) > 64:
            return
        element = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def html_tree(html: str) -> ET.Element:
    """An HTML fragment or document (as ninjs carries it) as an element tree under a
    ``div``; never raises on malformed markup."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
