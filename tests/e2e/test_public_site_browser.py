"""The public site in Chromium at a desktop and a phone size: the front page leads to a
story, both fit the screen, and the story keeps its byline, dateline, correction and
credit line."""

from __future__ import annotations

from datetime import date

import pytest

from articles import workflow
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    DeskFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}


def publish_stories() -> None:
    editor = UserFactory(username="eddie", role="Editor")
    nairobi = DeskFactory(name="Nairobi", slug="nairobi")
    washington = DeskFactory(name="Washington", slug="washington")
    story = ArticleFactory(
        desk=nairobi,
        slug="marsabit-drought",
        headline="Kenya expands water trucking as drought grips Marsabit",
        summary="County officials say boreholes have dried up across the north.",
        dateline_place="Marsabit, Kenya",
        dateline_date=date(2026, 11, 30),
        body="<p>Kenyan authorities expanded emergency water deliveries on Thursday.</p>"
        "<h2>Herds on the move</h2><p>Herders have walked their animals for days.</p>",
    )
    kamau = ContributorFactory(name="Wanjiru Kamau", desk=nairobi)
    CreditFactory(article=story, contributor=kamau, order=0)
    CreditFactory(
        article=story,
        contributor=ContributorFactory(name="Otieno Barasa", desk=nairobi),
        role="contributor",
        place="from Marsabit",
        order=1,
    )
    workflow.publish(story, by=editor)
    workflow.correct(story, by=editor, note="An earlier version misstated the county.")
    workflow.publish(
        ArticleFactory(desk=washington, slug="broadband", headline="Senate panel advances bill"),
        by=editor,
    )


def fits_the_screen(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_front_page_leads_to_a_story_on_desktop_and_phone(live_server, browser, screenshot_dir):
    publish_stories()

    for name, (width, height) in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        # The site's stylesheet is applied: the column is 42rem wide at most.
        assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == (
            "672px"
        )
        fits_the_screen(page, width)
        assert page.locator(".story-list > li").count() == 2
        page.screenshot(path=str(screenshot_dir / f"public-front-{name}.png"), full_page=True)

        page.click("text=Kenya expands water trucking as drought grips Marsabit")
        assert page.url.endswith("/stories/marsabit-drought/")
        fits_the_screen(page, width)
        assert page.inner_text("h1") == "Kenya expands water trucking as drought grips Marsabit"
        assert page.inner_text(".byline") == "By Wanjiru Kamau"
        assert page.inner_text(".dateline") == "MARSABIT, KENYA, NOVEMBER 30 —"
        assert "misstated the county" in page.inner_text(".corrections")
        assert page.inner_text(".credit-line") == (
            "Otieno Barasa contributed to this report from Marsabit."
        )
        page.screenshot(path=str(screenshot_dir / f"public-story-{name}.png"), full_page=True)

        # The keyboard reaches the skip link first, and the desk page from the story.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to the story"
        page.click(".section-link a")
        assert page.url.endswith("/desks/nairobi/")
        assert page.inner_text("h1") == "Nairobi"
        context.close()
