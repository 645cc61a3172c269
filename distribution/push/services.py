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
3. `attempt_many(claims)` re-leases a batch of rows for the length of their HTTP attempts,
   checks that the story has not moved past each (a later push to the same endpoint, or a
   withhold or kill while it carries copy: then it is recorded superseded and never sent),
   counts and logs the attempts, signs them and posts them all at once, each under a total
   deadline of WEBHOOK_TIMEOUT_SECONDS, records the outcomes in groups as they come in, and
   schedules each next attempt or gives up. The queries it makes do not grow with the
   batch (a few per group of outcomes); `attempt(delivery_id, token)` is a batch of one.

A worker that dies mid-attempt leaves its lease to expire; the beat-driven `dispatch()` then
claims the delivery again, and its next attempt is numbered after the lost one. The attempt
lease outlasts the deadline and the recording, so a running attempt is never sent twice.
Nothing waits in a Celery countdown, so the broker's visibility timeout never re-runs a
held task behind our back.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber
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
from distribution.push.client import Outcome, Request, post_many
from distribution.push.redaction import redacted_url
from distribution.push.schedule import MAX_ATTEMPTS, delay_after, parse_retry_after
from distribution.push.signing import signed_headers
from distribution.selectors import entitled_partner_ids, present
from sources import crypto

logger = logging.getLogger(__name__)

# A claimed delivery may wait this long in the queue before the dispatcher claims it again.
QUEUE_LEASE = timedelta(minutes=2)
# An outbox event with no fan-out after this long lost its task; the dispatcher does it.
ORPHAN_AGE = timedelta(seconds=5)
DISPATCH_BATCH = 200
# Rows per INSERT when an event fans out to many endpoints (PostgreSQL takes at most 65,535
# parameters in one statement).
DELIVERY_WRITE_BATCH = 1000

Claim = tuple[uuid.UUID, uuid.UUID]  # (delivery id, lease token)


# Time an attempt may spend around its HTTP deadline: the checks before it, signing, and
# recording the outcome. Generous, because a lease that ran out would let the dispatcher
# send the same attempt again while the first is still being recorded.
ATTEMPT_MARGIN = timedelta(seconds=20)


def attempt_lease(batch: int = 1) -> timedelta:
    """How long a batch of `batch` attempts holds its deliveries: the total HTTP deadline
    once per WEBHOOK_CONCURRENCY of them (those beyond wait for a place), plus the margin."""
    waves = math.ceil(batch / settings.WEBHOOK_CONCURRENCY)
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS) * waves + ATTEMPT_MARGIN


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
    # All of them, not one dispatch batch: a flash to 500 partners goes out at once.
    return claim_due(Delivery.objects.filter(event_id=event_id), limit=None)


def _create_deliveries(event: OutboxEvent, now: datetime) -> int:
    article = Article.objects.select_related("desk").get(pk=event.article_id)
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            active=True, partner__active=True
        ).select_related("partner")
        if endpoint.wants(event.event_type)
    ]
    partners = {endpoint.partner_id: endpoint.partner for endpoint in endpoints}
    entitled = entitled_partner_ids(partners.values(), article.pk)
    endpoints = [e for e in endpoints if e.partner_id in entitled]
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
        batch_size=DELIVERY_WRITE_BATCH,
    )
    return len(created)


# Claiming --------------------------------------------------------------------------------


def _skip_locked() -> dict:
    """SELECT … FOR NO KEY UPDATE SKIP LOCKED where the database has it.

    NO KEY: a row that is only referenced meanwhile (a delivery or a feed render being
    inserted for this event or endpoint takes a key-share lock on it) is not "locked" for
    us; a plain FOR UPDATE would skip it, and a fresh event would wait for the dispatcher's
    sweep instead of going out at once. Two claimers still exclude each other.
    """
    options = {}
    if connection.features.has_select_for_update_skip_locked:
        options["skip_locked"] = True
    if connection.features.has_select_for_no_key_update:
        options["no_key"] = True
    return options


