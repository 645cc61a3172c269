"""BOLA: a partner never sees what only another may see — by list, detail, versions,
search or delivery log — and an item outside its entitlement is a 404, never a 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from distribution.models import Delivery, WebhookEndpoint
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_partners(washington, mandarin, make_partner, client_for):
    """A takes Washington in English; B takes Mandarin, with embargoed copy."""
    a, key_a = make_partner("A", desks=["washington"], languages=["en"])
    b, key_b = make_partner("B", desks=["mandarin"], embargoed=True)
    return (a, client_for(key_a)), (b, client_for(key_b))


def uris(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {item["uri"] for item in response.json()["results"]}


def test_partner_a_never_sees_partner_b_items(washington, mandarin, publish, two_partners):
    (_, a), (_, b) = two_partners
    for_a = publish(washington, headline="Budget deal in Washington")
    for_b = publish(mandarin, headline="Budget deal reported in Taipei", language="zh")
    b_embargoed = publish(
        mandarin, headline="Budget embargoed", embargo_until=timezone.now() + timedelta(hours=1)
    )
    assert uris(a, "/api/v1/items/") == {for_a.guid}
    assert uris(b, "/api/v1/items/") == {for_b.guid, b_embargoed.guid}
    assert uris(a, "/api/v1/items/?q=budget") == {for_a.guid}
    assert uris(b, "/api/v1/items/?q=budget") == {for_b.guid, b_embargoed.guid}
    for hidden in (for_b, b_embargoed):
        for path in ("", "versions/", "versions/1/"):
            response = a.get(f"/api/v1/items/{hidden.guid}/{path}")
            assert response.status_code == 404, path
            assert response.json() == {"detail": "Not found."}
    # Same answer as for a guid that never existed: a 404 confirms nothing.
    assert a.get("/api/v1/items/urn:newsroom:00000000-0000-0000-0000-000000000000/").json() == {
        "detail": "Not found."
    }
    assert b.get(f"/api/v1/items/{for_a.guid}/").status_code == 404


def test_embargoed_copy_only_for_partners_entitled_to_it(
    washington, publish, make_partner, client_for
):
    _, plain_key = make_partner("Plain")
    _, early_key = make_partner("Early", embargoed=True)
    plain, early = client_for(plain_key), client_for(early_key)
    story = publish(
        washington, headline="Embargoed", embargo_until=timezone.now() + timedelta(hours=1)
    )
    assert plain.get(f"/api/v1/items/{story.guid}/").status_code == 404
    assert uris(plain, "/api/v1/items/") == set()
    item = early.get(f"/api/v1/items/{story.guid}/").json()
    assert item["embargoed"]
    # Once the embargo time passes, everyone entitled to the desk sees it.
    story.embargo_until = timezone.now() - timedelta(seconds=1)
    story.save(update_fields=["embargo_until"])
    assert uris(plain, "/api/v1/items/") == {story.guid}


def test_topic_and_language_entitlements(washington, publish, make_partner, client_for):
    from distribution.models import Partner

    elections = TopicFactory(slug="elections")
    tagged = publish(washington, headline="Tagged", topics=[elections])
    publish(washington, headline="Untagged")
    partner, key = make_partner("Topical")
    Partner.objects.filter(pk=partner.pk).update(all_topics=False)
    partner.topics.add(elections)
    assert uris(client_for(key), "/api/v1/items/") == {tagged.guid}

    _, french_key = make_partner("French only", languages=["fr"])
    assert uris(client_for(french_key), "/api/v1/items/") == set()


def test_delivery_log_shows_only_the_partners_own(washington, publish, two_partners):
    (a_partner, a), (b_partner, b) = two_partners
    story = publish(washington, headline="Logged")
    event = story.outbox_events.get()
    for partner in (a_partner, b_partner):
        endpoint = WebhookEndpoint.objects.create(partner=partner, url="http://127.0.0.1:9/hook")
        Delivery.objects.create(
            event=event,
            endpoint=endpoint,
            partner=partner,
            webhook_id=f"msg_{event.pk.hex}",
            event_type=event.event_type,
            guid=story.guid,
            version=1,
            payload="{}",
        )
    a_log = a.get("/api/v1/deliveries/").json()["results"]
    b_log = b.get("/api/v1/deliveries/").json()["results"]
    assert [d["endpoint"] for d in a_log] == ["http://127.0.0.1:9/hook"]
    assert {d["id"] for d in a_log}.isdisjoint({d["id"] for d in b_log})
    assert {d["id"] for d in a_log} == {
        str(pk) for pk in Delivery.objects.filter(partner=a_partner).values_list("pk", flat=True)
    }


def test_an_inactive_partner_is_locked_out(washington, publish, make_partner, client_for):
    partner, key = make_partner("Lapsed")
    publish(washington)
    partner.active = False
    partner.save(update_fields=["active"])
    assert client_for(key).get("/api/v1/items/").status_code == 401


def test_entitlement_follows_where_the_story_went_not_an_unsent_move(
    two_partners,
    publish,
    washington,
    mandarin,
    editor,
    receiver,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    """A Washington story moved to the Mandarin desk in the working copy stays Washington's
    in every partner channel until it is sent again; its kill notice goes to those who had
    its copy; a writethru sent from the new desk hands it over."""
    from articles import workflow

    (a, client_a), (b, client_b) = two_partners
    b.all_languages = True  # the story stays in English; only its desk moves
    b.save()
    WebhookEndpoint.objects.create(partner=a, url=receiver.url("/hook"))
    WebhookEndpoint.objects.create(partner=b, url=receiver.url("/other"))
    with django_capture_on_commit_callbacks(execute=True):
        story = publish(washington, headline="Sent from Washington")
    story.desk = mandarin
    workflow.save_copy(story, by=editor, expected_lock_version=story.lock_version, fields=["desk"])

    assert story.guid in uris(client_a, "/api/v1/items/")
    assert story.guid not in uris(client_b, "/api/v1/items/")
    assert client_b.get(f"/api/v1/items/{story.guid}/").status_code == 404
    assert client_b.get(f"/api/v1/items/{story.guid}/versions/").status_code == 404
    # Filters read where it went, too.
    assert story.guid in uris(client_a, "/api/v1/items/?desk=washington")
    assert story.guid not in uris(client_a, "/api/v1/items/?desk=mandarin")

    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withhold(story, by=editor, reason="Checking a figure.")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release(story, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.update(story, by=editor, note="Moved to the Mandarin desk.")
    deliveries = Delivery.objects.filter(guid=story.guid).order_by("created_at", "id")
    by_partner = [(d.event_type, d.partner_id) for d in deliveries]
    # The withhold and release went to A, who had the copy; the writethru to B, whose desk
    # it was sent from; A hears no more of it.
    assert ("article.withheld", b.pk) not in by_partner
    assert ("article.withheld", a.pk) in by_partner
    assert ("article.updated", b.pk) in by_partner
    assert ("article.updated", a.pk) not in by_partner
    assert story.guid in uris(client_b, "/api/v1/items/")
    assert story.guid not in uris(client_a, "/api/v1/items/")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.kill(story, by=editor, reason="Legal problem.")
    killed = {
        d.partner_id for d in Delivery.objects.filter(guid=story.guid, event_type="article.killed")
    }
    # Everyone who ever had the copy hears of the kill.
    assert killed == {a.pk, b.pk}
    assert story.guid in uris(client_a, "/api/v1/items/")
