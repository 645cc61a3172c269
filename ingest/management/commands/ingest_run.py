"""`manage.py ingest_run [CHANNEL]`: run agency channels once, now, and print what came in."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ingest.models import IngestChannel
from ingest.pollers import run_channel


class Command(BaseCommand):
    help = (
        "Run agency channels once: the one named (slug or id), or every active folder and "
        "feed channel. Prints a line per log row and a count per result."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("channel", nargs="?", help="slug or id of one channel")

    def handle(self, *args, channel: str | None = None, **options) -> None:
        if channel:
            lookup = {"pk": int(channel)} if channel.isdigit() else {"slug": channel}
            channels = list(IngestChannel.objects.filter(**lookup))
            if not channels:
                raise CommandError(f"no channel {channel!r}")
        else:
            channels = list(
                IngestChannel.objects.filter(active=True).exclude(kind=IngestChannel.Kind.PUSH)
            )
        failed = 0
        for each in channels:
            rows = run_channel(each)
            counts: dict[str, int] = {}
            for row in rows:
                counts[row.result] = counts.get(row.result, 0) + 1
                error = f" — {row.error}" if row.error else ""
                self.stdout.write(f"{each.slug}: {row.result} {row.name or row.guid}{error}")
            failed += counts.get("failed", 0)
            summary = ", ".join(f"{n} {result}" for result, n in sorted(counts.items()))
            self.stdout.write(f"{each.slug}: {summary or 'nothing new'}")
        if failed:
            self.stderr.write(f"{failed} failed")
