"""Cleaning copy on its way in: body HTML to the design's allow-list, headlines to plain text.

The allow-list is the design's (p, h2, h3, blockquote, ul, ol, li, a, em, strong); anything
else is dropped with its markup but not its words. Characters that XML 1.0 forbids are
removed too, so every feed built from the copy stays well-formed.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

BODY_TAGS = {"p", "h2", "h3", "blockquote", "ul", "ol", "li", "a", "em", "strong"}
BODY_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# XML 1.0 allows tab, newline and carriage return, and nothing else below U+0020.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACE_RUN = re.compile(r"\s+")


def strip_forbidden_characters(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def clean_body_html(html: str) -> str:
    """Return `html` reduced to the allowed tags; links keep only safe schemes.

    Line breaks are stored as LF: browsers post a textarea's as CRLF, and the same copy
    must store the same value whichever way it came in.
    """
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
    """Headlines, summaries and datelines: no markup, one line, words kept.

    Idempotent: text that unescapes into a tag ("&lt;b&gt;") is cleaned again, so a value
    saved twice is the value saved once and a later save never eats words.
    """
    text = unicodedata.normalize("NFC", strip_forbidden_characters(text or ""))
    # The HTML parser drops a byte-order mark only at the very start of its input, so each
    # pass below would peel off one more; none belongs in a headline anyway.
    text = text.replace("\ufeff", "")
    for _ in range(4):
        # Keep angle brackets that are prose; drop only what parses as a tag.
        cleaned = nh3.clean(text, tags=set(), strip_comments=True)
        # nh3 escapes what it keeps (&nbsp; included); plain text wants the characters back.
        cleaned = _SPACE_RUN.sub(" ", html.unescape(cleaned)).strip()
        if cleaned == text:
            break
        text = cleaned
    return text


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