def claim_due(queryset=None, *, limit: int | None = DISPATCH_BATCH) -> list[Claim]:
    """Lease up to `limit` due deliveries (from `queryset`, default all; None: no limit) to
    the caller, in a constant number of queries.

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
        # Each endpoint's due deliveries numbered in the order they go (one query for all).
        ranked = (
            due.filter(endpoint_id__in=endpoint_ids)
            .annotate(
                place=Window(
                    RowNumber(),
                    partition_by=[F("endpoint_id")],
                    order_by=[F("next_attempt_at").asc(), F("created_at").asc(), F("pk").asc()],
                )
            )
            .filter(place__lte=allowed)
            .values_list("endpoint_id", "place", "pk")
        )
        queued: dict[int, list[tuple[int, uuid.UUID]]] = {}
        for endpoint_id, place, pk in ranked:
            queued.setdefault(endpoint_id, []).append((place, pk))
        ids: list[uuid.UUID] = []
        for endpoint_id in endpoint_ids:
            room = allowed - in_flight.get(endpoint_id, 0)
            if limit is not None:
                room = min(room, limit - len(ids))
            if room <= 0:
                continue
            ids += [pk for _, pk in sorted(queued.get(endpoint_id, []))[:room]]
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
    """Make one attempt of a delivery leased to `token`; returns its status afterwards, or
    None if it was refused. A batch of one: see `attempt_many`."""
    return attempt_many([(delivery_id, token)]).get(uuid.UUID(str(delivery_id)))


def attempt_many(claims: Iterable[Claim]) -> dict[uuid.UUID, str | None]:
    """Make one attempt of each delivery in `claims` ((delivery id, lease token) pairs, as
    `claim_due` hands them out), all at once; returns {delivery id: status afterwards}.

    Refuses (None) a delivery no longer pending or leased to someone else. A delivery to an
    endpoint disabled since it was claimed stays pending, unsent. A partner no longer
    entitled to the article gets nothing: the delivery is canceled. A delivery the story
    has moved past (see `superseded_because`) is never sent: it is recorded superseded.
    Each attempt is counted and logged before anything is sent, so one cut short by a lost
    worker still has its number and the next is numbered after it. The rest are signed and
    posted concurrently (`client.post_many`), each under WEBHOOK_TIMEOUT_SECONDS in all,
    and recorded in groups as their outcomes come in: one slow or dead partner does not
    hold up the recording of the others.

    Queries: about fifteen for the batch, plus one per distinct entitlement set of its
    partners and at most six per group of outcomes; none per delivery (one more per
    endpoint only when an endpoint is disabled).
    """
    claims = [(uuid.UUID(str(pk)), uuid.UUID(str(token))) for pk, token in claims]
    statuses: dict[uuid.UUID, str | None] = {pk: None for pk, _ in claims}
    if not claims:
        return statuses
    mine = uuid.uuid4()
    ready, logs, started = _prepare(claims, mine, statuses)
    if not ready:
        return statuses
    requests = [
        Request(
            d.endpoint.url,
            d.payload,
            signed_headers(
                secrets=d.endpoint.signing_secrets(at=started),
                webhook_id=d.webhook_id,
                body=d.payload,
                at=started,
            ),
        )
        for d in ready
    ]
    for outcomes in post_many(requests, deadline=settings.WEBHOOK_TIMEOUT_SECONDS):
        group = [(ready[index], logs[ready[index].pk], outcome) for index, outcome in outcomes]
        statuses.update(_record_many(group, mine))
    return statuses


@transaction.atomic
def _prepare(
    claims: list[Claim], mine: uuid.UUID, statuses: dict[uuid.UUID, str | None]
) -> tuple[list[Delivery], dict[uuid.UUID, DeliveryAttempt], datetime]:
    """Everything before sending, in one transaction (one commit): take the batch's leases
    under `mine`, set aside what must not go (noting its status in `statuses`), count and
    log the attempts of the rest. Returns those to send, their attempt logs, and the time
    they are signed at."""
    _lease(claims, mine)
    deliveries = list(
        Delivery.objects.filter(pk__in=list(statuses), lease_token=mine).select_related(
            "endpoint", "partner", "event"
        )
    )
    if not deliveries:
        return [], {}, timezone.now()

    def set_aside(chosen: list[Delivery], status: str | None = None, **fields) -> None:
        _settle_many(chosen, mine, status=status, **fields)
        for delivery in chosen:
            statuses[delivery.pk] = status or delivery.status

    set_aside([d for d in deliveries if not d.endpoint.active])
    ready = [d for d in deliveries if d.endpoint.active]
    not_entitled = _not_entitled(ready)
    set_aside([d for d in ready if d.pk in not_entitled], Delivery.Status.CANCELED)
    ready = [d for d in ready if d.pk not in not_entitled]
    reasons = _superseded_reasons(ready)
    for reason in set(reasons.values()):
        moved_on = [d for d in ready if reasons.get(d.pk) == reason]
        for delivery in moved_on:
            logger.info("webhook delivery %s superseded: %s", delivery.pk, reason)
        set_aside(moved_on, Delivery.Status.SUPERSEDED, last_error=reason)
    ready = [d for d in ready if d.pk not in reasons]
    # Their last attempts were cut short (a lost worker): no outcome, and no attempt left.
    set_aside([d for d in ready if d.attempts >= MAX_ATTEMPTS], Delivery.Status.FAILED)
    ready = [d for d in ready if d.attempts < MAX_ATTEMPTS]
    if not ready:
        return [], {}, timezone.now()

    started = timezone.now()
    logs = _start_many(ready, mine, started)
    ready = [d for d in ready if d.pk in logs]
    return ready, logs, started


def _lease(claims: list[Claim], mine: uuid.UUID) -> None:
    """Move the claimed rows still pending under their queue token to `mine`, for as long
    as the batch's attempts may take."""
    until = timezone.now() + attempt_lease(len(claims))
    by_token: dict[uuid.UUID, list[uuid.UUID]] = {}
    for pk, token in claims:
        by_token.setdefault(token, []).append(pk)
    # Usually one token: a claim hands out one for all it leases.
    for token, ids in by_token.items():
        Delivery.objects.filter(
            pk__in=ids, status=Delivery.Status.PENDING, lease_token=token
        ).update(lease_token=mine, leased_until=until)


