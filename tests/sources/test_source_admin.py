"""The source book in the admin: protected fields exist only for Standards, and each
reading of them is recorded. Also the read-only record admins and the contributor admin."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.models import ArticleVersion, AuditEntry
from sources import crypto, services
from sources.models import Source
from tests.articles.test_admin_support import client_for, form_data
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ContributorFactory,
    CreditFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

IDENTITY = "Halvard Moen-Kjaer"
CONTACT = "+47 555 0101, signal only"
NOTES = "Met twice at the ministry annex."
SECRETS = (IDENTITY, "Halvard", "Moen-Kjaer", CONTACT, NOTES)


@pytest.fixture
def diplomat(draft):
    source = SourceFactory(
        name="a senior diplomat",
        title="",
        affiliation="",
        confidential=True,
        anonymity_reason="Would lose their post if named.",
    )
    services.set_protected(source, identity=IDENTITY, contact=CONTACT, notes=NOTES)
    source.save()
    AttributionFactory(article=draft, source=source, text="Talks will resume.", kind="partial")
    return source


def source_url(source: Source) -> str:
    return reverse("admin:sources_source_change", args=[source.pk])


def assert_no_secret(html: str, source: Source) -> None:
    for secret in SECRETS:
        assert secret not in html
    assert source.identity not in html  # not even the ciphertext


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_protected_fields_never_reach_users_without_standards(role, request, diplomat, draft):
    user = request.getfixturevalue(role)
    client = client_for(user)
    changelist = reverse("admin:sources_source_changelist")

    pages = [
        client.get(source_url(diplomat)),
        client.get(changelist),
        client.get(changelist, {"q": "diplomat"}),
        client.get(reverse("admin:articles_article_change", args=[draft.pk])),
        client.get(reverse("admin:articles_article_preview", args=[draft.pk])),
        client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "sources",
                "model_name": "attribution",
                "field_name": "source",
                "term": "diplomat",
            },
        ),
    ]

    for page in pages:
        assert page.status_code == 200
        assert_no_secret(page.content.decode(), diplomat)
    assert "a senior diplomat" in pages[2].content.decode()
    assert "Would lose their post if named." in pages[0].content.decode()
    # Searching by the real name finds nothing (the page echoes only the typed term).
    search = client.get(changelist, {"q": "Halvard"})
    assert search.context["cl"].result_count == 0
    for secret in (IDENTITY, "Moen-Kjaer", CONTACT, NOTES, diplomat.identity):
        assert secret not in search.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="reveal").exists()


def test_an_editor_cannot_write_protected_fields_by_posting_them(editor, diplomat):
    client = client_for(editor)
    data = form_data(client.get(source_url(diplomat)))
    data["identity_text"] = "Someone Else"
    data["title"] = "diplomat"

    response = client.post(source_url(diplomat), data)

    assert response.status_code == 302
    diplomat.refresh_from_db()
    assert diplomat.title == "diplomat"
    assert crypto.decrypt(diplomat.identity) == IDENTITY


def test_standards_reads_protected_fields_and_each_reading_is_recorded(standards, diplomat):
    response = client_for(standards).get(source_url(diplomat))

    html = response.content.decode()
    for secret in (IDENTITY, CONTACT, NOTES):
        assert secret in html
    readings = AuditEntry.objects.filter(actor=standards, subject=f"source:{diplomat.pk}")
    assert sorted(readings.values_list("action", flat=True)) == [
        "reveal-contact",
        "reveal-identity",
        "reveal-notes",
    ]


def test_standards_changes_an_identity_and_it_is_stored_encrypted(standards, diplomat):
    client = client_for(standards)
    data = form_data(client.get(source_url(diplomat)))
    data["identity_text"] = "Ingrid Solberg"

    response = client.post(source_url(diplomat), data)

    assert response.status_code == 302
    diplomat.refresh_from_db()
    assert "Ingrid" not in diplomat.identity
    assert crypto.decrypt(diplomat.identity) == "Ingrid Solberg"
    assert crypto.decrypt(diplomat.contact) == CONTACT


def test_changelist_for_standards_does_not_list_identities(standards, diplomat):
    response = client_for(standards).get(reverse("admin:sources_source_changelist"))
    assert IDENTITY not in response.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="reveal").exists()


def test_source_page_lists_the_stories_quoting_it(editor, diplomat, draft):
    html = client_for(editor).get(source_url(diplomat)).content.decode()
    assert 'class="quoted-in"' in html
    assert draft.headline in html


def test_reporter_may_add_a_source_but_not_change_one(reporter, diplomat):
    client = client_for(reporter)
    assert client.get(reverse("admin:sources_source_add")).status_code == 200
    page = client.get(source_url(diplomat))
    assert 'name="_save"' not in page.content.decode()
    assert client.post(source_url(diplomat), {"name": "renamed"}).status_code == 403


# Read-only records ------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief", is_superuser=True)


def test_audit_entries_cannot_be_added_changed_or_deleted(published, superuser):
    client = client_for(superuser)
    entry = AuditEntry.objects.filter(article=published).first()
    assert client.get(reverse("admin:articles_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:articles_auditentry_add")).status_code == 403
    change = reverse("admin:articles_auditentry_change", args=[entry.pk])
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, {"note": "rewritten"}).status_code == 403
    delete = reverse("admin:articles_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_article_versions_are_read_only(published, superuser):
    client = client_for(superuser)
    version = ArticleVersion.objects.get(article=published)
    change = reverse("admin:articles_articleversion_change", args=[version.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"headline": "Rewritten"}).status_code == 403
    assert client.get(reverse("admin:articles_articleversion_add")).status_code == 403


def test_findings_list_for_editors_and_no_hand_made_findings(editor, desk, reporter):
    article = ArticleFactory(desk=desk, created_by=reporter)
    AttributionFactory(article=article, source=SourceFactory(title="", affiliation=""))
    services.run_attribution_audit(article)
    client = client_for(editor)

    response = client.get(reverse("admin:sources_auditfinding_changelist"), {"status": "open"})

    assert response.status_code == 200
    assert "source-without-affiliation" in response.content.decode()
    assert client.get(reverse("admin:sources_auditfinding_add")).status_code == 403


def test_contributor_page_lists_their_credits(editor, draft, desk):
    contributor = ContributorFactory(name="Chung-Hsi Tu", desk=desk)
    CreditFactory(article=draft, contributor=contributor, role="contributor")

    response = client_for(editor).get(
        reverse("admin:articles_contributor_change", args=[contributor.pk])
    )

    assert response.status_code == 200
    assert draft.headline in response.content.decode()


def test_taxonomy_autocomplete_serves_the_story_form(editor, draft):
    from tests.factories import TopicFactory

    TopicFactory(name="Maritime", slug="maritime")
    response = client_for(editor).get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "topics", "term": "mari"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Maritime"]


def test_aliases_are_edited_one_per_line_never_as_json(editor):
    client = client_for(editor)
    add = reverse("admin:sources_source_add")

    page = client.get(add).content.decode()
    [empty] = re.findall(r'<textarea name="aliases"[^>]*>(.*?)</textarea>', page, re.S)
    assert empty.strip() == ""

    data = form_data(client.get(add))
    data.update(
        kind="person",
        name="Joyce Ko",
        title="minister",
        affiliation="Ministry of Examples",
        aliases="Koh\r\n  Joyce  Koh \r\n\r\nKoh\r\n",
    )
    response = client.post(add, data)
    assert response.status_code == 302

    source = Source.objects.get(name="Joyce Ko")
    assert source.aliases == ["Koh", "Joyce Koh"]
    form_page = client.get(source_url(source)).content.decode()
    [shown] = re.findall(r'<textarea name="aliases"[^>]*>(.*?)</textarea>', form_page, re.S)
    assert shown.strip() == "Koh\nJoyce Koh"
