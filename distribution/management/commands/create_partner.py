"""create_partner NAME [--desks SLUG,…] [--languages CODE,…] [--embargoed] [--webhook URL]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from distribution.api.partners import UnknownDesk, create_partner
from distribution.models import Partner


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Command(BaseCommand):
    help = (
        "Create a partner with its entitlements (none given: every desk and language, no "
        "embargoed copy). The last line printed is its API key, shown only this once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument("--desks", type=_list, default=[], help="Desk slugs, comma-separated.")
        parser.add_argument(
            "--languages", type=_list, default=[], help="BCP 47 tags, comma-separated."
        )
        parser.add_argument("--embargoed", action="store_true", help="Send embargoed copy too.")
        parser.add_argument("--webhook", metavar="URL", help="A webhook endpoint for pushes.")

    def handle(self, *args, name: str, desks, languages, embargoed, webhook, **options) -> None:
        if Partner.objects.filter(name=name.strip()).exists():
            raise CommandError(f"A partner named {name!r} already exists.")
        if webhook:
            try:
                URLValidator(schemes=["http", "https"])(webhook)
            except ValidationError as exc:
                raise CommandError(f"--webhook: {webhook!r} is not an http(s) URL.") from exc
        try:
            partner, key = create_partner(
                name, desks=desks, languages=languages, embargoed=embargoed, webhook_url=webhook
            )
        except UnknownDesk as exc:
            raise CommandError(f"--desks: {exc}") from exc
        desk_list = ", ".join(d.slug for d in partner.desks.all()) or "all desks"
        self.stdout.write(f"Partner {partner.name} (id {partner.pk}) created.")
        self.stdout.write(f"Desks: {desk_list}; languages: {partner.languages or 'all'}.")
        self.stdout.write(f"Embargoed copy: {'yes' if partner.embargoed else 'no'}.")
        for endpoint in partner.endpoints.all():
            self.stdout.write(f"Webhook {endpoint.url}, signing secret {endpoint.secret}")
        self.stdout.write(
            "API key (shown only this once; send it as 'Authorization: Api-Key <key>'):"
        )
        self.stdout.write(key)