def _not_entitled(deliveries: list[Delivery]) -> set[uuid.UUID]:
    """The deliveries whose partner may no longer see the article."""
    by_article: dict[int, list[Delivery]] = {}
    for delivery in deliveries:
        by_article.setdefault(delivery.event.article_id, []).append(delivery)
    refused: set[uuid.UUID] = set()
    for article_id, group in by_article.items():
        partners = {d.partner_id: d.partner for d in group}
        entitled = entitled_partner_ids(partners.values(), article_id)
        refused.update(d.pk for d in group if d.partner_id not in entitled)
    return refused


def superseded_because(delivery: Delivery) -> str:
    """Why `delivery` must no longer be sent, or "" if it may go.

    A delivery is superseded when a later outbox event of the same story has a delivery to
    the same endpoint (each event carries the story's state when it was made: a kill, a
    withhold, a newer version), or when it carries copy (pubstatus `usable`) that the
    story's present state no longer allows: the story is withheld or killed now. A receiver
    that got the later push must never get the earlier copy after it.
    """
    return _superseded_reasons([delivery]).get(delivery.pk, "")


def _superseded_reasons(deliveries: list[Delivery]) -> dict[uuid.UUID, str]:
    """`superseded_because` for many deliveries in two queries: {id: reason} of those that
    must not go."""
    if not deliveries:
        return {}
    later: dict[tuple[int, int], list[tuple[datetime, str, int]]] = {}
    rows = (
        Delivery.objects.filter(
            endpoint_id__in={d.endpoint_id for d in deliveries},
            event__article_id__in={d.event.article_id for d in deliveries},
            event__created_at__gt=min(d.event.created_at for d in deliveries),
        )
        .order_by("event__created_at")
        .values_list(
            "endpoint_id", "event__article_id", "event__created_at", "event_type", "version"
        )
    )
    for endpoint_id, article_id, created_at, event_type, version in rows:
        later.setdefault((endpoint_id, article_id), []).append((created_at, event_type, version))
    reasons: dict[uuid.UUID, str] = {}
    with_copy: list[Delivery] = []
    for delivery in deliveries:
        event = delivery.event
        after = [
            (event_type, version)
            for created_at, event_type, version in later.get(
                (delivery.endpoint_id, event.article_id), []
            )
            if created_at > event.created_at
        ]
        if after:
            kind, version = after[0]
            reasons[delivery.pk] = (
                f"Superseded by a later {kind} (version {version}) to this endpoint."
            )
        elif _carries_copy(delivery):
            with_copy.append(delivery)
    if with_copy:
        status_of = dict(
            Article.objects.filter(pk__in={d.event.article_id for d in with_copy}).values_list(
                "pk", "status"
            )
        )
        for delivery in with_copy:
            status = status_of.get(delivery.event.article_id)
            if status in (Article.Status.WITHHELD, Article.Status.KILLED, None):
                reasons[delivery.pk] = (
                    f"Not sent: the story is {status or 'gone'} now and this push carries its copy."
                )
    return reasons


