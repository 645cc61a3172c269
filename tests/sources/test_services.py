"""Protected source fields are read only by Standards, and every reading is recorded."""

from __future__ import annotations

import pytest

from articles.models import AuditEntry
from sources import services
from sources.models import Source
from tests.factories import UserFactory

IDENTITY = "Tomasz Wren, deputy chief of mission"


@pytest.fixture
def anonymous(db):
    source = Source(name="a senior diplomat", kind=Source.Kind.UNNAMED, confidential=True)
    services.set_protected(source, identity=IDENTITY, contact="tw@example.invalid", notes="")
    source.save()
    return source


def test_standards_reads_and_the_reading_is_recorded(anonymous, standards):
    assert services.reveal(anonymous, "identity", by=standards) == IDENTITY
    assert services.reveal(anonymous, "contact", by=standards) == "tw@example.invalid"
    entries = AuditEntry.objects.filter(subject=f"source:{anonymous.pk}").order_by("pk")
    assert [(e.action, e.actor, e.actor_name) for e in entries] == [
        ("reveal-identity", standards, "sam"),
        ("reveal-contact", standards, "sam"),
    ]
    assert all(IDENTITY not in e.note for e in entries)


def test_superuser_may_read(anonymous, db):
    chief = UserFactory(username="chief", is_superuser=True)
    assert services.reveal(anonymous, "identity", by=chief) == IDENTITY


@pytest.mark.parametrize("role", ["Reporter", "Editor"])
def test_other_roles_are_refused_and_nothing_is_recorded(anonymous, role, db):
    user = UserFactory(username=f"{role.lower()}-x", role=role)
    with pytest.raises(services.NotPermittedToReveal):
        services.reveal(anonymous, "identity", by=user)
    assert not services.can_reveal(user)
    assert not AuditEntry.objects.filter(subject=f"source:{anonymous.pk}").exists()


def test_inactive_standards_user_is_refused(anonymous, standards):
    standards.is_active = False
    standards.save()
    with pytest.raises(services.NotPermittedToReveal):
        services.reveal(anonymous, "identity", by=standards)


def test_only_protected_fields_can_be_revealed_or_set(anonymous, standards):
    with pytest.raises(ValueError, match="not a protected"):
        services.reveal(anonymous, "name", by=standards)
    with pytest.raises(ValueError, match="not a protected"):
        services.set_protected(anonymous, title="ambassador")


def test_set_protected_strips_and_empty_clears(anonymous, standards):
    services.set_protected(anonymous, contact="  ", notes="  met twice  ")
    anonymous.save()
    anonymous.refresh_from_db()
    assert anonymous.contact == ""
    assert services.reveal(anonymous, "notes", by=standards) == "met twice"


def test_string_form_never_shows_the_identity(anonymous):
    assert str(anonymous) == "a senior diplomat (unnamed)"
    assert not anonymous.is_public
