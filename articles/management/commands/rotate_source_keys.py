"""`rotate_source_keys`: re-encrypt protected source fields under the newest key.

Rotation: put the new key first in SOURCE_ENCRYPTION_KEYS (keep the old ones after it),
run this command, then drop the old keys.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sources.services import rotate_protected_fields


class Command(BaseCommand):
    help = "Re-encrypt every protected source field with the first SOURCE_ENCRYPTION_KEYS key."

    def handle(self, *args, **options) -> None:
        try:
            rewritten = rotate_protected_fields()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Re-encrypted the protected fields of {rewritten} source(s).")
