"""Writing a story in the rich-text body editor, in Chromium: typing, a subhead, bold, a link
and a paste from Word and from Google Docs, saved as body HTML of the allowed tags only,
under the admin's Content-Security-Policy."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from articles.models import Article
from articles.sanitize import BODY_TAGS
from tests.factories import ArticleFactory, DeskFactory, UserFactory

PASSWORD = "correct horse battery"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What Word puts on the clipboard (trimmed): Office namespaces, conditional comments, a style
# block, MsoNormal classes and mso- styles, <o:p>, a heading, bold in <b>, italic in <i>, a
# span for a font, a link, and a list made of paragraphs with a bullet symbol.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings>
</xml><![endif]-->
<style><!-- p.MsoNormal {mso-style-parent:""; margin:0cm; font-size:12.0pt;} --></style>
</head><body lang=EN-GB style='tab-interval:36.0pt'><!--StartFragment-->
<h1 style='mso-margin-top-alt:auto'><span style='mso-fareast-font-family:"Times New Roman"'>Ferry
timetable<o:p></o:p></span></h1>
<p class=MsoNormal style='mso-margin-top-alt:auto;line-height:115%'><b><span
style='font-family:"Calibri",sans-serif;mso-bidi-font-weight:normal'>Ferries will
resume</span></b><span style='mso-spacerun:yes'>  </span>on <i>Wednesday</i>, the operator
<a href="https://ferries.example.org/notice" style='color:#0563C1'>said</a>.<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if
!supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span
style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span></span><![endif]>Bergen to Stavanger<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if
!supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Bergen to
<b>Haugesund</b><o:p></o:p></p>
<p class=MsoNormal>Departures:<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if
!supportLists]><span><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New
Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>07:15<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if
!supportLists]><span><span style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New
Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>09:40<o:p></o:p></p>
<script>window.pastedScriptRan = true</script>
<img src="file:///C:/Users/desk/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png">
<table class=MsoTableGrid><tr><td><p class=MsoNormal>Cell text<o:p></o:p></p></td></tr></table>
<!--EndFragment--></body></html>"""

# What Google Docs puts there: a <b> wrapper that is not bold, bold and italic as spans with
# font styles, a heading with an id, and a list with list-style-type.
GOOGLE_DOCS_HTML = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-4a1b2c3d">'
    '<h2 dir="ltr" style="line-height:1.38;margin-top:18pt" id="h.abc123">'
    '<span style="font-size:16pt;font-family:Arial;font-weight:400">Harbour reopens</span></h2>'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt">'
    '<span style="font-size:11pt;font-family:Arial;font-weight:700">Cranes</span>'
    '<span style="font-size:11pt;font-family:Arial;font-weight:400"> were back at work by </span>'
    '<span style="font-size:11pt;font-family:Arial;font-style:italic">noon</span></p>'
    '<ul style="margin-top:0;margin-bottom:0"><li dir="ltr" style="list-style-type:disc">'
    '<p dir="ltr" role="presentation"><span style="font-size:11pt">Quay 4</span></p></li></ul>'
    "</b>"
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.add(tag)
        self.attributes |= {(tag, name) for name, _ in attrs}


def tags_in(body: str) -> _Tags:
    parser = _Tags()
    parser.feed(body)
    return parser


# The body's editor (the toolbar's block-type picker holds a second ProseMirror element).
EDITOR = "div.prose-editor:has(#id_body)"


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


_SELECTED = """([selector, text]) => {
    const state = document.querySelector(selector).editor.state;
    const {from, to} = state.selection;
    return state.doc.textBetween(from, to) === text;
}"""


def press_until_selected(page, key: str, text: str, attempts: int = 4) -> None:
    """Press `key` until the editor's state has the selection `text`. After a toolbar click
    or a dialog the editor puts back the selection it had, a moment after it takes the focus
    back; a key pressed in between is undone, so it is pressed again."""
    for _ in range(attempts - 1):
        page.keyboard.press(key)
        try:
            page.wait_for_function(_SELECTED, arg=[f"{EDITOR} > .ProseMirror", text], timeout=1_000)
            return
        except PlaywrightTimeout:
            continue
    page.keyboard.press(key)
    wait_for_selection(page, text)


