"""`rotate_webhook_keys`: re-encrypt webhook signing secrets under the newest key.

Run it beside `rotate_source_keys` after putting a new key first in SOURCE_ENCRYPTION_KEYS;
the secrets themselves do not change (that is `rotate_secret`, from the admin).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from distribution.push.services import rotate_encryption


class Command(BaseCommand):
    help = "Re-encrypt every webhook signing secret with the first SOURCE_ENCRYPTION_KEYS key."

    def handle(self, *args, **options) -> None:
        try:
            count = rotate_encryption()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Re-encrypted the signing secrets of {count} webhook endpoint(s).")
