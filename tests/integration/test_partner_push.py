"""Partner push end to end: a real worker (and beat) on Redis, a local receiver, PostgreSQL.

Delivery is at least once: a receiver down for a while gets the event when it comes back,
and a worker killed in the middle of a delivery leaves it to the next worker, which sends
it again under the same webhook-id.
"""

from __future__ import annotations

import json

import pytest
from standardwebhooks import Webhook

from articles import workflow
from distribution.api.partners import create_partner
from distribution.models import Delivery, WebhookEndpoint
from tests.distribution.receivers import Receiver
from tests.factories import ArticleFactory, DeskFactory, UserFactory
from tests.integration.celery_worker import wait_for

# serialized_rollback: the roles and permissions made by data migrations come back after
# each transactional test flushes the database.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def newsroom(db):
    desk = DeskFactory(name="Washington", slug="washington")
    editor = UserFactory(username="eddie", role="Editor")
    return desk, editor


def subscribe(url: str) -> WebhookEndpoint:
    partner, _ = create_partner("Receiving partner", desks=["washington"])
    return WebhookEndpoint.objects.create(partner=partner, url=url)


def publish(desk, editor, headline: str):
    return workflow.publish(ArticleFactory(desk=desk, headline=headline), by=editor)


def delivered(endpoint: WebhookEndpoint) -> bool:
    return Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.DELIVERED).exists()


def test_a_publish_arrives_signed_and_verifies(newsroom, make_worker):
    desk, editor = newsroom
    receiver = Receiver().start()
    try:
        endpoint = subscribe(receiver.url)
        make_worker()
        story = publish(desk, editor, "Signed on the wire")
        wait_for(lambda: receiver.received, timeout=30, message="nothing arrived")
        headers, body = receiver.received[0]
        payload = Webhook(endpoint.secret).verify(body, headers)
        assert payload["type"] == "article.published"
        assert payload["data"]["guid"] == story.guid and payload["data"]["version"] == 1
        assert payload["data"]["item"]["headlines"][0]["value"] == "Signed on the wire"
        wait_for(lambda: delivered(endpoint), timeout=10, message="not marked delivered")
    finally:
        receiver.stop()


def test_a_receiver_down_for_a_while_gets_the_event_when_back(newsroom, make_worker):
    desk, editor = newsroom
    receiver = Receiver()  # not started: connections are refused
    endpoint = subscribe(receiver.url)
    worker = make_worker(beat=True)
    story = publish(desk, editor, "Waiting for you")
    wait_for(
        lambda: Delivery.objects.filter(endpoint=endpoint, attempts__gte=1).exists(),
        timeout=30,
        message=f"no failed first attempt:\n{worker.log()[-3000:]}",
    )
    assert not delivered(endpoint)
    assert Delivery.objects.get(endpoint=endpoint).attempt_log.first().error
    receiver.start()
    try:
        # Retry after 5 s (±10 %), found by the beat-driven dispatcher within another 5 s.
        wait_for(
            lambda: delivered(endpoint),
            timeout=40,
            message=f"never delivered after the receiver came back:\n{worker.log()[-3000:]}",
        )
        headers, body = receiver.received[0]
        assert Webhook(endpoint.secret).verify(body, headers)["data"]["guid"] == story.guid
    finally:
        receiver.stop()


def test_a_worker_killed_mid_delivery_leaves_it_to_the_next(newsroom, make_worker):
    desk, editor = newsroom
    # The first request is held long enough to kill the worker while it waits for the answer.
    receiver = Receiver(delay_first=4).start()
    timeout_env = {"WEBHOOK_TIMEOUT_SECONDS": "3"}  # lease: 3 + 20 = 23 s
    try:
        endpoint = subscribe(receiver.url)
        first = make_worker(beat=True, env=timeout_env)
        story = publish(desk, editor, "Survives a crash")
        wait_for(lambda: receiver.received, timeout=30, message="first attempt never arrived")
        first.kill()
        delivery = Delivery.objects.get(endpoint=endpoint)
        # The attempt was counted when it started: the next one is number 2, not 1 again.
        assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
        second = make_worker(beat=True, env=timeout_env)
        wait_for(
            lambda: delivered(endpoint),
            timeout=60,
            message=f"not delivered after the restart:\n{second.log()[-3000:]}",
        )
        assert len(receiver.received) >= 2
        ids = {headers["Webhook-Id"] for headers, _ in receiver.received}
        assert len(ids) == 1
        for headers, body in receiver.received:
            assert json.loads(body)["data"]["guid"] == story.guid
            Webhook(endpoint.secret).verify(body, headers)
        assert Delivery.objects.filter(endpoint=endpoint).count() == 1
        numbers = list(delivery.attempt_log.order_by("pk").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 2
    finally:
        receiver.stop()
