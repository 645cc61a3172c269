"""Hostile copy comes out clean; words in every script come out whole."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.sanitize import (
    BODY_TAGS,
    clean_body_html,
    clean_plain_text,
    paragraphs_to_html,
)
from tests.factories import ArticleFactory

HOSTILE = [
    ("<p>Before</p><script>alert('x')</script><p>After</p>", "alert"),
    ('<p onclick="steal()">Click</p>', "onclick"),
    ('<p><img src=x onerror="steal()">Text</p>', "onerror"),
    ('<a href="javascript:steal()">link</a>', "javascript:"),
    ('<a href="JaVaScRiPt:steal()">link</a>', "script:"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">link</a>', "data:"),
    ("<style>body{display:none}</style><p>Text</p>", "display"),
    ('<p style="position:fixed">Text</p>', "style"),
    ('<iframe src="https://evil.example/"></iframe><p>Text</p>', "iframe"),
    ('<object data="x.swf"></object><embed src="x"><p>Text</p>', "object"),
    ('<form action="/steal"><input name="q"></form><p>Text</p>', "form"),
    ("<svg><script>alert(1)</script></svg>", "alert"),
    ("<p>unclosed <strong>bold <em>and italic", "<p>unclosed"),
    ("<!-- a note for the desk --><p>Text</p>", "note for the desk"),
]


@pytest.mark.parametrize(("hostile", "gone"), HOSTILE)
def test_hostile_body_is_sanitized(hostile, gone):
    clean = clean_body_html(hostile)
    if gone == "<p>unclosed":
        # Unclosed tags are closed, not left to swallow the rest of the page.
        assert clean.count("<strong>") == clean.count("</strong>") == 1
        assert clean.count("<em>") == clean.count("</em>") == 1
        assert clean.endswith("</p>")
    else:
        assert gone.lower() not in clean.lower()
    for tag in re.findall(r"<\s*([a-zA-Z0-9]+)", clean):
        assert tag.lower() in BODY_TAGS


def test_allowed_markup_survives_with_safe_links():
    html = (
        "<h2>Subhead</h2><p>A <em>quoted</em> <strong>word</strong> and "
        '<a href="https://www.example.org/report">the report</a>.</p>'
        "<blockquote>Said once.</blockquote><ul><li>one</li></ul><ol><li>two</li></ol><h3>x</h3>"
    )
    clean = clean_body_html(html)
    for tag in ("h2", "em", "strong", "blockquote", "ul", "ol", "li", "h3"):
        assert f"<{tag}>" in clean
    assert 'href="https://www.example.org/report"' in clean
    assert 'rel="noopener noreferrer"' in clean


def test_article_save_sanitizes_body_and_keeps_plain_text_as_text(db):
    article = ArticleFactory(
        headline="<b>Breaking</b>: talks <script>alert(1)</script>resume",
        summary="<p>Two\n\nlines</p>",
        dateline_place="<em>Nairobi</em>",
        body='<p onmouseover="x()">Copy</p><script>alert(1)</script>',
    )
    article.refresh_from_db()
    # Plain text is never read as markup: what was typed is kept, and escaped on output.
    assert article.headline == "<b>Breaking</b>: talks <script>alert(1)</script>resume"
    assert article.summary == "<p>Two lines</p>"
    assert article.dateline_place == "<em>Nairobi</em>"
    assert article.body == "<p>Copy</p>"


@pytest.mark.parametrize(
    "text",
    [
        "Senator says <unnamed> aide lied",
        "Minister calls report <fake news>",
        "Court rules <b> is not a word, <script> is",
        "AT&amp;T and AT&T merge &lt;talks&gt;",
        "<!-- not a comment -->",
    ],
)
def test_words_in_angle_brackets_are_kept_in_plain_text(text):
    assert clean_plain_text(text) == text


def test_prose_angle_brackets_and_ampersands_survive_in_headlines():
    assert clean_plain_text("Rates < 5% & falling > expected") == "Rates < 5% & falling > expected"


def test_xml_forbidden_characters_are_removed():
    assert clean_plain_text("Bell\x07 and null\x00 gone") == "Bell and null gone"
    assert clean_body_html("<p>form\x0cfeed</p>") == "<p>formfeed</p>"


MULTILINGUAL = [
    "台风逼近台湾，台北市加强防灾准备",  # Chinese
    "東京で記者会見が開かれた",  # Japanese
    "서울에서 회담이 열렸다",  # Korean
    "قال المتحدث باسم الوزارة إن المحادثات ستستأنف",  # Arabic (RTL)
    "הדובר אמר כי השיחות יתחדשו מחר",  # Hebrew (RTL)
    "Переговоры возобновятся в понедельник",  # Cyrillic
    "नई दिल्ली में बैठक हुई",  # Devanagari (combining vowel signs)
    "Ça a été très difficile, déclare-t-il",  # Latin with accents
    "Nguyễn Thị Minh Khai phát biểu",  # Vietnamese (stacked diacritics)
    "Reporters 🗞️ filed from the 🇰🇪 border 👩🏽‍💻",  # emoji, ZWJ and flags
    "Mixed: English, العربية and 中文 in one line",
]


@pytest.mark.parametrize("text", MULTILINGUAL)
def test_text_in_every_language_survives(text, db):
    nfc = unicodedata.normalize("NFC", text)
    article = ArticleFactory(headline=text, summary=text, body=f"<h2>{text}</h2><p>{text}</p>")
    article.refresh_from_db()
    assert article.headline == nfc
    assert article.summary == nfc
    assert article.body == f"<h2>{nfc}</h2><p>{nfc}</p>"


def test_combining_marks_are_normalized_not_dropped():
    decomposed = "Cafe\u0301 owner Nguye\u0302\u0303n"
    assert clean_plain_text(decomposed) == "Café owner Nguyễn"


def test_imported_paragraphs_are_escaped_as_text():
    html = paragraphs_to_html(
        ["He wrote <script>alert(1)</script> on the wall.", "Second."], {1: "A <b>subhead</b>"}
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<h2>A &lt;b&gt;subhead&lt;/b&gt;</h2>" in html


# Anything that is not markup, in any script, survives as the same words.
prose = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Cn"), blacklist_characters="<>&\ufffe\uffff"
    ),
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(prose)
@example("\ufeff")
@example("\ufeff\ufeffBOM twice")
@example("A mark\ufeffin the middle")
def test_plain_text_keeps_every_word(text):
    # Byte-order marks are not words: plain text never keeps one.
    words = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    expected = re.sub(r"\s+", " ", words).strip()
    assert clean_plain_text(text) == expected


@settings(max_examples=200, deadline=None)
@given(prose)
def test_body_paragraph_keeps_every_word(text):
    clean = clean_body_html(f"<p>{text}</p>")
    words = html.unescape(clean.removeprefix("<p>").removesuffix("</p>"))
    assert words.strip() == unicodedata.normalize("NFC", text).strip()


def test_body_line_breaks_are_stored_as_lf_however_they_were_posted():
    stored = "<p>One.</p>\n<p>Two.</p>"

    assert clean_body_html("<p>One.</p>\r\n<p>Two.</p>") == stored
    assert clean_body_html("<p>One.</p>\r<p>Two.</p>") == stored
    assert clean_body_html(stored) == stored
