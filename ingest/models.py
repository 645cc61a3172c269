"""An admin upload of wire copy, waiting for or going through its import task.

The upload stores each file's bytes here (a separate worker process must read them, so not
on the web process's disk) and the task records each file's outcome as it goes, which is
what the progress page shows. A file's bytes are dropped once it has been imported or has
failed: the draft, not the upload, is the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article, Desk


class WireImport(models.Model):
    """One upload of one or more files to one desk, imported in order by one task."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        # The run itself stopped (its time limit): the files say which were not imported.
        FAILED = "failed", "Failed"

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wire_imports"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Wire import #{self.pk} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class WireImportFile(models.Model):
    """One uploaded file: its bytes until it is processed, then its draft or its error."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    wire_import = models.ForeignKey(WireImport, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    # At most WIRE_FILE_MAX_BYTES: a larger file is refused at upload and never stored.
    content = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Codes of the draft's open attribution findings when it was imported.
    findings = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["wire_import", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["wire_import", "position"], name="ingest_file_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


# Channels, their items and log, in their own module (ingest.channel_models).
from ingest.channel_models import (  # noqa: E402
    IngestChannel,
    IngestItem,
    IngestItemVersion,
    IngestLogEntry,
)

__all__ = [
    "IngestChannel",
    "IngestItem",
    "IngestItemVersion",
    "IngestLogEntry",
    "WireImport",
    "WireImportFile",
]
