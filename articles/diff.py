"""Side-by-side comparison of two stored versions of a story, paragraph by paragraph,
with the changed words marked inside a changed paragraph.

Everything that comes from copy is escaped here before any markup is added, so a diff of
hostile text renders as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import ArticleVersion

# Elements that start a new paragraph-sized block in the diff.
_BLOCK_TAGS = {"p", "h2", "h3", "blockquote", "li", "ul", "ol"}
_TOKENS = re.compile(r"\s+|[^\s]+")


class _BlockText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._prefix = ""

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(f"{self._prefix}{text}")
        self._current = []
        self._prefix = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
            # A subhead reads differently from a paragraph; keep that visible in the diff.
            self._prefix = "Subhead: " if tag in {"h2", "h3"} else ""

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def body_blocks(html: str) -> list[str]:
    """The text of each paragraph, subhead and list item of a body, tags removed."""
    parser = _BlockText()
    parser.feed(html or "")
    parser.close()
    return parser.blocks


def version_blocks(version: ArticleVersion) -> list[str]:
    """What a reader or partner saw in `version`, as comparable lines."""
    lines = [f"Headline: {version.headline}"]
    if version.byline:
        lines.append(version.byline)
    lines += body_blocks(version.body)
    if version.credit_line:
        lines.append(version.credit_line)
    if version.note:
        lines.append(f"{version.get_event_display()} note: {version.note}")
    return lines


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "equal", "changed", "removed" or "added"
    left: SafeString
    right: SafeString


def _word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    old_tokens = _TOKENS.findall(old)
    new_tokens = _TOKENS.findall(new)
    left: list[str] = []
    right: list[str] = []
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed = escape("".join(old_tokens[i1:i2]))
        added = escape("".join(new_tokens[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    # Every piece of copy above went through escape(); only <del>/<ins> are markup.
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308


def _similar(old: str, new: str) -> bool:
    return SequenceMatcher(None, old, new, autojunk=False).ratio() >= 0.5


def side_by_side(old: list[str], new: list[str]) -> list[DiffRow]:
    """Rows pairing the lines of `old` with those of `new`, changed words marked."""
    rows: list[DiffRow] = []
    empty = SafeString("")
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [DiffRow("equal", escape(line), escape(line)) for line in old[i1:i2]]
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for offset in range(paired):
            before, after = old[i1 + offset], new[j1 + offset]
            if _similar(before, after):
                left, right = _word_diff(before, after)
                rows.append(DiffRow("changed", left, right))
            else:
                # Two unrelated paragraphs read better as one dropped and one added.
                rows.append(DiffRow("removed", escape(before), empty))
                rows.append(DiffRow("added", empty, escape(after)))
        rows += [DiffRow("removed", escape(line), empty) for line in old[i1 + paired : i2]]
        rows += [DiffRow("added", empty, escape(line)) for line in new[j1 + paired : j2]]
    return rows


def compare_versions(old: ArticleVersion, new: ArticleVersion) -> list[DiffRow]:
    """The side-by-side diff of two versions of the same story."""
    return side_by_side(version_blocks(old), version_blocks(new))


def compare_values(old: str, new: str) -> DiffRow:
    """One row pairing two values of a one-line field, the differing words marked."""
    if old == new:
        return DiffRow("equal", escape(old), escape(new))
    left, right = _word_diff(old, new)
    return DiffRow("changed", left, right)
