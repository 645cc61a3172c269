"""Reading wire-copy files safely, before any parsing happens.

Wire copy is plain UTF-8 text. Anything else (a binary upload, a Latin-1 export, an empty
file, a runaway file over the size limit) is refused with a :class:`WireFileError` whose
``reason`` an editor can act on. HTML or script inside the copy is not special here: it is
text, and the parser treats it as characters.
"""

from __future__ import annotations

import os
from pathlib import Path

MAX_BYTES = 1_048_576
_BOM = b"\xef\xbb\xbf"
# Text files may carry tabs, newlines, form feeds and carriage returns; other C0 control
# bytes in quantity mean the file is not copy.
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v")


class WireFileError(Exception):
    """A wire file that cannot be imported; ``reason`` says why in an editor's words."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def read_wire_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> str:
    """Return the text of a wire file, or raise :class:`WireFileError`.

    Refuses what :func:`read_wire_bytes` and :func:`decode_wire_bytes` refuse. Line endings
    are returned as found; :func:`wire.layout.normalise_text` deals with them.
    """
    return decode_wire_bytes(read_wire_bytes(path, max_bytes=max_bytes), path=path)


def read_wire_bytes(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> bytes:
    """Return the bytes of a wire file, at most ``max_bytes`` of them, or raise
    :class:`WireFileError`.

    Refuses: a missing path, a directory, anything not a regular file, and a file over
    ``max_bytes`` (checked from the file size before reading it, and again while reading).
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise WireFileError(path, "no such file") from None
    except OSError as exc:
        raise WireFileError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if p.is_dir():
        raise WireFileError(path, "is a directory, not a wire file")
    if not p.is_file():
        raise WireFileError(path, "is not a regular file")
    if st.st_size > max_bytes:
        raise WireFileError(
            path, f"file is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit for wire copy"
        )
    try:
        with p.open("rb") as fh:
            # One byte past the limit catches a file that grew after stat().
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise WireFileError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise WireFileError(path, f"file is over the {max_bytes:,}-byte limit for wire copy")
    return data


def decode_wire_bytes(data: bytes, *, path: str | os.PathLike[str] = "<bytes>") -> str:
    """Decode raw wire bytes, or raise :class:`WireFileError`.

    Refuses a binary file (NUL bytes or mostly control bytes), bytes that are not UTF-8 (the
    reason gives the byte offset), and a file that is empty or holds only whitespace. A
    UTF-8 byte-order mark is accepted and dropped.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if b"\x00" in data:
        raise WireFileError(path, f"binary file (NUL byte at offset {data.index(0)}), not text")
    sample = data[:4096]
    if sample:
        controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
        if controls / len(sample) > 0.1:
            raise WireFileError(path, "binary file (mostly control bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise WireFileError(
            path,
            f"not UTF-8: invalid byte 0x{bad} at offset {exc.start} (re-save the copy as UTF-8)",
        ) from None
    if not text.strip():
        raise WireFileError(path, "empty file (nothing but whitespace)")
    return text
