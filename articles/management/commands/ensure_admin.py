"""Make sure an admin account exists and print how to log in (the embedded `make run`)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create (or reset) the admin superuser and print its login."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--site", default="http://127.0.0.1:8000", help="where the server listens (printed)"
        )

    def handle(self, *args, username: str, site: str, **options) -> None:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@newsroom.invalid"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: {site.rstrip('/')}/admin/  user: {username}  password: {password}"
            )
        )
