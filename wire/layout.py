"""Layout, the pipeline's first stage: which line of the copy is the headline, a byline, the
dateline, a body paragraph, a subhead, an interview turn or a credit line.

Nothing here knows about quotes or sources. Paragraph text keeps the characters as filed
(HTML is text here) with whitespace normalised; the dateline is taken out of the first
paragraph once parsed, so it is never printed twice.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from wire import vocabulary
from wire.credits import is_byline_post, parse_byline, parse_credit_line, settle_reporting
from wire.model import Dateline, Layout


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
_TIGHT_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3}(?:, [A-Z][\w.]+)?)"
    r"—(?P<rest>[A-Z\"“].*)$"
)
_LOWER_PARTICLES = _words("de da do dos das del della di du la le of al el on upon sur van von")
_END_MARKS = re.compile(r"^(?:#+|-+30-+|\*+|end|ends|—+|–+|-+|=+)$", re.IGNORECASE)
_TERMINAL = ".!?:;,\"”’»)'…"
_INLINE_BREAKS = re.compile("[\u000b\u000c\u001c-\u001f\u0085\u2028\u2029]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise_text(text: str) -> str:
    """Canonical line endings (LF), NFC, no BOM or zero-width spaces, single spaces within
    lines, trimmed lines. Words, quote characters and dashes are left as filed.

    Only CR and LF end a line: a vertical tab, form feed, U+2028 or U+2029 inside a line is
    whitespace, so it never splits a headline from the rest of its line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INLINE_BREAKS.sub(" ", text).replace("\ufeff", "").replace("\u200b", "")
    text = unicodedata.normalize("NFC", text)
    # _SPACES holds no line break: one pass over the text is one pass per line.
    return "\n".join(line.strip() for line in _SPACES.sub(" ", text).split("\n"))


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


def parse_dateline(line: str, *, opening: bool = False) -> tuple[Dateline, str] | None:
    """Split a dateline off the start of ``line``: ``(Dateline, rest)``, or None.

    ``rest`` is "" when the dateline stands on its own line. A dateline that opens a
    paragraph must look like one: an upper-case place, an agency tag or a date, or a short
    run of capitalised words before a dash (a long dash, or a plain hyphen between spaces
    as "Dayton, Ohio - " prints it). With ``opening`` (the first body paragraph), a place
    lead with no separator at all is taken when it names a known country last ("Preston,
    Victoria, Australia On Saturday, ...").
    """
    m = _DATELINE_RE.match(line)
    if not m:
        tight = _TIGHT_DATELINE.match(line)
        if tight:  # the WSJ's "WASHINGTON—A super PAC ...": no spaces round the dash
            return Dateline(_title_place(tight["place"])), tight["rest"]
        return _bare_place_lead(line) if opening else None
    place, rest = m["place"], m["rest"] or ""
    words = place.replace(",", " ").split()
    first_seg = place.split(",")[0]
    capitalised = all(w[0].isupper() or w.lower() in _LOWER_PARTICLES for w in words)
    if not capitalised or len(words) > 8:
        return None
    if rest:
        shouting = any(c.isalpha() for c in first_seg) and first_seg.upper() == first_seg
        dash = re.search(r"\s(?:--|[–—―-])\s", line[: m.start("rest")])
        titled = bool(dash) and len(words) <= 4 and not rest[0].islower()
        if not (shouting or m["agency"] or m["date"] or titled):
            return None
    return Dateline(_title_place(place), parse_date(m["date"]), m["agency"]), rest


_PLACE_LEAD = re.compile(
    r"^(?P<place>[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,2}(?:, [A-Z][\w.'’\-]*"
    r"(?: [A-Z][\w.'’\-]*){0,2}){1,3}) (?P<rest>[A-Z].*)$"
)


def _bare_place_lead(line: str) -> tuple[Dateline, str] | None:
    m = _PLACE_LEAD.match(line)
    if not m:
        return None
    segments = m["place"].split(", ")
    # The lead's last segment is a country and the sentence starts after it, so only the
    # words up to the first word that is not part of a known country are the place.
    last = segments[-1].split()
    countries = vocabulary.words("countries")
    for cut in range(len(last), 0, -1):
        if " ".join(last[:cut]).casefold() in countries:
            place = ", ".join([*segments[:-1], " ".join(last[:cut])])
            rest = " ".join(last[cut:] + [m["rest"]])
            return Dateline(place), rest
    return None


