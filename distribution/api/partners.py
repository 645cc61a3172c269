"""Partners and their keys: the operations the admin and `create_partner` share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from articles.models import Desk
from distribution.api.authentication import new_key_revision
from distribution.models import Partner, PartnerAPIKey, WebhookEndpoint, all_scopes


class UnknownDesk(ValueError):
    pass


@transaction.atomic
def create_partner(
    name: str,
    *,
    desks: Iterable[str] = (),
    languages: Iterable[str] = (),
    embargoed: bool = False,
    webhook_url: str | None = None,
) -> tuple[Partner, str]:
    """A new partner and its first API key, returned in clear this once and never again.

    No desks means every desk; no languages every language. Refuses a desk slug that does
    not exist (UnknownDesk) rather than quietly entitling the partner to less.
    """
    desk_slugs = [slug.strip() for slug in desks if slug.strip()]
    codes = [code.strip() for code in languages if code.strip()]
    found = list(Desk.objects.filter(slug__in=desk_slugs))
    missing = sorted(set(desk_slugs) - {desk.slug for desk in found})
    if missing:
        raise UnknownDesk(f"No desk with slug: {', '.join(missing)}.")
    partner = Partner.objects.create(
        name=name.strip(),
        all_desks=not desk_slugs,
        all_languages=not codes,
        languages=", ".join(codes),
        embargoed=embargoed,
    )
    partner.desks.set(found)
    if webhook_url:
        WebhookEndpoint.objects.create(partner=partner, url=webhook_url)
    _, key = issue_key(partner, name="created with the partner")
    return partner, key


def issue_key(
    partner: Partner,
    *,
    name: str,
    expires: datetime | None = None,
    scopes: Iterable[str] | None = None,
) -> tuple[PartnerAPIKey, str]:
    """A new key for `partner`, with `scopes` (default: every scope): the model keeps prefix
    and hash; the clear key is returned once for the caller to hand over."""
    return PartnerAPIKey.objects.create_key(
        partner=partner,
        name=name[:50],
        expiry_date=expires,
        scopes=list(scopes) if scopes is not None else all_scopes(),
    )


def revoke_keys(keys: Iterable[PartnerAPIKey]) -> int:
    """Revoke keys for good (a revoked key cannot be restored); returns how many changed.
    Every process refuses them from its next request on (see `new_key_revision`)."""
    changed = PartnerAPIKey.objects.filter(pk__in=[k.pk for k in keys], revoked=False).update(
        revoked=True
    )
    new_key_revision()
    return changed
