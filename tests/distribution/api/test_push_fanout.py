"""One event's deliveries go out at once: concurrently through the pooled client, at most
WEBHOOK_CONCURRENCY open per process, a slow or dead partner holding nobody up, superseded
ones still dropped, and a number of queries that does not grow with the endpoints.

Partners are local HTTP servers on 127.0.0.1 (tests/distribution/receivers.py); a dead
partner is a port nobody listens on. The same with a real worker is in
tests/integration/test_push_fanout.py.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from standardwebhooks import Webhook

from articles import workflow
from distribution.models import Delivery, WebhookEndpoint
from distribution.push import client, services
from distribution.push.tasks import fan_out_event
from tests.distribution.receivers import ManyEndpoints, TricklingReceiver, free_port

pytestmark = pytest.mark.django_db

DEADLINE = 5


@pytest.fixture
def endpoints():
    server = ManyEndpoints().start()
    yield server
    server.stop()


def subscribe(make_partner, urls: list[str]) -> list[WebhookEndpoint]:
    made = []
    for url in urls:
        partner, _ = make_partner(f"Partner at {url}", desks=["washington"])
        made.append(WebhookEndpoint.objects.create(partner=partner, url=url))
    return made


def test_a_slow_and_a_dead_partner_hold_none_of_the_others_up(
    washington, publish, make_partner, endpoints, settings
):
    settings.WEBHOOK_TIMEOUT_SECONDS = DEADLINE
    slow = TricklingReceiver(interval=1.0, lines=20).start()
    try:
        fast = subscribe(make_partner, [endpoints.url(n) for n in range(8)])
        dead_url = f"http://127.0.0.1:{free_port()}/hook"  # nobody listens: refused
        slow_endpoint, dead_endpoint = subscribe(make_partner, [slow.url, dead_url])
        story = publish(washington, headline="Flash")
        claims = services.fan_out(story.outbox_events.get().pk)
        assert len(claims) == 10

        started = timezone.now()
        begun = time.monotonic()
        statuses = services.attempt_many(claims)
        took = time.monotonic() - begun
    finally:
        slow.stop()

    # All at once: the batch costs one deadline, not one per partner after the slow one.
    assert DEADLINE - 0.1 <= took <= DEADLINE + 1.5
    assert sorted(endpoints.per_path().values()) == [1] * 8
    by_endpoint = {d.endpoint_id: d for d in Delivery.objects.select_related("endpoint")}
    for endpoint in fast:
        delivery = by_endpoint[endpoint.pk]
        assert statuses[delivery.pk] == Delivery.Status.DELIVERED
        # Recorded as it came in, long before the slow partner's deadline.
        assert delivery.delivered_at - started < timedelta(seconds=DEADLINE - 1.5)
    dead = by_endpoint[dead_endpoint.pk]
    assert dead.status == Delivery.Status.PENDING and dead.last_status_code is None
    assert dead.attempt_log.get().error and "Timeout" not in dead.last_error
    # Recorded before the slow deadline too: its retry is 5 s (±10 %) after its record.
    recorded_by = dead.next_attempt_at - timedelta(seconds=4.5)
    assert recorded_by - started < timedelta(seconds=DEADLINE - 1.5)
    late = by_endpoint[slow_endpoint.pk]
    attempt = late.attempt_log.get()
    assert "Timeout" in attempt.error and attempt.duration_ms >= DEADLINE * 1000 - 100
    assert late.status == Delivery.Status.PENDING and late.lease_token is None


def test_deliveries_go_out_concurrently_and_within_the_bound(
    washington, publish, make_partner, settings
):
    settings.WEBHOOK_CONCURRENCY = 3
    held = ManyEndpoints(hold=0.3).start()
    try:
        subscribe(make_partner, [held.url(n) for n in range(9)])
        story = publish(washington)
        claims = services.fan_out(story.outbox_events.get().pk)
        begun = time.monotonic()
        services.attempt_many(claims)
        took = time.monotonic() - begun
    finally:
        held.stop()
    assert held.most_open == 3
    # Three waves of three, not nine in a row (2.7 s).
    assert took < 9 * 0.3 * 0.75
    assert Delivery.objects.filter(status=Delivery.Status.DELIVERED).count() == 9
    # Every one verifies with its own endpoint's secret.
    secrets = {e.url: e.secret for e in WebhookEndpoint.objects.all()}
    port = held.httpd.server_address[1]
    for path, headers, body in held.received:
        Webhook(secrets[f"http://127.0.0.1:{port}{path}"]).verify(body, headers)
    # The batch's lease covers its three waves of attempts, and the margin.
    assert services.attempt_lease(9) == (
        timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS) * 3 + services.ATTEMPT_MARGIN
    )


def test_a_fan_out_is_split_into_batches(
    washington, publish, make_partner, endpoints, settings, eager_celery, monkeypatch
):
    settings.WEBHOOK_BATCH_SIZE = 4
    subscribe(make_partner, [endpoints.url(n) for n in range(10)])
    story = publish(washington)
    batches = []
    attempt_many = services.attempt_many

    def counting(claims):  # the real one, counting what each task is given
        claims = list(claims)
        batches.append(len(claims))
        return attempt_many(claims)

    monkeypatch.setattr(services, "attempt_many", counting)
    assert fan_out_event.delay(str(story.outbox_events.get().pk)).get() == 10
    assert batches == [4, 4, 2]
    assert sorted(endpoints.per_path().values()) == [1] * 10


def test_a_batch_drops_what_the_story_moved_past_and_sends_the_rest(
    washington, publish, make_partner, endpoints, editor, settings
):
    settings.WEBHOOK_MAX_IN_FLIGHT = 2  # both stories' deliveries in one batch
    subscribe(make_partner, [endpoints.url(n) for n in range(3)])
    doubtful = publish(washington, headline="In doubt", body="<p>Copy in doubt.</p>")
    sound = publish(washington, headline="Sound")
    claims = services.fan_out(doubtful.outbox_events.get().pk)
    claims += services.fan_out(sound.outbox_events.get().pk)
    workflow.kill(doubtful, by=editor, reason="Legal.")

    statuses = services.attempt_many(claims)

    assert sorted(statuses.values()) == ["delivered"] * 3 + ["superseded"] * 3
    bodies = [json.loads(body) for _, _, body in endpoints.received]
    assert len(bodies) == 3 and {b["data"]["guid"] for b in bodies} == {sound.guid}
    assert "Copy in doubt" not in json.dumps(bodies)
    for delivery in Delivery.objects.filter(event__article=doubtful):
        assert delivery.status == Delivery.Status.SUPERSEDED and delivery.attempts == 0
        assert "killed" in delivery.last_error


def _fan_out_queries(make_partner, publish, washington, endpoints, count: int) -> int:
    start = WebhookEndpoint.objects.count()
    subscribe(make_partner, [endpoints.url(start + n) for n in range(count)])
    # Only the new ones: the earlier story's endpoints are switched off.
    WebhookEndpoint.objects.filter(url__in=[endpoints.url(n) for n in range(start)]).update(
        active=False
    )
    story = publish(washington, headline=f"To {count}")
    with CaptureQueriesContext(connection) as queries:
        claims = services.fan_out(story.outbox_events.get().pk)
        statuses = services.attempt_many(claims)
    assert list(statuses.values()) == ["delivered"] * count
    return len(queries)


def test_queries_do_not_grow_with_the_endpoints(
    washington, publish, make_partner, endpoints, monkeypatch
):
    # One group of outcomes however the answers are spread in time, so the count is exact.
    monkeypatch.setattr(client, "GATHER_SECONDS", 30)
    few = _fan_out_queries(make_partner, publish, washington, endpoints, 3)
    many = _fan_out_queries(make_partner, publish, washington, endpoints, 40)
    assert many == few
    # About twenty-five, and the savepoints of the transactions they run in.
    assert few <= 40
