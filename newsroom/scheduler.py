"""Scheduled work inside the web process, for the embedded default (no broker, no beat).

`start()` runs every entry of settings.CELERY_BEAT_SCHEDULE on its own interval (or
crontab) in a daemon thread, with Celery beat's in-memory scheduler: the same table beat
runs in production, so an entry added there runs here too with no other change. Tasks are
eager in embedded mode, so each due task runs right in that thread: publish-at, embargo
lifts, push delivery and its retries, and whatever else the table names.

`manage.py serve` starts it in the process that serves requests (never in runserver's
autoreloader parent); tests do not run it unless they start that command.
"""

from __future__ import annotations

import logging
import threading

from celery.beat import EmbeddedService, Scheduler
from django.conf import settings
from django.db import close_old_connections

from newsroom.celery import app

logger = logging.getLogger(__name__)

_started: threading.Thread | None = None
_start_lock = threading.Lock()


class InProcessScheduler(Scheduler):
    """Beat's in-memory scheduler; each task runs on a fresh-enough database connection.

    Nothing is persisted: after a restart every entry runs at once, which is harmless, as
    each scheduled task only does work that is due.
    """

    def apply_entry(self, entry, producer=None) -> None:
        # This thread lives as long as the server: give each run what Django gives a request.
        close_old_connections()
        try:
            super().apply_entry(entry, producer=producer)
        finally:
            close_old_connections()


def start() -> threading.Thread | None:
    """Start the scheduler thread once per process; None when scheduled work belongs to
    Celery beat (settings.SCHEDULER_IN_PROCESS false, the default with a broker).

    Raises nothing: a failing task is logged by the scheduler and tried on its next turn.
    """
    global _started
    if not settings.SCHEDULER_IN_PROCESS:
        return None
    with _start_lock:
        if _started is None or not _started.is_alive():
            # Outside a worker nothing has imported the apps' task modules yet; the table
            # names tasks, which must be registered to run here rather than be sent away.
            app.loader.import_default_modules()
            missing = sorted(
                entry["task"]
                for entry in app.conf.beat_schedule.values()
                if entry["task"] not in app.tasks
            )
            if missing:
                logger.error("scheduler: no such task %s", ", ".join(missing))
            service = EmbeddedService(app, thread=True, scheduler_cls=InProcessScheduler)
            service.start()
            _started = service
            logger.info(
                "scheduler: running %s in this process", ", ".join(sorted(app.conf.beat_schedule))
            )
    return _started
