"""The admin upload of wire copy, as a task: stored files, a run within a time limit, and
the record of each file's outcome that the progress page shows.

The upload stores its files (`queue_wire_import`); a task (`ingest.tasks`) imports them
(`run_wire_import`) in batches through `ingest.services.import_wire_batch`, the path
`import_wire` takes too, each batch's outcome committed with its drafts.
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
from ingest.services import import_wire_batch, results_by_file

logger = logging.getLogger(__name__)

# Files imported together: few enough that the progress page moves and that a soft time
# limit drops little work, enough that a batch's queries are shared by many files. At most
# this many times WIRE_FILE_MAX_BYTES is held in memory.
UPLOAD_BATCH_SIZE = 20


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

    The files are decoded, parsed and saved by `import_wire_batch`, `UPLOAD_BATCH_SIZE` at
    a time, and each file's outcome (draft, open findings, or error) recorded in the same
    transaction as the batch's drafts, so a file that fails leaves nothing of itself (and
    the others are saved), and a batch stopped half-way leaves nothing of any of its files.
    No batch is started after ``time_limit`` seconds (of this process's clock); a worker's
    soft time limit (`SoftTimeLimitExceeded`) stops the batch it interrupts. Either way the
    files not imported fail with the reason, and the import is FAILED. Any other error (the
    database gone) fails the import the same way and is raised.
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
        # One batch's bytes in memory at a time.
        file_ids = list(pending.values_list("pk", flat=True))
        for start in range(0, len(file_ids), UPLOAD_BATCH_SIZE):
            if monotonic() >= deadline:
                stop_wire_import(wire_import, reason=f"its time limit of {time_limit:g} s passed")
                return wire_import
            _import_stored_files(wire_import, file_ids[start : start + UPLOAD_BATCH_SIZE])
    except SoftTimeLimitExceeded:
        stop_wire_import(wire_import, reason=f"its time limit of {time_limit:g} s passed")
        return wire_import
    except Exception:
        # Not a bad file (import_wire_batch reports those) but the run itself, e.g. the
        # database gone: say so on the page rather than leave it running.
        logger.exception("wire import %s stopped on an error", import_id)
        stop_wire_import(wire_import, reason="an error stopped it (the log has the details)")
        raise
    wire_import.status = WireImport.Status.DONE
    wire_import.finished_at = timezone.now()
    wire_import.save(update_fields=["status", "finished_at"])
    return wire_import


def _import_stored_files(wire_import: WireImport, file_ids: list[int]) -> None:
    # Committed on its own, so the progress page shows which files are under way.
    WireImportFile.objects.filter(pk__in=file_ids).update(status=WireImportFile.Status.RUNNING)
    stored = list(WireImportFile.objects.filter(pk__in=file_ids).order_by("position"))
    with transaction.atomic():
        results = import_wire_batch(
            [(row.name, bytes(row.content)) for row in stored],
            desk=wire_import.desk,
            by=wire_import.created_by,
        )
        now = timezone.now()
        # A file in a format that holds several stories has a result for each: the row
        # shows its first draft, every story's findings, and the stories that failed.
        for row, group in zip(stored, results_by_file(results), strict=True):
            ok = [result for result in group if result.ok]
            row.status = WireImportFile.Status.DONE if ok else WireImportFile.Status.FAILED
            row.article = ok[0].article if ok else None
            row.error = "; ".join(
                (f"story {r.index + 1}: {r.error}" if len(group) > 1 else r.error)
                for r in group
                if not r.ok
            )
            row.findings = sorted(code for result in group for code in result.findings)
            row.content = b""
            row.finished_at = now
        WireImportFile.objects.bulk_update(
            stored, ["status", "article", "error", "findings", "content", "finished_at"]
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
