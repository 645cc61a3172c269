"""Celery wrappers: the admin upload's import (`ingest.uploads.run_wire_import`) and the
agency channels' scheduled runs (`ingest.pollers`). Ids in, nothing out."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from ingest import pollers, uploads
from ingest.models import IngestChannel, WireImport

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


@shared_task(name="ingest.poll_channels")
def poll_channels() -> int:
    """Beat's entry: start a run of each active channel whose next attempt is due; return
    how many were started. Each channel is claimed first, so an overlapping pass or a
    second beat never runs it twice, and runs as its own task (in-process when there is
    no broker), so a slow or broken channel holds up no other."""
    started = 0
    for channel in pollers.due_channels():
        if pollers.claim(channel):
            run_channel.delay(channel.pk)
            started += 1
    return started


@shared_task(name="ingest.run_channel")
def run_channel(channel_id: int) -> None:
    """Run one channel now (see `ingest.pollers.run_channel`)."""
    channel = IngestChannel.objects.filter(pk=channel_id).first()
    if channel is not None:
        pollers.run_channel(channel)
