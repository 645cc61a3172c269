"""IPTC ninjs (news in JSON) 1.x, 2.x and 3.x: one item, or a JSON array of items.

The generation is told by the keys, not by ``standard.version``: 1.x has flat singular
keys (``headline``, ``byline``, ``body_xhtml``/``body_html``/``body_text``), 2.x lower-case
arrays (``headlines``, ``bodies``, ``descriptions``, ``subjects``, ``by``), 3.x the same
arrays with camelCase keys (``pubStatus``, ``embargoedUntil``). The body is chosen HTML
first, then NITF, then plain text. An item with descriptions only gives a headline and
summary story.
"""

from __future__ import annotations

import json
import re

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
from wire.formats.markup import html_tree, read_body
from wire.formats.nitf import fill as fill_nitf
from wire.formats.safexml import MAX_XML_BYTES, parse_xml

_KEYS = {"uri", "guid", "headline", "headlines", "bodies", "body_text", "body_html"}
_KEYS |= {"body_xhtml", "descriptions", "description_text"}
_TOPIC = re.compile(r"/newscodes/(mediatopic|subjectcode|genre)/([\w-]+)$")
_PREFIX = {"mediatopic": "medtop", "subjectcode": "subj", "genre": "genre"}
_PARAGRAPHS = re.compile(r"\n\s*\n")


def parse(data: bytes) -> list[IncomingItem]:
    """The items of a ninjs document. Raises :class:`FormatError` for bytes over the size
    limit, JSON that cannot be read, JSON that is not a ninjs item, and an item with
    neither headline nor body."""
    if len(data) > MAX_XML_BYTES:
        raise FormatError(f"the JSON is over the {MAX_XML_BYTES:,}-byte limit", format="ninjs")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FormatError(f"not readable JSON ({str(exc)[:120]})", format="ninjs") from None
    docs = doc if isinstance(doc, list) else [doc]
    if not docs or not all(isinstance(d, dict) and _KEYS & d.keys() for d in docs):
        raise FormatError("the JSON is not a ninjs item (no uri, headline or body)", format="ninjs")
    return [_item(d) for d in docs]


def _get(doc: dict, *keys: str) -> object:
    return next((doc[k] for k in keys if doc.get(k) not in (None, "", [])), None)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _role_value(values: object, roles: tuple[str, ...]) -> str | None:
    if isinstance(values, str):
        return _str(values)
    entries = [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []
    for role in (*roles, None):
        for entry in entries:
            if (role is None or entry.get("role") == role) and _str(entry.get("value")):
                return entry["value"]
    return None


def _version(value: object) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else 1


def _subjects(doc: dict) -> list[Subject]:
    subjects = []
    for key in ("subjects", "subject", "genres", "genre"):
        entries = doc.get(key)
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            name, code = _str(entry.get("name")), None
            uri, literal = _str(entry.get("uri")), _str(entry.get("literal"))
            match = _TOPIC.search(uri or "")
            if match:
                code = f"{_PREFIX[match[1]]}:{match[2]}"
            elif literal and literal.isdigit() and len(literal) == 8:
                code = f"subj:{literal}"
            elif _str(entry.get("code")):
                code = entry["code"]
            subjects.append(Subject(code=code or (literal if literal != name else None), name=name))
    return subjects


def _body(item: IncomingItem, doc: dict) -> None:
    html = _str(doc.get("body_html")) or _str(doc.get("body_xhtml"))
    nitf = plain = None
    bodies = doc.get("bodies")
    for body in bodies if isinstance(bodies, list) else []:
        if not isinstance(body, dict) or not _str(body.get("value")):
            continue
        kind = str(body.get("contentType") or body.get("contenttype") or "").casefold()
        role = str(body.get("role") or "").casefold()
        if "html" in kind or "html" in role:
            html = html or body["value"]
        elif "nitf" in kind or "nitf" in role:
            nitf = nitf or body["value"]
        elif "plain" in kind or role == "text":
            plain = plain or body["value"]
    plain = plain or _str(doc.get("body_text"))
    if html:
        read = read_body(html_tree(html))
        item.paragraphs, item.subhead_positions = read.paragraphs, read.subheads
        item.headline = item.headline or read.headline
        if read.dateline and not item.dateline.place:
            item.dateline = parse_dateline(read.dateline)
    elif nitf:
        fill_nitf(item, parse_xml(nitf.encode("utf-8"), format="ninjs"))
    elif plain:
        blocks = _PARAGRAPHS.split(plain) if _PARAGRAPHS.search(plain) else plain.splitlines()
        item.paragraphs = [b for b in blocks if b.strip()]


def _item(doc: dict) -> IncomingItem:
    item = IncomingItem(format="ninjs")
    item.guid = _str(_get(doc, "uri", "guid"))
    item.version = _version(doc.get("version"))
    item.headline = _role_value(_get(doc, "headlines", "headline"), ("main",))
    item.summary = _role_value(
        _get(doc, "descriptions", "description_text"), ("summary", "lead", "text", "teaser")
    )
    item.credits = byline_credits(_str(_get(doc, "by", "byline")))
    item.dateline = parse_dateline(_str(doc.get("located")))
    item.language = _str(doc.get("language"))
    item.urgency = urgency(doc.get("urgency"))
    item.pub_status = pub_status(_str(_get(doc, "pubStatus", "pubstatus")))
    item.embargo = iso_utc(_str(_get(doc, "embargoedUntil", "embargoed")))
    item.first_created = iso_utc(_str(_get(doc, "firstCreated", "firstcreated")))
    item.slugline = _str(doc.get("slugline"))
    item.ed_note = _str(_get(doc, "edNote", "ednote"))
    item.signals = signals_from(item.ed_note)
    item.subjects = _subjects(doc)
    keywords = doc.get("keywords")
    if isinstance(keywords, list):
        item.keywords = [k for k in keywords if isinstance(k, str)]
    _body(item, doc)
    if not item.headline and not item.paragraphs:
        raise FormatError("the ninjs item has no headline and no body", format="ninjs")
    return finish(item)
