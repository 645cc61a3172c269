"""NITF 3.x (IPTC News Industry Text Format), with or without its namespace.

Maps ``docdata`` (doc-id, du-key version, management-status, urgency, date.issue,
date.release as embargo, key-list, ed-msg), ``head/tobject.subject`` (IPTC subject codes
with the names the document prints), and ``body``: ``hedline/hl1`` (else ``head/title``),
``byline``, ``dateline``, ``abstract`` as summary, and ``body.content`` through
:mod:`wire.formats.markup`. NewsML-G2, NewsML 1.2 and ninjs carry NITF bodies and use
:func:`fill` for them.
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
from wire.formats.safexml import child, parse_xml, text

# NITF's own urgency runs 1 (most urgent) to 8 with 5 as normal: the same scale as G2's.
_SUBJECT_NAMES = ("tobject.subject.detail", "tobject.subject.matter", "tobject.subject.type")


def parse(data: bytes) -> list[IncomingItem]:
    """One item for a NITF document; raises :class:`FormatError` for hostile or broken
    XML (:func:`wire.formats.safexml.parse_xml`) or a root that is not ``nitf``."""
    root = parse_xml(data, format="nitf")
    if root.tag != "nitf":
        raise FormatError(f"the XML root is <{root.tag}>, not <nitf>", format="nitf")
    item = IncomingItem(format="nitf", language=root.get("baselang"))
    fill(item, root)
    if not item.paragraphs and not item.headline:
        raise FormatError("the NITF document has no headline and no body", format="nitf")
    return [finish(item)]


def _version(docdata: ET.Element | None) -> int | None:
    for element in (child(docdata, "du-key"), child(docdata, "doc-id")):
        if element is not None:
            for attribute in ("version", "generation"):
                value = element.get(attribute) or ""
                if value.isdigit() and int(value) > 0:
                    return int(value)
    return None


def fill(item: IncomingItem, root: ET.Element) -> IncomingItem:
    """Fill ``item`` from a NITF root element (namespace already removed): only what the
    item does not already have from an envelope (a G2 headline wins over ``hl1``), and
    always the body. Returns ``item``."""
    head, body = child(root, "head"), child(root, "body")
    docdata = child(head, "docdata")
    if docdata is not None:
        doc_id = child(docdata, "doc-id")
        if doc_id is not None and not item.guid:
            item.guid = doc_id.get("id-string")
        version = _version(docdata)
        if version and item.version == 1:
            item.version = version
        status = docdata.get("management-status")
        if status and item.pub_status == "usable":
            item.pub_status = pub_status(status)
        level = child(docdata, "urgency")
        if level is not None and item.urgency is None:
            item.urgency = urgency(level.get("ed-urg"))
        release = child(docdata, "date.release")
        if release is not None and item.embargo is None:
            item.embargo = iso_utc(release.get("norm"))
        issue = child(docdata, "date.issue")
        if issue is not None and item.first_created is None:
            item.first_created = iso_utc(issue.get("norm"))
        for keyword in docdata.iter("keyword"):
            if keyword.get("key"):
                item.keywords.append(keyword.get("key") or "")
        messages = [m.get("info") or "" for m in docdata.iter("ed-msg")]
        item.signals += signals_from(*messages)
        earlier = docdata.get("management-doc-idref")
        if earlier:
            # This document replaces an earlier one (whose status the attribute gives).
            item.signals.append("update")
            status = docdata.get("management-idref-status") or "replaced"
            messages.append(f"replaces {earlier} ({status})")
        item.ed_note = item.ed_note or " ".join(m for m in messages if m) or None
    for subject in head.iter("tobject.subject") if head is not None else ():
        code = subject.get("tobject.subject.refnum")
        name = next((subject.get(a) for a in _SUBJECT_NAMES if subject.get(a)), None)
        item.subjects.append(Subject(code=f"subj:{code}" if code else None, name=name))
    body_head = child(body, "body.head")
    headline = text(child(body_head, "hedline", "hl1")) or text(child(body_head, "headline", "hl1"))
    item.headline = item.headline or headline or text(child(head, "title")) or None
    if not item.credits:
        byline = child(body_head, "byline")
        if byline is not None:
            # A byline's title (byttl: "Sports Network", "Staff Writer") is not a name;
            # the name is in <person>, else the byline's own text.
            person = text(child(byline, "person"))
            own = (byline.text or "").strip()
            item.credits = byline_credits(person or own or text(byline))
    if not item.dateline.place:
        item.dateline = parse_dateline(text(child(body_head, "dateline")))
    if not item.summary:
        item.summary = text(child(body_head, "abstract")) or None
    content = read_body(child(body, "body.content"))
    item.paragraphs, item.subhead_positions = content.paragraphs, content.subheads
    item.headline = item.headline or content.headline
    return item
