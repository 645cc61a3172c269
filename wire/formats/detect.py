"""Which parser reads a file: judged by its first bytes, never by its name."""

from __future__ import annotations

from wire.formats import FormatError, Parser, text

_PARSERS: dict[str, Parser] = {"text": text.parse}


def detect_format(data: bytes) -> str:
    """The format name for ``data`` (see :func:`wire.formats.detect_format`)."""
    return "text"


def parser_for(kind: str) -> Parser:
    """The parser for a format name; raises :class:`FormatError` for one not supported."""
    try:
        return _PARSERS[kind]
    except KeyError:
        raise FormatError(f"the {kind} format is not supported", format=kind) from None
