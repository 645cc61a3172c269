"""The partner API's items: ninjs 2.2 for every state a story can be in, filters, search,
cursor pages, and parameter errors that name the parameter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from sources.models import Source
from tests.factories import (
    AttributionFactory,
    ContributorFactory,
    CreditFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(make_partner, client_for):
    partner, key = make_partner("Everyone", embargoed=True)
    return client_for(key)


def every_state(washington, publish, editor):
    """One story in each state a partner can see: plain, credited and sourced, corrected,
    killed, withheld, embargoed."""
    plain = publish(washington, headline="Plain story")
    credited = publish(
        washington, headline="Credited story", bylines=("Dewi Lestari", "Marcus Holt")
    )
    CreditFactory(
        article=credited,
        contributor=ContributorFactory(name="Chung-Hsi Tu", desk=washington),
        role="contributor",
        desk_label="VOA Mandarin",
        order=5,
    )
    AttributionFactory(article=credited, source=SourceFactory(name="Ana Ruiz"))
    AttributionFactory(
        article=credited,
        source=SourceFactory(name="Ministry of Finance", kind=Source.Kind.ORGANIZATION, title=""),
    )
    AttributionFactory(
        article=credited,
        source=SourceFactory(name="a senior diplomat", kind=Source.Kind.UNNAMED, title=""),
    )
    AttributionFactory(
        article=credited, source=SourceFactory(name="Secret Person", confidential=True)
    )
    workflow.update(credited, by=editor, note="Adds the ministry's reaction.")
    corrected = publish(washington, headline="Corrected story")
    workflow.correct(corrected, by=editor, note="Corrects the minister's name.")
    killed = publish(washington, headline="Killed story")
    workflow.kill(killed, by=editor, reason="Legal.")
    withheld = publish(washington, headline="Withheld story")
    workflow.withhold(withheld, by=editor, reason="Checking a fact.")
    embargoed = publish(
        washington, headline="Embargoed story", embargo_until=timezone.now() + timedelta(hours=2)
    )
    return {
        "plain": plain,
        "credited": credited,
        "corrected": corrected,
        "killed": killed,
        "withheld": withheld,
        "embargoed": embargoed,
    }


def by_uri(response) -> dict:
    assert response.status_code == 200, response.content
    return {item["uri"]: item for item in response.json()["results"]}


def test_every_item_in_every_state_validates_against_ninjs_2_2(
    washington, publish, editor, everyone, ninjs_validator
):
    stories = every_state(washington, publish, editor)
    items = by_uri(everyone.get("/api/v1/items/"))
    assert set(items) == {a.guid for a in stories.values()}
    for article in stories.values():
        detail = everyone.get(f"/api/v1/items/{article.guid}/").json()
        versions = everyone.get(f"/api/v1/items/{article.guid}/versions/").json()["results"]
        assert versions, article.headline
        for candidate in [items[article.guid], detail]:
            ninjs_validator.validate(candidate)
        for version in versions:
            ninjs_validator.validate(everyone.get(version["url"]).json())


def test_item_fields_follow_the_story(washington, publish, editor, everyone):
    stories = every_state(washington, publish, editor)
    credited = everyone.get(f"/api/v1/items/{stories['credited'].guid}/").json()
    assert credited["uri"] == stories["credited"].guid
    assert credited["type"] == "text"
    assert credited["version"] == "2"
    assert credited["pubstatus"] == "usable"
    assert credited["headlines"] == [{"role": "main", "value": "Credited story"}]
    assert credited["by"] == "Dewi Lestari and Marcus Holt"
    assert credited["located"] == "Washington"
    assert credited["ednote"] == "Adds the ministry's reaction."
    assert credited["bodies"][0]["contenttype"] == "text/html"
    assert (
        "VOA Mandarin's Chung-Hsi Tu contributed to this report." in credited["bodies"][0]["value"]
    )
    assert {"name": "Chung-Hsi Tu", "role": "contributor", "literal": "VOA Mandarin"} in credited[
        "infosources"
    ]
    assert [p["name"] for p in credited["people"]] == ["Ana Ruiz"]
    assert credited["people"][0]["rel"] == "quoted"
    assert [o["name"] for o in credited["organisations"]] == ["Ministry of Finance"]
    text = str(credited)
    assert "Secret Person" not in text and "senior diplomat" not in text

    corrected = everyone.get(f"/api/v1/items/{stories['corrected'].guid}/").json()
    assert corrected["ednote"] == "Corrects the minister's name."
    assert corrected["version"] == "2"

    embargoed = everyone.get(f"/api/v1/items/{stories['embargoed'].guid}/").json()
    assert embargoed["embargoed"] == stories["embargoed"].embargo_until.isoformat().replace(
        "+00:00", "Z"
    )


def test_a_killed_item_is_its_kill_notice_in_every_version(washington, publish, editor, everyone):
    article = publish(washington, headline="Doomed story", body="<p>Defamatory copy.</p>")
    workflow.correct(article, by=editor, note="A fix.")
    workflow.kill(article, by=editor, reason="Legal advice.")
    item = everyone.get(f"/api/v1/items/{article.guid}/").json()
    assert item["pubstatus"] == "canceled"
    assert "Legal advice." in item["ednote"]
    assert "Defamatory" not in str(item)
    versions = everyone.get(f"/api/v1/items/{article.guid}/versions/").json()["results"]
    assert [v["event"] for v in versions] == ["publish", "correct", "kill"]
    for version in versions:
        old = everyone.get(version["url"]).json()
        assert old["pubstatus"] == "canceled"
        assert "Defamatory" not in str(old)


def test_a_withheld_item_is_a_stub_until_released(washington, publish, editor, everyone):
    article = publish(washington, headline="Held story", body="<p>Copy in doubt.</p>")
    workflow.withhold(article, by=editor, reason="Checking.")
    item = everyone.get(f"/api/v1/items/{article.guid}/").json()
    assert item["pubstatus"] == "withheld"
    assert "Copy in doubt" not in str(item)
    assert "by" not in item and "descriptions" not in item
    version = everyone.get(f"/api/v1/items/{article.guid}/versions/1/").json()
    assert version["pubstatus"] == "withheld" and "Copy in doubt" not in str(version)
    workflow.release(article, by=editor)
    item = everyone.get(f"/api/v1/items/{article.guid}/").json()
    assert item["pubstatus"] == "usable" and "Copy in doubt" in str(item)


def test_a_version_is_exactly_what_was_sent(washington, publish, editor, everyone):
    article = publish(washington, headline="First take")
    article.headline = "Second take"
    article.save(update_fields=["headline"])
    workflow.update(article, by=editor, note="Writethru.")
    first = everyone.get(f"/api/v1/items/{article.guid}/versions/1/").json()
    second = everyone.get(f"/api/v1/items/{article.guid}/versions/2/").json()
    assert first == article.versions.get(number=1).ninjs
    assert first["headlines"][0]["value"] == "First take"
    assert second["headlines"][0]["value"] == "Second take"
    assert everyone.get(f"/api/v1/items/{article.guid}/versions/3/").status_code == 404


def test_drafts_are_never_items(washington, everyone):
    from tests.factories import ArticleFactory

    draft = ArticleFactory(desk=washington)
    assert everyone.get("/api/v1/items/").json()["results"] == []
    assert everyone.get(f"/api/v1/items/{draft.guid}/").status_code == 404
    assert everyone.get(f"/api/v1/items/{draft.guid}/versions/").status_code == 404


def test_newest_first_and_cursor_pages_neither_skip_nor_repeat(washington, publish, everyone):
    made = [publish(washington, headline=f"Story {n}") for n in range(7)]
    seen, url = [], "/api/v1/items/?page_size=3"
    while url:
        page = everyone.get(url).json()
        seen += [item["uri"] for item in page["results"]]
        url = page["next"]
        if url and len(seen) == 3:
            # A story published while a partner pages does not shift its pages.
            publish(washington, headline="Late story")
    assert seen == [a.guid for a in reversed(made)]


def test_filters(washington, mandarin, publish, editor, everyone):
    elections = TopicFactory(slug="elections", name="Elections")
    old = publish(washington, headline="Old")
    cutoff = timezone.now()
    dc = publish(washington, headline="Capitol vote", topics=[elections])
    zh = publish(mandarin, headline="台湾选举", language="zh-Hans")
    gone = publish(washington, headline="Gone")
    workflow.kill(gone, by=editor, reason="Wrong.")

    def uris(query: str) -> set[str]:
        return set(by_uri(everyone.get(f"/api/v1/items/?{query}")))

    assert uris("desk=mandarin") == {zh.guid}
    assert uris("language=zh") == {zh.guid}
    assert uris("language=en") == {old.guid, dc.guid, gone.guid}
    assert uris("topic=elections") == {dc.guid}
    assert uris("pubstatus=canceled") == {gone.guid}
    assert uris("updated_since=" + cutoff.isoformat().replace("+00:00", "Z")) == {
        dc.guid,
        zh.guid,
        gone.guid,
    }
    assert uris("q=capitol") == {dc.guid}
    assert uris("q=capitol&desk=mandarin") == set()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("updated_since=yesterday", "updated_since"),
        ("pubstatus=published", "pubstatus"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
        ("cursor=not-a-cursor", "cursor"),
        ("q=x", "q"),
        ("desk=" + "d" * 61, "desk"),
        ("q=ab%00cd", "q"),
    ],
)
def test_bad_parameters_are_400s_naming_the_parameter(everyone, query, parameter):
    response = everyone.get(f"/api/v1/items/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert parameter in body["errors"], body
    assert parameter in body["detail"]
    assert body["errors"][parameter][0]


def test_errors_are_json(everyone, client_for):
    for response in [
        everyone.get("/api/v1/items/urn:newsroom:nothing/"),
        everyone.get("/api/v1/no-such-thing/"),
        everyone.post("/api/v1/items/", {}, format="json"),
        client_for("nope").get("/api/v1/items/"),
    ]:
        assert response.status_code in (401, 404, 405)
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


def test_the_copyright_holder_is_the_organisation_not_the_desk(
    washington, publish, editor, everyone, settings
):
    settings.NEWSROOM_ORGANISATION = "Lakeside Wire"
    story = publish(washington, headline="Plain story")
    workflow.correct(story, by=editor, note="Corrects a name.")

    item = everyone.get(f"/api/v1/items/{story.guid}/").json()
    versions = everyone.get(f"/api/v1/items/{story.guid}/versions/").json()["results"]

    assert item["copyrightholder"] == "Lakeside Wire"
    for version in versions:
        assert everyone.get(version["url"]).json()["copyrightholder"] == "Lakeside Wire"
