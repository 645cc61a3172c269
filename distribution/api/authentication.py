"""Partner API keys: `Authorization: Api-Key <key>`, checked against the stored hash."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from distribution.models import Partner, PartnerAPIKey

KEYWORD = "Api-Key"


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates the partner holding a valid key; request.user is the Partner.

    Refuses (401) a missing, malformed, unknown, revoked or expired key and the key of an
    inactive partner, with one message for all so a caller learns nothing about which keys
    exist. The key itself is never logged or kept.
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
        api_key = (
            PartnerAPIKey.objects.select_related("partner")
            .filter(prefix=prefix, revoked=False)
            .first()
        )
        if (
            api_key is None
            or not api_key.is_valid(key)
            or (api_key.expiry_date is not None and api_key.expiry_date <= timezone.now())
            or not api_key.partner.active
        ):
            raise exceptions.AuthenticationFailed("Invalid API key.")
        return api_key.partner, api_key

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate value makes DRF answer 401 rather than 403.
        return KEYWORD


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
