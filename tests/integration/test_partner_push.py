"""Partner push end to end: a real worker (and beat) on Redis, a local receiver, PostgreSQL.

Delivery is at least once: a receiver down for a while gets the event when it comes back,
and a worker killed in the middle of a delivery leaves it to the next worker, which sends
it again under the same webhook-id.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook
from werkzeug import Response

from articles import workflow
from distribution.api.partners import create_partner
from distribution.models import Delivery, WebhookEndpoint
from tests.factories import ArticleFactory, DeskFactory, UserFactory
from tests.integration.celery_worker import wait_for

# serialized_rollback: the roles and permissions made by data migrations come back after
# each transactional test flushes the database.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """A partner's webhook receiver on 127.0.0.1, recording what it is sent."""

    def __init__(self, port: int | None = None, delay_first: float = 0.0) -> None:
        self.server = HTTPServer(host="127.0.0.1", port=port or free_port(), threaded=True)
        self.server.expect_request("/hook", method="POST").respond_with_handler(self.handle)
        self.received: list[tuple[dict, str]] = []
        self.delay_first = delay_first
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/hook"

    def handle(self, request):
        with self.lock:
            self.received.append((dict(request.headers), request.get_data(as_text=True)))
            first = len(self.received) == 1
        if first and self.delay_first:
            time.sleep(self.delay_first)
        return Response("ok", status=200)

    def start(self) -> Receiver:
        self.server.start()
        return self

    def stop(self) -> None:
        if self.server.is_running():
            self.server.stop()


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
    timeout_env = {"WEBHOOK_TIMEOUT_SECONDS": "3"}  # lease: 2 × 3 + 5 = 11 s
    try:
        endpoint = subscribe(receiver.url)
        first = make_worker(beat=True, env=timeout_env)
        story = publish(desk, editor, "Survives a crash")
        wait_for(lambda: receiver.received, timeout=30, message="first attempt never arrived")
        first.kill()
        delivery = Delivery.objects.get(endpoint=endpoint)
        assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 0
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
    finally:
        receiver.stop()
