"""Partners, their keys, entitlements and webhook endpoints, and the delivery log.

What a partner may see is decided in one place, `distribution.selectors`; these models only
hold the facts it reads. API keys are stored as prefix + hash (the key itself is shown once,
at creation, and never kept). A delivery is unique per (event, endpoint), so fanning an event
out twice cannot send it twice.
"""

from __future__ import annotations

import base64
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey

from articles.models import Desk, OutboxEvent, Topic
from sources import crypto


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_encrypted_webhook_secret() -> str:
    return crypto.encrypt(new_webhook_secret())


def _validate_event_types(value) -> None:
    known = set(OutboxEvent.Type.values)
    if not isinstance(value, list) or any(v not in known for v in value):
        raise ValidationError(
            "A list of event types, from: %(known)s (empty means all).",
            params={"known": ", ".join(sorted(known))},
        )


def _validate_secret(value: str) -> None:
    try:
        raw = base64.b64decode(value.removeprefix("whsec_"), validate=True)
    except ValueError as exc:
        raise ValidationError("The secret must be whsec_ followed by base64.") from exc
    if not value.startswith("whsec_") or len(raw) < 24:
        raise ValidationError("The secret must be whsec_ and at least 24 bytes of base64.")


class Partner(models.Model):
    """A newsroom subscribed to the wire, and what it is entitled to receive."""

    name = models.CharField(max_length=200, unique=True)
    active = models.BooleanField(default=True, help_text="An inactive partner's keys stop working.")
    all_desks = models.BooleanField(default=True, help_text="Every desk, now and future.")
    desks = models.ManyToManyField(Desk, blank=True, related_name="partners")
    all_languages = models.BooleanField(default=True, help_text="Every language.")
    languages = models.CharField(
        max_length=300, blank=True, help_text='Comma-separated BCP 47 tags, e.g. "en, zh-Hans".'
    )
    all_topics = models.BooleanField(default=True, help_text="Copy on any topic (or none).")
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="partners", help_text="Copy tagged with any of these."
    )
    embargoed = models.BooleanField(
        default=False, help_text="Receives embargoed copy before release, marked with its time."
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    # DRF reads these on request.user; a partner is the authenticated principal of the API.
    is_authenticated = True
    is_anonymous = False

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class APIScope(models.TextChoices):
    ITEMS = "items", "Items and their versions"
    DELIVERIES = "deliveries", "The partner's webhook delivery log"


def all_scopes() -> list[str]:
    return list(APIScope.values)


def _validate_scopes(value) -> None:
    if not isinstance(value, list) or not value or any(v not in APIScope.values for v in value):
        raise ValidationError(
            "One or more scopes, from: %(known)s.", params={"known": ", ".join(APIScope.values)}
        )


class PartnerAPIKey(AbstractAPIKey):
    """A partner's API key: only its prefix and hash are stored; revocable, may expire.

    The primary key (from djangorestframework-api-key) holds the hash; the admin addresses a
    key by its prefix instead, so the hash never appears in a URL or an access log.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    scopes = models.JSONField(
        default=all_scopes,
        validators=[_validate_scopes],
        help_text="What the key may read: items, deliveries.",
    )
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="To the minute."
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"


class WebhookEndpoint(models.Model):
    """Where a partner wants pushes, signed per Standard Webhooks.

    The signing secret is stored encrypted with the source key ring (SOURCE_ENCRYPTION_KEYS)
    and read only to sign or to show it once. After a rotation the previous secret signs
    alongside the new one until `previous_secret_expires_at`, so the partner can switch
    without missing a push.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="endpoints")
    url = models.URLField(max_length=500)
    secret_encrypted = models.TextField(default=new_encrypted_webhook_secret, editable=False)
    previous_secret_encrypted = models.TextField(blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    event_types = models.JSONField(
        default=list,
        blank=True,
        validators=[_validate_event_types],
        help_text='Event types to send, e.g. ["article.published"]; empty sends all.',
    )
    active = models.BooleanField(default=True)
    disabled_reason = models.TextField(blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="First failed attempt since the last success."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["partner", "url"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.url}"

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    @property
    def secret(self) -> str:
        """The current signing secret in clear (`whsec_…`)."""
        return crypto.decrypt(self.secret_encrypted)

    def signing_secrets(self, *, at=None) -> list[str]:
        """The secrets that sign a push sent at `at`: the current one, and the previous one
        while its grace period lasts."""
        at = at or timezone.now()
        secrets_ = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret_encrypted and expires is not None and at < expires:
            secrets_.append(crypto.decrypt(self.previous_secret_encrypted))
        return secrets_


class Delivery(models.Model):
    """One event to one endpoint: the payload frozen at fan-out, retried until it lands."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"
        CANCELED = "canceled", "Canceled (no longer entitled)"
        SUPERSEDED = "superseded", "Superseded (never sent: the story moved on)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # Denormalised from the endpoint so a partner's log is one indexed filter.
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="deliveries")
    webhook_id = models.CharField(max_length=64, help_text="Stable across retries.")
    event_type = models.CharField(max_length=40)
    guid = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    payload = models.TextField(help_text="The exact JSON body sent on every attempt.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lease_token = models.UUIDField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="delivery_once_per_endpoint")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["partner", "-created_at"], name="delivery_partner_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.guid} v{self.version} → {self.endpoint.url}"


class DeliveryAttempt(models.Model):
    """One HTTP attempt of a delivery: when, what came back, how long it took.

    Logged when the attempt starts, so an attempt cut short by a lost worker keeps its
    number (and says it has no outcome) and the next one is numbered after it.
    """

    NO_OUTCOME = "No outcome recorded: in progress, or the worker was lost."

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number", "pk"]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.status_code or self.error[:40]}"


class FeedRender(models.Model):
    """A feed render owed for one change: one feed scope, one outbox event.

    Recorded after the change commits (by its render task, or by the reconciler reading the
    outbox), and settled by a render that began after it was recorded. A row still owed is
    work a later pass must do, whoever lost the task; so a killed worker delays a feed, it
    never leaves it stale. `event` is empty for a render asked for without a change (an
    operator or a test re-rendering a story's feeds).
    """

    scope = models.CharField(
        max_length=200,
        help_text='Feed scope key: "all", "desk:<slug>", "topic:<slug>", "lang:<tag>".',
    )
    event = models.ForeignKey(
        OutboxEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="feed_renders"
    )
    owed_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(
        null=True, blank=True, help_text="When a render that read the change was stored."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "event"], name="feed_render_once_per_event")
        ]
        indexes = [
            models.Index(
                fields=["scope"],
                condition=models.Q(rendered_at__isnull=True),
                name="feed_render_owed",
            ),
            models.Index(fields=["owed_at"], name="feed_render_owed_at"),
        ]

    def __str__(self) -> str:
        state = "rendered" if self.rendered_at else "owed"
        return f"{self.scope} for {self.event_id or 'a manual render'}: {state}"


class FeedOutboxMark(models.Model):
    """How far the feed reconciler has read the outbox: the newest event it recorded.

    One row (`name` "outbox"). The reconciler reads again from a while before the mark, so
    an event created before the mark but committed after it is still found. A second row
    (`name` "kill-notices") holds the kill time up to which expired kill notices have had
    their feeds re-rendered.
    """

    name = models.CharField(max_length=40, primary_key=True)
    through = models.DateTimeField(help_text="created_at of the newest outbox event recorded.")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} read through {self.through.isoformat()}"
