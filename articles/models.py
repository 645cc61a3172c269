"""The newsroom's items and the people who make them.

Invariants the database can hold are declared here (unique guid, unique slug per desk,
one credit per place in the byline order, version numbers unique per article); the ones it
cannot hold as constraints (versions immutable, published version never goes down) are
database triggers in migration 0002.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from articles.sanitize import clean_body_html, clean_plain_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def new_guid() -> str:
    # Feed readers and partners key on this: it never depends on slug, host or scheme.
    return f"urn:newsroom:{uuid.uuid4()}"


class NamedTerm(models.Model):
    """A name with a unique slug: desks and the simple taxonomies."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Desk(NamedTerm):
    """A bureau or language service ("VOA Mandarin", "Washington")."""

    language = models.CharField(max_length=35, default="en", help_text="BCP 47 tag")


class Topic(NamedTerm):
    """A subject a story is filed under ("Elections", "Drought"); each has its feeds."""


class Region(NamedTerm):
    """Where a story is about ("East Africa")."""


class Contributor(models.Model):
    """A person who works on stories: staff, stringer, translator, photographer, editor."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        STRINGER = "stringer", "Stringer"
        TRANSLATOR = "translator", "Translator"
        PHOTOGRAPHER = "photographer", "Photographer"
        EDITOR = "editor", "Editor"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STAFF)
    desk = models.ForeignKey(Desk, null=True, blank=True, on_delete=models.SET_NULL)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "desk"], name="contributor_unique_per_desk")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.desk})" if self.desk else self.name


class ArticleQuerySet(models.QuerySet):
    def publicly_visible(self, now=None) -> ArticleQuerySet:
        """Published, released copy: what a reader, a feed or an unentitled partner may see."""
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED).filter(
            models.Q(embargo_until__isnull=True) | models.Q(embargo_until__lte=now)
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        EDITED = "edited", "Edited"
        PUBLISHED = "published", "Published"
        WITHHELD = "withheld", "Withheld"
        KILLED = "killed", "Killed"

    class Priority(models.IntegerChoices):
        # ninjs urgency: 1 is most urgent.
        FLASH = 1, "Flash"
        BULLETIN = 2, "Bulletin"
        URGENT = 3, "Urgent"
        ROUTINE = 5, "Routine"
        DEFERRED = 8, "Deferred"

    guid = models.CharField(max_length=64, unique=True, default=new_guid, editable=False)
    slug = models.SlugField(max_length=120, help_text="The wire slug line, unique per desk.")
    headline = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    dateline_place = models.CharField(max_length=120, blank=True)
    dateline_date = models.DateField(null=True, blank=True)
    body = models.TextField(blank=True, help_text="Sanitized HTML; subheads are h2.")
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 tag")
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="articles")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.ROUTINE)
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    regions = models.ManyToManyField(Region, blank=True, related_name="articles")
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )

    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    embargo_until = models.DateTimeField(null=True, blank=True, db_index=True)
    scheduled_for = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Publish automatically at this time."
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    embargo_lifted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="First release to readers."
    )
    version_created_at = models.DateTimeField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=0, help_text="Published version number.")
    lock_version = models.PositiveIntegerField(default=0)
    kill_notice = models.TextField(blank=True)
    withhold_reason = models.TextField(blank=True)
    withheld_ninjs = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="While withheld: the item as partners get it (the sent version without its "
        "copy, with the withheld notice), stored when the story is withheld.",
    )
    unsent_fields = models.CharField(
        max_length=200,
        blank=True,
        default="",
        editable=False,
        help_text='Parts of a published story\'s working copy not yet sent ("headline, body"), '
        "kept by articles.unsent.",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    modified_at = models.DateTimeField(default=timezone.now)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-version_created_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "slug"], name="article_slug_unique_per_desk"),
        ]
        indexes = [models.Index(fields=["status", "-version_created_at"])]
        permissions = [
            ("submit_article", "Can submit a story to the desk"),
            ("publish_article", "Can approve, publish, correct and update stories"),
            ("kill_article", "Can kill, withhold and release stories"),
            ("override_audit", "Can publish over open attribution findings"),
        ]

    def __str__(self) -> str:
        return f"{self.slug}: {self.headline}"

    def save(self, *args, **kwargs) -> None:
        self.clean_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:story", kwargs={"slug": self.slug})

    def clean_text(self) -> None:
        """Reduce the headline, summary and dateline to plain text and the body to the
        allowed HTML, as every save does; call it before a `bulk_create`, which skips save."""
        self.headline = clean_plain_text(self.headline)
        self.summary = clean_plain_text(self.summary)
        self.dateline_place = clean_plain_text(self.dateline_place)
        self.body = clean_body_html(self.body)

    @property
    def is_embargoed(self) -> bool:
        return bool(self.embargo_until and self.embargo_until > timezone.now())


class Credit(models.Model):
    """A contributor's part in a story; the byline and credit line are rendered from these."""

    class Role(models.TextChoices):
        BYLINE = "byline", "Byline"
        CONTRIBUTOR = "contributor", "Contributor"
        TRANSLATOR = "translator", "Translator"
        PHOTOGRAPHER = "photographer", "Photographer"
        EDITOR = "editor", "Editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits")
    contributor = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BYLINE)
    desk_label = models.CharField(
        max_length=120, blank=True, help_text='As printed: "VOA Mandarin" in "VOA Mandarin\'s X".'
    )
    place = models.CharField(max_length=120, blank=True, help_text='"from Marsabit"')
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "order"], name="credit_one_per_order"),
            models.UniqueConstraint(
                fields=["article", "contributor", "role"], name="credit_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contributor.name} ({self.role})"


class ArticleVersion(models.Model):
    """What went out at one publish, correction, update or kill: never edited afterwards."""

    class Event(models.TextChoices):
        PUBLISH = "publish", "Published"
        CORRECT = "correct", "Corrected"
        UPDATE = "update", "Updated (writethru)"
        KILL = "kill", "Killed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    event = models.CharField(max_length=10, choices=Event.choices)
    headline = models.CharField(max_length=300, blank=True, help_text="Empty for a kill.")
    summary = models.TextField(blank=True, help_text="The summary as sent (empty for a kill).")
    summary_generated = models.BooleanField(
        default=False,
        help_text="The summary was made from the lede when the version was sent (the editor "
        "left it empty).",
    )
    body = models.TextField(blank=True)
    byline = models.CharField(max_length=500, blank=True)
    credit_line = models.TextField(blank=True)
    note = models.TextField(blank=True, help_text="Correction or kill note, as published.")
    ninjs = models.JSONField(help_text="The exact item partners received.")
    html = models.TextField(help_text="The public page as rendered at the time.")
    slug = models.SlugField(
        max_length=120, blank=True, db_index=True, help_text="The slug line it went out under."
    )
    feeds = models.JSONField(
        default=list,
        blank=True,
        help_text='The feeds it was listed in, by scope key: "all", "desk:<slug>", '
        '"topic:<slug>", "lang:<tag>".',
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} v{self.number} ({self.event})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Article versions are immutable once stored.")
        super().save(*args, **kwargs)


class AuditEntryManager(models.Manager):
    def record(
        self,
        article: Article | None,
        *,
        by: AbstractBaseUser | None,
        action: str,
        from_status: str = "",
        note: str = "",
        subject: str = "",
    ) -> AuditEntry:
        """Write one entry in the audit trail and return it.

        `article` is the story acted on (None for an action on something else, named in
        `subject`, e.g. "source:12"); `by` is the user who acted (None for the system, kept
        as "system"); `action` names what was done ("publish", "reveal-contact");
        `from_status` is the story's state before the action, and its state now is taken
        from `article`; `note` says why or what changed. It saves in the caller's
        transaction, so an action rolled back leaves no entry.
        """
        entry = self.entry(
            article, by=by, action=action, from_status=from_status, note=note, subject=subject
        )
        entry.save(force_insert=True, using=self.db)
        return entry

    def entry(
        self,
        article: Article | None,
        *,
        by: AbstractBaseUser | None,
        action: str,
        from_status: str = "",
        note: str = "",
        subject: str = "",
    ) -> AuditEntry:
        """An unsaved entry, as `record` would write it (same arguments); `record_many`
        writes a list of them."""
        return self.model(
            article=article,
            actor=by,
            actor_name=by.get_username() if by else "system",
            action=action,
            from_status=from_status,
            to_status=article.status if article else "",
            note=note,
            subject=subject,
        )

    def record_many(self, entries: list[AuditEntry]) -> list[AuditEntry]:
        """Write entries made by `entry` with one insert, in the caller's transaction, as
        `record` does for one; for work done in batches (a bulk import)."""
        return self.bulk_create(entries)


class AuditEntry(models.Model):
    """Who did what, when, from which state: the newsroom's record of every action.

    Any app writes it through `AuditEntry.objects.record(...)`.
    """

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    subject = models.CharField(max_length=120, blank=True, help_text='e.g. "source:12"')
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="Kept when the user is deleted.")
    action = models.CharField(max_length=40, db_index=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEntryManager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


class OutboxEvent(models.Model):
    """A change partners must hear about, written in the same transaction as the change.

    Distribution reads these after commit; an event whose delivery never started is picked
    up again by the dispatcher, so a lost task loses nothing.
    """

    class Type(models.TextChoices):
        PUBLISH = "article.published", "Published"
        CORRECT = "article.corrected", "Corrected"
        UPDATE = "article.updated", "Updated"
        KILL = "article.killed", "Killed"
        WITHHOLD = "article.withheld", "Withheld"
        RELEASE = "article.released", "Released"
        EMBARGO_LIFT = "article.embargo_lifted", "Embargo lifted"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="outbox_events")
    event_type = models.CharField(max_length=40, choices=Type.choices)
    version = models.PositiveIntegerField()
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.article_id} v{self.version}"


class Alert(models.Model):
    """Something a desk must act on that no one asked for: an agency kill of a story we ran,
    an ingest channel failing past its backoff, a partner endpoint disabled after days of
    failures. Shown on the admin home page until resolved, and e-mailed once when raised
    (`articles.alerts.raise_alert`). ``desk`` is None for one the whole newsroom sees."""

    class Kind(models.TextChoices):
        AGENCY_KILL = "agency-kill", "Agency kill"
        AGENCY_WITHHOLD = "agency-withhold", "Agency withhold"
        CHANNEL_FAILING = "channel-failing", "Ingest channel failing"
        ENDPOINT_DISABLED = "endpoint-disabled", "Partner endpoint disabled"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    desk = models.ForeignKey(
        Desk, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    title = models.CharField(max_length=300)
    message = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Where to act (a site path)")
    key = models.CharField(
        max_length=200, help_text="What the alert is about; one open alert per key"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(resolved_at=None), name="alert_open_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title
