"""Typed values that pass between the stages of the wire pipeline.

Each stage takes and returns these dataclasses; the wire-import contract's plain dict is
made only at the JSON edge (:func:`wire.pipeline.story_to_contract`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

CREDIT_ROLES = ("byline", "contributor", "translator", "photographer", "editor")
SOURCE_KINDS = ("person", "organization", "unnamed")


@dataclass(frozen=True)
class Dateline:
    """Where the story was filed, as printed; ``date`` is ISO (YYYY-MM-DD) when the copy
    prints a year, else None; ``agency`` is the tag in brackets ("VOA", "AP")."""

    place: str | None = None
    date: str | None = None
    agency: str | None = None


@dataclass(frozen=True)
class Credit:
    """One person credited on a story. ``role`` is one of :data:`CREDIT_ROLES`; ``place``
    is where they reported from ("contributed from Marsabit"), when the line says."""

    name: str
    role: str
    desk: str | None = None
    place: str | None = None


@dataclass
class Layout:
    """The lines of a story sorted into their parts (the layout stage's output).

    ``paragraphs`` are body paragraphs in order, without subheads, credit lines or the
    dateline; ``subhead_positions`` maps the index of the paragraph a subhead stands
    before to the subhead; ``speakers`` maps a paragraph index to the interview speaker
    prefix it opened with ("Wikinews", "Bos"), which is removed from the paragraph.
    """

    headline: str | None = None
    dateline: Dateline = field(default_factory=Dateline)
    paragraphs: list[str] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)
    subhead_positions: dict[int, str] = field(default_factory=dict)
    credits: list[Credit] = field(default_factory=list)
    turns: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QuoteSpan:
    """Quoted words inside one paragraph: ``start``/``end`` are character offsets of the
    words (inside the marks) in the paragraph; ``closed`` is False for a paragraph that
    opens a quote and runs on into the next one."""

    paragraph: int
    start: int
    end: int
    text: str
    closed: bool = True
    partial: bool = False


@dataclass
class Mention:
    """A person or organisation named (or described) in the copy.

    ``name`` is the name as printed at this mention ("Mayor Ilse Brandt" gives
    name "Ilse Brandt"); ``kind`` is ``person``, ``organization`` or ``unnamed``;
    ``pronoun`` is set when the mention is a pronoun or a description to resolve later.
    """

    name: str
    kind: str
    title: str | None = None
    affiliation: str | None = None
    gender: str | None = None
    pronoun: str | None = None
    paragraph: int = 0


@dataclass
class Cue:
    """What attributes a quote: the speaker's words as printed and the verb, if any.

    ``how`` names the kind of cue: ``verb`` (a speech verb), ``colon`` (a lead-in
    ending in a colon), ``according`` ("according to X"), ``subject`` (the subject of a
    sentence holding a partial quote), ``turn`` (an interview turn), ``run`` (the speaker
    of the quote run it continues), ``context`` (the subject just before it).
    """

    mention: Mention | None
    verb: str | None
    how: str


@dataclass
class Quote:
    """A quote with its speaker (the ``name`` of a :class:`Source`, or None)."""

    text: str
    paragraph: int
    kind: str  # direct | partial
    speaker: str | None = None
    verb: str | None = None


@dataclass
class Source:
    """Someone the story attributes words, views or information to."""

    name: str
    kind: str
    title: str | None = None
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    gender: str | None = None
    quoted: bool = False


@dataclass(frozen=True)
class Finding:
    """An attribution-audit finding; ``code`` is one of the contract's flag codes (or
    ``unclosed-quote`` / ``no-paragraphs``); ``message`` tells the editor what to check."""

    code: str
    subject: str
    message: str


@dataclass
class Story:
    """A parsed piece of wire copy. ``attribution`` is ``"ok"``, or ``"skipped: language
    xx"`` when the copy is in a language the attribution rules do not cover."""

    layout: Layout
    quotes: list[Quote] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    language: str = "en"
    attribution: str = "ok"
