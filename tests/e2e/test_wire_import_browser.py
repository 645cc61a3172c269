"""The admin upload in a real browser: files chosen and sent, the progress page reloads
itself (no script: the admin's policy) until the task is over, and links to the draft."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest import uploads
from newsroom.celery import app as celery_app
from tests.factories import DeskFactory, UserFactory

PASSWORD = "correct horse battery"
STORY = """Port strike ends after pay deal

By Ana Ruiz

VALPARAISO, Chile — Dock workers ended a nine-day strike on Friday after port operators \
agreed to a pay rise.

“We got what we came for,” said Tomás Vidal, president of the dockers' union.
"""

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def tasks_in_process(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def logged_in_page(browser, base: str):
    context = browser.new_context()
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "rosa")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return context, page, violations


def test_an_upload_lands_on_its_progress_page_with_a_link_to_the_draft(
    live_server, browser, screenshot_dir, tasks_in_process
):
    DeskFactory(name="Santiago", slug="santiago")
    UserFactory(username="rosa", role="Reporter")
    context, page, violations = logged_in_page(browser, live_server.url)

    page.goto(f"{live_server.url}/admin/articles/article/import/")
    page.set_input_files(
        "#id_files",
        [
            {"name": "strike.txt", "mimeType": "text/plain", "buffer": STORY.encode()},
            {"name": "photo.txt", "mimeType": "text/plain", "buffer": b"\x89PNG\x00\x00"},
        ],
    )
    page.click("input[type=submit]")
    page.wait_for_selector("#import-status")

    assert "/admin/articles/article/import/" in page.url and page.url.rstrip("/")[-1].isdigit()
    assert "Done: 2 of 2 files processed, 1 not imported." in page.inner_text("#import-status")
    assert "Not imported: binary file" in page.inner_text("#import-results")
    page.screenshot(path=str(screenshot_dir / "wire-import-progress.png"), full_page=True)
    page.click("text=Port strike ends after pay deal")
    page.wait_for_selector("#article_form")
    assert violations == []
    context.close()


def test_the_progress_page_reloads_itself_until_the_import_is_over(live_server, browser):
    desk = DeskFactory(name="Santiago", slug="santiago")
    rosa = UserFactory(username="rosa", role="Reporter")
    wire_import = uploads.queue_wire_import(
        [SimpleUploadedFile("strike.txt", STORY.encode())], desk=desk, by=rosa
    )
    context, page, violations = logged_in_page(browser, live_server.url)

    page.goto(f"{live_server.url}/admin/articles/article/import/{wire_import.pk}/")
    assert page.inner_text("#import-status").startswith("Queued")

    uploads.run_wire_import(wire_import.pk, time_limit=60)  # as the worker would

    page.wait_for_selector("#import-status.import-done", timeout=15_000)
    assert "Done: 1 of 1 file processed." in page.inner_text("#import-status")
    assert violations == []
    context.close()
