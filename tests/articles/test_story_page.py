"""The public story page: released copy only, a kill notice instead of killed copy."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.utils import timezone

from articles import workflow
from tests.factories import ArticleFactory, ContributorFactory, CreditFactory, DeskFactory

pytestmark = pytest.mark.django_db


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.landmarks: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in {"header", "main", "footer", "article"}:
            self.landmarks.append(tag)


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


@pytest.fixture
def story(desk, reporter, editor):
    article = ArticleFactory(
        desk=desk,
        created_by=reporter,
        slug="harbour-storm",
        headline="Storm closes the harbour",
        dateline_place="Bergen",
        body="<p>The harbour closed on Monday.</p><h2>Ships wait</h2><p>Forty ships wait.</p>",
    )
    CreditFactory(article=article, contributor=ContributorFactory(name="Dewi Lestari"), order=0)
    CreditFactory(
        article=article,
        contributor=ContributorFactory(name="Chung-Hsi Tu"),
        role="contributor",
        desk_label="VOA Mandarin",
        order=1,
    )
    return article


def test_published_story_reads_as_a_page(
    client, story, editor, settings, django_assert_max_num_queries
):
    workflow.publish(story, by=editor)

    with django_assert_max_num_queries(6):
        response = client.get("/stories/harbour-storm/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert 'name="viewport"' in html
    assert '<h1 id="headline">Storm closes the harbour</h1>' in html
    assert "By Dewi Lestari" in html
    assert "Bergen" in html and 'class="dateline"' in html
    assert "Forty ships wait." in html
    assert "VOA Mandarin&#x27;s Chung-Hsi Tu contributed to this report." in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}/stories/harbour-storm/">' in html
    assert response["Content-Language"] == "en"
    page = outline(html)
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert {"header", "main", "footer", "article"} <= set(page.landmarks)


def test_correction_note_shows_with_the_new_version(client, story, editor):
    workflow.publish(story, by=editor)
    workflow.correct(story, by=editor, note="An earlier version misspelled Bergen.")

    html = client.get("/stories/harbour-storm/").content.decode()

    assert "An earlier version misspelled Bergen." in html
    assert "Version 2" in html
    assert 'id="corrections-heading"' in html


def test_killed_story_is_gone_with_its_notice_and_without_its_copy(client, story, editor):
    workflow.publish(story, by=editor)
    workflow.kill(story, by=editor, reason="The storm report was wrong.")

    response = client.get("/stories/harbour-storm/")

    assert response.status_code == 410
    html = response.content.decode()
    assert "This story has been withdrawn" in html
    assert "The storm report was wrong." in html
    for copy in ("Forty ships wait.", "The harbour closed", "By Dewi Lestari", "contributed"):
        assert copy not in html


@pytest.mark.parametrize("state", ["draft", "submitted", "edited"])
def test_unpublished_copy_is_not_found(client, story, reporter, editor, state):
    if state in ("submitted", "edited"):
        workflow.submit(story, by=reporter)
    if state == "edited":
        workflow.approve(story, by=editor)

    response = client.get("/stories/harbour-storm/")

    assert response.status_code == 404
    assert "Forty ships wait." not in response.content.decode()


def test_withheld_story_is_not_found_until_released(client, story, editor):
    workflow.publish(story, by=editor)
    workflow.withhold(story, by=editor, reason="Legal review.")
    assert client.get("/stories/harbour-storm/").status_code == 404

    workflow.release(story, by=editor)
    assert client.get("/stories/harbour-storm/").status_code == 200


def test_embargoed_story_is_not_found_until_the_embargo_passes(client, story, editor):
    lifts = timezone.now() + timedelta(hours=1)
    workflow.publish(story, by=editor, embargo_until=lifts)

    assert client.get("/stories/harbour-storm/").status_code == 404
    with time_machine.travel(lifts + timedelta(seconds=1)):
        assert client.get("/stories/harbour-storm/").status_code == 200


def test_unknown_slug_is_not_found(client):
    assert client.get("/stories/no-such-story/").status_code == 404


def test_right_to_left_copy_is_marked_so(client, reporter, editor):
    desk = DeskFactory(name="Arabic", slug="arabic", language="ar")
    article = ArticleFactory(
        desk=desk,
        created_by=reporter,
        slug="arabic-story",
        language="ar",
        headline="العاصفة تغلق الميناء",
        body="<p>أغلق الميناء يوم الاثنين.</p>",
    )
    workflow.publish(article, by=editor)

    html = client.get("/stories/arabic-story/").content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "العاصفة تغلق الميناء" in html


def test_same_slug_on_two_desks_shows_the_released_one(client, story, reporter, editor):
    other = ArticleFactory(
        desk=DeskFactory(name="Oslo", slug="oslo"),
        created_by=reporter,
        slug="harbour-storm",
        headline="Draft on another desk",
    )
    workflow.publish(story, by=editor)

    html = client.get("/stories/harbour-storm/").content.decode()

    assert "Storm closes the harbour" in html
    assert other.headline not in html
