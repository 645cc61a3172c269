"""What IPTC 7901 and ANPA 1312 streams share: control-character framing, the character
set (neither format states one), and the text clues a teleprinter story carries for
status and embargo."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from wire.formats import FormatError

SOH, STX, ETX, EOT, US = "\x01", "\x02", "\x03", "\x04", "\x1f"
MAX_STREAM_BYTES = 8 * 1024 * 1024
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "januar", "january", "jän"),
            ("feb", "februar", "february"),
            ("mar", "mär", "märz", "march", "mrz"),
            ("apr", "april"),
            ("may", "mai"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "okt", "oktober", "october"),
            ("nov", "november"),
            ("dec", "dez", "dezember", "december"),
        ],
        start=1,
    )
    for name in names
}
_EMBARGO = re.compile(
    r"(?:sperrfrist|embargo(?:ed)?|for release|release at|not for (?:publication|release))"
    r"[^\n]*?(?P<day>\d{1,2})\.?\s+(?P<month>[A-Za-zäÄ]{3,9})\.?(?:\s+(?P<year>\d{4}))?"
    r"(?:[,\s]+(?:um\s+|at\s+)?(?P<hour>\d{1,2})[.:]?(?P<minute>\d{2}))?",
    re.IGNORECASE,
)
_EMBARGO_TIME_FIRST = re.compile(
    r"(?:sperrfrist|embargo(?:ed)?|for release|release at)[^\n]*?"
    r"(?P<hour>\d{1,2})[.:]?(?P<minute>\d{2})\s*(?:GMT|UTC|Uhr|ET|EST|EDT)?[,\s]+"
    r"(?:\w+,?\s+)?(?P<day>\d{1,2})\.?\s+(?P<month>[A-Za-zäÄ]{3,9})\.?(?:\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_KILL = re.compile(r"\b(kill|killed|withdrawn|canceled|cancelled|gestrichen|annulliert)\b", re.I)
_WITHHOLD = re.compile(r"\b(withhold|withheld|sperrvermerk|zurückgehalten)\b", re.I)


def decode(data: bytes, *, format: str) -> str:
    """The stream as text. Neither format states its character set: UTF-8 when the bytes
    are UTF-8 (the dpa feeds), else Windows-1252 (which the ISO 8859-1 8-bit feeds fit),
    else ISO 8859-1 itself, which reads any byte. Line ends become ``\\n``. Raises
    :class:`FormatError` for a stream over the size limit or holding NUL bytes."""
    if len(data) > MAX_STREAM_BYTES:
        raise FormatError(
            f"the stream is {len(data):,} bytes, over the {MAX_STREAM_BYTES:,}-byte limit",
            format=format,
        )
    if b"\x00" in data:
        raise FormatError("binary data (NUL byte) in a teleprinter stream", format=format)
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return text.replace("\r\n", "\n").replace("\r", "\n")


def messages(text: str) -> list[str]:
    """The messages of a stream, each from after its SOH to its EOT (or the next SOH),
    in order; text before the first SOH (sync fill, padding) is dropped."""
    return [chunk.split(EOT, 1)[0] for chunk in text.split(SOH)[1:] if chunk.strip()]


def year_from(sent: str | None) -> int | None:
    """The year of an ISO timestamp, or None."""
    return int(sent[:4]) if sent and sent[:4].isdigit() else None


def embargo_from(text: str, *, year: int | None) -> str | None:
    """The release time a teleprinter story prints ("Sperrfrist 23. Januar 19.00 Uhr",
    "EMBARGOED until 1900 GMT 14 March 2025") as ISO 8601 UTC; the year, when not printed,
    is the sending year. Times carry no zone in these formats and are read as UTC."""
    for pattern in (_EMBARGO_TIME_FIRST, _EMBARGO):
        match = pattern.search(text)
        if not match:
            continue
        month = MONTHS.get(match["month"].casefold())
        if not month:
            continue
        try:
            moment = datetime(
                int(match["year"] or year or datetime.now(UTC).year),
                month,
                int(match["day"]),
                int(match["hour"] or 0),
                int(match["minute"] or 0),
                tzinfo=UTC,
            )
        except ValueError:
            continue
        return moment.isoformat()
    return None


def status_from(*lines: str) -> str:
    """``canceled`` for a kill or withdrawal notice among ``lines``, ``withheld`` for a
    withhold, else ``usable``."""
    joined = " ".join(lines)
    if _KILL.search(joined):
        return "canceled"
    return "withheld" if _WITHHOLD.search(joined) else "usable"
