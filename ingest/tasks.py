"""Celery wrapper around `ingest.uploads.run_wire_import`: an import id in, nothing out."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from ingest import uploads
from ingest.models import WireImport

logger = logging.getLogger(__name__)


@shared_task(name="ingest.run_wire_import")
def run_wire_import(import_id: int) -> None:
    """Import the files of one admin upload (see `uploads.run_wire_import`)."""
    uploads.run_wire_import(import_id, time_limit=settings.WIRE_IMPORT_SOFT_TIME_LIMIT)


def enqueue_wire_import(import_id: int) -> None:
    """After the current transaction commits, send the import to a worker with its time
    limits (WIRE_IMPORT_SOFT_TIME_LIMIT, then WIRE_IMPORT_TIME_LIMIT, in seconds).

    In the embedded default tasks run in-process, so the import runs right then. When the
    broker does not take the task, the import is failed at once, saying so, rather than
    left queued with nothing to run it.
    """

    def send() -> None:
        try:
            run_wire_import.apply_async(
                (import_id,),
                soft_time_limit=settings.WIRE_IMPORT_SOFT_TIME_LIMIT,
                time_limit=settings.WIRE_IMPORT_TIME_LIMIT,
            )
        except Exception:
            if settings.CELERY_TASK_ALWAYS_EAGER:
                raise  # in-process, this is the import's own error, not the queue's
            logger.exception("ingest: could not enqueue wire import %s", import_id)
            uploads.stop_wire_import(
                WireImport.objects.get(pk=import_id),
                reason="the task queue did not answer; upload the files again",
            )

    transaction.on_commit(send)
