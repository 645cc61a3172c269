"""The admin upload of wire copy, as a task: stored files, a run within a time limit, and
the record of each file's outcome that the progress page shows.

The upload stores its files (`queue_wire_import`); a task (`ingest.tasks`) imports them
(`run_wire_import`), each through `ingest.services.import_wire_bytes`: the batch path
`import_wire` takes, one file at a time, so that each file's outcome is committed with it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from time import monotonic

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from articles.models import Desk
from ingest.models import WireImport, WireImportFile
from ingest.services import import_wire_bytes

logger = logging.getLogger(__name__)


@transaction.atomic
def queue_wire_import(files: Sequence[File], *, desk: Desk, by: AbstractBaseUser) -> WireImport:
    """Store uploaded files, in order, as a queued import of drafts to ``desk`` by ``by``.

    Reads at most ``settings.WIRE_FILE_MAX_BYTES`` of each upload: a larger one is stored
    already failed, without its bytes. Enqueueing the task is the caller's part (after
    commit: `ingest.tasks.enqueue_wire_import`). Two inserts, whatever the number of files.
    """
    limit = settings.WIRE_FILE_MAX_BYTES
    wire_import = WireImport.objects.create(desk=desk, created_by=by)
    rows = []
    for position, upload in enumerate(files):
        row = WireImportFile(
            wire_import=wire_import, position=position, name=upload.name[:255], size=upload.size
        )
        if upload.size > limit:
            row.status = WireImportFile.Status.FAILED
            row.error = f"is {upload.size:,} bytes; the limit is {limit:,} bytes"
            row.finished_at = timezone.now()
        else:
            row.content = upload.read(limit + 1)
        rows.append(row)
    WireImportFile.objects.bulk_create(rows)
    return wire_import


def run_wire_import(import_id: int, *, time_limit: float) -> WireImport | None:
    """Import the queued files of one upload in order; return the import, or None when it
    is not queued (another run has it, or it is over).

    Each file is decoded, parsed and saved by `import_wire_bytes`, and its outcome (draft,
    open findings, or error) recorded in the same transaction as the draft, so a file that
    fails, or is stopped half-way, leaves nothing of itself. No file is started after
    ``time_limit`` seconds (of this process's clock); a worker's soft time limit
    (`SoftTimeLimitExceeded`) stops the file it interrupts. Either way the files not
    imported fail with the reason, and the import is FAILED. Any other error (the database
    gone) fails the import the same way and is raised.
    """
    claimed = WireImport.objects.filter(pk=import_id, status=WireImport.Status.QUEUED).update(
        status=WireImport.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    deadline = monotonic() + time_limit
    wire_import = WireImport.objects.select_related("desk", "created_by").get(pk=import_id)
    pending = wire_import.files.filter(status=WireImportFile.Status.QUEUED).order_by("position")
    try:
        # One file's bytes in memory at a time.
        for file_id in list(pending.values_list("pk", flat=True)):
            if monotonic() >= deadline:
                stop_wire_import(wire_import, reason=f"its time limit of {time_limit:g} s passed")
                return wire_import
            _import_stored_file(wire_import, file_id)
    except SoftTimeLimitExceeded:
        stop_wire_import(wire_import, reason=f"its time limit of {time_limit:g} s passed")
        return wire_import
    except Exception:
        # Not a bad file (import_wire_bytes reports those) but the run itself, e.g. the
        # database gone: say so on the page rather than leave it running.
        logger.exception("wire import %s stopped on an error", import_id)
        stop_wire_import(wire_import, reason="an error stopped it (the log has the details)")
        raise
    wire_import.status = WireImport.Status.DONE
    wire_import.finished_at = timezone.now()
    wire_import.save(update_fields=["status", "finished_at"])
    return wire_import


def _import_stored_file(wire_import: WireImport, file_id: int) -> None:
    # Committed on its own, so the progress page shows which file is under way.
    WireImportFile.objects.filter(pk=file_id).update(status=WireImportFile.Status.RUNNING)
    stored = WireImportFile.objects.get(pk=file_id)
    with transaction.atomic():
        result = import_wire_bytes(
            bytes(stored.content),
            file=stored.name,
            desk=wire_import.desk,
            by=wire_import.created_by,
        )
        stored.status = WireImportFile.Status.DONE if result.ok else WireImportFile.Status.FAILED
        stored.article = result.article
        stored.error = result.error
        stored.findings = result.findings
        stored.content = b""
        stored.finished_at = timezone.now()
        stored.save(
            update_fields=["status", "article", "error", "findings", "content", "finished_at"]
        )


def stop_wire_import(wire_import: WireImport, *, reason: str) -> None:
    """End an import that cannot go on: its unfinished files fail, saying ``reason``.

    A file that was under way is reported as stopped with nothing of it saved (its
    transaction did not commit); a file never started, as not imported. Idempotent.
    """
    now = timezone.now()
    with transaction.atomic():
        unfinished = wire_import.files.filter(
            status__in=[WireImportFile.Status.QUEUED, WireImportFile.Status.RUNNING]
        )
        unfinished.filter(status=WireImportFile.Status.RUNNING).update(
            status=WireImportFile.Status.FAILED,
            error=f"stopped before it was finished, nothing of it saved: {reason}",
            content=b"",
            finished_at=now,
        )
        unfinished.update(
            status=WireImportFile.Status.FAILED,
            error=f"not imported: {reason}",
            content=b"",
            finished_at=now,
        )
        wire_import.status = WireImport.Status.FAILED
        wire_import.error = f"Stopped: {reason}."
        wire_import.finished_at = now
        wire_import.save(update_fields=["status", "error", "finished_at"])


def settle_overdue_import(wire_import: WireImport, *, hard_limit: float) -> WireImport:
    """Fail an import still RUNNING well past ``hard_limit`` seconds after it started.

    A worker ends a task at its hard time limit by killing the process that runs it, which
    then records nothing; without this its page would say "running" for ever. Returns the
    import, changed or not.
    """
    overdue = timezone.now() - timedelta(seconds=hard_limit + OVERDUE_GRACE_SECONDS)
    if (
        wire_import.status == WireImport.Status.RUNNING
        and wire_import.started_at is not None
        and wire_import.started_at < overdue
    ):
        stop_wire_import(
            wire_import, reason=f"the worker ended it at the hard time limit of {hard_limit:g} s"
        )
    return wire_import


# How long after the hard limit a run that has not finished is taken for ended: the worker
# has killed it by then.
OVERDUE_GRACE_SECONDS = 30


__all__ = [
    "queue_wire_import",
    "run_wire_import",
    "settle_overdue_import",
    "stop_wire_import",
]
