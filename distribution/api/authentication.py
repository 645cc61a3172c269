"""Partner API keys: `Authorization: Api-Key <key>`, checked against the stored hash."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from distribution.models import Partner, PartnerAPIKey

KEYWORD = "Api-Key"
# last_used_at is written at most this often per key: one UPDATE a minute, not one a request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates the partner holding a valid key; request.user is the Partner.

    Refuses (401) a missing, malformed, unknown, revoked or expired key and the key of an
    inactive partner, with one message for all so a caller learns nothing about which keys
    exist. The key itself is never logged or kept; the prefix the caller sent, and the
    partner it belongs to when it is one of ours (revoked or not), are kept on the request as
    `api_key_prefix` and `api_partner_id` for the request's log line.
    """

    def authenticate(self, request) -> tuple[Partner, PartnerAPIKey]:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, key = header.partition(" ")
        if not header:
            raise exceptions.NotAuthenticated(
                f"Send your API key in the Authorization header: '{KEYWORD} <key>'."
            )
        key = key.strip()
        if scheme.lower() != KEYWORD.lower() or "." not in key:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        prefix = key.partition(".")[0]
        # The prefix is public (it is shown in the admin); only what follows the dot is secret.
        request._request.api_key_prefix = prefix[:8]
        api_key = PartnerAPIKey.objects.select_related("partner").filter(prefix=prefix).first()
        if api_key is not None:
            request._request.api_partner_id = api_key.partner_id
        if (
            api_key is None
            or api_key.revoked
            or not api_key.is_valid(key)
            or (api_key.expiry_date is not None and api_key.expiry_date <= timezone.now())
            or not api_key.partner.active
        ):
            raise exceptions.AuthenticationFailed("Invalid API key.")
        record_use(api_key)
        return api_key.partner, api_key

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate value makes DRF answer 401 rather than 403.
        return KEYWORD


def record_use(api_key: PartnerAPIKey) -> None:
    """Sets the key's last_used_at, unless it was set less than a minute ago. The condition
    is in the UPDATE too, so workers answering the same key at once write it once."""
    now = timezone.now()
    since = now - LAST_USED_RESOLUTION
    if api_key.last_used_at is not None and api_key.last_used_at > since:
        return
    PartnerAPIKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=since), pk=api_key.pk
    ).update(last_used_at=now)


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = PartnerKeyAuthentication
    name = "PartnerApiKey"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"'{KEYWORD} <key>', the key shown once when it was created.",
        }
