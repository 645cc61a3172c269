"""Wire copy in, the wire-import contract's object out: structure, attributions, audit."""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.ingest.credits import Credit
from articles.ingest.structure import Dateline, parse_dateline, split_story
from sources.audit import audit_story
from sources.extraction import Quote, extract_attributions
from sources.registry import Source


@dataclass
class WireStory:
    """A parsed piece of wire copy; :func:`story_to_contract` prints it as the contract's JSON."""

    headline: str | None
    dateline: Dateline
    subheads: list[str]
    paragraphs: list[str]
    sources: list[Source]
    quotes: list[Quote]
    credits: list[Credit]
    flags: list[dict] = field(default_factory=list)
    subhead_positions: dict[int, str] = field(default_factory=dict)


def parse_wire(text: str) -> WireStory:
    """Parse normalised or raw wire text. Never raises; a story with nothing usable still
    comes back, flagged (``no-paragraphs``, ``unclosed-quote`` besides the audit's codes)."""
    layout = split_story(text)
    body = list(layout.paragraphs)
    if body and layout.dateline.place:
        # The dateline stays in paragraph 0 as printed, but is not part of any sentence.
        opened = parse_dateline(body[0])
        if opened and opened[1]:
            body[0] = opened[1]
    found = extract_attributions(body)
    quotes = [q.to_dict() for q in found.quotes]
    sources = [s.to_dict() for s in found.sources]
    flags = audit_story(headline=layout.headline, sources=sources, quotes=quotes, paragraphs=body)
    if found.unclosed:
        flags.append(
            {
                "code": "unclosed-quote",
                "subject": "",
                "message": "A quotation mark is opened and never closed: check where the "
                "quote ends.",
            }
        )
    if not layout.paragraphs:
        flags.append(
            {"code": "no-paragraphs", "subject": "", "message": "The copy has no body paragraphs."}
        )
    return WireStory(
        headline=layout.headline,
        dateline=layout.dateline,
        subheads=layout.subheads,
        paragraphs=layout.paragraphs,
        sources=found.sources,
        quotes=found.quotes,
        credits=layout.credits,
        flags=flags,
        subhead_positions=layout.subhead_positions,
    )


def story_to_contract(story: WireStory, *, file: str) -> dict:
    """The contract's JSON object for one file (plus ``subhead_positions``: index of the
    paragraph each subhead precedes, and each quote's attribution ``verb``)."""
    return {
        "file": file,
        "headline": story.headline,
        "dateline": {"place": story.dateline.place, "date": story.dateline.date},
        "subheads": list(story.subheads),
        "paragraphs": list(story.paragraphs),
        "sources": [s.to_dict() for s in story.sources],
        "quotes": [q.to_dict() for q in story.quotes],
        "credits": [{"name": c.name, "role": c.role, "desk": c.desk} for c in story.credits],
        "flags": list(story.flags),
        "subhead_positions": {str(k): v for k, v in story.subhead_positions.items()},
    }
