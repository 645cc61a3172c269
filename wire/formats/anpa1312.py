"""ANPA 1312 (ANPA/NAA Bulletin 1312) streams: one item per message; a stream may hold
several.

A message: SYN SYN SOH, service letter and story number, US, selector codes; the second
header line (priority letter, category letter, the DC3/DC4 + DC1/DC2 format identifier,
keyword, version, reference, filing date, word count); STX; heading lines starting with
``^`` (keyword line, headline, ``Eds:`` note, ``By`` byline, byline title); body paragraphs
starting with a TAB (``_`` stands for a dash); ETX and the transmission trailer
(``XNS-WS-03-14-25 1230GMT``). Read leniently: every provider's variant differs a little.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from wire.formats import FormatError, IncomingItem, Subject
from wire.formats.common import byline_credits, finish, parse_dateline, signals_from, split_dateline
from wire.formats.teleprinter import (
    ETX,
    STX,
    US,
    decode,
    embargo_from,
    messages,
    status_from,
    year_from,
)

# AP practice: flash, bulletin, urgent, regular, deferred, weekday advance (held for release).
PRIORITIES = {"f": 1, "b": 2, "u": 3, "r": 5, "d": 7, "a": 6, "s": 5}
_CODES = re.compile(r"[\x11-\x14]")
_TRAILING = re.compile(r"\s*[@=]?<+\s*$")
_TRAILER = re.compile(r"(\d{2})-(\d{2})-(\d{2})\s+(\d{2}):?(\d{2})\s*(GMT|UTC|Z)?")
_BY = re.compile(r"^by\s+\S", re.IGNORECASE)
_NOTE = re.compile(r"^(eds?:|editor'?s note)", re.IGNORECASE)
_RELEASE = re.compile(r"(for release|embargo|hold for|advance for)", re.IGNORECASE)


def parse(data: bytes) -> list[IncomingItem]:
    """The stories of an ANPA 1312 stream, in order. Raises :class:`FormatError` for a
    stream with no SOH-framed message with text, or bytes the decoder refuses."""
    text = decode(data, format="anpa1312")
    items = [item for item in (_message(m) for m in messages(text)) if item is not None]
    if not items:
        raise FormatError("no ANPA 1312 message with text (SOH … STX … ETX)", format="anpa1312")
    return items


def _sent(trailer: str) -> str | None:
    match = _TRAILER.search(trailer)
    if not match:
        return None
    month, day, year, hour, minute, _ = match.groups()
    try:
        moment = datetime(
            2000 + int(year), int(month), int(day), int(hour), int(minute), tzinfo=UTC
        )
    except ValueError:
        return None
    return moment.isoformat()


def _header(item: IncomingItem, head: str) -> tuple[str, str]:
    # The two header lines: returns (version, keyword) for the heading and signals.
    lines = [line for line in head.split("\n") if line.strip()]
    first = lines[0] if lines else ""
    story, _, selectors = first.partition(US)
    story = story.strip("\x16 ")
    item.guid = None
    second = _CODES.sub(" ", lines[1]) if len(lines) > 1 else ""
    parts = second.split(" ")
    if parts and parts[0][:1].lower() in PRIORITIES:
        item.urgency = PRIORITIES[parts[0][:1].lower()]
    if len(parts) > 1 and parts[1][:1].isalpha():
        item.subjects = [Subject(code=f"category:{parts[1][:1].lower()}", name=None)]
    if selectors.strip():
        item.keywords.append(selectors.strip())
    fields = [p for p in second.split(" ")[2:]]
    while fields and not fields[0]:
        fields.pop(0)
    keyword = fields[0] if fields else ""
    version = fields[1] if len(fields) > 1 else ""
    if len(fields) > 2 and fields[2]:
        item.ed_note = f"updates story {fields[2]}"
    item.slugline = re.sub(r"^[a-z]{2}-", "", keyword, flags=re.IGNORECASE) or story or None
    if item.slugline:
        item.keywords.insert(0, item.slugline)
    return version, keyword


def _message(message: str) -> IncomingItem | None:
    head, _, rest = message.partition(STX)
    if not rest.strip():
        return None
    body, _, trailer = rest.partition(ETX)
    item = IncomingItem(format="anpa1312")
    version, keyword = _header(item, head)
    item.first_created = _sent(trailer)
    headings, paragraphs, tabular = [], [], "\x12" in head
    for line in body.split("\n"):
        stripped = _TRAILING.sub("", line.rstrip())
        if stripped.startswith("^"):
            headings.append(stripped[1:].strip())
        elif line.startswith("\t") or not paragraphs or tabular:
            if stripped.strip():
                paragraphs.append(stripped.strip())
        elif stripped.strip():
            paragraphs[-1] += " " + stripped.strip()
    _headings(item, headings, keyword)
    item.signals = signals_from(version, *[h for h in headings if _NOTE.match(h)])
    item.pub_status = status_from(version, *headings[:1])
    item.embargo = embargo_from("\n".join(headings), year=year_from(item.first_created))
    if paragraphs:
        dateline, lead = split_dateline(paragraphs[0], (" _ ", " -- ", " — "))
        if dateline:
            item.dateline = parse_dateline(dateline)
            paragraphs[0] = lead
    item.paragraphs = [p.replace(" _ ", " — ") for p in paragraphs]
    if not item.headline and not item.paragraphs:
        return None
    return finish(item)


def _headings(item: IncomingItem, headings: list[str], keyword: str) -> None:
    # Keyword line first (it repeats the slug), then headline, notes, byline and its title.
    rest = list(headings)
    slug = keyword.casefold()
    if rest and slug and rest[0].casefold().startswith(slug.split(",")[0]):
        rest.pop(0)
    notes = []
    byline_at = None
    for index, line in enumerate(rest):
        if _BY.match(line) and byline_at is None:
            byline_at = index
            # Bylines move in capitals ("By JANE EXAMPLE"); the credit is the name.
            item.credits = [
                type(c)(name=c.name.title() if c.name.isupper() else c.name, role=c.role)
                for c in byline_credits(line)
            ]
        elif _NOTE.match(line) or _RELEASE.search(line):
            notes.append(line)
        elif byline_at is not None and index == byline_at + 1:
            item.credits = [type(c)(name=c.name, role=c.role, desk=line) for c in item.credits]
        elif not item.headline:
            item.headline = line
    if notes:
        item.ed_note = "\n".join(x for x in (item.ed_note, *notes) if x)
