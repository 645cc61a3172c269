"""Wire-copy ingest: plain-text wire stories into the wire-import contract's JSON object.

The one path every caller uses (the ``import_wire`` command, the admin upload, the dev CLI
``python -m articles.ingest FILE...``):

- :func:`read_wire_file` / :func:`decode_wire_bytes`: bytes to text, or :class:`WireFileError`.
- :func:`parse_wire`: text to a :class:`WireStory`; never raises.
- :func:`story_to_contract`: a :class:`WireStory` as the contract's dict.
- :func:`parse_wire_text` / :func:`parse_wire_file`: the two steps together.
- :func:`dry_run_record`: one JSON Lines record for a path, error or story.

Pure Python: nothing here imports Django.
"""

from __future__ import annotations

import os

from articles.ingest.files import MAX_BYTES, WireFileError, decode_wire_bytes, read_wire_file
from articles.ingest.parser import WireStory, parse_wire, story_to_contract
from sources.audit import audit_story

__all__ = [
    "MAX_BYTES",
    "WireFileError",
    "WireStory",
    "audit_story",
    "decode_wire_bytes",
    "dry_run_record",
    "parse_wire",
    "parse_wire_file",
    "parse_wire_text",
    "read_wire_file",
    "story_to_contract",
]


def parse_wire_text(text: str, *, file: str = "") -> dict:
    """The contract's object for wire text already read; never raises."""
    return story_to_contract(parse_wire(text), file=file)


def parse_wire_file(path: str | os.PathLike[str]) -> dict:
    """The contract's object for one file; raises :class:`WireFileError` when the file
    cannot be read as wire copy (missing, directory, binary, not UTF-8, empty, too big)."""
    return parse_wire_text(read_wire_file(path), file=str(path))


def dry_run_record(path: str | os.PathLike[str]) -> dict:
    """The ``--dry-run --json`` line for one path: the story, or ``{"file", "error"}``."""
    try:
        return parse_wire_file(path)
    except WireFileError as exc:
        return {"file": str(path), "error": exc.reason}
