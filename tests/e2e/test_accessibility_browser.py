"""Accessibility of the desk and the public story page, checked as an auditor would: axe-core
(the WCAG 2.0 and 2.1 A and AA rules) in Chromium on every page an editor works in, in the
admin's light and dark themes, and the whole workflow run from the keyboard alone.

axe-core comes from the npm registry (`package.json`, installed by `npm ci`, which `make
test` runs). Without it these tests skip on a developer's machine and fail under CI=true.
"""

from __future__ import annotations

import os
import re
from datetime import date

import pytest

from articles import workflow
from articles.models import Article
from sources.services import run_attribution_audit
from tests.e2e.conftest import REPO_ROOT
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ContributorFactory,
    CreditFactory,
    DeskFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

PASSWORD = "correct horse battery"
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
LONG_SLUG = (
    "kenya-expands-emergency-water-trucking-as-drought-grips-marsabit-and-three-other-counties"
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="module")
def axe_js():
    if not AXE_JS.exists():
        message = f"axe-core is not installed at {AXE_JS}: run `npm ci` (`make test` does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS


def axe_violations(page, axe_js) -> list[str]:
    """What axe-core finds on the page as it stands, one line per rule and element."""
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} at {node['target']}: {node['failureSummary']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def new_context(browser, *, scheme: str = "light", viewport: str = "desktop"):
    # The pages' Content-Security-Policy allows only this site's own scripts, so Chromium
    # would refuse the axe-core script the test adds; the context bypasses the policy for
    # that script alone (test_csp_browser checks the policy itself, with no bypass).
    return browser.new_context(
        bypass_csp=True, color_scheme=scheme, viewport=VIEWPORTS[viewport], reduced_motion="reduce"
    )


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def newsroom() -> dict:
    """A desk's day: a corrected English story with credits, a Chinese one, a story with an
    open attribution finding and a long slug, and a submitted one."""
    editor = UserFactory(username="eddie", role="Editor")
    reporter = UserFactory(username="rita", role="Reporter")
    nairobi = DeskFactory(name="Nairobi", slug="nairobi")
    mandarin = DeskFactory(name="VOA Mandarin", slug="voa-mandarin", language="zh-Hans")
    drought = TopicFactory(name="Drought", slug="drought")

    story = ArticleFactory(
        desk=nairobi,
        slug="marsabit-drought",
        headline="Kenya expands water trucking as drought grips Marsabit",
        dateline_place="Marsabit, Kenya",
        dateline_date=date(2026, 11, 30),
        body="<p>Kenyan authorities expanded emergency water deliveries on Thursday.</p>"
        "<h2>Herds on the move</h2><p>Herders have walked their animals for days.</p>",
        created_by=reporter,
    )
    story.topics.add(drought)
    CreditFactory(article=story, contributor=ContributorFactory(name="Wanjiru Kamau"), order=0)
    CreditFactory(
        article=story,
        contributor=ContributorFactory(name="Otieno Barasa", desk=nairobi),
        role="contributor",
        place="from Marsabit",
        order=1,
    )
    workflow.publish(story, by=editor)
    # The second version changes a paragraph, drops one and adds one: every kind of diff row.
    story.body = (
        "<p>Kenyan authorities expanded emergency water deliveries on Friday.</p>"
        "<p>The county says 40 boreholes have dried up since August.</p>"
    )
    workflow.save_copy(story, by=editor, expected_lock_version=story.lock_version, fields=["body"])
    workflow.correct(story, by=editor, note="An earlier version gave the wrong day.")

    chinese = ArticleFactory(
        desk=mandarin,
        slug="taipei-typhoon",
        language="zh-Hans",
        headline="台风逼近台湾 台北市加强防灾准备",
        dateline_place="台北",
        body="<p>中央气象署周三表示，强烈台风预计周四晚间在台湾东部登陆。</p>",
    )
    CreditFactory(article=chinese, contributor=ContributorFactory(name="王思远", desk=mandarin))
    workflow.publish(chinese, by=editor)

    flagged = ArticleFactory(desk=nairobi, slug=LONG_SLUG, created_by=reporter)
    flagged.topics.add(drought)
    CreditFactory(article=flagged, contributor=ContributorFactory(name="Amina Yusuf"))
    # A quote from a named person with no title or affiliation: the audit flags it.
    AttributionFactory(article=flagged, source=SourceFactory(title="", affiliation=""))
    run_attribution_audit(flagged)
    workflow.submit(flagged, by=reporter)
    return {"story": story, "chinese": chinese, "flagged": flagged}


def test_no_wcag_violation_on_the_desk_and_story_pages_in_either_theme(
    live_server, browser, axe_js, screenshot_dir
):
    made = newsroom()
    story, flagged = made["story"], made["flagged"]
    assert flagged.findings.filter(status="open").exists()
    base = live_server.url
    pages = {
        "story": f"/stories/{story.slug}/",
        "story-zh": f"/stories/{made['chinese'].slug}/",
        "list": "/admin/articles/article/",
        "change-form": f"/admin/articles/article/{flagged.pk}/change/",
        "change-form-published": f"/admin/articles/article/{story.pk}/change/",
        "versions": f"/admin/articles/article/{story.pk}/versions/",
        "import": "/admin/articles/article/import/",
    }
    found: dict[str, list[str]] = {}
    for scheme in ("light", "dark"):
        visitor = new_context(browser, scheme=scheme)
        page = visitor.new_page()
        page.goto(f"{base}/admin/login/")
        found[f"{scheme} login"] = axe_violations(page, axe_js)
        visitor.close()

        context = new_context(browser, scheme=scheme)
        page = context.new_page()
        log_in(page, base, "eddie")
        for name, path in pages.items():
            page.goto(f"{base}{path}")
            if name.startswith("change-form"):
                # select2 draws the Topics box after the page loads.
                page.wait_for_selector(".field-topics .select2-search__field")
            if name == "change-form":
                # An empty credit and quote, as "Add another" makes them, are named too.
                page.click("#credits-group .add-row a")
                page.click("#attributions-group .add-row a")
                page.wait_for_selector("#credits-1 .select2-selection[role=combobox]")
            if path.startswith("/admin/"):
                # The admin's theme really is the one under test, so contrast is judged in it.
                background = page.evaluate("getComputedStyle(document.body).backgroundColor")
                assert (background == "rgb(18, 18, 18)") == (scheme == "dark"), background
            found[f"{scheme} {name}"] = axe_violations(page, axe_js)
        # The kill confirmation, reached as an editor reaches it.
        page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
        page.click(".transition-kill summary")
        page.fill("#id_kill_reason", "The county asked us to withdraw the borehole figures.")
        page.click("#transition-kill button[type=submit]")
        page.wait_for_selector("#kill-reach")
        found[f"{scheme} kill-confirmation"] = axe_violations(page, axe_js)
        context.close()

    problems = [f"{page_name}: {line}" for page_name, lines in found.items() for line in lines]
    assert problems == [], "\n".join(problems)
    # The kill was only asked about.
    assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            return {id: e.id, tag: e.tagName.toLowerCase(), role: e.getAttribute('role'),
                    text: (e.innerText || e.value || '').trim()};
        }"""
    )


def tab_to(page, *, text: str | None = None, element_id: str | None = None) -> None:
    """Press Tab until the focus is on the element with this text or id, as a keyboard user
    would; fail if it never gets there."""
    for _ in range(80):
        page.keyboard.press("Tab")
        now = focused(page)
        if (text is not None and now["text"] == text) or (
            element_id is not None and now["id"] == element_id
        ):
            return
    raise AssertionError(f"the keyboard never reached {text or element_id!r}")


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def run_from_keyboard(page, label: str, fields: dict[str, str] | None = None) -> None:
    """Tab to the transition `label`, open its form if it has one, type into its fields, and
    send it with Enter."""
    if fields is None:
        tab_to(page, text=label)
        press_enter_and_wait(page)
        return
    tab_to(page, text=f"{label}…")
    page.keyboard.press("Enter")  # opens the transition's form
    for element_id, typed in fields.items():
        tab_to(page, element_id=element_id)
        page.keyboard.type(typed)
    tab_to(page, text=label)
    press_enter_and_wait(page)


def status_of(article: Article) -> str:
    article.refresh_from_db()
    return article.status


def test_an_editor_runs_every_transition_from_the_keyboard(live_server, browser, screenshot_dir):
    editor = UserFactory(username="eddie", role="Editor")
    reporter = UserFactory(username="rita", role="Reporter")
    article = ArticleFactory(desk=DeskFactory(name="Nairobi", slug="nairobi"), created_by=reporter)
    workflow.submit(article, by=reporter)
    base = live_server.url
    context = new_context(browser)
    page = context.new_page()

    # Logging in by keyboard: the username box has the focus when the page opens.
    page.goto(f"{base}/admin/login/?next=/admin/articles/article/{article.pk}/change/")
    assert focused(page)["id"] == "id_username"
    page.keyboard.type(editor.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    page.wait_for_selector(".desk-panel")

    # Every button that moves the story is at least 24×24 px (WCAG 2.5.8), and Kill is red.
    for box in page.locator(".workflow-actions .button").all():
        size = box.bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24, (box.inner_text(), size)

    steps = [
        ("Return to reporter", {"id_return_to_reporter_note": "Needs a second source."}, "draft"),
        ("Submit to the desk", None, "submitted"),
        ("Approve", None, "edited"),
        ("Publish", {}, "published"),
        ("Move a correction", {"id_correct_note": "Corrects the minister's title."}, "published"),
        ("Move a writethru", {"id_update_note": "Adds reaction from the port."}, "published"),
        ("Withhold", {"id_withhold_reason": "Legal review of one quote."}, "withheld"),
        ("Release", None, "published"),
    ]
    for label, fields, status in steps:
        run_from_keyboard(page, label, fields)
        # The outcome is announced (a status message; only an error takes the focus).
        assert page.locator(".messagelist .success [role=status]").count() == 1, label
        assert status_of(article) == status, label
    assert article.version == 3

    # A refused move: focus goes to the error, which is announced as an alert.
    run_from_keyboard(page, "Move a correction", {})
    alert = focused(page)
    assert alert["role"] == "alert"
    assert "A correction needs a note" in alert["text"]
    assert page.locator(".messagelist .error [role=alert]").count() == 1
    page.screenshot(path=str(screenshot_dir / "a11y-refused-transition-focus.png"))

    kill = page.locator(".transition-kill summary")
    red, green, blue = map(
        int, re.findall(r"\d+", kill.evaluate("e => getComputedStyle(e).backgroundColor"))[:3]
    )
    assert red > 150 and green < 60 and blue < 60, (red, green, blue)

    # The kill asks for confirmation; that page is worked from the keyboard too.
    run_from_keyboard(page, "Kill", {"id_kill_reason": "The county withdrew the figures."})
    page.wait_for_selector("#kill-reach")
    tab_to(page, text=f"Yes, kill “{article.headline}”")
    press_enter_and_wait(page)
    assert status_of(article) == "killed"
    assert page.locator(".messagelist .success").inner_text().startswith(f"“{article.headline}”")
    context.close()


def test_diff_marks_changes_by_more_than_colour(live_server, browser, axe_js):
    made = newsroom()
    story = made["story"]
    context = new_context(browser)
    page = context.new_page()
    log_in(page, live_server.url, "eddie")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/versions/")

    ins = page.locator("#version-diff ins").first
    deleted = page.locator("#version-diff del").first
    assert "underline" in ins.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    # A screen reader hears where a change starts (generated text, not shown).
    assert "added" in ins.evaluate("e => getComputedStyle(e, '::before').content")
    assert "removed" in deleted.evaluate("e => getComputedStyle(e, '::before').content")
    assert page.locator("#version-diff .diff-added .diff-mark").first.inner_text() == "ADDED"
    assert page.locator("#version-diff .diff-removed .diff-mark").first.inner_text() == "REMOVED"

    # The dark theme chosen with the admin's own toggle (the system asks for light) colours
    # the diff as the system's dark preference does.
    for _ in range(3):
        if page.evaluate("document.documentElement.dataset.theme") == "dark":
            break
        page.click("#header .theme-toggle")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 18, 18)"
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    changed = page.locator("#version-diff .diff-changed td").first
    assert changed.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(47, 42, 18)"
    assert axe_violations(page, axe_js) == []
    context.close()


def test_desk_pages_fit_a_laptop_and_a_phone(live_server, browser, screenshot_dir):
    made = newsroom()
    story, flagged, chinese = made["story"], made["flagged"], made["chinese"]
    base = live_server.url
    shots = {
        "list": "/admin/articles/article/",
        "change-form": f"/admin/articles/article/{flagged.pk}/change/",
        "versions": f"/admin/articles/article/{story.pk}/versions/",
        "story-zh": f"/stories/{chinese.slug}/",
    }
    # The administrator: the list has its action checkboxes, the widest it gets.
    UserFactory(username="chief", is_superuser=True)
    for size, viewport in VIEWPORTS.items():
        for scheme in ("light", "dark"):
            context = new_context(browser, scheme=scheme, viewport=size)
            page = context.new_page()
            log_in(page, base, "chief")
            for name, path in shots.items():
                page.goto(f"{base}{path}")
                page.screenshot(
                    path=str(screenshot_dir / f"a11y-{name}-{size}-{scheme}.png"), full_page=True
                )
                # Nothing runs off the side of the screen (a wide table scrolls in its box).
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], (name, size, width)
            context.close()

    context = new_context(browser)
    page = context.new_page()
    log_in(page, base, "chief")
    page.goto(f"{base}/admin/articles/article/")
    assert page.locator("#result_list .action-checkbox").count() == 3
    # At 1366 px the list's last column, the open findings, is on the screen, not cut off.
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth")
    findings = page.locator("#result_list td.field-findings_column").first
    assert findings.bounding_box()["x"] + findings.bounding_box()["width"] <= 1366
    # A long slug shows whole in its box.
    page.goto(f"{base}/admin/articles/article/{flagged.pk}/change/")
    assert page.input_value("#id_slug") == LONG_SLUG
    assert page.locator("#id_slug").evaluate("e => e.scrollWidth <= e.clientWidth")
    context.close()
