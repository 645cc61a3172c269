"""What every format parser shares: dates in UTC, pubStatus, urgency, bylines, datelines,
and :func:`finish`, which makes sure an item meets the :class:`IncomingItem` contract
(plain-text strings, no markup, known status) whatever the file held."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

from wire.formats import PUB_STATUSES, IncomingItem
from wire.model import Credit, Dateline

_TAG = re.compile(r"</?[A-Za-z!?][^<>]*>")
_SPACE = re.compile(r"\s+")
# C0/C1 control characters (teleprinter framing, BEL) and noncharacters never belong in copy.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_BASIC = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2}))?(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_BY = re.compile(r"^(?:by|von|av|par|por|di|door)\s+", re.IGNORECASE)
_CO_AUTHORS = re.compile(r"\s+(?:and|und|og|och|et|y|e|en)\s+|\s*&\s*|\s*;\s*", re.IGNORECASE)
_DATELINE = re.compile(
    r"^\s*(?P<place>[^()]{1,80}?)\s*(?:\((?P<agency>[^()]{1,40})\))?\s*[-–—_:]?\s*$"
)
_SIGNALS = ("correction", "update", "writethru")


def iso_utc(value: str | None) -> str | None:
    """An agency timestamp as ISO 8601 in UTC (``2024-09-25T08:37:24+00:00``), or None when
    it cannot be read. Takes the extended (``2018-10-21T16:25:32-05:00``) and basic
    (``20020226T093000-0500``) forms; a time without a zone is taken as UTC, a date alone
    as midnight UTC."""
    if not value:
        return None
    match = _BASIC.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        tz = UTC
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            tz = timezone(sign * offset)
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None
    return moment.astimezone(UTC).isoformat()


def pub_status(value: str | None) -> str:
    """``stat:canceled``, ``Canceled``, ``cancelled`` → ``canceled``, likewise
    ``withheld``; anything else (``usable``, ``embargoed``, missing) → ``usable``."""
    word = (value or "").rsplit(":", 1)[-1].strip().casefold()
    if word in ("canceled", "cancelled", "kill", "killed"):
        return "canceled"
    return "withheld" if word == "withheld" else "usable"


def urgency(value: object) -> int | None:
    """An urgency 1 (flash) to 9, or None when ``value`` is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 9 else None


def byline_credits(value: str | None) -> list[Credit]:
    """Byline credits from a byline as printed: "By Jane Doe and Ann Roe" gives two.
    An empty byline gives none."""
    value = _SPACE.sub(" ", value or "").strip(" ,;/-")
    value = _BY.sub("", value)
    # "Christian Hollmann, dpa": what follows the comma is the desk or agency.
    value, _, desk = value.partition(",")
    names = [n.strip(" ,;") for n in _CO_AUTHORS.split(value)]
    desk = desk.strip(" ,;")[:120] or None
    credits = []
    for name in names:
        # "Guillaume Lavallee in Jerusalem": where the reporter filed from.
        name, _, place = name.partition(" in ")
        if name and len(name) <= 120:
            credits.append(Credit(name=name, role="byline", desk=desk, place=place or None))
    return credits


def parse_dateline(value: str | None) -> Dateline:
    """A dateline as printed ("Berlin (dpa) - ", "PORT ELMSWORTH (XNS)") as place and
    agency; an empty one gives an empty :class:`Dateline`."""
    value = _SPACE.sub(" ", value or "").strip()
    if not value:
        return Dateline()
    match = _DATELINE.match(value)
    if not match:
        return Dateline(place=value.strip(" -–—_:,")[:120] or None)
    place = match["place"].strip(" -–—_:,")
    return Dateline(place=place or None, agency=(match["agency"] or "").strip() or None)


def split_dateline(paragraph: str, separators: tuple[str, ...]) -> tuple[str | None, str]:
    """Split a lead paragraph's dateline ("Berlin (dpa) - Die ...") from its text at the
    first separator within 80 characters; (None, paragraph) when there is none."""
    for sep in separators:
        at = paragraph.find(sep)
        if 0 < at <= 80:
            return paragraph[: at + len(sep)], paragraph[at + len(sep) :].lstrip()
    return None, paragraph


def signals_from(*values: str | None) -> list[str]:
    """The correction/update markers named in signal codes or notes (``sig:correction``,
    "1stLd-Writethru", "Berichtigung"), each once, in :data:`_SIGNALS` order."""
    words = " ".join(v or "" for v in values).casefold()
    found = set()
    if "correct" in words or "berichtig" in words or "korrig" in words:
        found.add("correction")
    if any(w in words for w in ("update", "lead", "recast", "utvid", "aktualisier")):
        found.add("update")
    if "writethru" in words or "write-thru" in words or "writethrough" in words:
        found.add("writethru")
    return [s for s in _SIGNALS if s in found]


def clean(value: object) -> str:
    """Plain text: control characters and anything that looks like a markup tag removed,
    whitespace folded, NFC."""
    value = _CONTROL.sub(" ", str(value))
    value = _TAG.sub(" ", value)
    return unicodedata.normalize("NFC", _SPACE.sub(" ", value)).strip()


def finish(item: IncomingItem) -> IncomingItem:
    """``item`` made to meet the contract: strings cleaned (:func:`clean`), empty
    paragraphs dropped with subhead positions kept in step, a known ``pub_status``, an
    integer version of at least 1, duplicate signals, subjects and keywords dropped."""
    placed: dict[int, str] = {}
    paragraphs: list[str] = []
    for index, paragraph in enumerate(item.paragraphs):
        subhead = item.subhead_positions.get(index)
        if subhead and clean(subhead):
            placed.setdefault(len(paragraphs), clean(subhead))
        text = clean(paragraph)
        if text:
            paragraphs.append(text)
    placed = {k: v for k, v in placed.items() if k < len(paragraphs)}
    item.paragraphs, item.subhead_positions = paragraphs, placed
    item.guid = clean(item.guid)[:300] or None if item.guid else None
    item.headline = clean(item.headline)[:300] or None if item.headline else None
    item.summary = clean(item.summary) or None if item.summary else None
    item.language = clean(item.language)[:35] or None if item.language else None
    d = item.dateline
    item.dateline = Dateline(
        place=clean(d.place)[:120] or None if d.place else None, date=d.date, agency=d.agency
    )
    item.credits = [
        Credit(
            name=clean(c.name)[:200],
            role=c.role,
            desk=clean(c.desk)[:120] or None if c.desk else None,
            place=c.place,
        )
        for c in item.credits
        if clean(c.name)
    ]
    if item.pub_status not in PUB_STATUSES:
        item.pub_status = "usable"
    try:
        item.version = max(int(item.version), 1)
    except (TypeError, ValueError):
        item.version = 1
    seen: set[tuple[str | None, str | None]] = set()
    subjects = []
    for subject in item.subjects:
        subject = type(subject)(
            code=clean(subject.code) or None if subject.code else None,
            name=clean(subject.name) or None if subject.name else None,
        )
        key = (subject.code, subject.name)
        if (subject.code or subject.name) and key not in seen:
            seen.add(key)
            subjects.append(subject)
    item.subjects = subjects
    item.slugline = clean(item.slugline)[:120] or None if item.slugline else None
    item.ed_note = clean(item.ed_note) or None if item.ed_note else None
    item.keywords = list(dict.fromkeys(k for k in (clean(k) for k in item.keywords) if k))
    item.signals = list(dict.fromkeys(s for s in item.signals if s in _SIGNALS))
    return item
