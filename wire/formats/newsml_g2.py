"""IPTC NewsML-G2: a text ``newsItem``, every text item of a ``newsMessage``, and a
``packageItem``.

Read leniently, since real feeds leave out the namespace (TT) or the mandatory header
(dpa). From ``itemMeta``: ``pubStatus``, ``embargoed``, ``firstCreated``, ``signal``
(``sig:update``, ``sig:correction``) and ``edNote``. From ``contentMeta``: ``urgency``,
``headline`` (the lowest ``rank``), ``description`` as summary, ``creator`` as byline,
``dateline`` (else ``located``), ``language``, ``subject``, ``keyword``, ``genre``. The
body is ``contentSet/inlineXML`` (NITF through :func:`wire.formats.nitf.fill`, or XHTML/HTML
through :mod:`wire.formats.markup`) or ``inlineData`` (plain text). A package whose items
are in the same message adds nothing; one whose items are elsewhere gives a headline and
summary item per referenced text item.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wire.formats import FormatError, IncomingItem, Subject
from wire.formats.common import (
    byline_credits,
    finish,
    iso_utc,
    parse_dateline,
    pub_status,
    signals_from,
    urgency,
)
from wire.formats.markup import read_body
from wire.formats.nitf import fill as fill_nitf
from wire.formats.safexml import child, children, parse_xml, text

_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ITEM_ROOTS = ("newsItem", "packageItem", "newsMessage")


def parse(data: bytes) -> list[IncomingItem]:
    """The text items of a NewsML-G2 document, in document order. Raises
    :class:`FormatError` for hostile or broken XML, another root, or a document with no
    text item (a picture alone, a package that names no text item)."""
    root = parse_xml(data, format="newsml-g2")
    if root.tag not in _ITEM_ROOTS:
        raise FormatError(f"the XML root is <{root.tag}>, not a NewsML-G2 item", format="newsml-g2")
    item_set = child(root, "itemSet")
    if root.tag != "newsMessage":
        elements = [root]
    else:
        elements = list(item_set) if item_set is not None else []
    here = {e.get("guid") for e in elements if e.tag == "newsItem"}
    items = []
    for element in elements:
        if element.tag == "newsItem" and _is_text(element):
            items.append(finish(news_item(element)))
        elif element.tag == "packageItem":
            items += [finish(i) for i in _package(element) if i.guid not in here]
    if not items:
        raise FormatError(
            "the NewsML-G2 document holds no text item (only pictures, or a package whose "
            "items are not in the file)",
            format="newsml-g2",
        )
    return items


def _is_text(element: ET.Element) -> bool:
    kind = child(element, "itemMeta", "itemClass")
    return kind is None or (kind.get("qcode") or "ninat:text").endswith(("text", "composite"))


def _qcode(element: ET.Element | None) -> str | None:
    return element.get("qcode") if element is not None else None


def _int(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() else 1


def _meta(item: IncomingItem, element: ET.Element) -> None:
    # What itemMeta and the item's attributes say: identity, status, embargo, signals.
    meta = child(element, "itemMeta")
    item.guid, item.version = element.get("guid"), _int(element.get("version"))
    item.language = element.get(_LANG)
    item.pub_status = pub_status(_qcode(child(meta, "pubStatus")))
    item.embargo = iso_utc(text(child(meta, "embargoed")))
    item.first_created = iso_utc(text(child(meta, "firstCreated")))
    signals = [s.get("qcode") or "" for s in children(meta, "signal")]
    notes = children(meta, "edNote")
    roles = [n.get("role") or "" for n in notes]
    item.signals = signals_from(*signals, *[r for r in roles if "correction" in r])
    # A notepad (dpa) holds staff contacts not for publication: it is left out.
    kept = [text(n) for n, role in zip(notes, roles, strict=True) if "notepad" not in role]
    item.ed_note = "\n".join(n for n in kept if n) or None


def _headline(meta: ET.Element | None) -> str | None:
    ranked = sorted(children(meta, "headline"), key=lambda h: _int(h.get("rank")))
    return next((text(h) for h in ranked if text(h)), None)


def _summary(meta: ET.Element | None) -> str | None:
    for description in children(meta, "description"):
        if (description.get("role") or "drol:summary") in ("drol:summary", "drol:teaser"):
            return text(description) or None
    return None


def _located(meta: ET.Element | None) -> str | None:
    located = child(meta, "located")
    return text(child(located, "name")) or None if located is not None else None


def news_item(element: ET.Element) -> IncomingItem:
    """One text ``newsItem`` (namespace removed) as an item, not yet :func:`finish`-ed."""
    item = IncomingItem(format="newsml-g2")
    _meta(item, element)
    meta = child(element, "contentMeta")
    item.urgency = urgency(text(child(meta, "urgency")))
    item.headline = _headline(meta)
    item.summary = _summary(meta)
    language = child(meta, "language")
    if language is not None and language.get("tag"):
        item.language = language.get("tag")
    for creator in children(meta, "creator"):
        item.credits += byline_credits(text(child(creator, "name")) or creator.get("literal"))
    item.dateline = parse_dateline(text(child(meta, "dateline")) or _located(meta))
    for subject in children(meta, "subject") + children(meta, "genre"):
        item.subjects.append(Subject(code=subject.get("qcode"), name=text(child(subject, "name"))))
    item.keywords = [text(k) for k in children(meta, "keyword")]
    _content(item, child(element, "contentSet"))
    return item


def _content(item: IncomingItem, content_set: ET.Element | None) -> None:
    inline = child(content_set, "inlineXML")
    if inline is not None:
        roots = [e for e in inline if isinstance(e.tag, str)]
        nitf = next((e for e in roots if e.tag == "nitf"), None)
        if nitf is not None:
            fill_nitf(item, nitf)
            return
        html = next((e for e in roots if e.tag == "html"), None)
        body_root = child(html, "body") if html is not None else (roots[0] if roots else None)
        body = read_body(body_root)
        item.paragraphs, item.subhead_positions = body.paragraphs, body.subheads
        item.headline = item.headline or body.headline
        if body.dateline and not item.dateline.place:
            item.dateline = parse_dateline(body.dateline)
        return
    data = child(content_set, "inlineData")
    if data is not None:
        item.paragraphs = [p for p in (data.text or "").split("\n\n") if p.strip()]


def _package(element: ET.Element) -> list[IncomingItem]:
    # A package's text itemRefs: headline (title) and summary only; their bodies are not here.
    items = []
    status = pub_status(_qcode(child(element, "itemMeta", "pubStatus")))
    for ref in element.iter("itemRef"):
        kind = child(ref, "itemClass")
        if kind is not None and not (kind.get("qcode") or "").endswith("text"):
            continue
        title = text(child(ref, "title"))
        if not title:
            continue
        item = IncomingItem(format="newsml-g2", guid=ref.get("residref"), headline=title)
        item.version = _int(ref.get("version"))
        ref_status = child(ref, "pubStatus")
        item.pub_status = pub_status(ref_status.get("qcode")) if ref_status is not None else status
        item.summary = text(child(ref, "description")) or None
        item.signals = signals_from(*[s.get("qcode") or "" for s in element.iter("signal")])
        items.append(item)
    return items