def wait_for_selection(page, text: str) -> None:
    """Wait until the editor's own state has the selection the keys made: ProseMirror reads
    the browser's selection a moment after it moves, and a toolbar click before then acts on
    the old one."""
    try:
        page.wait_for_function(_SELECTED, arg=[f"{EDITOR} > .ProseMirror", text], timeout=5_000)
    except PlaywrightTimeout:
        state = page.eval_on_selector(
            f"{EDITOR} > .ProseMirror",
            "box => { const s = box.editor.state; const {from, to} = s.selection;"
            " return [from, to, s.doc.textBetween(from, to), s.doc.textContent,"
            " document.activeElement?.outerHTML.slice(0, 80)]; }",
        )
        raise AssertionError(f"selection is not {text!r}: {state}") from None


def wait_for_text(page, text: str) -> None:
    """Wait until the editor's own state holds the typed text at its end."""
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector).editor.state.doc"
        ".textContent.endsWith(text)",
        arg=[f"{EDITOR} > .ProseMirror", text],
    )


def paste_html(page, html: str, text: str) -> None:
    """Paste as a browser does: a paste event carrying text/html and text/plain."""
    page.eval_on_selector(
        f"{EDITOR} > .ProseMirror",
        """(editor, [html, text]) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", text);
            editor.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }""",
        [html, text],
    )


