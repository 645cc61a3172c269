"""Two editors on one story, and a published story's unsent changes, in Chromium."""

from __future__ import annotations

import pytest

from articles import workflow
from articles.models import Article
from tests.e2e.test_desk_browser import log_in
from tests.factories import ArticleFactory, DeskFactory, UserFactory

# serialized_rollback: the role groups come back before the test (see conftest).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LAPTOP = {"width": 1366, "height": 768}


def change_page(base: str, article: Article) -> str:
    return f"{base}/admin/articles/article/{article.pk}/change/"


def test_two_editors_resolve_a_conflict_field_by_field(live_server, browser, screenshot_dir):
    desk = DeskFactory(name="Geneva bureau", slug="geneva")
    UserFactory(username="eddie", role="Editor")
    UserFactory(username="ines", role="Editor")
    story = ArticleFactory(
        desk=desk, headline="Talks open in Geneva", summary="Delegations meet on Monday."
    )
    base = live_server.url

    eddie_context = browser.new_context(viewport=LAPTOP)
    ines_context = browser.new_context(viewport=LAPTOP)
    eddie, ines = eddie_context.new_page(), ines_context.new_page()
    log_in(eddie, base, "eddie")
    log_in(ines, base, "ines")
    eddie.goto(change_page(base, story))
    ines.goto(change_page(base, story))

    # Eddie saves first: a new headline.
    eddie.fill("#id_headline", "Talks resume in Geneva after a pause")
    eddie.click("input[name=_continue]")
    eddie.wait_for_selector(".messagelist .success")

    # Ines saves from the form she opened before: refused, with Eddie's copy beside hers.
    ines.fill("#id_summary", "Delegations from both sides meet on Monday morning.")
    ines.click("input[name=_continue]")
    panel = ines.locator("#edit-conflict")
    panel.wait_for()
    assert "eddie saved this story" in panel.locator("h2").inner_text()
    headline = ines.locator("#conflict-headline")
    assert "Talks resume in Geneva after a pause" in headline.locator("td").first.inner_text()
    assert "Talks open in Geneva" in headline.locator("td").nth(1).inner_text()
    summary = ines.locator("#conflict-summary")
    assert "Differs:" in summary.inner_text()
    assert summary.locator("ins").count() >= 1  # her words marked, not by colour alone
    # Her typing is still in the form.
    assert ines.input_value("#id_summary") == "Delegations from both sides meet on Monday morning."
    ines.locator("#edit-conflict").scroll_into_view_if_needed()
    ines.screenshot(path=str(screenshot_dir / "conflict-01-refused-side-by-side.png"))
    ines.emulate_media(color_scheme="dark")
    ines.screenshot(path=str(screenshot_dir / "conflict-01-refused-dark.png"))
    ines.emulate_media(color_scheme="light")

    # She takes Eddie's headline, keeps her summary, and saves against the copy she saw.
    ines.get_by_role("radiogroup", name="Headline: which to save").get_by_label(
        "Take theirs"
    ).check()
    ines.get_by_role("radiogroup", name="Summary: which to save").get_by_label("Keep yours").check()
    ines.screenshot(path=str(screenshot_dir / "conflict-02-chosen.png"))
    ines.click("input[name=_continue]")
    ines.wait_for_selector(".messagelist .success")
    assert ines.locator("#edit-conflict").count() == 0
    assert ines.input_value("#id_headline") == "Talks resume in Geneva after a pause"
    ines.screenshot(path=str(screenshot_dir / "conflict-03-saved.png"))
    eddie_context.close()
    ines_context.close()

    story.refresh_from_db()
    assert story.headline == "Talks resume in Geneva after a pause"
    assert story.summary == "Delegations from both sides meet on Monday morning."
    assert story.lock_version == 2


def test_unsent_banner_moves_a_correction(live_server, browser, screenshot_dir):
    desk = DeskFactory(name="Geneva bureau", slug="geneva")
    editor = UserFactory(username="eddie", role="Editor")
    story = workflow.publish(
        ArticleFactory(desk=desk, slug="geneva-talks", headline="Talks open in Genva"),
        by=editor,
    )
    base = live_server.url

    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    log_in(page, base, "eddie")
    page.goto(change_page(base, story))
    assert page.locator("#unsent-banner").count() == 0
    page.fill("#id_headline", "Talks open in Geneva")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    banner = page.locator("#unsent-banner")
    assert banner.locator("h2").inner_text() == ("Changed since version 1: headline — not sent")
    # Readers still have what was sent.
    reader = context.new_page()
    reader.goto(f"{base}/stories/geneva-talks/")
    assert reader.locator("h1").inner_text() == "Talks open in Genva"
    reader.close()
    page.screenshot(path=str(screenshot_dir / "unsent-01-banner.png"))

    # The list says which stories have unsent changes, and filters on it.
    page.goto(f"{base}/admin/articles/article/?unsent=yes")
    assert "Not sent: headline" in page.locator("#result_list").inner_text()
    page.screenshot(path=str(screenshot_dir / "unsent-02-list-filter.png"))
    page.click("text=Talks open in Geneva")

    page.click("#unsent-banner .transition-correct summary")
    page.fill("#id_unsent_correct_note", "Corrects the spelling of Geneva.")
    page.screenshot(path=str(screenshot_dir / "unsent-03-correction-note.png"))
    page.click("#unsent-correct button[type=submit]")
    page.wait_for_selector(".messagelist .success:has-text('correction')")
    assert page.locator("#unsent-banner").count() == 0
    page.screenshot(path=str(screenshot_dir / "unsent-04-corrected.png"))

    reader = context.new_page()
    reader.goto(f"{base}/stories/geneva-talks/")
    assert reader.locator("h1").inner_text() == "Talks open in Geneva"
    assert "Corrects the spelling of Geneva." in reader.content()
    context.close()

    story.refresh_from_db()
    assert (story.version, story.unsent_fields) == (2, "")