_TURN = re.compile(r"^(?P<who>(?:The )?[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,2}): (?P<rest>\S.*)$")
_DASHED_SUBHEAD = re.compile(r"^[–—-]+\s*(?P<text>[^–—]+?)\s*[–—-]+$")


def interview_turn(line: str) -> tuple[str, str] | None:
    """``(speaker, rest)`` for a line opened by an interview prefix ("Wikinews: ...",
    "Bos: ..."), else None. One or two capitalised words and a colon make a prefix."""
    m = _TURN.match(line)
    if not m or m["who"].casefold() in vocabulary.words("stop_caps"):
        return None
    return m["who"], m["rest"]


_QUOTED_SUBHEAD = re.compile(r"[\"“‘'](?P<text>[A-Z][^\"“”‘’']*)[\"”’']")


def subhead_text(line: str) -> str | None:
    """The subhead a line holds, else None: a short line that is not a sentence
    ("A careful alliance"), AFP's dashed form ("– A long road –"), Reuters' capitals
    ("MARKET JITTERS"), or a short question. An interview turn is never a subhead."""
    dashed = _DASHED_SUBHEAD.match(line)
    if dashed and len(dashed["text"].split()) <= 10:
        return dashed["text"]  # the dashes mark it a subhead, whatever it holds
    if interview_turn(line):
        return None
    words = line.split()
    if not words or len(words) > 10 or len(line) > 80:
        return None
    quoted = _QUOTED_SUBHEAD.fullmatch(line)
    if quoted and len(words) <= 6 and quoted["text"][-1] not in _TERMINAL + ",":
        return line  # "'A warning shot'": a subhead made of a quoted phrase
    if line[0] in QUOTE_CHARS or not (line[0].isupper() or line[0].isdigit()):
        return None
    if line[-1] == "?":
        return line if len(words) <= 8 else None
    if line[-1] in _TERMINAL or any(c in line for c in '“”"'):
        return None
    return line


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
            and parse_byline(line) is None  # AFP's lower-case "by Mari KASK": a byline
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def split_story(text: str) -> Layout:
    """Sort copy into headline, dateline, paragraphs, subheads, turns and credits.

    Never raises. The headline is the first line when it is not a byline, dateline or
    sentence; bylines and a dateline may follow in any order; a dateline that opens the
    first paragraph is taken out of it; credit lines are taken from the end.
    """
    layout = Layout()
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
            if i < len(lines) - 1 and is_byline_post(lines[i]):
                i += 1  # "By X" / "Senior Politics Reporter, HuffPost": the byline's block
            continue
        if i == 0 and len(lines) > 1 and len(line.split()) <= 30 and parse_byline(lines[1]):
            # A line over the byline is the headline, whatever it ends with: "... Is
            # Buying It.", "WATCH -- X in Erie: 'We Are Not Giving Up!'"
            layout.headline = line
            i += 1
            continue
        dl = parse_dateline(line) if layout.dateline.place is None else None
        if dl is not None:
            layout.dateline = dl[0]
            if dl[1]:
                lines[i] = dl[1]
                break  # the rest of the line is the first paragraph
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
    if body and layout.dateline.place is None:
        lead = _bare_place_lead(body[0])
        if lead is not None:
            layout.dateline, body[0] = lead
    trailing = []
    while body:
        found = parse_credit_line(body[-1])
        if found is None:
            break
        trailing = found + trailing
        body.pop()
    layout.credits = settle_reporting([*layout.credits, *trailing])
    for n, line in enumerate(body):
        subhead = subhead_text(line) if 0 < n < len(body) - 1 and layout.paragraphs else None
        if subhead:
            layout.subheads.append(subhead)
            layout.subhead_positions[len(layout.paragraphs)] = subhead
            continue
        turn = interview_turn(line)
        if turn:
            layout.turns[len(layout.paragraphs)] = turn[0]
        layout.paragraphs.append(line)
    return layout
