"""Partner push: fan an outbox event out to deliveries, and attempt them until they land.

The life of a delivery:

1. `fan_out(event_id)` creates one Delivery per entitled, active endpoint subscribed to the
   event type (unique per (event, endpoint), so running it twice adds nothing), freezes the
   payload, and marks the OutboxEvent dispatched — all in one transaction.
2. `claim_due()` hands out due deliveries under a lease token; rows are claimed with
   SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, so two dispatchers never share one.
3. `attempt(delivery_id, token)` re-leases the row for the length of one HTTP attempt,
   signs and posts it, logs the attempt, and schedules the next one or gives up.

A worker that dies mid-attempt leaves its lease to expire; the beat-driven `dispatch()` then
claims the delivery again. Nothing waits in a Celery countdown, so the broker's visibility
timeout never re-runs a held task behind our back.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Article, ArticleVersion, OutboxEvent
from articles.ninjs import withheld_notice, without_copy
from distribution.models import Delivery, DeliveryAttempt, WebhookEndpoint, new_webhook_secret
from distribution.push.redaction import redacted_url, scrubbed
from distribution.push.schedule import delay_after, parse_retry_after
from distribution.push.signing import signed_headers
from distribution.selectors import is_entitled, present
from sources import crypto

logger = logging.getLogger(__name__)

# A claimed delivery may wait this long in the queue before the dispatcher claims it again.
QUEUE_LEASE = timedelta(minutes=2)
# An outbox event with no fan-out after this long lost its task; the dispatcher does it.
ORPHAN_AGE = timedelta(seconds=5)
DISPATCH_BATCH = 200

Claim = tuple[uuid.UUID, uuid.UUID]  # (delivery id, lease token)


def attempt_lease() -> timedelta:
    # Connect and read timeouts each up to WEBHOOK_TIMEOUT_SECONDS, plus time to record it.
    return timedelta(seconds=2 * settings.WEBHOOK_TIMEOUT_SECONDS + 5)


# Fan-out ---------------------------------------------------------------------------------


def event_item(event: OutboxEvent, article: Article) -> dict:
    """The ninjs item a push of `event` carries: the version it announced, shown under the
    story's state now (a withhold or kill strips the copy, whatever the event)."""
    stored = (
        ArticleVersion.objects.filter(article=article, number=event.version)
        .order_by("pk")
        .values_list("ninjs", flat=True)
        .first()
    )
    item = stored or event.payload
    if event.event_type == OutboxEvent.Type.WITHHOLD and article.status != Article.Status.KILLED:
        return without_copy(item, pubstatus="withheld", ednote=withheld_notice(article))
    return present(item, article)


def event_body(event: OutboxEvent, item: dict) -> str:
    """The JSON body, in the Standard Webhooks shape (type, timestamp, data).

    `data.version` is the article's version at the event, so a receiver can drop an event
    older than one it already has (a correction arriving after the kill).
    """
    payload = {
        "type": event.event_type,
        "timestamp": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": {
            "guid": event.article.guid,
            "version": event.version,
            "pubstatus": item.get("pubstatus", "usable"),
            "item": item,
        },
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def fan_out(event_id) -> list[Claim]:
    """Create the deliveries of one outbox event (once) and claim those due now.

    Only endpoints that are active, whose partner is active and entitled to the article,
    and that subscribe to the event type get a delivery. Safe to run twice or concurrently.
    """
    now = timezone.now()
    with transaction.atomic():
        event = (
            OutboxEvent.objects.select_for_update(**_skip_locked())
            .filter(pk=event_id, dispatched_at__isnull=True)
            .first()
        )
        if event is not None:
            _create_deliveries(event, now)
            OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=now)
    return claim_due(Delivery.objects.filter(event_id=event_id))


def _create_deliveries(event: OutboxEvent, now: datetime) -> int:
    article = Article.objects.select_related("desk").get(pk=event.article_id)
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            active=True, partner__active=True
        ).select_related("partner")
        if endpoint.wants(event.event_type)
    ]
    entitled: dict[int, bool] = {}
    for endpoint in endpoints:
        if endpoint.partner_id not in entitled:
            entitled[endpoint.partner_id] = is_entitled(endpoint.partner, article.pk)
    endpoints = [e for e in endpoints if entitled[e.partner_id]]
    if not endpoints:
        return 0
    # Every entitled partner sees the same item; entitlement decides only whether it gets it.
    event.article = article
    body = event_body(event, event_item(event, article))
    created = Delivery.objects.bulk_create(
        [
            Delivery(
                event=event,
                endpoint=endpoint,
                partner_id=endpoint.partner_id,
                webhook_id=f"msg_{event.pk.hex}",
                event_type=event.event_type,
                guid=article.guid,
                version=event.version,
                payload=body,
                next_attempt_at=now,
                created_at=now,
            )
            for endpoint in endpoints
        ],
        ignore_conflicts=True,
    )
    return len(created)


