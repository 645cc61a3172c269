"""A story from a reporter's first keystroke to the wire, driven through the admin in Chromium."""

from __future__ import annotations

import re

import pytest

from articles.models import Article
from tests.factories import ContributorFactory, DeskFactory, SourceFactory, UserFactory

PASSWORD = "correct horse battery"

# serialized_rollback: the role groups come back before the test (see conftest).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def pick_autocomplete(page, row_selector: str, term: str, choice: str) -> None:
    """Choose in a select2 autocomplete the way an editor does: click, type, pick."""
    page.click(f"{row_selector} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", term)
    page.click(f".select2-results__option:has-text('{choice}')")


def test_reporter_files_editor_publishes_version_shows(live_server, browser, screenshot_dir):
    desk = DeskFactory(name="Bergen bureau", slug="bergen")
    UserFactory(username="rita", role="Reporter")
    UserFactory(username="eddie", role="Editor")
    ContributorFactory(name="Dewi Lestari", desk=desk)
    SourceFactory(name="Mara Lind", title="harbour master", affiliation="Bergen Port Authority")
    base = live_server.url

    # The reporter files the story with a byline credit and a quote.
    reporter = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = reporter.new_page()
    log_in(page, base, "rita")
    page.goto(f"{base}/admin/articles/article/add/")
    page.fill("#id_headline", "Storm closes Bergen harbour")
    page.press("#id_headline", "Tab")
    # The slug line fills itself in from the headline, as the desk expects.
    assert page.input_value("#id_slug") == "storm-closes-bergen-harbour"
    page.select_option("#id_desk", label="Bergen bureau")
    page.fill("#id_dateline_place", "Bergen")
    # The body is written in the rich-text editor, as a reporter types it.
    page.click("div.prose-editor:has(#id_body) > .ProseMirror")
    page.keyboard.type("The port of Bergen closed on Monday as the storm reached the coast.")
    page.keyboard.press("Enter")
    page.keyboard.type("“We closed it before the first wave,” the harbour master said.")
    page.click("#credits-group .add-row a")
    pick_autocomplete(page, "#credits-0", "Dewi", "Dewi Lestari")
    page.select_option("#id_credits-0-role", "byline")
    page.click("#attributions-group .add-row a")
    pick_autocomplete(page, "#attributions-0", "Mara", "Mara Lind")
    page.fill("#id_attributions-0-text", "We closed it before the first wave.")
    page.fill("#id_attributions-0-verb", "said")
    page.fill("#id_attributions-0-paragraph", "1")
    page.screenshot(path=str(screenshot_dir / "01-reporter-writes.png"), full_page=True)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    page.click("#transition-submit button")
    page.wait_for_selector(".messagelist .success:has-text('is with the desk')")
    page.screenshot(path=str(screenshot_dir / "02-reporter-submitted.png"), full_page=True)
    reporter.close()

    article = Article.objects.get(slug="storm-closes-bergen-harbour")
    assert article.status == Article.Status.SUBMITTED
    assert article.body == (
        "<p>The port of Bergen closed on Monday as the storm reached the coast.</p>"
        "<p>“We closed it before the first wave,” the harbour master said.</p>"
    )
    assert article.credits.get().contributor.name == "Dewi Lestari"
    assert article.attributions.get().source.name == "Mara Lind"

    # The editor finds it in the list and publishes it.
    editor = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = editor.new_page()
    log_in(page, base, "eddie")
    page.goto(f"{base}/admin/articles/article/?status__exact=submitted")
    page.screenshot(path=str(screenshot_dir / "03-editor-list.png"), full_page=True)
    page.click("text=Storm closes Bergen harbour")
    page.click(".transition-publish summary")
    page.click("#transition-publish button[type=submit]")
    page.wait_for_selector(".messagelist .success:has-text('moved on the wire (version 1)')")
    page.screenshot(path=str(screenshot_dir / "04-editor-published.png"), full_page=True)

    page.click("text=Versions and audit trail")
    row = page.locator("#version-list tbody tr").first
    assert re.search(r"^\s*1\s+Published\s+eddie", row.inner_text())
    assert page.locator("#audit-trail").inner_text().count("submit") >= 1
    page.screenshot(path=str(screenshot_dir / "05-version-history.png"), full_page=True)
    editor.close()

    # And a reader on a phone sees it.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    response = page.goto(f"{base}/stories/storm-closes-bergen-harbour/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Storm closes Bergen harbour"
    assert "By Dewi Lestari" in page.locator(".byline").inner_text()
    page.screenshot(path=str(screenshot_dir / "06-public-story-phone.png"), full_page=True)
    phone.close()

    article.refresh_from_db()
    assert (article.status, article.version) == (Article.Status.PUBLISHED, 1)