def _carries_copy(delivery: Delivery) -> bool:
    try:
        pubstatus = json.loads(delivery.payload)["data"]["pubstatus"]
    except (ValueError, KeyError, TypeError):
        return True  # unreadable: treat it as the riskier kind
    return pubstatus not in (PUBSTATUS[Article.Status.WITHHELD], PUBSTATUS[Article.Status.KILLED])


def _settle_many(
    deliveries: list[Delivery], token: uuid.UUID, *, status: str | None = None, **fields
) -> None:
    """Give up the lease of `deliveries` without an attempt, setting `status` (and `fields`)
    if given; one query."""
    if not deliveries:
        return
    changes = {"lease_token": None, "leased_until": None, **fields}
    if status is not None:
        changes["status"] = status
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries], lease_token=token).update(**changes)


@transaction.atomic
def _start_many(
    deliveries: list[Delivery], token: uuid.UUID, at: datetime
) -> dict[uuid.UUID, DeliveryAttempt]:
    """Count each attempt and log it before anything is sent; {delivery id: its log}, of
    those whose lease still holds. Three queries."""
    ids = [d.pk for d in deliveries]
    held = Delivery.objects.filter(pk__in=ids, lease_token=token)
    held.update(attempts=F("attempts") + 1)
    numbers = dict(held.values_list("pk", "attempts"))
    counted = [d for d in deliveries if d.pk in numbers]
    for delivery in counted:
        delivery.attempts = numbers[delivery.pk]
    logs = DeliveryAttempt.objects.bulk_create(
        [
            DeliveryAttempt(delivery=d, number=d.attempts, at=at, error=DeliveryAttempt.NO_OUTCOME)
            for d in counted
        ],
        batch_size=DELIVERY_WRITE_BATCH,
    )
    return {log.delivery_id: log for log in logs}


RECORDED_ALWAYS = ["last_status_code", "last_error", "lease_token", "leased_until"]


@transaction.atomic
def _record_many(
    group: list[tuple[Delivery, DeliveryAttempt, Outcome]], token: uuid.UUID
) -> dict[uuid.UUID, str]:
    """Record a group of outcomes, schedule each next attempt or give up; {id: status}.

    At most six queries for the group (the attempt log, three kinds of delivery change,
    the endpoints' failing state), plus one per endpoint that is disabled now.
    """
    now = timezone.now()
    for delivery, log, outcome in group:
        log.status_code, log.duration_ms, log.error = (
            outcome.status_code,
            outcome.duration_ms,
            outcome.error,
        )
        logger.info(
            "webhook delivery %s attempt %d to endpoint %s (%s): %s in %d ms",
            delivery.pk,
            log.number,
            delivery.endpoint_id,
            redacted_url(delivery.endpoint.url),
            outcome.status_code or outcome.error,
            outcome.duration_ms,
        )
    _update_rows(
        DeliveryAttempt.objects.all(),
        [log for _, log, _ in group],
        ["status_code", "duration_ms", "error"],
    )
    _endpoints_after(group, now)
    delivered: list[Delivery] = []
    retrying: list[Delivery] = []
    stopped: list[Delivery] = []
    for delivery, log, outcome in group:
        delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
        delivery.lease_token = delivery.leased_until = None
        if outcome.ok:
            delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
            delivered.append(delivery)
            continue
        wait = delay_after(log.number)
        if outcome.status_code in (429, 503):
            asked = parse_retry_after(outcome.retry_after, now=now)
            wait = asked if asked is not None and wait is not None else wait
        if outcome.status_code == 410 or wait is None:
            delivery.status = Delivery.Status.FAILED
            stopped.append(delivery)
        else:
            delivery.next_attempt_at = now + wait
            retrying.append(delivery)
    # Only under our own lease: a row someone else took over is theirs to record.
    held = Delivery.objects.filter(lease_token=token)
    updated = 0
    for changed, fields in (
        (delivered, ["status", "delivered_at"]),
        (retrying, ["next_attempt_at"]),
        (stopped, ["status"]),
    ):
        updated += _update_rows(held, changed, RECORDED_ALWAYS + fields)
    if updated < len(group):
        logger.warning(
            "webhook deliveries %s: lease lost while attempting",
            ", ".join(str(d.pk) for d, _, _ in group),
        )
    return {delivery.pk: delivery.status for delivery, _, _ in group}


