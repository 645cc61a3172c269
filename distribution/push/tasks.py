"""Celery wrappers around `distribution.push.services`: ids in, nothing but ids out."""

from __future__ import annotations

from celery import shared_task

from distribution.push import services


def _enqueue(claims: list[services.Claim]) -> int:
    for delivery_id, token in claims:
        attempt_delivery.delay(str(delivery_id), str(token))
    return len(claims)


@shared_task(name="distribution.fan_out_event")
def fan_out_event(event_id: str) -> int:
    """Fan one outbox event out to its deliveries and start their first attempts."""
    return _enqueue(services.fan_out(event_id))


@shared_task(name="distribution.attempt_delivery")
def attempt_delivery(delivery_id: str, token: str) -> str | None:
    """One attempt of one delivery, if the lease `token` still holds it."""
    return services.attempt(delivery_id, token)


@shared_task(name="distribution.dispatch_deliveries")
def dispatch_deliveries() -> int:
    """Beat, every few seconds: lost fan-outs, due retries and expired leases."""
    return _enqueue(services.dispatch())
