"""Encryption at rest of what must never leave the newsroom, and rotating its keys."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from sources import crypto, services
from sources.models import Source

IDENTITY = "Mireille Obuya, second secretary"
CONTACT = "+254 700 000 111, mireille@example.invalid"


@pytest.fixture
def keys(settings):
    """Two fresh keys; the test chooses which the settings list, newest first."""
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SOURCE_ENCRYPTION_KEYS = [old]
    return settings, old, new


def make_anonymous() -> Source:
    source = Source(
        name="a senior diplomat",
        kind=Source.Kind.UNNAMED,
        confidential=True,
        anonymity_reason="Not authorized to speak about the talks.",
    )
    services.set_protected(source, identity=IDENTITY, contact=CONTACT)
    source.save()
    return source


def raw_columns(source: Source) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity, contact FROM sources_source WHERE id = %s", [source.pk])
        return cursor.fetchone()


def test_identity_and_contact_are_ciphertext_in_the_database(db):
    source = make_anonymous()
    identity, contact = raw_columns(source)
    for stored, clear in ((identity, IDENTITY), (contact, CONTACT)):
        assert stored and stored != clear
        assert "Mireille" not in stored and "254" not in stored
        assert crypto.decrypt(stored) == clear
    # The model attribute is the ciphertext too: nothing decrypts by accident.
    assert Source.objects.get(pk=source.pk).identity == identity


def test_the_same_text_encrypts_differently_each_time():
    assert crypto.encrypt(IDENTITY) != crypto.encrypt(IDENTITY)
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_rotation_prepend_rotate_drop(keys, db):
    settings, old, new = keys
    source = make_anonymous()
    before = raw_columns(source)

    settings.SOURCE_ENCRYPTION_KEYS = [new, old]
    assert services.rotate_protected_fields() == 1
    after = raw_columns(source)
    assert after != before

    settings.SOURCE_ENCRYPTION_KEYS = [new]
    assert [crypto.decrypt(token) for token in after] == [IDENTITY, CONTACT]


def test_new_data_uses_the_newest_key(keys):
    settings, old, new = keys
    settings.SOURCE_ENCRYPTION_KEYS = [new, old]
    token = crypto.encrypt(IDENTITY)
    assert Fernet(new.encode()).decrypt(token.encode()).decode() == IDENTITY


def test_dropping_the_old_key_before_rotation_is_a_clear_error(keys, db):
    settings, old, new = keys
    source = make_anonymous()
    settings.SOURCE_ENCRYPTION_KEYS = [new]
    with pytest.raises(ValueError, match="SOURCE_ENCRYPTION_KEYS"):
        services.rotate_protected_fields()
    with pytest.raises(ValueError, match="SOURCE_ENCRYPTION_KEYS"):
        crypto.decrypt(raw_columns(source)[0])
    # Putting the old key back recovers everything: nothing was lost.
    settings.SOURCE_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(raw_columns(source)[0]) == IDENTITY


def test_rotation_skips_sources_without_protected_fields(keys, db):
    Source.objects.create(name="Ruth Achieng", title="economist")
    assert services.rotate_protected_fields() == 0