def _update_rows(queryset, objects: list, fields: list[str]) -> int:
    """Write each object's `fields` to its row, among the rows of `queryset` (whose filters
    still apply), in one UPDATE … FROM (VALUES …) statement; how many rows were updated.

    What `bulk_update` does, without its CASE per row and field, whose building costs
    Django more than the database's work for a batch of a few dozen rows.
    """
    if not objects:
        return 0
    model = queryset.model
    meta = model._meta
    columns = [meta.pk] + [meta.get_field(name) for name in fields]
    row = "(" + ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in columns) + ")"
    params: list = []
    for obj in objects:
        for field in columns:
            params.append(field.get_db_prep_value(getattr(obj, field.attname), connection))
    # VALUES names its columns column1, column2, … on PostgreSQL and SQLite alike.
    assignments = ", ".join(
        f"{connection.ops.quote_name(f.column)} = v.column{n}"
        for n, f in enumerate(columns[1:], start=2)
    )
    table = connection.ops.quote_name(meta.db_table)
    pk = connection.ops.quote_name(meta.pk.column)
    ids = queryset.filter(pk__in=[obj.pk for obj in objects]).values("pk")
    ids_sql, ids_params = ids.query.sql_with_params()
    sql = (
        f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(objects))}) AS v "
        f"WHERE {table}.{pk} = v.column1 AND {table}.{pk} IN ({ids_sql})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids_params])
        return cursor.rowcount


def _endpoints_after(group: list[tuple[Delivery, DeliveryAttempt, Outcome]], now: datetime) -> None:
    """Endpoint bookkeeping after a group of outcomes: a success clears an endpoint's
    failing state, a failure starts it; 410 Gone disables the endpoint at once, and so does
    failing for WEBHOOK_DISABLE_AFTER. An endpoint's last outcome in the group decides."""
    last: dict[int, tuple[WebhookEndpoint, Outcome]] = {}
    for delivery, _, outcome in group:
        last[delivery.endpoint_id] = (delivery.endpoint, outcome)
    recovered = [pk for pk, (_, outcome) in last.items() if outcome.ok]
    failing = [pk for pk, (_, outcome) in last.items() if not outcome.ok]
    if recovered:
        WebhookEndpoint.objects.filter(pk__in=recovered, failing_since__isnull=False).update(
            failing_since=None
        )
    if not failing:
        return
    WebhookEndpoint.objects.filter(pk__in=failing, failing_since__isnull=True).update(
        failing_since=now
    )
    for delivery, _, outcome in group:
        if outcome.status_code == 410:
            disable_endpoint(
                delivery.endpoint, reason="The endpoint answered 410 Gone.", at=now, alert=True
            )
    limit = settings.WEBHOOK_DISABLE_AFTER
    too_long = WebhookEndpoint.objects.filter(
        pk__in=failing, active=True, failing_since__lte=now - limit
    ).values_list("pk", "failing_since")
    for pk, failing_since in too_long:
        endpoint, outcome = last[pk]
        days = limit.total_seconds() / 86400
        disable_endpoint(
            endpoint,
            reason=(
                f"Every delivery failed for {days:g} days (since "
                f"{failing_since:%Y-%m-%d %H:%M} UTC); last: {outcome.error}."
            ),
            at=now,
            alert=True,
        )


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
