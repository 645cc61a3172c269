"""The shape of a piece of wire copy: headline, byline, dateline, paragraphs, subheads, credits.

Nothing here knows about quotes or sources (see :mod:`sources.extraction`); this module only
decides which line is which. Paragraph text keeps the characters as filed (including any
HTML, which is text here) with whitespace normalised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from articles.ingest.credits import Credit, parse_byline, parse_credit_line


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


OPEN_QUOTES = '“«„"'
QUOTE_CHARS = "“”«»„\"‘’'"
_DASH = r"(?:--|[-–—―])"
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for m in names
}
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_DATE = (
    rf"(?:{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?"
    rf"|\d{{1,2}} {_MONTH}(?: \d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
)
_PLACE_WORD = r"[^\W\d_][\w.'’\-]*"
_PLACE_SEG = rf"{_PLACE_WORD}(?: {_PLACE_WORD}){{0,4}}"
_DATELINE_RE = re.compile(
    rf"^(?P<place>{_PLACE_SEG}(?:, {_PLACE_SEG}){{0,3}}?)"
    rf"(?:,? (?P<date>{_DATE}))?"
    rf"(?: ?\((?P<agency>[^()]{{1,40}})\))?"
    rf"\s+{_DASH}(?:\s+(?P<rest>\S.*)|\s*)$"
)
_LOWER_PARTICLES = _words("de da do dos das del della di du la le of al el on upon sur van von")
_END_MARKS = re.compile(r"^(?:#+|-+30-+|\*+|end|ends|—+|–+|-+|=+)$", re.IGNORECASE)
_TERMINAL = ".!?:;,\"”’»)'…"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class Dateline:
    """Where (and, when printed with a year, on which ISO date) the story was filed."""

    place: str | None = None
    date: str | None = None
    agency: str | None = None


@dataclass
class StoryLayout:
    """The lines of a story sorted into their parts."""

    headline: str | None = None
    dateline: Dateline = field(default_factory=Dateline)
    paragraphs: list[str] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    # index of the paragraph each subhead stands before
    subhead_positions: dict[int, str] = field(default_factory=dict)


def normalise_text(text: str) -> str:
    """Canonical line endings (LF), NFC, no BOM or zero-width spaces, single spaces within
    lines, trimmed lines. Words, quote characters and dashes are left as filed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\f", "\n")
    text = text.replace("\v", "\n").replace("\ufeff", "").replace("\u200b", "")
    text = unicodedata.normalize("NFC", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def _title_place(place: str) -> str:
    words = place.split(" ")
    out: list[str] = []
    for i, w in enumerate(words):
        letters = [c for c in w if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters) and "." not in w:
            low = w.lower()
            if i and low in _LOWER_PARTICLES:
                w = low
            else:
                w = "-".join(p[:1].upper() + p[1:] for p in low.split("-"))
        out.append(w)
    return " ".join(out)


def parse_date(raw: str | None) -> str | None:
    """ISO date for a dateline date printed with a year ("March 3, 2024"), else None."""
    if not raw:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", raw)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", raw)
        if m:
            mo, d, y = _MONTHS.get(m[1].lower(), 0), int(m[2]), int(m[3])
        else:
            m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+)\.? (\d{4})", raw)
            if not m:
                return None
            d, mo, y = int(m[1]), _MONTHS.get(m[2].lower(), 0), int(m[3])
    try:
        return date(y, mo, d).isoformat() if 1800 < y < 2300 else None
    except ValueError:
        return None


def parse_dateline(line: str) -> tuple[Dateline, str] | None:
    """Split a dateline off the start of ``line``: ``(Dateline, rest)``, or None.

    ``rest`` is "" when the dateline stands on its own line. A dateline that opens a
    paragraph must look like one: an upper-case place, an agency tag or a date, or a short
    run of capitalised words before a long dash.
    """
    m = _DATELINE_RE.match(line)
    if not m:
        return None
    place, rest = m["place"], m["rest"] or ""
    words = place.replace(",", " ").split()
    first_seg = place.split(",")[0]
    capitalised = all(w[0].isupper() or w.lower() in _LOWER_PARTICLES for w in words)
    if not capitalised or len(words) > 8:
        return None
    if rest:
        shouting = any(c.isalpha() for c in first_seg) and first_seg.upper() == first_seg
        long_dash = bool(re.search(r"\s(?:--|[–—―])\s", line[: m.start("rest")]))
        titled = long_dash and len(words) <= 4 and not rest[0].islower()
        if not (shouting or m["agency"] or m["date"] or titled):
            return None
    return Dateline(_title_place(place), parse_date(m["date"]), m["agency"]), rest


def _is_subhead(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 10 or len(line) > 80:
        return False
    if line[0] in QUOTE_CHARS or not (line[0].isupper() or line[0].isdigit()):
        return False
    if line[-1] == "?":
        return len(words) <= 8
    return line[-1] not in _TERMINAL and not any(c in line for c in '“”"')


def _join_wrapped(lines: list[str]) -> list[str]:
    """Lines are paragraphs, except a line that stops mid-sentence and a next line starting
    in lower case, which are one hard-wrapped paragraph."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and out[-1]
            and line
            and line[0].islower()
            and out[-1][-1] not in _TERMINAL
            and len(out[-1]) > 40
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def split_story(text: str) -> StoryLayout:
    """Sort normalised copy into headline, dateline, paragraphs, subheads and credits.

    Never raises. The headline is the first line when it is not a byline, dateline or
    sentence; bylines and a dateline may follow in any order; a dateline that opens the
    first paragraph stays in that paragraph; credit lines are taken from the end.
    """
    layout = StoryLayout()
    lines = _join_wrapped([ln for ln in normalise_text(text).split("\n") if ln])
    lines = [ln for ln in lines if not _END_MARKS.match(ln)]
    i = 0
    # Header: headline (first line only), bylines and a dateline, in any order.
    while i < len(lines):
        line = lines[i]
        byline = parse_byline(line)
        if byline is not None:
            layout.credits.extend(byline)
            i += 1
            continue
        dl = parse_dateline(line) if layout.dateline.place is None else None
        if dl is not None:
            layout.dateline = dl[0]
            if dl[1]:
                break  # the dateline opens the first paragraph, which keeps it
            i += 1
            continue
        if (
            i == 0
            and len(lines) > 1
            and line[-1] not in ".,;:…"
            and len(line.split()) <= 30
            and any(c.isalpha() for c in line)
        ):
            layout.headline = line
            i += 1
            continue
        break
    body = lines[i:]
    trailing: list[Credit] = []
    while body:
        found = parse_credit_line(body[-1])
        if found is None:
            break
        trailing = found + trailing
        body.pop()
    layout.credits.extend(trailing)
    for n, line in enumerate(body):
        if 0 < n < len(body) - 1 and layout.paragraphs and _is_subhead(line):
            layout.subheads.append(line)
            layout.subhead_positions[len(layout.paragraphs)] = line
        else:
            layout.paragraphs.append(line)
    return layout
