"""Partner push: fan an outbox event out to deliveries, and attempt them until they land.

The life of a delivery:

1. `fan_out(event_id)` creates one Delivery per entitled, active endpoint subscribed to the
   event type (unique per (event, endpoint), so running it twice adds nothing), freezes the
   payload, and marks the OutboxEvent dispatched — all in one transaction.
2. `claim_due()` hands out due deliveries under a lease token; each endpoint's row is
   locked with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL while its deliveries are
   claimed, so two dispatchers never share one. At most WEBHOOK_MAX_IN_FLIGHT deliveries
   per endpoint are leased at once (default 1), so a slow partner holds at most that many
   workers, and one endpoint's deliveries go out in the order they became due.
3. `attempt(delivery_id, token)` re-leases the row for the length of one HTTP attempt,
   checks that the story has not moved past it (a later push to the same endpoint, or a
   withhold or kill while it carries copy: then it is recorded superseded and never sent),
   counts and logs the attempt, signs and posts it under a total deadline of
   WEBHOOK_TIMEOUT_SECONDS, records the outcome, and schedules the next one or gives up.

A worker that dies mid-attempt leaves its lease to expire; the beat-driven `dispatch()` then
claims the delivery again, and its next attempt is numbered after the lost one. The attempt
lease outlasts the deadline and the recording, so a running attempt is never sent twice.
Nothing waits in a Celery countdown, so the broker's visibility timeout never re-runs a
held task behind our back.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone

from articles.alerts import raise_alert, resolve_alerts
from articles.models import Alert, Article, ArticleVersion, OutboxEvent
from articles.ninjs import PUBSTATUS, iso_utc, withheld_notice, without_copy
from distribution.models import (
    Delivery,
    DeliveryAttempt,
    Partner,
    WebhookEndpoint,
    new_webhook_secret,
)
from distribution.push.client import Outcome, post
from distribution.push.redaction import redacted_url
from distribution.push.schedule import MAX_ATTEMPTS, delay_after, parse_retry_after
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


# Time an attempt may spend around its HTTP deadline: the checks before it, signing, and
# recording the outcome. Generous, because a lease that ran out would let the dispatcher
# send the same attempt again while the first is still being recorded.
ATTEMPT_MARGIN = timedelta(seconds=20)


def attempt_lease() -> timedelta:
    """How long one attempt holds its delivery: the total HTTP deadline plus the margin."""
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS) + ATTEMPT_MARGIN


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
        "timestamp": iso_utc(event.created_at),
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
    lease. Deliveries to a disabled endpoint stay pending until it is enabled again. An
    endpoint with WEBHOOK_MAX_IN_FLIGHT deliveries already leased gets no more until one
    finishes; within an endpoint the longest-due go first. The endpoint's row is locked
    while its deliveries are counted and claimed, so two dispatchers cannot both fill the
    same free place.
    """
    now = timezone.now()
    base = queryset if queryset is not None else Delivery.objects.all()
    due = base.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=now, endpoint__active=True
    ).filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
    allowed = settings.WEBHOOK_MAX_IN_FLIGHT
    with transaction.atomic():
        # The endpoints waiting longest first, so none starves behind a busy batch.
        wanted = list(
            due.values("endpoint_id")
            .annotate(waiting_since=Min("next_attempt_at"))
            .order_by("waiting_since")
            .values_list("endpoint_id", flat=True)[:limit]
        )
        if not wanted:
            return []
        endpoint_ids = list(
            WebhookEndpoint.objects.select_for_update(**_skip_locked())
            .filter(pk__in=wanted)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        in_flight = dict(
            Delivery.objects.filter(
                endpoint_id__in=endpoint_ids,
                status=Delivery.Status.PENDING,
                leased_until__gte=now,
            )
            .values("endpoint_id")
            .annotate(leased=Count("pk"))
            .values_list("endpoint_id", "leased")
        )
        ids: list[uuid.UUID] = []
        for endpoint_id in endpoint_ids:
            room = min(allowed - in_flight.get(endpoint_id, 0), limit - len(ids))
            if room <= 0:
                continue
            ids += list(
                due.filter(endpoint_id=endpoint_id)
                .order_by("next_attempt_at", "created_at")
                .values_list("pk", flat=True)[:room]
            )
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


def attempt(delivery_id, token) -> str | None:
    """Make one attempt of a delivery leased to `token`; returns its status afterwards.

    Refuses (returns None) a delivery no longer pending or leased to someone else. A partner
    no longer entitled to the article gets nothing: the delivery is canceled. A delivery the
    story has moved past (see `superseded_because`) is never sent: it is recorded superseded.
    The attempt is counted when it starts, so one cut short by a lost worker still has its
    number and the next is numbered after it.
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
        _settle(delivery, mine)
        return delivery.status
    if not is_entitled(delivery.partner, delivery.event.article_id):
        _settle(delivery, mine, status=Delivery.Status.CANCELED)
        return Delivery.Status.CANCELED
    reason = superseded_because(delivery)
    if reason:
        logger.info("webhook delivery %s superseded: %s", delivery.pk, reason)
        _settle(delivery, mine, status=Delivery.Status.SUPERSEDED, last_error=reason)
        return Delivery.Status.SUPERSEDED
    if delivery.attempts >= MAX_ATTEMPTS:
        # Its last attempts were cut short (a lost worker): no outcome, and no attempt left.
        _settle(delivery, mine, status=Delivery.Status.FAILED)
        return Delivery.Status.FAILED
    started = timezone.now()
    log = _start(delivery, mine, started)
    if log is None:
        return None
    headers = signed_headers(
        secrets=endpoint.signing_secrets(at=started),
        webhook_id=delivery.webhook_id,
        body=delivery.payload,
        at=started,
    )
    outcome = post(
        endpoint.url,
        body=delivery.payload,
        headers=headers,
        deadline=settings.WEBHOOK_TIMEOUT_SECONDS,
    )
    return _record(delivery, mine, log, outcome)


def superseded_because(delivery: Delivery) -> str:
    """Why `delivery` must no longer be sent, or "" if it may go.

    A delivery is superseded when a later outbox event of the same story has a delivery to
    the same endpoint (each event carries the story's state when it was made: a kill, a
    withhold, a newer version), or when it carries copy (pubstatus `usable`) that the
    story's present state no longer allows: the story is withheld or killed now. A receiver
    that got the later push must never get the earlier copy after it.
    """
    event = delivery.event
    later = (
        Delivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            event__article_id=event.article_id,
            event__created_at__gt=event.created_at,
        )
        .order_by("event__created_at")
        .values_list("event_type", "version")
        .first()
    )
    if later is not None:
        return f"Superseded by a later {later[0]} (version {later[1]}) to this endpoint."
    if not _carries_copy(delivery):
        return ""
    status = Article.objects.filter(pk=event.article_id).values_list("status", flat=True).first()
    if status in (Article.Status.WITHHELD, Article.Status.KILLED, None):
        return f"Not sent: the story is {status or 'gone'} now and this push carries its copy."
    return ""


def _carries_copy(delivery: Delivery) -> bool:
    try:
        pubstatus = json.loads(delivery.payload)["data"]["pubstatus"]
    except (ValueError, KeyError, TypeError):
        return True  # unreadable: treat it as the riskier kind
    return pubstatus not in (PUBSTATUS[Article.Status.WITHHELD], PUBSTATUS[Article.Status.KILLED])


def _settle(delivery: Delivery, token: uuid.UUID, *, status: str | None = None, **fields) -> None:
    """Give up the lease without an attempt, setting `status` (and `fields`) if given."""
    changes = {"lease_token": None, "leased_until": None, **fields}
    if status is not None:
        changes["status"] = status
    Delivery.objects.filter(pk=delivery.pk, lease_token=token).update(**changes)


@transaction.atomic
def _start(delivery: Delivery, token: uuid.UUID, at: datetime) -> DeliveryAttempt | None:
    """Count the attempt and log it before anything is sent; None if the lease is gone."""
    counted = Delivery.objects.filter(pk=delivery.pk, lease_token=token).update(
        attempts=F("attempts") + 1
    )
    if not counted:
        return None
    number = Delivery.objects.values_list("attempts", flat=True).get(pk=delivery.pk)
    delivery.attempts = number
    return DeliveryAttempt.objects.create(
        delivery=delivery, number=number, at=at, error=DeliveryAttempt.NO_OUTCOME
    )


@transaction.atomic
def _record(delivery: Delivery, token: uuid.UUID, log: DeliveryAttempt, outcome: Outcome) -> str:
    now = timezone.now()
    number = log.number
    DeliveryAttempt.objects.filter(pk=log.pk).update(
        status_code=outcome.status_code, duration_ms=outcome.duration_ms, error=outcome.error
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
        disable_endpoint(endpoint, reason="The endpoint answered 410 Gone.", at=now, alert=True)
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
            alert=True,
        )
    return None


def disable_endpoint(
    endpoint: WebhookEndpoint, *, reason: str, at: datetime | None = None, alert: bool = False
) -> bool:
    """Stop sending to an endpoint and say why (shown in the partner admin); True if it was
    active. With ``alert`` (the push path disabling it by itself, not an editor), a
    newsroom-wide alert says so on the admin home page and by e-mail (`articles.alerts`)."""
    disabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
        active=False, disabled_reason=reason, disabled_at=at or timezone.now()
    )
    if not disabled:
        return False
    logger.warning(
        "webhook endpoint %s of partner %s disabled: %s", endpoint.pk, endpoint.partner_id, reason
    )
    if alert:
        partner = Partner.objects.only("name").get(pk=endpoint.partner_id)
        raise_alert(
            kind=Alert.Kind.ENDPOINT_DISABLED,
            key=_endpoint_alert_key(endpoint),
            title=f"{partner.name}: webhook endpoint {redacted_url(endpoint.url)} disabled",
            message=reason,
            url=reverse("admin:distribution_webhookendpoint_change", args=[endpoint.pk]),
        )
    return True


def enable_endpoint(endpoint: WebhookEndpoint) -> None:
    """Send again; deliveries left pending while it was disabled go on the next sweep."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        active=True, disabled_reason="", disabled_at=None, failing_since=None
    )
    resolve_alerts(key=_endpoint_alert_key(endpoint))


def _endpoint_alert_key(endpoint: WebhookEndpoint) -> str:
    return f"endpoint-disabled:{endpoint.pk}"
