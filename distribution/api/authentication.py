"""Partner API keys: `Authorization: Api-Key <key>`, checked against the stored hash.

A key verified against the database is remembered by each process for VERIFIED_SECONDS,
under the key's hash (the stored `hashed_key`: the clear key is never kept), with the
partner and its entitlements. Reading the key, its partner and the entitlement slugs cost
most of a cached page's time.

The *key revision* is a token in the shared cache replaced whenever a key, a partner, or
a desk or topic an entitlement names changes (`new_key_revision`, at once and again after
the commit). A remembered key is used only once the revision it was verified under is
found to be the current one, before anything is served or counted: the partner throttle
checks it in the same Redis round trip that counts the request, else `confirm_key` reads
it (`PartnerView.initial`). So a revoked key is refused on the next request in every
process. When the shared cache does not answer, every request is verified against the
database; the short lifetime bounds what a revision replaced while the cache was
unreachable could leave behind.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework_api_key.crypto import KeyGenerator

from distribution.api import hotcache
from distribution.feeds.cache import CacheUnavailable
from distribution.models import Partner, PartnerAPIKey

KEYWORD = "Api-Key"
# last_used_at is written at most this often per key: one UPDATE a minute, not one a request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# How long (seconds) a process trusts a key it verified, even while the revision holds.
VERIFIED_SECONDS = 10.0
# Keys one process remembers (least recently used dropped first).
VERIFIED_KEYS = 1024
REVISION_KEY = "keys:revision"


@dataclass
class VerifiedKey:
    """A key this process verified: under which revision, until when (monotonic seconds),
    the key and partner rows as read then, and the partner's entitlements once a view
    has read them (`distribution.selectors.Entitlements`)."""

    revision: str
    until: float
    api_key: PartnerAPIKey
    entitlements: object = None


_verified: OrderedDict[str, VerifiedKey] = OrderedDict()
_verified_lock = threading.Lock()
_hasher = KeyGenerator.preferred_hasher


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
        # The hash the key is stored under: a remembered key is found by it, never by the key.
        hashed = _hasher.encode(key, "")
        request._request.api_key_hash = hashed
        verified = _remembered(hashed)
        if verified is None:
            revision = key_revision()
            api_key = PartnerAPIKey.objects.select_related("partner").filter(prefix=prefix).first()
            if api_key is not None:
                request._request.api_partner_id = api_key.partner_id
            if api_key is None or not api_key.is_valid(key) or not _usable(api_key):
                raise exceptions.AuthenticationFailed("Invalid API key.")
            verified = _remember(hashed, revision, api_key)
        else:
            api_key = verified.api_key
            request._request.api_partner_id = api_key.partner_id
            # An expiry passes without any change to the revision.
            if not _usable(api_key):
                raise exceptions.AuthenticationFailed("Invalid API key.")
            # Used only once the revision it was verified under is found current: by the
            # partner throttle, in the round trip that counts the request, or by
            # `confirm_key`.
            request._request.api_unconfirmed_revision = verified.revision
        request._request.api_verified_key = verified
        record_use(api_key)
        return api_key.partner, api_key

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate value makes DRF answer 401 rather than 403.
        return KEYWORD


def _usable(api_key: PartnerAPIKey) -> bool:
    return not (
        api_key.revoked
        or (api_key.expiry_date is not None and api_key.expiry_date <= timezone.now())
        or not api_key.partner.active
    )


def key_revision() -> str | None:
    """The current key revision (created when the cache has none); None when the shared
    cache does not answer, and then no remembered key is used."""
    try:
        revision = hotcache.get_many([REVISION_KEY])[0]
        if revision is None:
            hotcache.add_value(REVISION_KEY, uuid.uuid4().hex, None)
            revision = hotcache.get_many([REVISION_KEY])[0]
    except CacheUnavailable:
        return None
    return revision


def new_key_revision() -> None:
    """Stop every process using the keys it verified, now and again once the current
    transaction commits (a request verifying in between reads the rows before the change).
    Call it after any change to a key, a partner, or a desk or topic slug. Never raises:
    while the cache is unreachable no process uses a remembered key."""

    def replace() -> None:
        try:
            hotcache.set_value(REVISION_KEY, uuid.uuid4().hex, None)
        except CacheUnavailable:
            forget_verified_keys()

    replace()
    transaction.on_commit(replace)


class KeyRevised(Exception):
    """A remembered key's revision is no longer the current one: verify it again."""


def unconfirmed_revision(request: HttpRequest) -> str | None:
    """The revision a remembered key used for `request` (a Django request) was verified
    under, while no one has checked it is still the current one; else None."""
    return getattr(request, "api_unconfirmed_revision", None)


def confirmed(request: HttpRequest) -> None:
    """Record that the key used for `request` holds under the current revision."""
    request.api_unconfirmed_revision = None


def confirm_key(request: HttpRequest) -> None:
    """Check that the remembered key used for `request` (if one was) was verified under
    the current revision; raise KeyRevised (and forget the key) when not, or when the
    shared cache does not answer."""
    expected = unconfirmed_revision(request)
    if expected is None:
        return
    if key_revision() != expected:
        forget_key(request)
        raise KeyRevised
    confirmed(request)


def forget_key(request: HttpRequest) -> None:
    """Forget the remembered key used for `request`, so the next check reads the database."""
    hashed = getattr(request, "api_key_hash", None)
    with _verified_lock:
        _verified.pop(hashed, None)
    request.api_unconfirmed_revision = None
    request.api_verified_key = None


def _remembered(hashed: str) -> VerifiedKey | None:
    with _verified_lock:
        verified = _verified.get(hashed)
        if verified is None:
            return None
        if verified.until <= time.monotonic():
            del _verified[hashed]
            return None
        _verified.move_to_end(hashed)
        return verified


def _remember(hashed: str, revision: str | None, api_key: PartnerAPIKey) -> VerifiedKey:
    verified = VerifiedKey(revision or "", time.monotonic() + VERIFIED_SECONDS, api_key)
    if revision is None:
        return verified  # the cache does not answer: nothing tells a revocation apart
    with _verified_lock:
        _verified[hashed] = verified
        while len(_verified) > VERIFIED_KEYS:
            _verified.popitem(last=False)
    return verified


def forget_verified_keys() -> None:
    """Drop every key this process remembers."""
    with _verified_lock:
        _verified.clear()


def record_use(api_key: PartnerAPIKey) -> None:
    """Sets the key's last_used_at, unless it was set less than a minute ago. The condition
    is in the UPDATE too, so workers answering the same key at once write it once."""
    now = timezone.now()
    since = now - LAST_USED_RESOLUTION
    if api_key.last_used_at is not None and api_key.last_used_at > since:
        return
    # Not for a key revoked meanwhile: a remembered key is confirmed after this runs.
    PartnerAPIKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=since), pk=api_key.pk, revoked=False
    ).update(last_used_at=now)
    # The row remembered for this key says so too: one UPDATE a minute per process.
    api_key.last_used_at = now


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
