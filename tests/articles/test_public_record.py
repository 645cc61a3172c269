"""The public record on the story page: what was sent, under the slugs it went out under.

A story killed under embargo was never anyone's to read; a kill leaves only its notice;
every slug that went out keeps answering; an unsent edit never shows.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article
from articles.published import find_public_story, sent_headline, sent_slug

pytestmark = pytest.mark.django_db


def edit(article: Article, by, **fields) -> Article:
    """An editor's save of the working copy: nothing is sent."""
    for name, value in fields.items():
        setattr(article, name, value)
    return workflow.save_copy(
        article, by=by, expected_lock_version=article.lock_version, fields=list(fields)
    )


# Path 1: killed under embargo ------------------------------------------------------------


def test_a_story_killed_under_embargo_was_never_there(client, draft, editor):
    headline = draft.headline
    until = timezone.now() + timedelta(days=1)
    workflow.publish(draft, by=editor, embargo_until=until)
    workflow.kill(draft, by=editor, reason="Pulled before release.")

    response = client.get(f"/stories/{draft.slug}/")

    assert response.status_code == 404
    html = response.content.decode()
    for said in (headline, "Pulled before release.", "withdrawn", str(until.year) + "-"):
        assert said not in html


def test_a_story_killed_after_its_embargo_lifted_is_gone_with_its_notice(
    client, draft, editor, time_machine
):
    time_machine.move_to(timezone.now())
    workflow.publish(draft, by=editor, embargo_until=timezone.now() + timedelta(hours=1))
    time_machine.shift(timedelta(hours=2))
    workflow.kill(draft, by=editor, reason="Wrong figures.")
    assert client.get(f"/stories/{draft.slug}/").status_code == 410


# A kill leaves only its notice -----------------------------------------------------------


def test_the_kill_notice_carries_no_headline(published, editor):
    headline = published.headline
    workflow.kill(published, by=editor, reason="The document was forged.")
    published.refresh_from_db()
    assert headline not in published.kill_notice
    assert published.slug in published.kill_notice
    assert "The document was forged." in published.kill_notice
    kill = published.versions.get(event="kill")
    assert (kill.headline, kill.summary, kill.body, kill.byline) == ("", "", "", "")
    assert headline not in str(kill.ninjs) and headline not in kill.html


def test_the_killed_page_is_a_410_with_the_notice_not_the_headline(client, published, editor):
    headline = published.headline
    workflow.kill(published, by=editor, reason="The document was forged.")
    published.refresh_from_db()

    response = client.get(f"/stories/{published.slug}/")

    assert response.status_code == 410
    html = response.content.decode()
    assert headline not in html
    assert "A short summary." not in html and "First paragraph." not in html
    assert "The document was forged." in html
    assert published.guid in html
    killed_at = published.versions.get(event="kill").created_at
    assert f'datetime="{killed_at.isoformat()}"' in html or killed_at.strftime("%B") in html


def test_the_kill_notice_names_the_slug_that_went_out_not_an_unsent_one(published, editor):
    sent = published.slug
    edit(published, editor, slug="renamed-never-sent")
    workflow.kill(published, by=editor, reason="Legal.")
    published.refresh_from_db()
    assert sent in published.kill_notice and "renamed-never-sent" not in published.kill_notice
    assert published.versions.get(event="kill").slug == sent


# Path 5: the withheld notice names what was sent ---------------------------------------------


def test_the_withheld_notice_uses_the_sent_headline(published, editor):
    from articles.ninjs import withheld_notice

    sent = published.headline
    edit(published, editor, headline="An unsent headline")
    workflow.withhold(published, by=editor, reason="Legal review.")
    published.refresh_from_db()
    assert sent_headline(published) == sent
    notice = withheld_notice(published)
    assert sent in notice and "An unsent headline" not in notice


# Path 6: slugs that went out keep answering ------------------------------------------------


def test_an_unsent_slug_edit_keeps_the_sent_address_serving_what_was_sent(
    client, published, editor
):
    sent_slug_line, headline = published.slug, published.headline
    edit(published, editor, slug="new-slug", headline="Unsent headline")

    response = client.get(f"/stories/{sent_slug_line}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert headline in html and "Unsent headline" not in html
    assert f"/stories/{sent_slug_line}/" in html  # the canonical address is the sent one
    assert client.get("/stories/new-slug/").status_code == 404


def test_a_sent_slug_edit_redirects_the_old_address(client, published, editor):
    old = published.slug
    edit(published, editor, slug="new-slug", headline="The writethru")
    workflow.update(published, by=editor, note="New slug.")

    response = client.get(f"/stories/{old}/")
    assert response.status_code == 301
    assert response["Location"] == "/stories/new-slug/"
    page = client.get("/stories/new-slug/")
    assert page.status_code == 200 and "The writethru" in page.content.decode()


def test_an_old_slug_of_a_killed_story_leads_to_its_notice(client, published, editor):
    old = published.slug
    edit(published, editor, slug="new-slug")
    workflow.update(published, by=editor, note="New slug.")
    workflow.kill(published, by=editor, reason="Legal.")
    assert client.get(f"/stories/{old}/")["Location"] == "/stories/new-slug/"
    assert client.get("/stories/new-slug/").status_code == 410


def test_a_slug_that_never_went_out_is_not_found(client, draft, editor):
    edit(draft, editor, slug="only-on-the-desk")
    assert client.get("/stories/only-on-the-desk/").status_code == 404
    assert find_public_story("only-on-the-desk") is None


def test_the_story_holding_a_slug_now_wins_over_one_that_left_it(client, desk, editor):
    from tests.factories import ArticleFactory

    first = workflow.publish(ArticleFactory(desk=desk, slug="budget"), by=editor)
    edit(first, editor, slug="budget-old")
    workflow.update(first, by=editor, note="Renamed.")
    second = workflow.publish(
        ArticleFactory(desk=desk, slug="budget", headline="The new budget story"), by=editor
    )
    page = client.get("/stories/budget/")
    assert page.status_code == 200 and "The new budget story" in page.content.decode()
    assert sent_slug(first) == "budget-old" and sent_slug(second) == "budget"


def test_feeds_and_lists_link_the_sent_address(client, published, editor):
    sent = published.slug
    edit(published, editor, slug="new-slug")
    html = client.get("/").content.decode()
    assert f"/stories/{sent}/" in html and "/stories/new-slug/" not in html