def test_editor_writes_a_story_with_subhead_bold_link_and_pastes(
    live_server, browser, screenshot_dir
):
    desk = DeskFactory(name="Bergen bureau", slug="bergen")
    UserFactory(username="eddie", role="Editor")
    draft = (
        '<p>Draft.</p>\n<p>See <a href="https://x.example/" rel="noopener noreferrer">x</a>.</p>'
    )
    article = ArticleFactory(desk=desk, slug="harbour-storm", body=draft)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    answered: list[str] = []
    page.on("response", lambda response: answered.append(response.url))

    log_in(page, base, "eddie")
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    body = page.locator(f"{EDITOR} > .ProseMirror")
    body.wait_for()
    # The raw-HTML textarea is hidden; the editor shows the stored copy as text, and is
    # named by the field's label for a screen reader.
    assert not page.is_visible("#id_body")
    assert body.locator("p").all_inner_texts() == ["Draft.", "See x."]
    # Opening the story changes nothing: until the copy is edited, the form posts it as stored.
    assert page.input_value("#id_body") == draft
    named = page.get_by_role("textbox", name="Body:")
    assert named.evaluate("box => box.classList.contains('ProseMirror')")
    assert body.get_attribute("aria-describedby") == "id_body_helptext"

    # Replace the draft: a subhead, then a paragraph with a bold phrase and a link.
    body.click()
    page.keyboard.press("Control+A")
    wait_for_selection(page, "Draft.See x.")
    page.keyboard.type("Harbour closes")
    wait_for_text(page, "Harbour closes")
    page.click(f"{EDITOR} .prose-menubar__selected")
    page.click(f"{EDITOR} .prose-menubar__option[data-name=heading2]")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("The port of Bergen closed on Monday as the storm reached the coast.")
    # Bold: the last word typed, selected by keyboard.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Control+Shift+ArrowLeft")
    wait_for_selection(page, "coast")
    page.click(f"{EDITOR} button[data-name=bold]")
    press_until_selected(page, "End", "")
    page.keyboard.type(" Read the port notice.")
    wait_for_text(page, "the coast. Read the port notice.")
    page.keyboard.press("ArrowLeft")  # the full stop stays outside the link
    for _ in range(len("notice")):
        page.keyboard.press("Shift+ArrowLeft")
    wait_for_selection(page, "notice")
    page.click(f"{EDITOR} button[data-name=link]")
    page.fill("dialog.prose-editor-dialog input[name=href]", "https://port.example.org/notice")
    page.click("dialog.prose-editor-dialog button[type=submit]")
    page.wait_for_selector(f"{EDITOR} > .ProseMirror a[href='https://port.example.org/notice']")
    # The editor takes the focus back after the dialog closes, and reads a moved cursor a
    # moment after the browser moves it (Tiptap keeps itself on its element as `editor`).
    page.wait_for_function(
        "() => document.activeElement?.classList.contains('ProseMirror')"
        " && !document.querySelector('dialog.prose-editor-dialog')"
    )
    press_until_selected(page, "End", "")
    page.keyboard.press("Enter")
    assert problems == []
    paste_html(page, WORD_HTML, "Ferry timetable Ferries will resume on Wednesday")
    # The policy blocks one thing: the stylesheet inside Word's clipboard HTML (a <style>
    # element; on this page only style attributes may apply).
    assert len(problems) == 1, problems
    assert problems[0].startswith("Applying inline style violates") and "'style-src " in problems[0]
    page.keyboard.press("Enter")
    paste_html(page, GOOGLE_DOCS_HTML, "Harbour reopens Cranes were back at work by noon")
    page.screenshot(path=str(screenshot_dir / "editor-01-story-1366.png"), full_page=True)

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    page.screenshot(path=str(screenshot_dir / "editor-02-saved-1366.png"), full_page=True)
    # The saved story opens in the editor again, subheads as subheads.
    assert body.locator("h2").first.inner_text() == "Harbour closes"

    saved = Article.objects.get(pk=article.pk).body
    found = tags_in(saved)
    assert found.tags <= BODY_TAGS, found.tags - BODY_TAGS
    assert found.attributes <= {("a", "href"), ("a", "title"), ("a", "rel")}
    assert saved.startswith("<h2>Harbour closes</h2>")
    assert "<strong>coast</strong>" in saved
    # The link dialog posts an empty title; the cleaner adds rel.
    link = r'Read the port <a href="https://port.example.org/notice"[^>]*>notice</a>\.'
    assert re.search(link, saved), saved
    # Word: its Heading 1 is a subhead; its lists (paragraphs styled mso-list, the bullet
    # or number typed in) are lists again, without the typed markers.
    assert "<h2>Ferry timetable</h2>" in saved
    assert (
        "<ul><li><p>Bergen to Stavanger</p></li><li><p>Bergen to <strong>Haugesund</strong>"
        "</p></li></ul><p>Departures:</p><ol><li><p>07:15</p></li><li><p>09:40</p></li></ol>"
    ) in saved
    assert "·" not in saved
    # Word: bold and italic kept as strong and em, its link kept, everything of Office gone.
    assert "<strong>Ferries will resume</strong>" in saved
    assert "<em>Wednesday</em>" in saved
    assert '<a href="https://ferries.example.org/notice"' in saved
    for office in ("mso-", "MsoNormal", "o:p", "<!--", "StartFragment", "supportLists"):
        assert office not in saved
    assert "pastedScriptRan" not in saved
    assert page.evaluate("window.pastedScriptRan") is None
    # Google Docs: the <b style="font-weight:normal"> wrapper is not bold; the styled spans
    # become strong and em, the heading an h2, the list a list.
    assert "<h2>Harbour reopens</h2>" in saved
    assert "<strong>Cranes</strong> were back at work by <em>noon</em>" in saved
    assert re.search(r"<ul><li><p>Quay 4</p></li></ul>", saved)
    assert "docs-internal-guid" not in saved and "font-weight" not in saved
    # Nothing else was blocked, no script failed, and every file came from this site.
    assert len(problems) == 1, problems
    assert [url for url in answered if not url.startswith((base, "data:"))] == []
    assert any("/static/django_prose_editor/editor.js" in url for url in answered)

    # On a phone the toolbar wraps and the copy stays readable.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    body.wait_for()
    page.screenshot(path=str(screenshot_dir / "editor-03-phone-390.png"), full_page=True)
    page.locator(EDITOR).screenshot(path=str(screenshot_dir / "editor-04-phone-body-390.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # In the dark theme it takes the admin's colours.
    page.emulate_media(color_scheme="dark")
    page.locator(EDITOR).screenshot(path=str(screenshot_dir / "editor-05-phone-dark-390.png"))
    background = body.evaluate("box => getComputedStyle(box).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    context.close()


def test_a_story_at_the_body_limit_opens_edits_and_saves(live_server, browser):
    # About 13,000 paragraphs (1 MB): the editor loads them, takes a keystroke, posts them all.
    desk = DeskFactory(name="Bergen bureau", slug="bergen")
    UserFactory(username="eddie", role="Editor")
    paragraph = "<p>The harbour closed on Monday, the port authority said in a statement.</p>"
    body = paragraph * (settings.ARTICLE_BODY_MAX_BYTES // len(paragraph) - 10)
    article = ArticleFactory(desk=desk, slug="harbour-storm", body=body)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in(page, live_server.url, "eddie")

    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor = page.locator(f"{EDITOR} > .ProseMirror")
    editor.wait_for()
    assert editor.locator("p").count() == body.count("<p>")
    editor.locator("p").first.click()
    page.keyboard.press("Home")
    page.keyboard.type("Update: ")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    saved = Article.objects.get(pk=article.pk).body
    assert saved == body.replace("<p>", "<p>Update: ", 1)
    context.close()
