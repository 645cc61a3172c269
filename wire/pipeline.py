"""The wire pipeline end to end: text in, a :class:`~wire.model.Story` out, and the
wire-import contract's JSON object at the edge (``shared/contracts/wire-import.md``).

Stages, in order: layout → language → quotes, cues, speakers and coreference
(:mod:`wire.attribution`) → the story's sources → checks. Never raises on any text.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

from wire import checks, language
from wire.attribution import attribute
from wire.files import WireFileError, decode_wire_bytes, read_wire_file
from wire.formats import FormatError, IncomingItem, detect_format, parse_items
from wire.layout import split_story
from wire.model import Layout, Story
from wire.sourcelist import build_quotes, build_sources


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Hold the cyclic garbage collector while a story is parsed. The parse makes many
    small objects and no reference cycles, and the collector's full passes over a growing
    heap made a large story cost more than linear time. Restored afterwards as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_wire(text: str) -> Story:
    """Parse wire copy into a :class:`Story`. Copy in a language the attribution rules do
    not cover gets its layout only, and ``attribution`` says why."""
    with _no_cycle_collection():
        return _parse(text)


def parse_item(item: IncomingItem) -> Story:
    """Parse one agency item (:mod:`wire.formats`) into a :class:`Story`. Plain text goes
    through the layout stage; a structured format's headline, dateline, subheads and byline
    credits are taken as the format gives them, and its paragraphs go on to the same
    language, attribution and audit stages as plain text."""
    if item.body_text is not None:
        return parse_wire(item.body_text)
    layout = Layout(
        headline=item.headline,
        dateline=item.dateline,
        paragraphs=list(item.paragraphs),
        subheads=list(item.subhead_positions.values()),
        subhead_positions=dict(item.subhead_positions),
        credits=list(item.credits),
    )
    # The language the item declares ("nb", "de-DE") is taken over a guess from the copy,
    # which has too few words to go on in a short item and would read it as English.
    declared = (item.language or "").split("-")[0].casefold() or None
    with _no_cycle_collection():
        return _parse_layout(layout, declared=declared)


def _parse(text: str) -> Story:
    return _parse_layout(split_story(text))


def _parse_layout(layout: Layout, *, declared: str | None = None) -> Story:
    code = declared or language.detect_language(layout.paragraphs)
    if code not in language.ATTRIBUTION_LANGUAGES:
        findings = [
            f
            for f in checks.audit(layout, attribute(type(layout)()))
            if f.code in ("missing-headline", "no-paragraphs")
        ]
        return Story(
            layout, findings=findings, language=code, attribution=f"skipped: language {code}"
        )
    found = attribute(layout)
    return Story(
        layout,
        quotes=build_quotes(found),
        sources=build_sources(found),
        findings=checks.audit(layout, found),
        language=code,
    )


def story_to_contract(story: Story, *, file: str) -> dict:
    """The contract's JSON object for one story, plus ``subhead_positions`` (index of the
    paragraph each subhead precedes), each quote's ``verb``, each credit's ``place``, the
    detected ``language`` and ``attribution`` ("ok" or why it was skipped)."""
    layout = story.layout
    return {
        "file": file,
        "format": "text",
        "headline": layout.headline,
        "dateline": {"place": layout.dateline.place, "date": layout.dateline.date},
        "subheads": list(layout.subheads),
        "paragraphs": list(layout.paragraphs),
        "sources": [
            {
                "name": s.name,
                "kind": s.kind,
                "title": s.title,
                "affiliation": s.affiliation,
                "aliases": list(s.aliases),
            }
            for s in story.sources
        ],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "kind": q.kind,
                "paragraph": q.paragraph,
                "verb": q.verb,
            }
            for q in story.quotes
        ],
        "credits": [
            {"name": c.name, "role": c.role, "desk": c.desk, "place": c.place}
            for c in layout.credits
        ],
        "flags": [
            {"code": f.code, "subject": f.subject, "message": f.message} for f in story.findings
        ],
        "subhead_positions": {str(k): v for k, v in layout.subhead_positions.items()},
        "language": story.language,
        "attribution": story.attribution,
    }


def parse_wire_text(text: str, *, file: str = "") -> dict:
    """The contract's object for wire text already read; never raises."""
    return story_to_contract(parse_wire(text), file=file)


def item_to_contract(item: IncomingItem, *, file: str, index: int = 0) -> dict:
    """The contract's object for one agency item: :func:`story_to_contract` of its parse,
    with ``format``, ``guid`` and ``index`` (0-based in its file), and ``agency``: what the
    format carried beside the copy (``version``, ``pub_status``, ``embargo`` and
    ``first_created`` in ISO 8601 UTC, ``urgency``, declared ``language``, ``summary``,
    ``subjects`` as ``{"code", "name"}``, ``keywords``, ``signals``, ``slugline``,
    ``ed_note``)."""
    record = story_to_contract(parse_item(item), file=file)
    record.update(format=item.format, guid=item.guid, index=index)
    record["agency"] = {
        "version": item.version,
        "pub_status": item.pub_status,
        "embargo": item.embargo,
        "first_created": item.first_created,
        "urgency": item.urgency,
        "language": item.language,
        "summary": item.summary,
        "subjects": [{"code": s.code, "name": s.name} for s in item.subjects],
        "keywords": list(item.keywords),
        "signals": list(item.signals),
        "slugline": item.slugline,
        "ed_note": item.ed_note,
    }
    return record


def parse_wire_bytes_stories(data: bytes, *, file: str = "") -> list[dict]:
    """The contract's objects for every story in a file's bytes, in order, whatever the
    format (detected by :func:`wire.formats.detect_format`). Plain text is one story,
    parsed exactly as :func:`parse_wire_text` does (with ``guid`` None and ``index`` 0).
    Raises :class:`WireFileError` for text :func:`wire.files.decode_wire_bytes` refuses
    and :class:`FormatError` for a structured file no parser can read (hostile XML
    included)."""
    kind = detect_format(data)
    if kind == "text":
        record = parse_wire_text(decode_wire_bytes(data, path=file), file=file)
        record.update(guid=None, index=0)
        return [record]
    items = parse_items(data, format=kind)
    with _no_cycle_collection():
        return [item_to_contract(item, file=file, index=i) for i, item in enumerate(items)]


def parse_wire_file(path: str | os.PathLike[str]) -> dict:
    """The contract's object for one file; raises :class:`WireFileError` when the file
    cannot be read as wire copy (missing, directory, binary, not UTF-8, empty, too big)."""
    return parse_wire_text(read_wire_file(path), file=str(path))


def dry_run_records(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> list[dict]:
    """The ``--dry-run --json`` lines for one path, any format: a story each, or one
    ``{"file", "error"}``. ``max_bytes`` is the file size limit (default
    :data:`wire.files.MAX_BYTES`)."""
    from wire.files import MAX_BYTES, read_wire_bytes

    try:
        data = read_wire_bytes(path, max_bytes=max_bytes or MAX_BYTES)
        return parse_wire_bytes_stories(data, file=str(path))
    except (WireFileError, FormatError) as exc:
        return [{"file": str(path), "error": exc.reason}]


def dry_run_record(path: str | os.PathLike[str]) -> dict:
    """The ``--dry-run --json`` line for one plain-text path: the story, or
    ``{"file", "error"}``."""
    try:
        return parse_wire_file(path)
    except WireFileError as exc:
        return {"file": str(path), "error": exc.reason}
