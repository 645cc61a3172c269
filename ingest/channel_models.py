"""Agency channels and what they bring in: the channel, its queue of items, and the log.

An `IngestChannel` is where an agency delivers (a folder drop, a polled RSS/Atom feed, or
HTTP push). Each story that arrives is an `IngestItem`, identified by (channel, guid), with
every version the agency moved kept as an `IngestItemVersion`. Every arrival, whatever came
of it, is one `IngestLogEntry`. The rules live in `ingest.channels`; these models hold the
facts it reads and writes.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from articles.models import Article, Desk
from sources import crypto


def new_push_secret() -> str:
    """A push channel's signing secret in clear: 32 random bytes, URL-safe base64."""
    return secrets.token_urlsafe(32)


def new_encrypted_push_secret() -> str:
    return crypto.encrypt(new_push_secret())


class IngestChannel(models.Model):
    """One place an agency delivers to, run by itself at its interval (push: when called).

    Backoff: after a failed run the next attempt waits ``poll_interval × 2^(failures-1)``
    seconds, capped at settings.INGEST_BACKOFF_MAX_SECONDS; a successful run resets it.
    The push secret is stored encrypted (SOURCE_ENCRYPTION_KEYS) and shown once.
    """

    class Kind(models.TextChoices):
        FOLDER = "folder", "Folder drop"
        FEED = "feed", "RSS/Atom feed"
        PUSH = "push", "HTTP push"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in the push address.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="ingest_channels")
    language = models.CharField(
        max_length=35, blank=True, help_text="BCP 47 tag for drafts; empty: the item's or desk's"
    )
    priority = models.PositiveSmallIntegerField(
        choices=Article.Priority.choices,
        default=Article.Priority.ROUTINE,
        help_text="Priority of drafts when the item gives no urgency.",
    )
    active = models.BooleanField(default=True, help_text="A paused channel is not polled.")
    poll_interval = models.PositiveIntegerField(default=60, help_text="Seconds between polls.")
    path = models.CharField(max_length=500, blank=True, help_text="Folder drop: the directory.")
    url = models.URLField(max_length=500, blank=True, help_text="Feed: its address.")
    create_drafts = models.BooleanField(
        default=False, help_text="Make a draft on the desk for every new item at once."
    )
    follow_agency_kills = models.BooleanField(
        default=False,
        help_text="When the agency cancels or withholds an item, kill or withhold our "
        "published story by itself (otherwise the desk is alerted and decides).",
    )
    secret_encrypted = models.TextField(default=new_encrypted_push_secret, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    next_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_run_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def secret(self) -> str:
        """The push signing secret in clear."""
        return crypto.decrypt(self.secret_encrypted)


class IngestItem(models.Model):
    """One agency story as it stands now (its latest version): the queue editors see.

    ``data`` is the item as parsed (`wire.formats.IncomingItem` as a dict); ``story`` the
    wire-import contract's object made from it, which a draft is saved from.
    """

    class PubStatus(models.TextChoices):
        USABLE = "usable", "Usable"
        WITHHELD = "withheld", "Withheld by the agency"
        CANCELED = "canceled", "Canceled by the agency"

    channel = models.ForeignKey(IngestChannel, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=300)
    format = models.CharField(max_length=20)
    version = models.PositiveIntegerField(default=1)
    content_hash = models.CharField(max_length=64)
    headline = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict)
    story = models.JSONField(default=dict)
    pub_status = models.CharField(
        max_length=10, choices=PubStatus.choices, default=PubStatus.USABLE
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    first_received_at = models.DateTimeField(default=timezone.now)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when a newer version reached a story already published: the desk decides.
    update_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "guid"], name="ingest_item_channel_guid")
        ]
        permissions = [("take_ingestitem", "Can take an agency item onto the desk")]

    def __str__(self) -> str:
        return self.headline or self.guid


class IngestItemVersion(models.Model):
    """One version of an agency item as it arrived; never changed afterwards."""

    item = models.ForeignKey(IngestItem, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    headline = models.CharField(max_length=300, blank=True)
    pub_status = models.CharField(max_length=10, choices=IngestItem.PubStatus.choices)
    data = models.JSONField(default=dict)
    story = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item.guid} v{self.version}"


class IngestLogEntry(models.Model):
    """One arrival on a channel, whatever came of it; a channel's failed run is one too."""

    class Result(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        UNCHANGED = "unchanged", "Unchanged"
        FAILED = "failed", "Failed"

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.ForeignKey(IngestChannel, on_delete=models.CASCADE, related_name="log")
    name = models.CharField(max_length=500, blank=True, help_text="File, feed entry or push.")
    format = models.CharField(max_length=20, blank=True)
    guid = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices, db_index=True)
    item = models.ForeignKey(
        IngestItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="log"
    )
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name_plural = "ingest log entries"

    def __str__(self) -> str:
        return f"{self.name or self.guid}: {self.result}"
