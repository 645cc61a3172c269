"""Bad input in the source admin is a form error, never a 500."""

from __future__ import annotations

import pytest

from sources.models import Source
from tests.articles.test_admin_support import client_for, form_data
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(db):
    return SourceFactory(name="Mara Lind", title="harbour master", aliases=["M. Lind"])


def post_aliases(editor, source: Source, aliases: str):
    client = client_for(editor)
    url = f"/admin/sources/source/{source.pk}/change/"
    data = form_data(client.get(url))
    data["aliases"] = aliases
    return client.post(url, data)


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        ("Mara\x00 Lind", "NUL"),
        ("[" * 5000 + "]" * 5000, "10000"),
        ("x" * 300, "300"),
        ("\n".join(f"M{n}" for n in range(101)), "100"),
    ],
    ids=["nul", "deep-json-pasted", "long-alias", "too-many"],
)
def test_bad_aliases_are_a_form_error(editor, source, aliases, message):
    response = post_aliases(editor, source, aliases)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["aliases"]
    assert any(message in error for error in errors), errors
    source.refresh_from_db()
    assert source.aliases == ["M. Lind"]


def test_good_aliases_are_saved(editor, source):
    response = post_aliases(editor, source, "Mara S. Lind\nM. Lind")

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.aliases == ["Mara S. Lind", "M. Lind"]


def test_nul_in_a_text_field_is_a_form_error(editor, source):
    client = client_for(editor)
    url = f"/admin/sources/source/{source.pk}/change/"
    data = form_data(client.get(url))
    data["title"] = "harbour\x00master"

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"]
