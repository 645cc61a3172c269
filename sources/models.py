"""Sources and the attributions that tie quotes to them.

A confidential source's identity and every source's contact details are encrypted at rest
(`EncryptedTextField` holds only ciphertext); only `sources.services` decrypts them, for
users with the Standards permission, and records each reading.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article
from sources.crypto import EncryptedTextField


class Source(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organization"
        UNNAMED = "unnamed", "Unnamed"

    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(
        max_length=200,
        help_text="As printed. For an anonymous source, the description the story carries "
        '("a senior diplomat").',
    )
    title = models.CharField(max_length=200, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Other spellings used.")

    confidential = models.BooleanField(
        default=False, help_text="Anonymous in print; the identity is known to Standards only."
    )
    identity = EncryptedTextField(blank=True)
    anonymity_reason = models.TextField(blank=True)
    anonymity_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = EncryptedTextField(blank=True)
    notes = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("view_confidential_source", "Can see confidential identities and contact details"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(confidential=True, kind="organization")
                | models.Q(confidential=False),
                name="source_confidential_not_organization",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.UNNAMED or self.confidential:
            return f"{self.name} (unnamed)"
        detail = ", ".join(part for part in (self.title, self.affiliation) if part)
        return f"{self.name}, {detail}" if detail else self.name

    @property
    def is_public(self) -> bool:
        """A source that may be named outside the newsroom (feeds, API, pages)."""
        return not self.confidential and self.kind != self.Kind.UNNAMED


class Attribution(models.Model):
    """A quote or paraphrase in an article, tied to the source who said it."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quote"
        PARTIAL = "partial", "Partial quote"
        PARAPHRASE = "paraphrase", "Paraphrase"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attributions")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="attributions"
    )
    text = models.TextField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DIRECT)
    verb = models.CharField(max_length=40, blank=True, help_text='"said", "told VOA"')
    paragraph = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["article", "paragraph", "pk"]

    def __str__(self) -> str:
        return f"{self.text[:60]}… ({self.source or 'unattributed'})"


class AuditFinding(models.Model):
    """One finding of the attribution audit on an article; open ones block publishing."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        OVERRIDDEN = "overridden", "Overridden"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(max_length=40)
    subject = models.CharField(max_length=200, blank=True)
    message = models.TextField()
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["article", "status", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.subject}"
