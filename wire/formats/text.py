"""Plain UTF-8 wire copy, as an agency files it: one story per file."""

from __future__ import annotations

from wire.files import WireFileError, decode_wire_bytes
from wire.formats import FormatError, IncomingItem


def parse(data: bytes) -> list[IncomingItem]:
    """One item holding the copy as filed (``body_text``); the layout stage reads its
    headline, dateline, subheads and credits. Raises :class:`FormatError` for bytes that
    :func:`wire.files.decode_wire_bytes` refuses."""
    try:
        copy = decode_wire_bytes(data)
    except WireFileError as exc:
        raise FormatError(exc.reason, format="text") from None
    return [IncomingItem(format="text", body_text=copy)]
