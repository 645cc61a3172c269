"""IPTC NewsML 1.2, the format before NewsML-G2 (AFP still moved it in 2021): one item per
``NewsItem`` with a text body.

Maps ``PublicIdentifier`` (guid) and ``RevisionId`` (version), ``NewsManagement``
(``Status``, ``Urgency``, ``FirstCreated``), ``NewsLines`` (``HeadLine``, ``DateLine``,
advisory ``NewsLine`` as the editor's note and update signal), ``Creator/Party`` as byline,
``Language``, ``SubjectCode/*`` and ``Keyword`` properties; the body is the NITF in
``DataContent`` (:func:`wire.formats.nitf.fill`).
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
from wire.formats.nitf import fill as fill_nitf
from wire.formats.safexml import child, parse_xml, text

_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse(data: bytes) -> list[IncomingItem]:
    """The text items of a NewsML 1.2 document, in order. Raises :class:`FormatError` for
    hostile or broken XML, another root, or no ``NewsItem`` with a headline or body."""
    root = parse_xml(data, format="newsml-1.2")
    if root.tag != "NewsML":
        raise FormatError(f"the XML root is <{root.tag}>, not <NewsML>", format="newsml-1.2")
    items = [i for i in (_item(e) for e in root.iter("NewsItem")) if i.headline or i.paragraphs]
    if not items:
        raise FormatError("the NewsML 1.2 document holds no text item", format="newsml-1.2")
    return [finish(i) for i in items]


def _formal(element: ET.Element | None) -> str | None:
    return element.get("FormalName") if element is not None else None


def _item(element: ET.Element) -> IncomingItem:
    item = IncomingItem(format="newsml-1.2", language=element.get(_LANG))
    ident = child(element, "Identification", "NewsIdentifier")
    item.guid = text(child(ident, "PublicIdentifier")) or None
    revision = text(child(ident, "RevisionId"))
    item.version = int(revision) if revision.isdigit() else 1
    management = child(element, "NewsManagement")
    item.pub_status = pub_status(_formal(child(management, "Status")))
    item.urgency = urgency(_formal(child(management, "Urgency")))
    item.first_created = iso_utc(text(child(management, "FirstCreated")))
    component = child(element, "NewsComponent")
    lines = child(component, "NewsLines")
    item.headline = text(child(lines, "HeadLine")) or None
    item.dateline = parse_dateline(text(child(lines, "DateLine")).split(",", 1)[0] or None)
    advisories = [
        text(n.find("NewsLineText"))
        for n in (lines or ET.Element("x")).iter("NewsLine")
        if _formal(n.find("NewsLineType")) == "AdvisoryLine"
    ]
    item.ed_note = " ".join(advisories) or None
    item.signals = signals_from(*advisories)
    for creator in component.iter("Creator") if component is not None else ():
        for party in creator.iter("Party"):
            names = (party.get("FormalName") or "").replace(" with ", " and ")
            item.credits += byline_credits(names)
    for code in component.iter("SubjectCode") if component is not None else ():
        for subject in code:
            if subject.get("FormalName"):
                item.subjects.append(Subject(code=f"subj:{subject.get('FormalName')}"))
    for prop in component.iter("Property") if component is not None else ():
        if prop.get("FormalName") == "Keyword" and not prop.get("Role"):
            item.keywords.append(prop.get("Value") or "")
    language = child(component, "DescriptiveMetadata", "Language")
    item.language = _formal(language) or item.language
    item.slugline = text(child(element, "Identification", "NameLabel")) or None
    nitf = next(component.iter("nitf"), None) if component is not None else None
    if nitf is not None:
        fill_nitf(item, nitf)
    return item
