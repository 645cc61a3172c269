"""Push delivery in-process: fan-out to entitled endpoints, Standard Webhooks signatures,
the retry schedule, 410 / Retry-After / five days of failure, and lost tasks recovered.

The partner's server is a local HTTP server (pytest-httpserver); tasks run eagerly here. The
same paths with a real worker and Redis are in tests/integration/test_partner_push.py.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks import Webhook
from werkzeug import Response

from articles import workflow
from articles.models import OutboxEvent
from distribution.models import Delivery, Partner, WebhookEndpoint
from distribution.push import services
from distribution.push.schedule import RETRY_DELAYS, delay_after, parse_retry_after
from distribution.push.tasks import dispatch_deliveries

pytestmark = pytest.mark.django_db


def publish_now(django_capture_on_commit_callbacks, publish, desk, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return publish(desk, **fields)


def test_a_publish_arrives_signed_at_entitled_endpoints_only(
    washington,
    mandarin,
    publish,
    make_partner,
    subscriber,
    receiver,
    eager_celery,
    django_capture_on_commit_callbacks,
    ninjs_validator,
):
    other, _ = make_partner("Mandarin only", desks=["mandarin"])
    WebhookEndpoint.objects.create(partner=other, url=receiver.url("/other"))
    kills_only, _ = make_partner("Kills only")
    WebhookEndpoint.objects.create(
        partner=kills_only, url=receiver.url("/other"), event_types=["article.killed"]
    )
    story = publish_now(django_capture_on_commit_callbacks, publish, washington, headline="Pushed")

    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    payload = Webhook(subscriber.secret).verify(body, headers)
    assert payload["type"] == "article.published"
    assert payload["data"]["guid"] == story.guid
    assert payload["data"]["version"] == 1
    ninjs_validator.validate(payload["data"]["item"])
    assert payload["data"]["item"]["headlines"][0]["value"] == "Pushed"
    event = story.outbox_events.get()
    assert headers["Webhook-Id"] == f"msg_{event.pk.hex}"
    assert event.__class__.objects.get(pk=event.pk).dispatched_at is not None
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 1
    attempt = delivery.attempt_log.get()
    assert attempt.status_code == 200 and attempt.duration_ms >= 0
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43).verify(body, headers)


def test_a_kill_carries_a_higher_version_and_no_copy(
    washington,
    publish,
    editor,
    subscriber,
    receiver,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    story = publish_now(
        django_capture_on_commit_callbacks, publish, washington, body="<p>Bad copy.</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.kill(story, by=editor, reason="Legal.")
    published, killed = [json.loads(body) for _, body in receiver.requests]
    assert killed["type"] == "article.killed"
    assert killed["data"]["version"] > published["data"]["version"]
    assert killed["data"]["pubstatus"] == "canceled"
    assert "Bad copy" not in json.dumps(killed)


def test_fan_out_twice_sends_once(
    washington, publish, subscriber, receiver, eager_celery, django_capture_on_commit_callbacks
):
    story = publish_now(django_capture_on_commit_callbacks, publish, washington)
    event = story.outbox_events.get()
    OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    assert services.fan_out(event.pk) == []
    assert Delivery.objects.count() == 1 and len(receiver.requests) == 1


def test_a_failed_delivery_is_retried_on_schedule_with_the_same_id(
    washington, publish, subscriber, receiver, eager_celery, django_capture_on_commit_callbacks
):
    receiver.answers = [Response("down", status=500), Response("down", status=502)]
    start = timezone.now()
    publish_now(django_capture_on_commit_callbacks, publish, washington)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert delivery.last_status_code == 500
    # 5 s ± 10 % after the failure, which came at most `took` after `start`.
    wait, took = delivery.next_attempt_at - start, timezone.now() - start
    assert timedelta(seconds=4.5) <= wait <= timedelta(seconds=5.5) + took
    # Not yet due: the dispatcher leaves it alone.
    dispatch_deliveries.delay()
    assert len(receiver.requests) == 1
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1), tick=False):
        dispatch_deliveries.delay()
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.last_status_code == 502
    assert timedelta(minutes=4) < delivery.next_attempt_at - start < timedelta(minutes=6)
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        dispatch_deliveries.delay()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 3
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 502, 200]
    assert len({headers["Webhook-Id"] for headers, _ in receiver.requests}) == 1
    subscriber.refresh_from_db()
    assert subscriber.failing_since is None


def test_410_disables_the_endpoint_at_once(
    washington, publish, subscriber, receiver, eager_celery, django_capture_on_commit_callbacks
):
    receiver.answers = [Response("gone", status=410)]
    publish_now(django_capture_on_commit_callbacks, publish, washington)
    subscriber.refresh_from_db()
    assert not subscriber.active and "410" in subscriber.disabled_reason
    assert Delivery.objects.get().status == Delivery.Status.FAILED
    publish_now(django_capture_on_commit_callbacks, publish, washington)
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(
    washington,
    publish,
    subscriber,
    receiver,
    eager_celery,
    django_capture_on_commit_callbacks,
    status,
):
    receiver.answers = [Response("busy", status=status, headers={"Retry-After": "120"})]
    start = timezone.now()
    publish_now(django_capture_on_commit_callbacks, publish, washington)
    wait = Delivery.objects.get().next_attempt_at - start
    assert timedelta(seconds=119) <= wait <= timedelta(seconds=125)


def test_failing_for_days_disables_the_endpoint_and_says_why(
    washington, publish, subscriber, receiver, eager_celery, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.filter(pk=subscriber.pk).update(
        failing_since=timezone.now() - timedelta(days=5, minutes=1)
    )
    receiver.answers = [Response("down", status=500)]
    publish_now(django_capture_on_commit_callbacks, publish, washington)
    subscriber.refresh_from_db()
    assert not subscriber.active
    assert "5 days" in subscriber.disabled_reason and "HTTP 500" in subscriber.disabled_reason


def test_the_admin_shows_why_an_endpoint_was_disabled(admin_client, subscriber):
    services.disable_endpoint(subscriber, reason="The endpoint answered 410 Gone.")
    page = admin_client.get("/admin/distribution/partner/").content.decode()
    assert "410 Gone" in page


def test_a_delivery_is_given_up_after_the_last_attempt(
    washington, publish, subscriber, receiver, eager_celery, django_capture_on_commit_callbacks
):
    receiver.answers = [Response("down", status=500) for _ in RETRY_DELAYS]
    publish_now(django_capture_on_commit_callbacks, publish, washington)
    delivery = Delivery.objects.get()
    for _ in range(len(RETRY_DELAYS) - 1):
        with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1), tick=False):
            dispatch_deliveries.delay()
        delivery.refresh_from_db()
    assert delivery.attempts == len(RETRY_DELAYS)
    assert delivery.status == Delivery.Status.FAILED


def test_a_lost_fan_out_is_picked_up_by_the_dispatcher(
    washington, publish, subscriber, receiver, eager_celery
):
    # No on-commit callbacks run here: as if the worker never got the task.
    story = publish(washington)
    event = story.outbox_events.get()
    assert event.dispatched_at is None
    dispatch_deliveries.delay()
    assert receiver.requests == []  # too fresh: its own task may still be on the way
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=False):
        dispatch_deliveries.delay()
    assert len(receiver.requests) == 1
    assert OutboxEvent.objects.get(pk=event.pk).dispatched_at is not None


def test_a_leased_delivery_is_not_claimed_again_until_the_lease_expires(
    washington, publish, subscriber, receiver
):
    story = publish(washington)
    services.fan_out(story.outbox_events.get().pk)  # claims it, nothing attempted yet
    assert services.claim_due() == []
    with time_machine.travel(timezone.now() + services.QUEUE_LEASE + timedelta(seconds=1)):
        claims = services.claim_due()
        assert len(claims) == 1
        assert services.attempt(claims[0][0], claims[0][1]) == Delivery.Status.DELIVERED
    # A stale task holding the old token does nothing.
    assert services.attempt(claims[0][0], claims[0][1]) is None
    assert len(receiver.requests) == 1


def test_a_partner_no_longer_entitled_gets_nothing(washington, publish, subscriber, receiver):
    story = publish(washington)
    claims = services.fan_out(story.outbox_events.get().pk)
    Partner.objects.filter(pk=subscriber.partner_id).update(all_desks=False)
    subscriber.partner.desks.clear()
    assert services.attempt(*claims[0]) == Delivery.Status.CANCELED
    assert receiver.requests == []


def test_the_schedule():
    rng = random.Random(7)
    assert delay_after(0, rng=rng) == timedelta(0)
    assert [RETRY_DELAYS[n].total_seconds() for n in range(1, 4)] == [5, 300, 1800]
    for n in range(1, len(RETRY_DELAYS)):
        wait = delay_after(n, rng=rng)
        assert RETRY_DELAYS[n] * 0.9 <= wait <= RETRY_DELAYS[n] * 1.1
    assert delay_after(len(RETRY_DELAYS)) is None
    assert parse_retry_after("30") == timedelta(seconds=30)
    assert parse_retry_after("999999") == timedelta(hours=24)
    assert parse_retry_after("soon") is None
    now = timezone.now()
    http_date = (now + timedelta(minutes=2)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert timedelta(seconds=110) < parse_retry_after(http_date, now=now) <= timedelta(minutes=2)


def test_an_endpoint_disabled_by_the_push_path_raises_one_alert_and_enabling_resolves_it(
    washington,
    publish,
    subscriber,
    receiver,
    eager_celery,
    django_capture_on_commit_callbacks,
    mailoutbox,
    admin_client,
):
    from articles.models import Alert
    from tests.factories import ContributorFactory, UserFactory

    editor = UserFactory(username="desk-editor", email="desk@example.org", role="Editor")
    ContributorFactory(user=editor, desk=washington)
    receiver.answers = [Response("gone", status=410)]
    publish_now(django_capture_on_commit_callbacks, publish, washington)

    alert = Alert.objects.get()
    assert alert.kind == Alert.Kind.ENDPOINT_DISABLED and alert.desk is None
    assert "410" in alert.message and subscriber.partner.name in alert.title
    # The desk's editor and the superuser (admin_client's) get it.
    assert [sorted(mail.to) for mail in mailoutbox] == [["admin@example.com", "desk@example.org"]]
    assert "/admin/distribution/webhookendpoint/" in mailoutbox[0].body
    # An editor disabling an endpoint by hand raises nothing.
    other = WebhookEndpoint.objects.create(partner=subscriber.partner, url=receiver.url("/b"))
    assert services.disable_endpoint(other, reason="By hand.")
    assert Alert.objects.count() == 1
    # Enabling the endpoint again closes its alert.
    services.enable_endpoint(subscriber)
    alert.refresh_from_db()
    assert alert.resolved_at is not None
