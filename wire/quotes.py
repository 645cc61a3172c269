"""Quotes: the quoted spans of each paragraph, and the sentences around them.

Rules, by kind of copy:

- The story's quotation marks are double (curly or straight) when it prints any; copy that
  prints none but has single-quoted spans (British house style: 'We are ready,' he said)
  uses single marks. An apostrophe inside a word ("don't") never opens or closes a quote.
- Wire convention for runs: a paragraph that opens a quote and does not close it continues
  into the next paragraph, which opens again.
- A quote is speech, not a name: spans of fewer than three words, and spans in title case
  with no sentence punctuation ("Central Asia plus Japan Dialogue"), are not quotes.
- A quote is ``partial`` when it is a fragment inside the reporter's sentence: it starts in
  lower case, or words of the reporter's sentence run on after it without a break.

Sentences are split with every quote masked as one placeholder (``\x00n\x00``), so a full
stop inside a quote never ends the reporter's sentence. Everything here is linear in the
length of the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wire import vocabulary
from wire.model import QuoteSpan

_DOUBLE_OPEN, _DOUBLE_CLOSE = "“«„", "”»"
_SINGLE_OPEN, _SINGLE_CLOSE = "‘‹", "’›"
_ABBREVIATIONS = vocabulary.words("abbreviations")
_DOUBLE_MARKS = re.compile('["“”«»„]')
_SINGLE_MARKS = re.compile("['‘’‹›]")
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
_BREAK_OR_QUOTE = re.compile(r"[.!?](?= )|\x00(\d+)\x00")
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")


@dataclass
class Sentence:
    """A sentence of a paragraph with its quotes masked: ``text`` holds ``\\x00n\\x00``
    for the n-th quote span of the paragraph; ``quotes`` lists those n in order."""

    paragraph: int
    text: str
    quotes: list[int]


def quote_style(paragraphs: list[str]) -> str:
    """``"double"`` when the copy prints double quotation marks, else ``"single"`` when it
    has single-quoted spans, else ``"double"``."""
    for p in paragraphs:
        if any(c in p for c in _DOUBLE_OPEN + _DOUBLE_CLOSE) or '"' in p:
            return "double"
    for p in paragraphs:
        if re.search(r"(?:^|[\s(—–-])['‘]\w", p):
            return "single"
    return "double"


def _is_open(text: str, i: int, style: str) -> bool:
    c = text[i]
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if style == "double":
        if c in _DOUBLE_OPEN:
            return True
        return c == '"' and (before.isspace() or before in "([—–-/") and not after.isspace()
    if c in _SINGLE_OPEN or c == "'":
        return (before.isspace() or before in '([—–-/"“') and not after.isspace()
    return False


def _is_close(text: str, i: int, style: str) -> bool:
    c = text[i]
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if style == "double":
        return c in _DOUBLE_CLOSE or (c == '"' and not before.isspace())
    if c in _SINGLE_CLOSE or c == "'":
        # An apostrophe between letters ("don't") is not a closing mark.
        return not before.isspace() and not after.isalnum()
    return False


def find_spans(paragraph: str, index: int, *, style: str, running: bool) -> list[QuoteSpan]:
    """The quoted spans of one paragraph. ``running`` says a quote from the previous
    paragraph is still open; the last span has ``closed=False`` when this paragraph
    leaves a quote open."""
    spans: list[QuoteSpan] = []
    start = None
    text = paragraph
    if running and text and not _is_open(text, 0, style):
        start = 0  # a run's paragraph that does not reopen the quote
    marks = _DOUBLE_MARKS if style == "double" else _SINGLE_MARKS
    for m in marks.finditer(text):  # only the quotation marks, not every character
        i = m.start()
        if start is None:
            if _is_open(text, i, style):
                start = i + 1
        elif i > start and _is_close(text, i, style):
            spans.append(QuoteSpan(index, start, i, text[start:i].strip()))
            start = None
    if start is not None and start < len(text):
        spans.append(QuoteSpan(index, start, len(text), text[start:].strip(), closed=False))
    return spans


def is_speech(span: QuoteSpan) -> bool:
    """Speech or writing rather than a name, a title or a scare-quoted term."""
    words = span.text.split()
    if len(words) < 3:
        return False
    if not span.closed:
        return True
    small = {"a", "an", "the", "of", "and", "in", "on", "for", "to", "at", "by", "plus", "vs."}
    letters = [w for w in words if w[:1].isalpha() and w.casefold() not in small]
    capitalised = sum(1 for w in letters if w[0].isupper())
    if letters and capitalised / len(letters) >= 0.75 and len(words) <= 12:
        return False  # a title in quotation marks: "Stitched Up: Pay and Productivity"
    if span.text[-1:] in ".!?,;:…":
        return True
    return not (letters and capitalised / len(letters) > 0.6)


def mask(paragraph: str, spans: list[QuoteSpan]) -> str:
    """The paragraph with each span, marks included, replaced by its placeholder."""
    out, pos = [], 0
    for n, span in enumerate(spans):
        lo = max(pos, span.start - 1) if span.start > 0 else 0
        out.append(paragraph[pos:lo])
        out.append(f"\x00{n}\x00")
        pos = min(len(paragraph), span.end + 1) if span.closed else len(paragraph)
    out.append(paragraph[pos:])
    return "".join(out)


def _ends_sentence(text: str, dot: int) -> bool:
    """Whether the full stop at ``text[dot]`` ends a sentence (not "Mr." or "U.S.")."""
    j = dot - 1
    while j >= 0 and not text[j].isspace():
        j -= 1
    word = text[j + 1 : dot].strip("(\"“'‘").casefold()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    return not _INITIALISM.fullmatch(word)


def split_sentences(masked: str, spans: list[QuoteSpan], paragraph: int) -> list[Sentence]:
    """Sentences of a masked paragraph. A quote whose words end a sentence (".", "!", "?")
    ends the reporter's sentence too, unless a short attribution follows it ("We won!"
    Smith shouted.)."""
    bounds: list[int] = []
    n = len(masked)
    # Only the places a sentence can end: sentence punctuation before a space, and quotes.
    for m in _BREAK_OR_QUOTE.finditer(masked):
        i = m.start()
        if m[1] is None:
            if m[0] != "." or _ends_sentence(masked, i):
                bounds.append(i + 1)
            continue
        q = spans[int(m[1])]
        end = m.end()
        if q.text[-1:] in ".!?" and end + 1 < n and masked[end] == " ":
            nxt = masked[end + 1]
            if nxt.isupper() or nxt == "\x00":
                bounds.append(end)
    sentences, pos = [], 0
    for b in [*bounds, n]:
        text = masked[pos:b].strip()
        if text:
            quotes = [int(x) for x in _PLACEHOLDER.findall(text)]
            sentences.append(Sentence(paragraph, text, quotes))
        pos = b
    return sentences


def is_partial(sentence: Sentence, n: int, span: QuoteSpan) -> bool:
    """A fragment inside the reporter's sentence rather than a whole quoted sentence."""
    if span.text[:1].islower():
        return True
    token = f"\x00{n}\x00"
    before, _, after = sentence.text.partition(token)
    after = after.lstrip()
    if span.text[-1:] in ".!?,;:…" or not span.closed:
        return False
    return bool(before.strip()) and bool(after) and after[0].isalnum() and not after[0].isupper()
