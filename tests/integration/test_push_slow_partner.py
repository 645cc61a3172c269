"""One slow partner does not stall the push, with real workers and beat on Redis.

The slow partner's endpoint sends one header line every 1.5 s, so no single read ever waits
long; with WEBHOOK_TIMEOUT_SECONDS=3 each attempt must still end at about 3 s, its attempts
must be numbered 1, 2, 3, it must never have two attempts open at once (the dispatcher does
not re-send an attempt still running), and another partner's pushes go out meanwhile.
"""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from articles import workflow
from distribution.api.partners import create_partner
from distribution.models import Delivery, DeliveryAttempt, WebhookEndpoint
from tests.distribution.receivers import Receiver, TricklingReceiver
from tests.factories import ArticleFactory, DeskFactory, UserFactory
from tests.integration.celery_worker import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEADLINE = 3
MARGIN_MS = 1500  # for winding down and recording, well under the 1.5 s of one more line


def finished(delivery_query) -> list[DeliveryAttempt]:
    """Attempts with an outcome (one still running, or cut short, has no duration yet)."""
    return list(
        DeliveryAttempt.objects.filter(delivery__in=delivery_query, duration_ms__gt=0).order_by(
            "number"
        )
    )


def test_a_trickling_partner_is_cut_off_and_holds_nobody_up(make_worker):
    desk = DeskFactory(name="Washington", slug="washington")
    editor = UserFactory(username="eddie", role="Editor")
    slow = TricklingReceiver(interval=1.5, lines=60).start()
    fast = Receiver().start()
    try:
        partner, _ = create_partner("Receiving partner", desks=["washington"])
        slow_endpoint = WebhookEndpoint.objects.create(partner=partner, url=slow.url)
        WebhookEndpoint.objects.create(partner=partner, url=fast.url)
        env = {"WEBHOOK_TIMEOUT_SECONDS": str(DEADLINE)}
        first = make_worker(beat=True, env=env)
        make_worker(env=env)

        def logs() -> str:
            return first.log()[-3000:]

        workflow.publish(ArticleFactory(desk=desk, headline="First"), by=editor)
        wait_for(lambda: len(fast.received) == 1, timeout=30, message=f"no push:\n{logs()}")
        to_slow = Delivery.objects.filter(endpoint=slow_endpoint)
        wait_for(
            lambda: len(finished(to_slow)) >= 1,
            timeout=DEADLINE + 10,
            message=f"the first attempt was not cut off at the deadline:\n{logs()}",
        )
        # The retry is due 5 s (±10 %) later; the dispatcher sweeps every 5 s.
        wait_for(
            lambda: len(finished(to_slow)) >= 2,
            timeout=25,
            message=f"no second attempt:\n{logs()}",
        )

        # Meanwhile another story reaches the other partner at once.
        published = time.monotonic()
        workflow.publish(ArticleFactory(desk=desk, headline="Second"), by=editor)
        wait_for(
            lambda: len(fast.received) == 2,
            timeout=30,
            message=f"the other partner never got the second story:\n{logs()}",
        )
        assert time.monotonic() - published < DEADLINE + 3, "held up behind the slow partner"

        # The schedule's third attempt is 5 min away: bring it forward.
        story_one = to_slow.order_by("created_at").first()
        Delivery.objects.filter(pk=story_one.pk).update(next_attempt_at=timezone.now())
        wait_for(
            lambda: story_one.attempt_log.filter(duration_ms__gt=0).count() == 3,
            timeout=30,
            message=f"no third attempt:\n{logs()}",
        )
        attempts = list(story_one.attempt_log.order_by("pk"))
        assert [a.number for a in attempts] == [1, 2, 3]
        for attempt in attempts:
            assert attempt.status_code is None and "Timeout" in attempt.error
            assert DEADLINE * 1000 - 100 <= attempt.duration_ms <= DEADLINE * 1000 + MARGIN_MS
        story_one.refresh_from_db()
        assert story_one.attempts == 3 and story_one.status == Delivery.Status.PENDING
        # One attempt at a time to the slow endpoint, each let go at the deadline.
        assert slow.most_open == 1
        assert max(slow.held) < DEADLINE + MARGIN_MS / 1000
    finally:
        slow.stop()
        fast.stop()