# Claiming --------------------------------------------------------------------------------


def _skip_locked() -> dict:
    if connection.features.has_select_for_update_skip_locked:
        return {"skip_locked": True}
    return {}


def claim_due(queryset=None, *, limit: int = DISPATCH_BATCH) -> list[Claim]:
    """Lease up to `limit` due deliveries (from `queryset`, default all) to the caller.

    Refuses rows another worker holds: locked ones are skipped, leased ones wait out their
    lease. Deliveries to a disabled endpoint stay pending until it is enabled again.
    """
    now = timezone.now()
    base = queryset if queryset is not None else Delivery.objects.all()
    due = (
        base.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now, endpoint__active=True)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .order_by("next_attempt_at")
    )
    with transaction.atomic():
        locked = due.select_for_update(of=("self",), **_skip_locked())
        ids = list(locked.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        token = uuid.uuid4()
        Delivery.objects.filter(pk__in=ids).update(
            lease_token=token, leased_until=now + QUEUE_LEASE
        )
    return [(pk, token) for pk in ids]


def dispatch() -> list[Claim]:
    """The beat-driven sweep: drop previous webhook secrets past their grace period, fan out
    events whose task was lost, then claim due retries."""
    drop_expired_secrets()
    cutoff = timezone.now() - ORPHAN_AGE
    orphans = list(
        OutboxEvent.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:100]
    )
    claims: list[Claim] = []
    for event_id in orphans:
        logger.warning("outbox event %s was never fanned out; fanning out now", event_id)
        claims += fan_out(event_id)
    return claims + claim_due()


# Secrets ---------------------------------------------------------------------------------


def rotate_secret(endpoint: WebhookEndpoint, *, grace: timedelta | None = None) -> str:
    """Give `endpoint` a new signing secret and return it in clear, for showing once.

    The secret it replaces keeps signing beside the new one for `grace` (default
    WEBHOOK_SECRET_GRACE_HOURS), so the partner can switch without missing a push; a secret
    still in its grace period from an earlier rotation is dropped now.
    """
    grace = settings.WEBHOOK_SECRET_GRACE if grace is None else grace
    secret = new_webhook_secret()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        secret_encrypted=crypto.encrypt(secret),
        previous_secret_encrypted=endpoint.secret_encrypted if grace else "",
        previous_secret_expires_at=timezone.now() + grace if grace else None,
    )
    endpoint.refresh_from_db(
        fields=["secret_encrypted", "previous_secret_encrypted", "previous_secret_expires_at"]
    )
    logger.info("webhook endpoint %s: signing secret rotated", endpoint.pk)
    return secret


def drop_expired_secrets(*, now: datetime | None = None) -> int:
    """Forget previous secrets whose grace period is over; returns how many."""
    return WebhookEndpoint.objects.filter(
        previous_secret_expires_at__lte=now or timezone.now()
    ).update(previous_secret_encrypted="", previous_secret_expires_at=None)


def rotate_encryption(*, batch: int = 500) -> int:
    """Re-encrypt every endpoint's secrets under the newest SOURCE_ENCRYPTION_KEYS key."""
    count = 0
    endpoints = WebhookEndpoint.objects.only("pk", "secret_encrypted", "previous_secret_encrypted")
    for endpoint in endpoints.iterator(chunk_size=batch):
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            secret_encrypted=crypto.rotate(endpoint.secret_encrypted),
            previous_secret_encrypted=crypto.rotate(endpoint.previous_secret_encrypted),
        )
        count += 1
    return count


# Attempting ------------------------------------------------------------------------------


@dataclass
class Outcome:
    status_code: int | None
    duration_ms: int
    error: str = ""
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


_session = requests.Session()


def post(url: str, *, body: str, headers: dict[str, str]) -> Outcome:
    """One HTTP POST, never raising: network trouble comes back as an Outcome with an error."""
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()
    try:
        response = _session.post(
            url,
            data=body.encode(),
            headers=headers,
            timeout=(timeout, timeout),
            allow_redirects=False,
            stream=True,
        )
    except requests.RequestException as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        # requests names the URL, query string included, in its messages.
        error = f"{redacted_url(url)}: {type(exc).__name__}: {scrubbed(str(exc), url)}"
        return Outcome(None, elapsed, error=error[:500])
    response.close()
    elapsed = int((time.monotonic() - started) * 1000)
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return Outcome(response.status_code, elapsed, error, response.headers.get("Retry-After"))


