"""Encryption at rest for what must never leave the newsroom: identities and contacts.

Keys come from SOURCE_ENCRYPTION_KEYS, newest first. MultiFernet encrypts with the first
and decrypts with any, so a key is rotated by prepending a new one and re-encrypting.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.SOURCE_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    if not plaintext:
        return ""
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError(
            "A protected source field cannot be decrypted with the configured "
            "SOURCE_ENCRYPTION_KEYS (was a key removed before rotation finished?)."
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt `token` under the newest key; refuses a token no configured key opens."""
    if not token:
        return ""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise ValueError(
            "A protected source field cannot be re-encrypted: none of the configured "
            "SOURCE_ENCRYPTION_KEYS opens it (keep the old key listed until rotation is done)."
        ) from None


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token. Its value in Python is the ciphertext.

    Reading the clear text goes through `sources.services.reveal_*`, which checks the
    Standards permission and records the reading; the field itself never decrypts, so a
    queryset, a serializer or an admin list cannot leak it by accident.
    """
