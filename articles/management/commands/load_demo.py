"""`load_demo`: the demo desks, people, sources and stories; running it again changes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from articles.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo content (idempotent: what is already there is left alone)."

    def handle(self, *args, **options) -> None:
        filed = load_demo()
        if filed:
            self.stdout.write(f"Demo content loaded: {len(filed)} stories filed.")
        else:
            self.stdout.write("Demo content already loaded; nothing changed.")
