"""A slow partner cannot hold the push up: each attempt ends at a total wall-clock deadline,
and one endpoint has a bounded number of attempts in flight, claimed in order.

The slow partner is a local server in a thread that sends one header line every 1.5 s, so
every read succeeds long before any per-read timeout. The same with a real worker is in
tests/integration/test_push_slow_partner.py.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from distribution.models import Delivery, WebhookEndpoint
from distribution.push import services
from distribution.push.client import post
from tests.distribution.receivers import TricklingReceiver

pytestmark = pytest.mark.django_db

DEADLINE = 3
MARGIN = 1.0  # seconds past the deadline an attempt may take to wind down


@pytest.fixture
def slow():
    receiver = TricklingReceiver(interval=1.5, lines=20).start()
    yield receiver
    receiver.stop()


def test_a_trickling_answer_is_cut_off_at_the_total_deadline(slow):
    started = time.monotonic()
    outcome = post(slow.url, body="{}", headers={}, deadline=DEADLINE)
    took = time.monotonic() - started
    assert DEADLINE - 0.1 <= took <= DEADLINE + MARGIN
    assert outcome.status_code is None and not outcome.ok
    assert "Timeout" in outcome.error and "3 s" in outcome.error
    assert DEADLINE * 1000 - 100 <= outcome.duration_ms <= (DEADLINE + MARGIN) * 1000


def test_an_attempt_to_a_slow_partner_ends_within_the_deadline_and_is_logged(
    slow, washington, make_partner, publish, settings
):
    settings.WEBHOOK_TIMEOUT_SECONDS = DEADLINE
    partner, _ = make_partner("Slow", desks=["washington"])
    WebhookEndpoint.objects.create(partner=partner, url=slow.url)
    story = publish(washington)
    claims = services.fan_out(story.outbox_events.get().pk)

    started = time.monotonic()
    status = services.attempt(*claims[0])
    assert time.monotonic() - started <= DEADLINE + MARGIN
    assert status == Delivery.Status.PENDING  # to be retried
    delivery = Delivery.objects.get()
    attempt = delivery.attempt_log.get()
    assert attempt.number == 1 and attempt.status_code is None
    assert "Timeout" in attempt.error
    assert attempt.duration_ms <= (DEADLINE + MARGIN) * 1000
    # The lease outlasts the deadline and the recording, so the dispatcher never sends an
    # attempt that is still running.
    assert services.attempt_lease() > timedelta(seconds=DEADLINE + 10)


def test_attempts_to_a_slow_partner_count_up(slow, washington, make_partner, publish, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = DEADLINE
    partner, _ = make_partner("Slow", desks=["washington"])
    WebhookEndpoint.objects.create(partner=partner, url=slow.url)
    story = publish(washington)
    claims = services.fan_out(story.outbox_events.get().pk)
    services.attempt(*claims[0])
    for _ in range(2):
        delivery = Delivery.objects.get()
        with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1), tick=False):
            services.attempt(*services.claim_due()[0])
    delivery = Delivery.objects.get()
    assert delivery.attempts == 3
    assert [a.number for a in delivery.attempt_log.all()] == [1, 2, 3]
    assert all(a.duration_ms <= (DEADLINE + MARGIN) * 1000 for a in delivery.attempt_log.all())
    assert slow.most_open == 1


def test_one_endpoint_has_one_attempt_in_flight_and_the_oldest_goes_first(
    washington, make_partner, publish, receiver
):
    partner, _ = make_partner("Busy", desks=["washington"])
    busy = WebhookEndpoint.objects.create(partner=partner, url=receiver.url())
    other_partner, _ = make_partner("Other", desks=["washington"])
    other = WebhookEndpoint.objects.create(partner=other_partner, url=receiver.url("/other"))
    stories = [publish(washington, headline=f"Story {n}") for n in range(3)]
    events = [story.outbox_events.get() for story in stories]

    first = services.fan_out(events[0].pk)
    assert len(first) == 2  # one to each endpoint
    # While those are in flight, the later stories' deliveries wait their turn.
    assert services.fan_out(events[1].pk) == []
    assert services.fan_out(events[2].pk) == []
    assert services.claim_due() == []
    assert Delivery.objects.filter(lease_token__isnull=False).count() == 2

    by_endpoint = {Delivery.objects.get(pk=pk).endpoint_id: (pk, token) for pk, token in first}
    services.attempt(*by_endpoint[busy.pk])
    nxt = services.claim_due()
    assert len(nxt) == 1
    delivery = Delivery.objects.get(pk=nxt[0][0])
    assert delivery.endpoint_id == busy.pk and delivery.event_id == events[1].pk
    services.attempt(*by_endpoint[other.pk])
    services.attempt(*nxt[0])
    rest = services.claim_due()
    assert {Delivery.objects.get(pk=pk).event_id for pk, _ in rest} == {events[1].pk, events[2].pk}
    assert {Delivery.objects.get(pk=pk).endpoint_id for pk, _ in rest} == {busy.pk, other.pk}


def test_the_bound_is_a_setting(washington, make_partner, publish, receiver, settings):
    settings.WEBHOOK_MAX_IN_FLIGHT = 2
    partner, _ = make_partner("Busy", desks=["washington"])
    WebhookEndpoint.objects.create(partner=partner, url=receiver.url())
    for n in range(3):
        publish(washington, headline=f"Story {n}")
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=False):
        claims = services.dispatch()
    assert len(claims) == 2
    assert Delivery.objects.count() == 3


def test_an_expired_lease_frees_its_place(washington, make_partner, publish, receiver):
    partner, _ = make_partner("Busy", desks=["washington"])
    WebhookEndpoint.objects.create(partner=partner, url=receiver.url())
    for n in range(2):
        story = publish(washington, headline=f"Story {n}")
        services.fan_out(story.outbox_events.get().pk)
    assert Delivery.objects.filter(lease_token__isnull=False).count() == 1
    # The worker holding the first one was lost: after its lease, the place is free again,
    # and the first (oldest due) is claimed before the second.
    with time_machine.travel(timezone.now() + services.QUEUE_LEASE + timedelta(seconds=1)):
        claims = services.claim_due()
    assert len(claims) == 1
    oldest = Delivery.objects.earliest("created_at")
    assert claims[0][0] == oldest.pk
