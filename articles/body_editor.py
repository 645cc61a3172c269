"""The story body's rich-text editor: django-prose-editor (Tiptap on ProseMirror), limited to
the body's allow-list.

The editor's schema is the allow-list: a paragraph, subheads (h2, and h3 below them), a
quote, bulleted and numbered lists, links, emphasis and strong. ProseMirror parses whatever
is pasted (Word, Google Docs, a web page) into that schema and drops every element, class
and style it has no place for, so the toolbar and a paste can only make what
`articles.sanitize.clean_body_html` keeps. The posted HTML still goes through that cleaner
on save: the editor is a convenience, never the guard.

The editor's scripts and styles are this project's static files (served by whitenoise).
The story admin pages' Content-Security-Policy allows the two inline elements it needs by
hash (settings `BODY_EDITOR_IMPORT_MAP_HASH`, `BODY_EDITOR_STYLE_HASH`, recomputed from the
installed package by the tests) and style attributes, without which the browser never
parses the font-weight and font-style a pasted document says bold and italic with.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django import forms
from django_prose_editor.widgets import AdminProseEditorWidget

# Tiptap extension name -> configuration (True for the defaults, False to leave it out).
BODY_EDITOR_EXTENSIONS: dict[str, Any] = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "Blockquote": True,
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    # No target="_blank" choice: the cleaner keeps only href and title.
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # The package turns the browser's spell checker off by default; copy needs it.
    "NoSpellCheck": False,
    # The editable area is named by the field's label and help text (body-editor.js).
    "AccessibleName": True,
    # A pasted h1 is a subhead (h2), h4 to h6 a minor one (h3) (body-editor.js).
    "PastedHeadings": True,
    # Word's lists (paragraphs styled mso-list) as lists (body-editor.js).
    "PastedWordLists": True,
}


class BodyEditorWidget(AdminProseEditorWidget):
    """The package's admin widget, with the desk's stylesheet for it (room to write)."""

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(css={"all": ["articles/body-editor.css"]})


def body_editor_widget() -> BodyEditorWidget:
    """The widget for `Article.body` in the admin: a textarea that the editor replaces in
    the browser (without scripts the textarea still takes HTML, cleaned the same way)."""
    return BodyEditorWidget(
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        preset="configurable",
        attrs={"rows": 22, "cols": 80, "spellcheck": "true"},
    )


def csp_hash(text: str) -> str:
    """The CSP hash-source (`'sha256-…'`, CSP Level 3 §2.3.1) for an inline element whose
    content is `text`."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
