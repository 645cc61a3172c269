"""Cleaning copy on its way in: body HTML to the design's allow-list, headlines to plain text.

The allow-list is the design's (p, h2, h3, blockquote, ul, ol, li, a, em, strong); anything
else is dropped with its markup but not its words. Characters that XML 1.0 forbids are
removed too, so every feed built from the copy stays well-formed.

The HTML parser's work grows with the body's length and faster with its nesting (100,000
nested blockquotes took 20 seconds), so a body of more than ARTICLE_BODY_MAX_BYTES (UTF-8) or
nested deeper than BODY_MAX_DEPTH is refused before it is parsed.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

BODY_TAGS = {"p", "h2", "h3", "blockquote", "ul", "ol", "li", "a", "em", "strong"}
BODY_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Deeper than any real story (a list in a quote in a list is 5); far below what costs time.
BODY_MAX_DEPTH = 32
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_VOID |= {"track", "wbr", "param"}
# A second <p> or <li> closes the open one (HTML's implied end tags), so it is not nested.
_IMPLIED_END = {"p", "li"}

# XML 1.0 allows tab, newline and carriage return, and nothing else below U+0020.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACE_RUN = re.compile(r"\s+")


def strip_forbidden_characters(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


class BodyRefused(ValueError):
    """The body is too large or too deep to clean; the message says which, for the editor."""


class BodyTooLong(BodyRefused):
    pass


class BodyTooDeep(BodyRefused):
    pass


def nesting_depth(html: str, *, stop_above: int | None = None) -> int:
    """How deeply the elements of `html` nest, read in one linear pass over its tags (no
    parse); stops counting once past `stop_above`."""
    stack: list[str] = []
    deepest = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID or match.group(0).endswith("/>"):
            continue
        if closing:
            if name in stack:
                while stack.pop() != name:
                    pass
            continue
        if name in _IMPLIED_END and stack and stack[-1] == name:
            stack.pop()
        stack.append(name)
        deepest = max(deepest, len(stack))
        if stop_above is not None and deepest > stop_above:
            break
    return deepest


def check_body_bounds(html: str) -> None:
    """Refuses (BodyTooLong, BodyTooDeep) a body the cleaner should not be given."""
    from django.conf import settings

    limit = settings.ARTICLE_BODY_MAX_BYTES
    # A character is at most 4 bytes: a short body is within the limit without encoding it.
    size = len(html) if len(html) * 4 <= limit else len(html.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise BodyTooLong(
            f"The body is {size:,} bytes of HTML; the limit is {limit:,}. "
            "Split the story, or take out what is not copy."
        )
    if nesting_depth(html, stop_above=BODY_MAX_DEPTH) > BODY_MAX_DEPTH:
        raise BodyTooDeep(
            f"The body's elements nest more than {BODY_MAX_DEPTH} deep; no story needs that."
        )


def clean_body_html(html: str) -> str:
    """Return `html` reduced to the allowed tags; links keep only safe schemes.

    Refuses (BodyTooLong, BodyTooDeep) a body past the bounds, before any parsing.
    Line breaks are stored as LF: browsers post a textarea's as CRLF, and the same copy
    must store the same value whichever way it came in.
    """
    check_body_bounds(html or "")
    text = unicodedata.normalize("NFC", strip_forbidden_characters(html or ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nh3.clean(
        text,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def clean_plain_text(text: str) -> str:
    """Headlines, summaries and datelines: plain text, one line, every word kept.

    Plain text is never parsed as markup: "Senator says <unnamed> aide lied" and
    "AT&amp;T" are stored as typed, and every channel escapes them where it renders them
    (templates, feed XML, JSON). Only what cannot be text goes: characters XML 1.0
    forbids, byte-order marks, and runs of whitespace (one space). Idempotent.
    """
    text = unicodedata.normalize("NFC", strip_forbidden_characters(text or ""))
    return _SPACE_RUN.sub(" ", text.replace("\ufeff", "")).strip()


def plain_text_from_html(fragment: str) -> str:
    """The words of an HTML fragment (a body paragraph) as plain text: tags dropped,
    character references read ("&amp;" is "&"), whitespace as in `clean_plain_text`."""
    words = html.unescape(nh3.clean(fragment or "", tags=set(), strip_comments=True))
    return clean_plain_text(words)


def paragraphs_to_html(paragraphs: list[str], subheads: dict[int, str] | None = None) -> str:
    """Plain-text paragraphs (imported copy) as body HTML, every character escaped."""
    from django.utils.html import escape

    subheads = subheads or {}
    parts: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if index in subheads:
            parts.append(f"<h2>{escape(subheads[index])}</h2>")
        parts.append(f"<p>{escape(paragraph)}</p>")
    return clean_body_html("\n".join(parts))
