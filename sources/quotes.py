"""Quoted spans in a paragraph of wire copy, and which of them are quotes at all.

Quotation marks also surround names, titles, glosses and scare-quoted words; those are
words of the reporter's sentence, not quotes (see :func:`is_quote`). Single quotation marks
inside a quote are nested quotes and stay part of it. Pure Python: no Django imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources.speakers import words
from sources.verbs import VERBS

_CLOSERS = {"“": "”", "«": "»", "„": "“”", '"': '"', "”": "”"}
_MARKS = re.compile(r"[“”«»„\"]")
PLACEHOLDER = re.compile(r"\ue000(\d+)\ue001")
_ATTRIB_AFTER = re.compile(
    rf"^\s*,?\s*(?:(?:{VERBS})\b|according to\b|(?:he|she|they|it|the \w+(?: \w+)?|"
    rf"[A-Z][\w'’.\-]*(?: [\w'’.\-]+){{0,5}})\s+(?:also\s+|later\s+)?(?:{VERBS})\b)"
)
_NAMING_CUE = re.compile(
    r"\b(?:called|calls|call|calling|titled|entitled|known as|dubbed|named|nicknamed|so-called|"
    r"word|term|phrase|slogan|label|labeled|labelled|branded|hashtag|motto|book|film|report|"
    r"study|song|for|as)(?:\s+(?:the|a|an|it|its|them|this|locally))?\s*$",
    re.I,
)
_SMALL = words("a an the of and or in on for to at by with plus from de la vs per as")
_ABBREV = words(
    "mr mrs ms dr prof st gen sen rep gov lt col capt sgt jr sr inc corp co ltd no vs etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec est approx"
)
_BOUNDARY = re.compile(r"[.!?]+[\"”’»')]*\s+")


@dataclass
class Span:
    start: int
    end: int
    text: str
    closed: bool


def find_spans(paragraph: str) -> list[Span]:
    """Double-quoted spans of a paragraph; the last may be open (runs to the end)."""
    spans: list[Span] = []
    opened, closer = -1, ""
    for m in _MARKS.finditer(paragraph):
        ch, i = m.group(), m.start()
        if opened < 0:
            if ch in _CLOSERS and (ch != "”" or not spans and not paragraph[:i].strip()):
                opened, closer = i, _CLOSERS[ch]
        elif ch in closer:
            spans.append(Span(opened, i + 1, paragraph[opened + 1 : i].strip(), True))
            opened = -1
    if opened >= 0:
        spans.append(Span(opened, len(paragraph), paragraph[opened + 1 :].strip(), False))
    return spans


def _title_case(words: list[str]) -> bool:
    content = [
        w for w in (w.strip("()[],.:;!?'’\"") for w in words) if w and w.lower() not in _SMALL
    ]
    content = [w for w in content if any(c.isalpha() for c in w)]
    if not content:
        return False
    caps = sum(1 for w in content if w[0].isupper() or not w[0].isalpha())
    return caps / len(content) >= 0.75


def is_quote(paragraph: str, span: Span) -> bool:
    """False for quotation marks around a name, title, gloss or single scare-quoted word."""
    words = span.text.split()
    if not words:
        return False
    before, after = paragraph[: span.start], paragraph[span.end :]
    if not span.closed or (not before.strip() and not after.strip(" .,;")):
        return True
    titled = len(words) <= 12 and _title_case(words)
    cue = _NAMING_CUE.search(before[-40:]) is not None
    spoken = span.text[-1:] in ",.!?…"  # wire style puts the quote's own punctuation inside
    if before.rstrip().endswith(":") or _ATTRIB_AFTER.match(after[:160]):
        return not (titled and (cue or not spoken))
    sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?:"
    if sentence_start and spoken and span.text[:1].isupper() and not cue:
        return True  # a short sentence of its own: “The farmers pay.”
    if len(words) <= 3:
        return False
    if len(words) <= 6 and cue:
        return False
    return not titled


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; abbreviations (U.N., a.m., Dr.) do not end one."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt in '“"«\ue000' or nxt.isdigit()):
            continue
        word = text[max(start, m.start() - 12) : m.start() + 1].split()[-1] if m.start() else ""
        core = word.rstrip(".").lower()
        if text[m.start()] == "." and (
            core in _ABBREV
            or re.fullmatch(r"(?:\w\.)*\w", core)
            and len(core) <= 4
            and "." in word[:-1]
            or (len(core) == 1 and core.isalpha())
        ):
            continue
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds
