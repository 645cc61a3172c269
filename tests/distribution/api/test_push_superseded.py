"""A delivery re-checks the present before it sends: a retry the story has moved past is
recorded superseded and never sent, and attempt numbers count up across a lost worker.

The partner's server is a local HTTP server (pytest-httpserver); tasks run eagerly here. The
same path with a real worker and Redis is in tests/integration/test_push_present.py.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from werkzeug import Response

from articles import workflow
from distribution.models import Delivery, DeliveryAttempt, WebhookEndpoint
from distribution.push import services
from distribution.push.tasks import dispatch_deliveries

pytestmark = pytest.mark.django_db


def bodies(receiver) -> list[dict]:
    return [json.loads(body) for _, body in receiver.requests]


def carries_copy(payload: dict) -> bool:
    return payload["data"]["pubstatus"] == "usable"


def take_down(story, how: str, editor):
    if how == "withhold":
        return workflow.withhold(story, by=editor, reason="Legal review.")
    return workflow.kill(story, by=editor, reason="Legal.")


@pytest.mark.parametrize("how", ["withhold", "kill"])
def test_a_failed_publish_is_never_retried_after_a_withhold_or_kill(
    how,
    washington,
    publish,
    editor,
    subscriber,
    receiver,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    receiver.answers = [Response("down", status=500)]
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        story = publish(washington, headline="Held back", body="<p>Copy in doubt.</p>")
    published = Delivery.objects.get(event_type="article.published")
    assert published.status == Delivery.Status.PENDING and published.last_status_code == 500

    # The endpoint is fixed, and a few seconds later the story is taken down.
    with (
        time_machine.travel(start + timedelta(seconds=2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        take_down(story, how, editor)
    assert len(receiver.requests) == 2
    assert not carries_copy(bodies(receiver)[1])
    assert "Copy in doubt" not in receiver.requests[1][1]

    # The publish retry falls due; the dispatcher finds it and drops it.
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        dispatch_deliveries.delay()
    assert len(receiver.requests) == 2, "the old publish went out again after the take-down"
    assert not any(carries_copy(payload) for payload in bodies(receiver)[1:])
    published.refresh_from_db()
    assert published.status == Delivery.Status.SUPERSEDED
    assert published.attempts == 1  # the one that failed; nothing more was sent
    assert "later" in published.last_error
    assert published.attempt_log.count() == 1
    with time_machine.travel(start + timedelta(hours=30), tick=False):
        dispatch_deliveries.delay()
    assert len(receiver.requests) == 2


@pytest.mark.parametrize("how", ["withhold", "kill"])
def test_copy_the_present_no_longer_allows_is_not_sent_to_an_endpoint_without_the_notice(
    how, washington, make_partner, publish, editor, receiver, eager_celery
):
    # This endpoint takes publishes only: it gets no withhold or kill push of its own.
    partner, _ = make_partner("Publishes only", desks=["washington"])
    WebhookEndpoint.objects.create(
        partner=partner, url=receiver.url(), event_types=["article.published"]
    )
    story = publish(washington, headline="Held back")
    claims = services.fan_out(story.outbox_events.get().pk)
    take_down(story, how, editor)

    assert services.attempt(*claims[0]) == Delivery.Status.SUPERSEDED
    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert delivery.attempts == 0 and not delivery.attempt_log.exists()
    assert ("withheld" if how == "withhold" else "killed") in delivery.last_error


def test_a_correction_supersedes_a_pending_publish_to_the_same_endpoint(
    washington,
    publish,
    editor,
    subscriber,
    receiver,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    receiver.answers = [Response("down", status=500)]
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        story = publish(washington, body="<p>Ten dead.</p>")
    story.body = "<p>Twelve dead.</p>"
    story.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.correct(story, by=editor, note="Corrects the toll.")
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        dispatch_deliveries.delay()
    versions = [payload["data"]["version"] for payload in bodies(receiver)]
    assert versions == [1, 2]  # the failed publish, then the correction; v1 never again
    assert Delivery.objects.get(version=1).status == Delivery.Status.SUPERSEDED


def test_a_release_is_sent_and_a_retry_from_before_the_withhold_is_not(
    washington,
    publish,
    editor,
    subscriber,
    receiver,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    receiver.answers = [Response("down", status=500)]
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        story = publish(washington)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withhold(story, by=editor, reason="Checking.")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release(story, by=editor)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        dispatch_deliveries.delay()
    types = [payload["type"] for payload in bodies(receiver)]
    assert types == ["article.published", "article.withheld", "article.released"]
    assert Delivery.objects.get(event_type="article.published").status == "superseded"


def test_the_delivery_log_shows_superseded_as_such(
    admin_client, washington, make_partner, publish, editor, receiver, client_for
):
    partner, key = make_partner("Publishes only", desks=["washington"])
    WebhookEndpoint.objects.create(partner=partner, url=receiver.url())
    story = publish(washington)
    claims = services.fan_out(story.outbox_events.get().pk)
    workflow.kill(story, by=editor, reason="Legal.")
    services.attempt(*claims[0])

    page = admin_client.get("/admin/distribution/delivery/").content.decode()
    assert "Superseded" in page
    page = admin_client.get("/admin/distribution/delivery/?status__exact=superseded").content
    assert story.guid in page.decode()
    log = client_for(key).get("/api/v1/deliveries/").json()
    statuses = {entry["status"] for entry in log["results"]}
    assert statuses == {"superseded"}


def test_attempt_numbers_count_up_after_a_lost_lease(washington, publish, subscriber, receiver):
    story = publish(washington)
    claims = services.fan_out(story.outbox_events.get().pk)
    delivery = Delivery.objects.get()
    # A worker took the delivery, counted its attempt, and died before any outcome.
    lost = services._start_many([delivery], claims[0][1], timezone.now())[delivery.pk]
    assert lost.number == 1 and lost.error == DeliveryAttempt.NO_OUTCOME
    later = timezone.now() + services.QUEUE_LEASE + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        again = services.claim_due()
        assert services.attempt(*again[0]) == Delivery.Status.DELIVERED
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert [(a.number, a.status_code) for a in delivery.attempt_log.all()] == [(1, None), (2, 200)]
    assert len(receiver.requests) == 1


def test_a_delivery_whose_attempts_were_all_lost_is_given_up(
    washington, publish, subscriber, receiver
):
    story = publish(washington)
    claims = services.fan_out(story.outbox_events.get().pk)
    Delivery.objects.update(attempts=services.MAX_ATTEMPTS)
    assert services.attempt(*claims[0]) == Delivery.Status.FAILED
    assert receiver.requests == []
