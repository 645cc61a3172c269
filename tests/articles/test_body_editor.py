"""The story form's body is a rich-text editor (django-prose-editor) whose toolbar and schema
are the body's allow-list, whose files are the project's own, and whose two inline elements
the admin's Content-Security-Policy allows by hash and nothing more."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django_prose_editor
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django_prose_editor.config import allowlist_from_extensions

from articles.body_editor import csp_hash
from articles.models import Article
from articles.sanitize import BODY_TAGS
from tests.articles.test_admin_support import change_url, client_for, form_data

pytestmark = pytest.mark.django_db

EDITOR_STATIC = Path(django_prose_editor.__file__).parent / "static" / "django_prose_editor"


class _Page(HTMLParser):
    """The body textarea's attributes, the import map's text and every script and
    stylesheet address on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.body: dict[str, str | None] = {}
        self.import_maps: list[str] = []
        self.assets: list[str] = []
        self._in_import_map = False

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "textarea" and attrs.get("name") == "body":
            self.body = attrs
        if tag == "script" and attrs.get("type") == "importmap":
            self._in_import_map = True
            self.import_maps.append("")
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.assets.append(attrs["href"])

    def handle_endtag(self, tag) -> None:
        if tag == "script":
            self._in_import_map = False

    def handle_data(self, data) -> None:
        if self._in_import_map:
            self.import_maps[-1] += data


def read_page(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_change_form_renders_the_editor_with_only_the_body_tags(editor, draft):
    response = client_for(editor).get(change_url(draft))

    assert response.status_code == 200
    page = read_page(response)
    config = json.loads(page.body["data-django-prose-editor-configurable"])
    extensions = config["extensions"]
    # The toolbar offers exactly what the body may hold: subheads (h2, h3), quotes, lists,
    # links, emphasis and strong; nothing that the cleaner would strip on save.
    assert set(extensions) == {
        "Document",
        "Text",
        "Paragraph",
        "Heading",
        "Bold",
        "Italic",
        "Blockquote",
        "BulletList",
        "OrderedList",
        "ListItem",
        "Link",
        "History",
        "Menu",
        "Dropcursor",
        "Gapcursor",
        "AccessibleName",
        "PastedHeadings",
        "PastedWordLists",
    }
    assert extensions["Heading"] == {"levels": [2, 3]}
    assert extensions["Link"]["enableTarget"] is False
    assert extensions["OrderedList"] == {"enableListAttributes": False}
    assert set(allowlist_from_extensions(extensions)["tags"]) == BODY_TAGS
    # The browser's spell checker stays on, as on the textarea it replaces.
    assert page.body["spellcheck"] == "true"
    # The one module of the project's own: it names the editable area.
    assert config["js_modules"] == ["/static/articles/body-editor.js"]
    assert finders.find("articles/body-editor.js")


def test_editor_files_are_the_projects_own(editor, draft):
    page = read_page(client_for(editor).get(change_url(draft)))

    editor_assets = [url for url in page.assets if "django_prose_editor" in url]
    assert {url.rsplit("/", 1)[1] for url in editor_assets} >= {
        "editor.js",
        "configurable.js",
        "editor.css",
        "material-icons.css",
    }
    for url in editor_assets:
        assert url.startswith("/static/"), f"{url} is not served by this site"
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file here"
    (import_map,) = page.import_maps
    for url in json.loads(import_map)["imports"].values():
        assert url.startswith("/static/django_prose_editor/")
        assert finders.find(url.removeprefix("/static/"))
    # The editor's icon font too (the icons are a ligature font, not images).
    assert finders.find("django_prose_editor/material-icons.woff2")


def test_the_policy_hashes_are_those_of_the_editors_inline_elements(editor, draft):
    response = client_for(editor).get(change_url(draft))
    (import_map,) = read_page(response).import_maps

    assert csp_hash(import_map) == settings.BODY_EDITOR_IMPORT_MAP_HASH
    assert policy(response)["script-src"] == ["'self'", settings.BODY_EDITOR_IMPORT_MAP_HASH]
    # Tiptap injects its base stylesheet (a template literal in the bundle) as a <style>.
    bundle = (EDITOR_STATIC / "editor.js").read_text()
    injected = re.search(r"`(\.ProseMirror \{\n  position: relative;\n\}[^`]*)`", bundle)
    assert injected, "Tiptap's base stylesheet is no longer in the bundle: see settings"
    assert csp_hash(injected.group(1)) == settings.BODY_EDITOR_STYLE_HASH
    assert policy(response)["style-src"] == ["'self'", settings.BODY_EDITOR_STYLE_HASH]


def test_html_from_the_editor_is_cleaned_on_save(editor, draft):
    client = client_for(editor)
    data = form_data(client.get(change_url(draft)))
    # What the editor posts, plus what a hand-made post could add.
    data["body"] = (
        '<h2>Harbour closes</h2><p>Read the <a href="https://port.example.org/" title="" '
        'target="_blank">notice</a>.</p><ol start="3" type="a"><li><p>Quay 4</p></li></ol>'
        '<p class="MsoNormal" style="mso-margin-top-alt:auto"><b>Ferries</b> resume.<o:p></o:p>'
        "</p><script>alert(1)</script><h1>Big</h1>"
    )

    response = client.post(change_url(draft), data)

    assert response.status_code == 302
    body = Article.objects.get(pk=draft.pk).body
    assert body == (
        '<h2>Harbour closes</h2><p>Read the <a href="https://port.example.org/" title="" '
        'rel="noopener noreferrer">notice</a>.</p><ol><li><p>Quay 4</p></li></ol>'
        "<p>Ferries resume.</p>Big"
    )
