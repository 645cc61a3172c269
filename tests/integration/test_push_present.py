"""A delivery re-checks the present before it sends, with a real worker and beat on Redis.

The partner's endpoint answers 500 to a publish, is fixed, and the story is withheld (or
killed) a few seconds later. The withhold (or kill) push arrives; the publish retry that
was pending is then due, and the dispatcher must drop it: the receiver never gets the copy
(`pubstatus: usable`) after the take-down, and the delivery log says superseded.
"""

from __future__ import annotations

import json
import time

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article
from distribution.api.partners import create_partner
from distribution.models import Delivery, WebhookEndpoint
from tests.distribution.receivers import Receiver
from tests.factories import ArticleFactory, DeskFactory, UserFactory
from tests.integration.celery_worker import wait_for

TAKE_DOWN = {"withhold": "article.withheld", "kill": "article.killed"}

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def newsroom(db):
    desk = DeskFactory(name="Washington", slug="washington")
    editor = UserFactory(username="eddie", role="Editor")
    return desk, editor


@pytest.mark.parametrize("how", ["withhold", "kill"])
def test_a_publish_retry_is_never_sent_after_a_withhold_or_kill(how, newsroom, make_worker):
    desk, editor = newsroom
    receiver = Receiver(answers=(500,)).start()
    try:
        partner, _ = create_partner("Receiving partner", desks=["washington"])
        endpoint = WebhookEndpoint.objects.create(partner=partner, url=receiver.url)
        worker = make_worker(beat=True)
        story = workflow.publish(
            ArticleFactory(desk=desk, headline="Held back", body="<p>Copy in doubt.</p>"),
            by=editor,
        )
        publish_delivery = Delivery.objects.filter(
            endpoint=endpoint, event_type="article.published"
        )
        wait_for(
            lambda: publish_delivery.filter(attempts=1, last_status_code=500).exists(),
            timeout=30,
            message=f"the publish was never tried:\n{worker.log()[-3000:]}",
        )
        retry_at = publish_delivery.get().next_attempt_at
        story = Article.objects.get(pk=story.pk)
        if how == "withhold":
            workflow.withhold(story, by=editor, reason="Legal review.")
        else:
            workflow.kill(story, by=editor, reason="Legal.")
        wait_for(
            lambda: len(receiver.received) >= 2,
            timeout=30,
            message=f"the {how} push never arrived:\n{worker.log()[-3000:]}",
        )
        # The retry is due ~5 s after the failure; the dispatcher sweeps every 5 s.
        wait_for(
            lambda: (
                timezone.now() > retry_at and not publish_delivery.filter(status="pending").exists()
            ),
            timeout=40,
            message=f"the publish retry is still pending:\n{worker.log()[-3000:]}",
        )
        time.sleep(6)  # one more sweep: nothing else may go out
        payloads = [json.loads(body) for _, body in receiver.received]
        assert [p["type"] for p in payloads] == ["article.published", TAKE_DOWN[how]]
        assert payloads[0]["data"]["pubstatus"] == "usable"  # the one that failed
        assert payloads[1]["data"]["pubstatus"] != "usable"
        assert "Copy in doubt" not in receiver.received[1][1]
        superseded = publish_delivery.get()
        assert superseded.status == "superseded"
        assert superseded.attempts == 1 and superseded.attempt_log.count() == 1
    finally:
        receiver.stop()
