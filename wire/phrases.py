"""Speaker phrases cut into parts: the comma-separated parts of a phrase (a listed name
such as "Smith and Jones" is one part), a time or manner phrase cut from the end of a
name, and a name as the part prints it."""

from __future__ import annotations

import re

from wire import vocabulary
from wire.words import _bare, is_capitalised

_LISTED_NAME = re.compile(r" ?[A-Z][\w-]+ (?:and|&) [A-Z][\w-]+(?=$|[ ,.;])")


_PART_MARKS = re.compile(r"[(),]")


def _split_parts(text: str) -> list[str]:
    """The comma-separated parts of a phrase, stripped, empty ones dropped; a comma inside
    brackets or before a listed name ("Smith and Jones") does not split. The listed name is
    looked for where the parts so far, stripped and rejoined with their commas, end."""
    parts: list[str] = []
    depth = start = kept = 0  # kept: the characters of the stripped parts so far
    for mark in _PART_MARKS.finditer(text):  # only brackets and commas, not every character
        ch, i = mark[0], mark.start()
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif not depth and not _LISTED_NAME.match(text, kept + len(parts) + (i - start) + 1):
            part = text[start:i].strip()
            parts.append(part)
            kept += len(part)
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _cut_tail(tokens: list[str]) -> list[str]:
    """Drop a time or manner phrase that follows a name ("on Tuesday", "in a statement",
    "at a briefing"); "Council on American-Islamic Relations" keeps its "on"."""
    for i, tok in enumerate(tokens[:-1]):
        if i and tok.casefold() in vocabulary.words("time_words") and is_capitalised(tokens[i - 1]):
            nxt = tokens[i + 1]
            if not is_capitalised(nxt) or _bare(nxt) in vocabulary.words("stop_caps"):
                return tokens[:i]
    if len(tokens) > 1 and tokens[-1].casefold() in vocabulary.words("time_words"):
        return tokens[:-1]
    return tokens


def _as_printed(name: str, part: str) -> str:
    """The name as the part prints it, commas kept ("Ministry of Trade, Industry and
    Energy"), when only spaces and commas stand between its words there."""
    words = name.split()
    start = part.find(words[0])
    if start < 0:
        return name
    pos = start + len(words[0])
    for word in words[1:]:
        found = part.find(word, pos)
        if found < 0 or part[pos:found].strip(" ,"):
            return name
        pos = found + len(word)
    return part[start:pos]