def attempt(delivery_id, token) -> str | None:
    """Make one attempt of a delivery leased to `token`; returns its status afterwards.

    Refuses (returns None) a delivery no longer pending or leased to someone else. A partner
    no longer entitled to the article gets nothing: the delivery is canceled.
    """
    now = timezone.now()
    mine = uuid.uuid4()
    won = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, lease_token=token
    ).update(lease_token=mine, leased_until=now + attempt_lease())
    if not won:
        return None
    delivery = Delivery.objects.select_related("endpoint", "partner", "event").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        Delivery.objects.filter(pk=delivery.pk, lease_token=mine).update(
            lease_token=None, leased_until=None
        )
        return delivery.status
    if not is_entitled(delivery.partner, delivery.event.article_id):
        Delivery.objects.filter(pk=delivery.pk, lease_token=mine).update(
            status=Delivery.Status.CANCELED, lease_token=None, leased_until=None
        )
        return Delivery.Status.CANCELED
    headers = signed_headers(
        secrets=endpoint.signing_secrets(at=now),
        webhook_id=delivery.webhook_id,
        body=delivery.payload,
        at=now,
    )
    outcome = post(endpoint.url, body=delivery.payload, headers=headers)
    return _record(delivery, mine, outcome, started=now)


@transaction.atomic
def _record(delivery: Delivery, token: uuid.UUID, outcome: Outcome, *, started: datetime) -> str:
    now = timezone.now()
    number = delivery.attempts + 1
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=number,
        at=started,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error,
    )
    logger.info(
        "webhook delivery %s attempt %d to endpoint %s (%s): %s in %d ms",
        delivery.pk,
        number,
        delivery.endpoint_id,
        redacted_url(delivery.endpoint.url),
        outcome.status_code or outcome.error,
        outcome.duration_ms,
    )
    changes: dict = {
        "attempts": F("attempts") + 1,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "lease_token": None,
        "leased_until": None,
    }
    endpoint = delivery.endpoint
    if outcome.ok:
        changes |= {"status": Delivery.Status.DELIVERED, "delivered_at": now}
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(
            failing_since=None
        )
    else:
        status = _after_failure(endpoint, outcome, now)
        wait = delay_after(number)
        if outcome.status_code in (429, 503):
            asked = parse_retry_after(outcome.retry_after, now=now)
            wait = asked if asked is not None and wait is not None else wait
        if status is not None or wait is None:
            changes["status"] = status or Delivery.Status.FAILED
        else:
            changes["next_attempt_at"] = now + wait
    updated = Delivery.objects.filter(pk=delivery.pk, lease_token=token).update(**changes)
    if not updated:
        logger.warning("webhook delivery %s: lease lost while attempting", delivery.pk)
    return changes.get("status", Delivery.Status.PENDING)


def _after_failure(endpoint: WebhookEndpoint, outcome: Outcome, now: datetime) -> str | None:
    """Endpoint bookkeeping after a failed attempt; a status if the delivery must stop."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
        failing_since=now
    )
    if outcome.status_code == 410:
        disable_endpoint(endpoint, reason="The endpoint answered 410 Gone.", at=now)
        return Delivery.Status.FAILED
    endpoint.refresh_from_db(fields=["failing_since", "active"])
    limit = settings.WEBHOOK_DISABLE_AFTER
    if endpoint.active and endpoint.failing_since and now - endpoint.failing_since >= limit:
        days = limit.total_seconds() / 86400
        disable_endpoint(
            endpoint,
            reason=(
                f"Every delivery failed for {days:g} days (since "
                f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC); last: {outcome.error}."
            ),
            at=now,
        )
    return None


def disable_endpoint(endpoint: WebhookEndpoint, *, reason: str, at: datetime | None = None) -> None:
    """Stop sending to an endpoint and say why (shown in the partner admin)."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
        active=False, disabled_reason=reason, disabled_at=at or timezone.now()
    )
    logger.warning(
        "webhook endpoint %s of partner %s disabled: %s", endpoint.pk, endpoint.partner_id, reason
    )


def enable_endpoint(endpoint: WebhookEndpoint) -> None:
    """Send again; deliveries left pending while it was disabled go on the next sweep."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        active=True, disabled_reason="", disabled_at=None, failing_since=None
    )
