"""Agency formats in, one typed item out: plain text, NewsML-G2, NITF, ninjs and IPTC 7901 /
ANPA 1312 each have one parser module here, and every parser returns
:class:`IncomingItem` values that the rest of the pipeline reads the same way.

:func:`parse_items` detects the format from the bytes (never from a file name) and returns
the items a file holds, in order: one for plain text, several for a NewsML-G2 package or an
IPTC 7901 stream. Anything it cannot read raises :class:`FormatError` with a reason an
editor can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wire.model import Credit, Dateline

PUB_STATUSES = ("usable", "withheld", "canceled")
FORMATS = ("text", "newsml-g2", "newsml-1.2", "nitf", "ninjs", "iptc7901", "anpa1312")


class FormatError(Exception):
    """Bytes that no parser here can turn into a story; ``reason`` says why in an editor's
    words ("XML entity declarations are refused", "ninjs item has no headline or body")."""

    def __init__(self, reason: str, *, format: str | None = None) -> None:
        self.reason = reason
        self.format = format
        super().__init__(reason)


@dataclass(frozen=True)
class Subject:
    """One subject or keyword the item carries: ``code`` as the item gives it (an IPTC
    Media Topic or Subject Code qcode such as ``medtop:20000763``, or None for a plain
    keyword) and ``name``, the label the item itself prints, when it does."""

    code: str | None
    name: str | None = None


@dataclass
class IncomingItem:
    """One story as an agency moved it, whatever the format.

    ``guid`` and ``version`` identify it at the agency (``version`` is an integer that grows
    with each update; 1 when the format does not say). ``paragraphs`` are body paragraphs in
    order, as plain text (markup removed); ``subhead_positions`` maps the index of the
    paragraph a subhead stands before to the subhead's text. ``credits`` come from the
    format's byline fields. ``embargo`` and ``first_created`` are ISO 8601 in UTC
    (``2024-08-09T14:00:00+00:00``) or None. ``urgency`` is 1 (flash) to 9, None when absent.
    ``pub_status`` is one of :data:`PUB_STATUSES`. ``signals`` holds the item's correction or
    update markers (``correction``, ``update``, ``writethru``). ``body_text`` is set only by the
    plain-text parser: the copy as filed, for the layout stage. ``slugline`` is the agency's
    catchword (the key that later versions repeat); ``ed_note`` its note to editors, never
    body text.
    """

    format: str
    guid: str | None = None
    version: int = 1
    headline: str | None = None
    summary: str | None = None
    dateline: Dateline = field(default_factory=Dateline)
    paragraphs: list[str] = field(default_factory=list)
    subhead_positions: dict[int, str] = field(default_factory=dict)
    credits: list[Credit] = field(default_factory=list)
    language: str | None = None
    urgency: int | None = None
    subjects: list[Subject] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    pub_status: str = "usable"
    embargo: str | None = None
    first_created: str | None = None
    signals: list[str] = field(default_factory=list)
    body_text: str | None = None
    slugline: str | None = None
    ed_note: str | None = None


Parser = Callable[[bytes], list[IncomingItem]]


def detect_format(data: bytes) -> str:
    """The format of a file's bytes, one of :data:`FORMATS`, judged by content: the XML root
    element, the JSON shape, or the SOH/STX framing of a 7901 or ANPA stream; else
    ``text``."""
    from wire.formats import detect

    return detect.detect_format(data)


def parse_items(data: bytes, *, format: str | None = None) -> list[IncomingItem]:
    """Every story in a file's bytes, in order, as :class:`IncomingItem` values.

    ``format`` skips detection when the caller knows it (a push channel's declared type).
    Raises :class:`FormatError` for bytes no parser can read, hostile XML included; never
    returns an empty list.
    """
    from wire.formats import detect

    kind = format or detect.detect_format(data)
    items = detect.parser_for(kind)(data)
    if not items:
        raise FormatError("the file holds no story", format=kind)
    return items
