"""Celery wrappers around `distribution.push.services`: ids in, nothing but ids out.

A fan-out is split into tasks of WEBHOOK_BATCH_SIZE deliveries, each sending its batch at
once on the worker process's pooled async client, WEBHOOK_CONCURRENCY requests at a time.
Why: a task per delivery costs each attempt its own broker round trip and ten-odd queries,
and a 2-process worker then needs about 10 s for 500 partners; one task per event leaves
the other processes idle and puts a whole flash behind one process's database writes.
Batches let every worker process take part (each free process takes the next), while
inside a batch the requests overlap, so a batch costs about its slowest partner's answer
plus a few queries. A slow partner holds one of its process's places, and that batch's
task, no longer than its deadline; the rest of the batch is recorded as it comes in.
Threads would add nothing over the event loop the client already runs on, and more
processes would share the same two cores.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from distribution.push import services


def _enqueue(claims: list[services.Claim]) -> int:
    size = settings.WEBHOOK_BATCH_SIZE
    for start in range(0, len(claims), size):
        batch = claims[start : start + size]
        attempt_deliveries.delay([[str(pk), str(token)] for pk, token in batch])
    return len(claims)


@shared_task(name="distribution.fan_out_event")
def fan_out_event(event_id: str) -> int:
    """Fan one outbox event out to its deliveries and start their first attempts."""
    return _enqueue(services.fan_out(event_id))


@shared_task(name="distribution.attempt_deliveries")
def attempt_deliveries(claims: list[list[str]]) -> int:
    """One attempt of each delivery in `claims` ([delivery id, lease token] pairs) whose
    lease still holds, all at once; returns how many were claimed."""
    services.attempt_many((pk, token) for pk, token in claims)
    return len(claims)


@shared_task(name="distribution.attempt_delivery")
def attempt_delivery(delivery_id: str, token: str) -> str | None:
    """One attempt of one delivery, if the lease `token` still holds it (tasks queued one
    per delivery before the batches; kept so they still run)."""
    return services.attempt(delivery_id, token)


@shared_task(name="distribution.dispatch_deliveries")
def dispatch_deliveries() -> int:
    """Beat, every few seconds: lost fan-outs, due retries and expired leases."""
    return _enqueue(services.dispatch())
