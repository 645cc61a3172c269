"""`manage.py serve [ADDRPORT]`: Django's development server with scheduled work in it.

The embedded default's one command (`make run` calls it): it takes runserver's arguments
and options, and starts newsroom.scheduler in the process that serves requests. Under the
autoreloader that is the child process, restarted with the code; the watching parent runs
nothing.
"""

from __future__ import annotations

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from newsroom import scheduler


class Command(RunserverCommand):
    help = "Serve Newsroom for development, running scheduled work in the same process."

    def inner_run(self, *args, **options):
        if scheduler.start() is None:
            self.stdout.write("Scheduled work is left to Celery beat (SCHEDULER_IN_PROCESS=0).")
        return super().inner_run(*args, **options)
