"""The partner API and pushes read what was sent: kill and withhold notices, and search.

A kill leaves only a notice (guid, time, kill note, the slug that went out); a withhold
notice names the sent headline; search finds the text of the version that went out and
nothing killed, withheld or never sent. Pushes go to a local receiver.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from werkzeug import Response

from articles import workflow
from articles.models import Article, ArticleVersion
from distribution.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

GONE = ("headlines", "bodies", "by", "descriptions", "infosources", "people", "organisations")


def edit(article: Article, by, **fields) -> Article:
    for name, value in fields.items():
        setattr(article, name, value)
    return workflow.save_copy(
        article, by=by, expected_lock_version=article.lock_version, fields=list(fields)
    )


@pytest.fixture
def receiver(httpserver):
    """Every body POSTed to /hook, in order; `.url` is where to send them."""

    class Bodies(list):
        url = ""

    bodies = Bodies()

    def handle(request):
        bodies.append(json.loads(request.get_data(as_text=True)))
        return Response("ok", status=200)

    httpserver.expect_request("/hook", method="POST").respond_with_handler(handle)
    bodies.url = httpserver.url_for("/hook")
    return bodies


@pytest.fixture
def pushed(make_partner, receiver, eager_celery, django_capture_on_commit_callbacks):
    """Run `action()` with its after-commit work done, as the push path does it."""
    partner, _ = make_partner("Subscriber", embargoed=True)
    WebhookEndpoint.objects.create(partner=partner, url=receiver.url)

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def assert_only_a_notice(item: dict, *, headline: str, slug: str, note: str) -> None:
    assert item["pubstatus"] == "canceled"
    assert not set(item) & set(GONE), sorted(set(item) & set(GONE))
    assert headline not in json.dumps(item, ensure_ascii=False)
    assert note in item["ednote"]
    assert item["slugline"] == slug
    assert item["uri"].startswith("urn:newsroom:") and item["versioncreated"]


# A kill leaves only its notice --------------------------------------------------------


def test_a_killed_item_in_the_api_is_the_notice_alone(
    washington, publish, editor, make_partner, client_for, ninjs_validator
):
    _, key = make_partner("Everyone")
    api = client_for(key)
    story = publish(washington, headline="Doomed headline", summary="Doomed summary")
    workflow.correct(story, by=editor, note="A fix.")
    workflow.kill(story, by=editor, reason="Legal advice.")
    expected = {"headline": "Doomed headline", "slug": story.slug, "note": "Legal advice."}

    listed = api.get("/api/v1/items/").json()["results"]
    detail = api.get(f"/api/v1/items/{story.guid}/").json()
    versions = [
        api.get(v["url"]).json()
        for v in api.get(f"/api/v1/items/{story.guid}/versions/").json()["results"]
    ]
    for item in [*listed, detail, *versions]:
        assert_only_a_notice(item, **expected)
        ninjs_validator.validate(item)


def test_a_kill_push_carries_the_notice_alone(washington, publish, editor, pushed, receiver):
    story = pushed(lambda: publish(washington, headline="Doomed headline"))
    pushed(lambda: workflow.kill(story, by=editor, reason="Legal advice."))
    kill = receiver[-1]
    assert kill["type"] == "article.killed"
    assert_only_a_notice(
        kill["data"]["item"], headline="Doomed headline", slug=story.slug, note="Legal advice."
    )


# Path 1: killed under embargo ----------------------------------------------------------


def test_a_kill_under_embargo_reaches_entitled_partners_only(
    washington, publish, editor, make_partner, client_for, pushed, receiver
):
    _, entitled = make_partner("Embargo partner", embargoed=True)
    _, plain = make_partner("Plain partner")
    story = pushed(
        lambda: publish(
            washington, headline="Embargoed headline", embargo_until=timezone.now() + timedelta(1)
        )
    )
    pushed(lambda: workflow.kill(story, by=editor, reason="Pulled before release."))

    item = client_for(entitled).get(f"/api/v1/items/{story.guid}/").json()
    assert_only_a_notice(
        item, headline="Embargoed headline", slug=story.slug, note="Pulled before release."
    )
    assert "embargoed" not in item
    assert client_for(plain).get(f"/api/v1/items/{story.guid}/").status_code == 404
    assert receiver[-1]["type"] == "article.killed"
    assert_only_a_notice(
        receiver[-1]["data"]["item"],
        headline="Embargoed headline",
        slug=story.slug,
        note="Pulled before release.",
    )


# Path 5: the withheld notice names what was sent ------------------------------------------


def test_a_withheld_notice_names_the_sent_headline_in_the_api_and_the_push(
    washington, publish, editor, make_partner, client_for, pushed, receiver
):
    _, key = make_partner("Everyone")
    story = pushed(lambda: publish(washington, headline="Sent headline"))
    edit(story, editor, headline="Unsent headline")
    pushed(lambda: workflow.withhold(story, by=editor, reason="Legal review."))

    item = client_for(key).get(f"/api/v1/items/{story.guid}/").json()
    listed = client_for(key).get("/api/v1/items/").json()["results"][0]
    held = receiver[-1]
    assert held["type"] == "article.withheld"
    for shown in (item, listed, held["data"]["item"]):
        assert shown["pubstatus"] == "withheld"
        assert "Sent headline" in shown["ednote"]
        assert "Unsent headline" not in json.dumps(shown, ensure_ascii=False)


# Path 4: search reads what was sent ------------------------------------------------------


@pytest.fixture
def search_for(make_partner, client_for):
    _, key = make_partner("Searcher", embargoed=True)
    api = client_for(key)

    def search(words: str) -> set[str]:
        return {item["uri"] for item in api.get("/api/v1/items/", {"q": words}).json()["results"]}

    return search


def test_search_finds_the_sent_text_and_never_an_unsent_edit(
    washington, publish, editor, search_for
):
    story = publish(washington, headline="Harbour closes", body="<p>Sent paragraph.</p>")
    edit(story, editor, headline="Zanzibarish headline", body="<p>Quixotically unsent.</p>")
    assert search_for("harbour") == {story.guid}
    assert search_for("zanzibarish") == set()
    assert search_for("quixotically") == set()

    workflow.update(story, by=editor, note="Writethru.")
    assert search_for("quixotically") == {story.guid}
    assert search_for("harbour") == set()


def test_search_finds_nothing_killed_or_withheld(washington, publish, editor, search_for):
    killed = publish(washington, headline="Forged memo surfaces", body="<p>Forgery.</p>")
    held = publish(washington, headline="Disputed memo surfaces", body="<p>Doubt.</p>")
    kept = publish(washington, headline="Budget memo surfaces", body="<p>Figures.</p>")
    workflow.kill(killed, by=editor, reason="Forged.")
    workflow.withhold(held, by=editor, reason="Checking.")
    assert search_for("memo") == {kept.guid}
    assert search_for("forged") == set() and search_for("forgery") == set()
    assert search_for("disputed") == set()
    workflow.release(held, by=editor)
    assert search_for("disputed") == {held.guid}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN is PostgreSQL's")
def test_search_uses_the_gin_index_of_the_sent_text(washington, publish, make_partner):
    """On a table of realistic size, with fresh statistics, the planner finds the words
    through the GIN index of the versions' text (migration articles 0006) rather than by
    reading every version. On a handful of rows any plan is cheap and it rightly scans."""
    from distribution.selectors import items_for_partner, search

    partner, _ = make_partner("Searcher")
    publish(washington, headline="Harbour closes")
    sent = publish(washington, headline="Farm report")
    # 300 more sent stories of ten versions each, copied row by row from a sent one.
    article_row = {
        f.attname: getattr(sent, f.attname)
        for f in Article._meta.concrete_fields
        if f.attname != "id"
    }
    version_row = {
        f.attname: getattr(sent.versions.get(number=1), f.attname)
        for f in ArticleVersion._meta.concrete_fields
        if f.attname not in ("id", "article_id")
    }
    filler = Article.objects.bulk_create(
        Article(**{**article_row, "guid": f"urn:test:{n}", "slug": f"farm-{n}", "version": 10})
        for n in range(300)
    )
    ArticleVersion.objects.bulk_create(
        ArticleVersion(
            **{**version_row, "number": number, "body": f"<p>Rain and crops, week {number}.</p>"},
            article_id=story.pk,
        )
        for story in filler
        for number in range(1, 11)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_articleversion")
        cursor.execute("ANALYZE articles_article")
    query = search(items_for_partner(partner), "harbour")
    plan = query.explain()
    assert "articles_version_search_gin" in plan, plan
    assert [story.headline for story in query] == ["Harbour closes"]
