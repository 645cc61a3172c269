"""Enrolment, verification and reset of a user's second factor: an authenticator app (TOTP,
RFC 6238, through django-otp) and single-use recovery codes (django-otp static tokens).

Every change is written to the audit trail through `AuditEntry.objects.record`, with the
subject "user:<pk>". The admin's reset and the user's own pages call these functions and
hold no rules of their own.
"""

from __future__ import annotations

from base64 import b32encode
from importlib import import_module

import django_otp
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from articles.models import AuditEntry

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def _subject(user: AbstractBaseUser) -> str:
    return f"user:{user.pk}"


def is_enrolled(user: AbstractBaseUser) -> bool:
    """True when `user` has a confirmed second factor (an authenticator or recovery codes)."""
    return django_otp.user_has_device(user, confirmed=True)


def security_keys(user: AbstractBaseUser) -> list[WebAuthnCredential]:
    """`user`'s confirmed security keys and passkeys, oldest first."""
    return list(WebAuthnCredential.objects.devices_for_user(user, confirmed=True).order_by("pk"))


def has_authenticator(user: AbstractBaseUser) -> bool:
    """True when `user` has a confirmed authenticator app (TOTP device)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    """How many of `user`'s recovery codes are still unused."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_authenticator(user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator `user` is enrolling: the unconfirmed one already made (so the QR
    code shown stays the same on reload), or a new one with a fresh random key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def readable_key(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def is_recovery_code(device: Device) -> bool:
    """True when `device`, as returned by `verify_code`, is the recovery codes'."""
    return isinstance(device, StaticDevice)


def confirm_authenticator(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the enrolment of `device` with a `code` the app shows now (6 digits, one
    30-second step of tolerance) and issue recovery codes. Returns the new recovery codes,
    to be shown once, or None (nothing changed) when the code is wrong."""
    with transaction.atomic():
        if not device.verify_token(_normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        user = device.user
        AuditEntry.objects.record(None, by=user, action="mfa-enrol", subject=_subject(user))
        return _issue_recovery_codes(user)


def renew_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace all of `user`'s recovery codes with `RECOVERY_CODE_COUNT` new ones (8 base32
    characters each, single use) and return them, to be shown once."""
    with transaction.atomic():
        codes = _issue_recovery_codes(user)
        AuditEntry.objects.record(
            None, by=user, action="mfa-recovery-codes", subject=_subject(user)
        )
        return codes


def _issue_recovery_codes(user: AbstractBaseUser) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _normalise(code: str) -> str:
    return "".join(code.split()).lower()


def verify_code(user: AbstractBaseUser, code: str) -> Device | None:
    """The device that accepts `code` for `user`, or None. Digits are read as an
    authenticator code, anything else as a recovery code (used up by this call). Each
    device applies django-otp's throttling: after a failure it refuses every code, the right
    one included, for a delay that doubles with each further failure."""
    code = _normalise(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def reset(user: AbstractBaseUser, *, by: AbstractBaseUser) -> int:
    """Remove every second factor of `user` (app, keys, recovery codes), record it in
    the audit trail as done `by` an administrator, and end all of `user`'s sessions. Their
    next login asks them to enrol again (where MFA is required). Returns the number of
    sessions ended."""
    with transaction.atomic():
        for model in django_otp.device_classes():
            model.objects.filter(user=user).delete()
        ended = end_sessions(user)
        AuditEntry.objects.record(
            None,
            by=by,
            action="mfa-reset",
            subject=_subject(user),
            note=f"second factors of {user.get_username()} removed; {ended} session(s) ended",
        )
    return ended


def end_sessions(user: AbstractBaseUser) -> int:
    """Delete every live session of `user` from the session store; returns how many.

    Needs a database-backed session engine (`db`, the default, or `cached_db`): a session
    store that cannot be listed cannot be searched for a user's sessions.
    Raises ImproperlyConfigured otherwise.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        raise ImproperlyConfigured(
            f"Ending a user's sessions needs a database-backed SESSION_ENGINE, not "
            f"{settings.SESSION_ENGINE}"
        )
    user_id = str(user.pk)
    ended = 0
    live = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        if session.get_decoded().get(SESSION_KEY) == user_id:
            # Through the store, so a cached_db engine forgets its cached copy too.
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended
