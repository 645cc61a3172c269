"""One publish fanned out to many partners by a real worker (2 prefork processes) on Redis
and PostgreSQL: each endpoint gets the event exactly once, signed with its own secret, and
a slow or dead partner holds none of the others up.
"""

from __future__ import annotations

import re
import time

import pytest
from standardwebhooks import Webhook

from articles import workflow
from distribution.api.partners import create_partner
from distribution.models import Delivery, DeliveryAttempt, WebhookEndpoint
from tests.distribution.receivers import ManyEndpoints, TricklingReceiver, free_port
from tests.factories import ArticleFactory, DeskFactory, UserFactory
from tests.integration.celery_worker import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARTNERS = 50


@pytest.fixture
def newsroom(db):
    desk = DeskFactory(name="Washington", slug="washington")
    editor = UserFactory(username="eddie", role="Editor")
    return desk, editor


def subscribe(urls: list[str]) -> list[WebhookEndpoint]:
    made = []
    for url in urls:
        partner, _ = create_partner(f"Partner at {url}", desks=["washington"])
        made.append(WebhookEndpoint.objects.create(partner=partner, url=url))
    return made


def test_a_publish_reaches_fifty_partners_exactly_once(newsroom, make_worker):
    desk, editor = newsroom
    receiver = ManyEndpoints().start()
    try:
        endpoints = subscribe([receiver.url(n) for n in range(PARTNERS)])
        env = {"WEBHOOK_BATCH_SIZE": "20", "WEBHOOK_CONCURRENCY": "10"}
        worker = make_worker(pool="prefork", concurrency=2, env=env)
        story = workflow.publish(ArticleFactory(desk=desk, headline="Flash"), by=editor)
        delivered = Delivery.objects.filter(status=Delivery.Status.DELIVERED)
        wait_for(
            lambda: delivered.count() == PARTNERS,
            timeout=30,
            message=f"not all delivered:\n{worker.log()[-3000:]}",
        )
        # Every delivery is final now, so nothing more can be sent: what arrived is all.
        assert set(receiver.per_path().values()) == {1}
        assert len(receiver.per_path()) == PARTNERS
        secrets = {endpoint.url: endpoint.secret for endpoint in endpoints}
        port = receiver.httpd.server_address[1]
        for path, headers, body in receiver.received:
            payload = Webhook(secrets[f"http://127.0.0.1:{port}{path}"]).verify(body, headers)
            assert payload["data"]["guid"] == story.guid
        assert DeliveryAttempt.objects.count() == PARTNERS
        # In three tasks of at most 20 (20, 20, 10), not one task per partner.
        batches = re.findall(r"distribution\.attempt_deliveries\[[^]]+\] succeeded", worker.log())
        assert len(batches) == 3
    finally:
        receiver.stop()


def test_the_others_are_recorded_while_a_slow_partner_is_still_waited_for(newsroom, make_worker):
    desk, editor = newsroom
    deadline = 6
    receiver = ManyEndpoints().start()
    slow = TricklingReceiver(interval=1.0, lines=30).start()
    try:
        fast = subscribe([receiver.url(n) for n in range(10)])
        slow_endpoint, dead_endpoint = subscribe([slow.url, f"http://127.0.0.1:{free_port()}/hook"])
        worker = make_worker(pool="prefork", env={"WEBHOOK_TIMEOUT_SECONDS": str(deadline)})
        workflow.publish(ArticleFactory(desk=desk, headline="Flash"), by=editor)
        published = time.monotonic()
        others = Delivery.objects.filter(endpoint__in=[*fast, dead_endpoint])

        def recorded() -> bool:
            done = DeliveryAttempt.objects.filter(delivery__in=others).exclude(
                error=DeliveryAttempt.NO_OUTCOME
            )
            return done.count() == len(fast) + 1

        wait_for(recorded, timeout=deadline, message=f"held up:\n{worker.log()[-3000:]}")
        # The slow partner's attempt is still open: the others did not wait for it.
        slow_attempt = DeliveryAttempt.objects.get(delivery__endpoint=slow_endpoint)
        assert slow_attempt.error == DeliveryAttempt.NO_OUTCOME
        assert time.monotonic() - published < deadline
        assert others.filter(status=Delivery.Status.DELIVERED).count() == len(fast)
        dead = Delivery.objects.get(endpoint=dead_endpoint)
        assert dead.status == Delivery.Status.PENDING and dead.last_error
        wait_for(
            lambda: "Timeout" in DeliveryAttempt.objects.get(pk=slow_attempt.pk).error,
            timeout=deadline + 5,
            message=f"the slow attempt was not cut off:\n{worker.log()[-3000:]}",
        )
    finally:
        slow.stop()
        receiver.stop()
