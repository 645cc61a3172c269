"""The Content-Security-Policy leaves every page working in a real browser: Chromium reports
no violation on the admin's story form, the story page or the API documentation."""

from __future__ import annotations

import pytest

from articles import workflow
from tests.factories import ArticleFactory, DeskFactory, UserFactory

PASSWORD = "correct horse battery"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def violations_on(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def responses_of(page) -> list[str]:
    urls: list[str] = []
    # A load the policy blocks never gets a response.
    page.on("response", lambda response: urls.append(response.url))
    return urls


# ReDoc's footer always shows Redocly's logo from their CDN; the policy stops that load, and
# it is the only thing the policy stops.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_admin_story_page_and_docs_run_under_the_policy(live_server, browser):
    desk = DeskFactory(name="Bergen bureau", slug="bergen")
    editor = UserFactory(username="eddie", role="Editor")
    article = ArticleFactory(desk=desk, created_by=editor, slug="harbour-storm")
    workflow.publish(article, by=editor)
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    seen = violations_on(page)
    answered = responses_of(page)

    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    page.goto(f"{base}/admin/articles/article/add/")
    # The slug fills itself in and a credit's autocomplete (select2) opens: the admin's
    # scripts run under the policy.
    page.fill("#id_headline", "Storm closes Bergen harbour")
    page.press("#id_headline", "Tab")
    assert page.input_value("#id_slug") == "storm-closes-bergen-harbour"
    page.click("#credits-group .add-row a")
    page.click("#credits-0 .select2-selection")
    page.wait_for_selector(".select2-container--open .select2-search__field")
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    page.wait_for_selector("#article_form")

    story = page.goto(f"{base}/stories/harbour-storm/")
    assert story.status == 200
    # The stylesheet applied: the headline is set in the sans-serif face of site.css.
    assert "sans-serif" in page.eval_on_selector("h1", "h => getComputedStyle(h).fontFamily")

    page.goto(f"{base}/api/docs/")
    page.wait_for_selector("text=Newsroom partner API", timeout=15000)
    page.goto(f"{base}/api/docs/swagger/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)

    assert [text for text in seen if REDOC_LOGO not in text] == []
    off_site = [url for url in answered if not url.startswith((base, "data:", "blob:"))]
    assert off_site == []
    context.close()
