"""Agency channels in the admin, in Chromium: the channels page (run now, pause), the
ingest log filtered to failures, and the queue where an editor takes an item onto the desk."""

from __future__ import annotations

import pytest

from articles import workflow
from articles.models import Article
from ingest import channels
from ingest.models import IngestChannel, IngestItem
from ingest.pollers import run_channel
from tests.e2e import test_accessibility_browser as a11y
from tests.factories import DeskFactory, UserFactory
from tests.ingest.channel_helpers import STORY, agency_item

PASSWORD = "correct horse battery"

# axe-core, as the accessibility tests load it (skipped without npm, failing under CI=true).
axe_js = a11y.axe_js

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def editor_page(browser, base: str):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return context, page, violations


@pytest.fixture
def desk_channels(tmp_path):
    desk = DeskFactory(name="Santiago", slug="santiago")
    UserFactory(username="eddie", role="Editor")
    (tmp_path / "strike.txt").write_text(STORY)
    folder = IngestChannel.objects.create(
        name="Agency drop", slug="agency-drop", kind="folder", desk=desk, path=str(tmp_path)
    )
    broken = IngestChannel.objects.create(
        name="Agency feed", slug="agency-feed", kind="feed", desk=desk, url="http://127.0.0.1:9/"
    )
    return folder, broken


def run_action(page, action: str, channel: IngestChannel) -> None:
    page.check(f"input[name=_selected_action][value='{channel.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def test_the_channels_page_runs_and_pauses_a_channel(
    live_server, browser, screenshot_dir, desk_channels
):
    folder, broken = desk_channels
    context, page, violations = editor_page(browser, live_server.url)

    page.goto(f"{live_server.url}/admin/ingest/ingestchannel/")
    run_action(page, "run_now", folder)
    page.wait_for_selector(".messagelist .success:has-text('Agency drop: 1 created')")
    run_action(page, "run_now", broken)
    page.wait_for_selector(".messagelist .error:has-text('Agency feed: 1 failed')")

    row = page.locator(f"tr:has(input[value='{broken.pk}'])")
    assert "Failing (1 in a row): ConnectError" in row.inner_text()
    folder_row = page.locator(f"tr:has(input[value='{folder.pk}'])")
    assert folder_row.locator(".field-items_today").inner_text() == "1"
    page.screenshot(path=str(screenshot_dir / "ingest-channels.png"), full_page=True)

    run_action(page, "pause", folder)
    page.wait_for_selector(".messagelist .success:has-text('Paused 1 channel(s).')")
    assert "Paused" in page.locator(f"tr:has(input[value='{folder.pk}'])").inner_text()
    folder.refresh_from_db()
    assert not folder.active
    assert violations == []
    context.close()


def test_the_ingest_log_filters_to_failures(live_server, browser, screenshot_dir, desk_channels):
    folder, broken = desk_channels
    channels.receive(folder, STORY.encode(), name="strike.txt")
    channels.receive(folder, b"\x89PNG\r\n\x1a\n\x00", name="photo.png")
    context, page, violations = editor_page(browser, live_server.url)

    page.goto(f"{live_server.url}/admin/ingest/ingestlogentry/")
    assert page.locator("#result_list tbody tr").count() == 2
    page.click("#changelist-filter a:text-is('Failed')")
    page.wait_for_url("**result__exact=failed**")

    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "photo.png" in rows.first.inner_text()
    assert "binary" in rows.first.inner_text()
    page.screenshot(path=str(screenshot_dir / "ingest-log-failed.png"), full_page=True)
    assert violations == []
    context.close()


def test_an_editor_takes_an_agency_item_onto_the_desk(
    live_server, browser, screenshot_dir, desk_channels
):
    folder, _ = desk_channels
    channels.receive(folder, STORY.encode(), name="strike.txt")
    context, page, violations = editor_page(browser, live_server.url)

    page.goto(f"{live_server.url}/admin/ingest/ingestitem/")
    assert "Not taken" in page.locator("#result_list").inner_text()
    page.screenshot(path=str(screenshot_dir / "ingest-queue.png"), full_page=True)
    page.click("#result_list a:text('Port strike ends after pay deal')")
    page.wait_for_selector("#take-form")
    assert "Dock workers ended a nine-day strike" in page.inner_text("#agency-copy")
    page.screenshot(path=str(screenshot_dir / "ingest-item.png"), full_page=True)
    page.click("#take-form button")
    page.wait_for_selector("#article_form")

    article = Article.objects.get()
    assert f"/admin/articles/article/{article.pk}/change/" in page.url
    assert IngestItem.objects.get().article == article
    page.goto(f"{live_server.url}/admin/ingest/ingestitem/")
    assert f"{article.slug} (Draft)" in page.locator("#result_list").inner_text()
    assert violations == []
    context.close()


def test_the_ingest_pages_have_no_wcag_violation_in_either_theme(
    live_server, browser, axe_js, screenshot_dir, desk_channels
):
    folder, broken = desk_channels
    run_channel(broken)  # a failing channel's error on the channels page
    channels.receive(folder, b"\x89PNG\r\n\x1a\n\x00", name="photo.png")
    channels.receive_items(folder, [agency_item(1)], name="push")
    item = IngestItem.objects.get()
    editor = UserFactory(username="eddie")
    workflow.publish(channels.take(item, by=editor), by=editor)
    channels.receive_items(folder, [agency_item(2, extra=" of 8 percent")], name="push")
    pages = {
        "channels": "/admin/ingest/ingestchannel/",
        "log": "/admin/ingest/ingestlogentry/",
        "queue": "/admin/ingest/ingestitem/",
        "item": f"/admin/ingest/ingestitem/{item.pk}/change/",
    }
    found = {}
    for scheme in ("light", "dark"):
        context = a11y.new_context(browser, scheme=scheme)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", "eddie")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            page.wait_for_selector("#content")
            found[f"{scheme} {name}"] = a11y.axe_violations(page, axe_js)
        page.goto(f"{live_server.url}{pages['item']}")
        page.wait_for_selector("#ours-diff")
        page.screenshot(path=str(screenshot_dir / f"ingest-update-{scheme}.png"), full_page=True)
        context.close()

    assert {name: v for name, v in found.items() if v} == {}
