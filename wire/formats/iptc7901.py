"""IPTC 7901 (revision 5, 1995) teleprinter streams, dpa's variant first: one item per
message; a stream may hold several.

A message: SOH, the header line (service and number, priority, category, word count,
provider fields), the keyword line, STX, bracketed flags (``(Eil)``, ``(Berichtigung:
…)``, ``Sperrfrist …``), the headline ending in `` =``, paragraphs separated by empty
lines, an optional ``# Notizblock`` note block (an editor's note: never body text), the
closing line (agency and staff initials), ETX and the date line ``DDhhmm Mon YY``. 7901
has no machine-readable version, status or embargo: they are read from the flags.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from wire.formats import FormatError, IncomingItem, Subject
from wire.formats.common import (
    byline_credits,
    finish,
    parse_dateline,
    signals_from,
    split_dateline,
    urgency,
)
from wire.formats.teleprinter import (
    ETX,
    MONTHS,
    STX,
    decode,
    embargo_from,
    messages,
    status_from,
    year_from,
)

_SENT = re.compile(r"^\s*(\d{2})(\d{2})(\d{2})\s+([A-Za-zäÄ]{3,4})\.?\s+(\d{2})\s*$")
_CLOSING = re.compile(r"^[a-z][\w-]*(?:\s+[\w/-]{1,8}){0,6}$")
_NOT_FOR_PUBLICATION = ("nicht zur veröffentlichung", "not for publication")
_BYLINE = re.compile(r"^(?:von|by)\s+\S", re.IGNORECASE)
_DATELINE_SEP = (" - ", " – ")


def parse(data: bytes) -> list[IncomingItem]:
    """The stories of an IPTC 7901 stream, in order. Raises :class:`FormatError` for a
    stream with no SOH-framed message with text, or bytes :func:`decode` refuses."""
    text = decode(data, format="iptc7901")
    items = [item for item in (_message(m) for m in messages(text)) if item is not None]
    if not items:
        raise FormatError("no IPTC 7901 message with text (SOH … STX … ETX)", format="iptc7901")
    return items


def _sent(line: str) -> str | None:
    match = _SENT.match(line)
    if not match:
        return None
    day, hour, minute, month, year = match.groups()
    try:
        moment = datetime(
            2000 + int(year),
            MONTHS.get(month.casefold(), 0),
            int(day),
            int(hour),
            int(minute),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    return moment.isoformat()


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _message(message: str) -> IncomingItem | None:
    head, _, rest = message.partition(STX)
    if not rest.strip():
        return None
    body, _, trailer = rest.partition(ETX)
    head_lines = [line.strip() for line in head.split("\n")]
    fields = head_lines[0].split()
    keyword = next((line for line in head_lines[1:] if line), "")
    item = IncomingItem(format="iptc7901", slugline=keyword.strip("/ ") or None)
    item.keywords = [k.strip() for k in keyword.split("/") if k.strip()]
    if len(fields) > 1:
        item.urgency = urgency(fields[1])
    if len(fields) > 2 and not fields[2].isdigit():
        item.subjects = [Subject(code=f"category:{fields[2]}", name=None)]
    item.first_created = _sent(trailer.strip().split("\n", 1)[0])
    lines = body.split("\n")
    end = next((i for i, line in enumerate(lines) if line.rstrip().endswith(" =")), None)
    if end is None:
        end = next((i for i, line in enumerate(lines) if line.strip()), 0)
    flags, title, byline = [], [], None
    for line in (x.strip().strip("\x07") for x in lines[: end + 1]):
        line = line.removesuffix(" =").removesuffix("=").strip()
        if line.startswith("(") or line.casefold().startswith(("sperrfrist", "embargo")):
            flags.append(line)
        elif _BYLINE.match(line):
            byline = line
        elif line:
            title.append(line)
    item.headline = " ".join(title) or None
    item.credits = byline_credits(byline)
    _flags(item, flags)
    _text(item, _blocks(lines[end + 1 :]))
    if not item.headline and not item.paragraphs:
        return None
    return finish(item)


def _flags(item: IncomingItem, flags: list[str]) -> None:
    joined = " ".join(flags)
    if "(blitz" in joined.casefold() or "flash" in joined.casefold():
        item.urgency = 1
    item.signals = signals_from(joined)
    item.pub_status = status_from(*[f for f in flags if "planungshinweis" not in f.casefold()])
    item.embargo = embargo_from(joined, year=year_from(item.first_created))
    item.ed_note = joined or None


def _text(item: IncomingItem, blocks: list[list[str]]) -> None:
    # The note block starts at "# Notizblock" (or a line of "#"); the closing line ends it.
    notes_at = next((i for i, b in enumerate(blocks) if b[0].startswith("#")), len(blocks))
    body, notes = blocks[:notes_at], blocks[notes_at:]
    if notes and _CLOSING.match(notes[-1][-1]) and len(notes[-1]) == 1:
        notes = notes[:-1]
    elif body and len(body[-1]) == 1 and _CLOSING.match(body[-1][0]) and len(body[-1][0]) < 40:
        body = body[:-1]
    note_text = "\n".join("\n".join(b) for b in notes)
    for marker in _NOT_FOR_PUBLICATION:
        at = note_text.casefold().find(marker)
        if at >= 0:
            note_text = note_text[:at]
    if note_text.strip():
        item.ed_note = "\n".join(x for x in (item.ed_note, note_text.strip()) if x)
    paragraphs: list[str] = []
    for block in body:
        if all(line.lstrip().startswith("|") for line in block):
            paragraphs.extend(line.strip() for line in block)  # a table: one row each
        else:
            paragraphs.append(" ".join(line.strip() for line in block))
    if paragraphs:
        dateline, lead = split_dateline(paragraphs[0], _DATELINE_SEP)
        if dateline and "(" in dateline:  # "Berlin (dpa) - ": the agency tag marks it
            item.dateline = parse_dateline(dateline)
            paragraphs[0] = lead
    item.paragraphs = paragraphs
